#include "usersdialog.h"

#include "access/userstore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

QTableWidget *makeTable(const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

} // namespace

UsersDialog::UsersDialog(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
{
    setWindowTitle(tr("Users and roles"));
    auto *layout = new QVBoxLayout(this);
    const access::Session session = access::Session::current();
    layout->addWidget(new QLabel(
        session.implicit
            ? tr("No users yet: SellerDesk starts without a login. The first user you add must be an administrator "
                 "and logs in automatically on this workstation (%1).")
                  .arg(access::Session::workstation())
            : tr("Logged in as %1 (%2) on %3.").arg(session.user, session.role, access::Session::workstation()),
        this));

    auto *tables = new QHBoxLayout;
    auto *usersBox = new QGroupBox(tr("&Users"), this);
    auto *usersLayout = new QVBoxLayout(usersBox);
    m_users = makeTable({tr("Name"), tr("Role"), tr("Status"), tr("Automatic login here")}, usersBox);
    usersLayout->addWidget(m_users);
    auto *userButtons = new QHBoxLayout;
    auto *password = new QPushButton(tr("Set &password…"), usersBox);
    auto *role = new QPushButton(tr("Change &role…"), usersBox);
    auto *autoOn = new QPushButton(tr("Log in &automatically here"), usersBox);
    auto *autoOff = new QPushButton(tr("Ask at &start"), usersBox);
    userButtons->addWidget(password);
    userButtons->addWidget(role);
    userButtons->addWidget(autoOn);
    userButtons->addWidget(autoOff);
    userButtons->addStretch();
    usersLayout->addLayout(userButtons);
    tables->addWidget(usersBox, 2);
    auto *rolesBox = new QGroupBox(tr("R&oles"), this);
    auto *rolesLayout = new QVBoxLayout(rolesBox);
    m_roles = makeTable({tr("Role"), tr("Permissions")}, rolesBox);
    m_roles->setWordWrap(true);
    rolesLayout->addWidget(m_roles);
    tables->addWidget(rolesBox, 3);
    layout->addLayout(tables, 1);

    auto *addBox = new QGroupBox(tr("Add a user"), this);
    auto *addLayout = new QHBoxLayout(addBox);
    m_name = new QLineEdit(addBox);
    m_name->setPlaceholderText(tr("Name"));
    m_role = new QComboBox(addBox);
    m_password = new QLineEdit(addBox);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Password (at least 6 characters)"));
    auto *add = new QPushButton(tr("A&dd"), addBox);
    addLayout->addWidget(m_name, 2);
    addLayout->addWidget(m_role, 1);
    addLayout->addWidget(m_password, 2);
    addLayout->addWidget(add);
    layout->addWidget(addBox);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, &UsersDialog::addUser);
    connect(m_password, &QLineEdit::returnPressed, this, &UsersDialog::addUser);
    connect(password, &QPushButton::clicked, this, &UsersDialog::changePassword);
    connect(role, &QPushButton::clicked, this, &UsersDialog::changeRole);
    connect(autoOn, &QPushButton::clicked, this, [this] { setAutoLogin(true); });
    connect(autoOff, &QPushButton::clicked, this, [this] { setAutoLogin(false); });
    resize(980, 520);
    reload();
}

void UsersDialog::reload()
{
    access::UserStore store(m_db);
    auto automatic = store.autoLogin(access::Session::workstation());
    const QString autoUser = automatic && automatic->has_value() ? (*automatic)->user : QString();
    auto roles = store.roles();
    QHash<QString, QString> roleNames;
    if (roles)
        for (const auto &role : *roles)
            roleNames.insert(role.name, role.displayName());
    auto users = store.users();
    m_users->setRowCount(0);
    if (users) {
        for (const auto &user : *users) {
            const int row = m_users->rowCount();
            m_users->insertRow(row);
            m_users->setItem(row, 0, new QTableWidgetItem(user.name));
            m_users->setItem(row, 1, new QTableWidgetItem(roleNames.value(user.role, user.role)));
            m_users->setItem(row, 2, new QTableWidgetItem(user.active ? tr("active") : tr("switched off")));
            m_users->setItem(row, 3, new QTableWidgetItem(user.name == autoUser ? tr("yes") : QString()));
        }
    } else {
        report(users.error().userMessage, true);
    }
    m_users->resizeColumnsToContents();
    m_roles->setRowCount(0);
    m_role->clear();
    if (roles) {
        for (const auto &role : *roles) {
            const int row = m_roles->rowCount();
            m_roles->insertRow(row);
            m_roles->setItem(row, 0, new QTableWidgetItem(role.displayName()));
            QStringList names;
            for (access::Permission permission : access::allPermissions())
                if (role.can(permission))
                    names << access::permissionName(permission);
            auto *permissions = new QTableWidgetItem(names.join(u", "));
            permissions->setToolTip(names.join(u'\n'));
            m_roles->setItem(row, 1, permissions);
            m_role->addItem(role.displayName(), role.name);
        }
    }
    m_roles->resizeColumnToContents(0);
    // Row heights need the column widths the layout gives once the dialog is shown.
    QTimer::singleShot(0, m_roles, [table = m_roles] { table->resizeRowsToContents(); });
    m_role->setCurrentIndex(
        qMax(0, m_role->findData(users && users->isEmpty() ? access::kAdministrator : u"packer"_qs)));
}

QString UsersDialog::selectedUser() const
{
    const int row = m_users->currentRow();
    return row < 0 ? QString() : m_users->item(row, 0)->text();
}

void UsersDialog::report(const QString &message, bool failed)
{
    m_message->setStyleSheet(failed ? u"color: #c0392b"_qs : u"color: #2e7d32"_qs);
    m_message->setText(message);
}

void UsersDialog::addUser()
{
    access::UserStore store(m_db);
    auto added = store.add(m_name->text(), m_role->currentData().toString(), m_password->text());
    m_password->clear();
    if (!added) {
        report(added.error().userMessage, true);
        return;
    }
    m_name->clear();
    report(tr("User %1 added.").arg(added->name), false);
    reload();
}

void UsersDialog::changePassword()
{
    const QString name = selectedUser();
    if (name.isEmpty()) {
        report(tr("Choose a user first."), true);
        return;
    }
    bool ok = false;
    const QString password = QInputDialog::getText(this, tr("Set password"), tr("New password for %1:").arg(name),
                                                   QLineEdit::Password, {}, &ok);
    if (!ok)
        return;
    access::UserStore store(m_db);
    if (auto r = store.setPassword(name, password); !r)
        report(r.error().userMessage, true);
    else
        report(tr("The password of %1 was changed.").arg(name), false);
}

void UsersDialog::changeRole()
{
    const QString name = selectedUser();
    if (name.isEmpty()) {
        report(tr("Choose a user first."), true);
        return;
    }
    QStringList labels;
    for (int i = 0; i < m_role->count(); ++i)
        labels << m_role->itemText(i);
    bool ok = false;
    const QString label =
        QInputDialog::getItem(this, tr("Change role"), tr("Role of %1:").arg(name), labels, 0, false, &ok);
    if (!ok)
        return;
    access::UserStore store(m_db);
    if (auto r = store.setRole(name, m_role->itemData(int(labels.indexOf(label))).toString()); !r)
        report(r.error().userMessage, true);
    else
        reload();
}

void UsersDialog::setAutoLogin(bool on)
{
    const QString name = on ? selectedUser() : QString();
    if (on && name.isEmpty()) {
        report(tr("Choose a user first."), true);
        return;
    }
    access::UserStore store(m_db);
    if (auto r = store.setAutoLogin(access::Session::workstation(), name); !r) {
        report(r.error().userMessage, true);
        return;
    }
    report(on ? tr("%1 logs in automatically on this workstation.").arg(name)
              : tr("This workstation asks who logs in at start."),
           false);
    reload();
}

} // namespace sd::ui
