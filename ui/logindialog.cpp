#include "logindialog.h"

#include "access/userstore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sd::ui {

LoginDialog::LoginDialog(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
{
    setWindowTitle(tr("Log in to SellerDesk"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("<b>%1</b><br>Workstation: %2")
                                 .arg(m_db->describe().toHtmlEscaped(), access::Session::workstation().toHtmlEscaped()),
                             this);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_user = new QComboBox(this);
    m_user->setEditable(true);
    access::UserStore store(m_db);
    if (auto users = store.users())
        for (const auto &user : *users)
            if (user.active)
                m_user->addItem(user.name);
    m_user->setCurrentIndex(-1);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    layout->addLayout(form);
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(u"color: #c0392b"_qs);
    m_problem->setWordWrap(true);
    m_problem->hide();
    layout->addWidget(m_problem);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(tr("Log in"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("Quit"), QDialogButtonBox::RejectRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &LoginDialog::tryLogin);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    m_user->setFocus();
    setMinimumWidth(380);
}

void LoginDialog::tryLogin()
{
    access::UserStore store(m_db);
    auto session = store.login(m_user->currentText().trimmed(), m_password->text());
    if (!session) {
        m_problem->setText(session.error().userMessage);
        m_problem->show();
        m_password->clear();
        m_password->setFocus();
        return;
    }
    m_session = *session;
    accept();
}

std::optional<access::Session> LoginDialog::startSession(const std::shared_ptr<storage::Database> &db, bool ask)
{
    access::UserStore store(db);
    auto automatic = store.autoLogin(access::Session::workstation());
    if (!ask && automatic && automatic->has_value())
        return **automatic;
    LoginDialog dialog(db);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.session();
}

} // namespace sd::ui
