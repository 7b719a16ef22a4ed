#include "statussettings.h"

#include "statusicon.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

const QList<storage::StatusGroup> kGroups = {storage::StatusGroup::New, storage::StatusGroup::InProgress,
                                             storage::StatusGroup::Shipped, storage::StatusGroup::Closed,
                                             storage::StatusGroup::Cancelled};

} // namespace

StatusSettings::StatusSettings(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_catalog(std::move(db))
{
    setWindowTitle(tr("Order statuses"));
    resize(560, 420);
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("Every status is a tab of the order list. The group decides where its orders count."), this);
    intro->setWordWrap(true);
    m_list = new QListWidget(this);
    m_group = new QComboBox(this);
    for (storage::StatusGroup group : kGroups)
        m_group->addItem(storage::statusGroupDisplayName(group), int(group));
    m_message = new QLabel(this);
    m_message->setStyleSheet(u"QLabel { color: #a00; }"_qs);
    m_message->setWordWrap(true);

    auto *add = new QPushButton(tr("&Add…"), this);
    auto *rename = new QPushButton(tr("&Rename…"), this);
    auto *colour = new QPushButton(tr("&Colour…"), this);
    auto *up = new QPushButton(tr("Move &up"), this);
    auto *down = new QPushButton(tr("Move &down"), this);
    auto *remove = new QPushButton(tr("Re&move…"), this);
    auto *buttons = new QVBoxLayout;
    for (QPushButton *button : {add, rename, colour, up, down, remove})
        buttons->addWidget(button);
    auto *groupLabel = new QLabel(tr("&Group:"), this);
    groupLabel->setBuddy(m_group);
    buttons->addWidget(groupLabel);
    buttons->addWidget(m_group);
    buttons->addStretch();
    auto *row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(buttons);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::accept);
    layout->addWidget(intro);
    layout->addLayout(row, 1);
    layout->addWidget(m_message);
    layout->addWidget(close);

    connect(add, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("New status"), tr("Name:"), QLineEdit::Normal, {}, &ok);
        if (ok)
            addStatus(name, storage::StatusGroup(m_group->currentData().toInt()));
    });
    connect(rename, &QPushButton::clicked, this, [this] {
        if (!m_list->currentItem())
            return;
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Rename status"), tr("Name:"), QLineEdit::Normal,
                                                   m_statuses.at(m_list->currentRow()).name, &ok);
        if (ok)
            renameCurrent(name);
    });
    connect(colour, &QPushButton::clicked, this, [this] {
        if (!m_list->currentItem())
            return;
        const QColor color =
            QColorDialog::getColor(QColor::fromString(m_statuses.at(m_list->currentRow()).color), this);
        if (color.isValid())
            recolourCurrent(color.name());
    });
    connect(up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveCurrent(+1); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const qint64 id = currentId();
        if (!id)
            return;
        QStringList others;
        QList<qint64> otherIds;
        for (const storage::Status &status : m_statuses)
            if (status.id != id) {
                others << status.name;
                otherIds << status.id;
            }
        const qint64 inUse = m_catalog.ordersWithStatus(id).value_or(0);
        bool ok = false;
        const QString target = QInputDialog::getItem(
            this, tr("Remove status"), tr("%n order(s) have this status. Move them to:", nullptr, int(inUse)), others,
            0, false, &ok);
        if (ok)
            removeCurrent(otherIds.value(others.indexOf(target)));
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || row >= m_statuses.size())
            return;
        const QSignalBlocker block(m_group);
        m_group->setCurrentIndex(m_group->findData(int(m_statuses.at(row).group)));
    });
    connect(m_group, &QComboBox::currentIndexChanged, this, [this] {
        if (currentId())
            regroupCurrent(storage::StatusGroup(m_group->currentData().toInt()));
    });
    reload();
}

QString StatusSettings::message() const
{
    return m_message->text();
}

void StatusSettings::reload(qint64 select)
{
    auto list = m_catalog.statuses();
    if (!list) {
        m_message->setText(list.error().userMessage);
        return;
    }
    const qint64 keep = select ? select : currentId();
    m_statuses = *list;
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const storage::Status &status : m_statuses) {
        auto *item = new QListWidgetItem(
            statusIcon(status.color), status.name + u"  ·  " + storage::statusGroupDisplayName(status.group), m_list);
        item->setData(Qt::UserRole, status.id);
    }
    int row = 0;
    for (int i = 0; i < m_statuses.size(); ++i)
        if (m_statuses.at(i).id == keep)
            row = i;
    m_list->setCurrentRow(row);
    const QSignalBlocker blockGroup(m_group);
    if (!m_statuses.isEmpty())
        m_group->setCurrentIndex(m_group->findData(int(m_statuses.at(row).group)));
}

qint64 StatusSettings::currentId() const
{
    const int row = m_list->currentRow();
    return row >= 0 && row < m_statuses.size() ? m_statuses.at(row).id : 0;
}

bool StatusSettings::report(const Result<void> &result)
{
    m_message->setText(result ? QString() : result.error().userMessage);
    if (!result)
        return false;
    reload();
    Q_EMIT statusesChanged();
    return true;
}

bool StatusSettings::addStatus(const QString &name, storage::StatusGroup group)
{
    auto added = m_catalog.addStatus(name, group, u"#607d8b"_qs);
    if (!added)
        return report(added.error());
    m_message->clear();
    reload(added->id);
    Q_EMIT statusesChanged();
    return true;
}

bool StatusSettings::renameCurrent(const QString &name)
{
    return report(m_catalog.renameStatus(currentId(), name));
}

bool StatusSettings::recolourCurrent(const QString &color)
{
    return report(m_catalog.setStatusColor(currentId(), color));
}

bool StatusSettings::regroupCurrent(storage::StatusGroup group)
{
    return report(m_catalog.setStatusGroup(currentId(), group));
}

bool StatusSettings::moveCurrent(int direction)
{
    return report(m_catalog.moveStatus(currentId(), direction));
}

bool StatusSettings::removeCurrent(qint64 moveTo)
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    auto removed = m_catalog.removeStatus(currentId(), moveTo, user.isEmpty() ? u"user"_qs : u"user:" + user);
    if (!removed)
        return report(removed.error());
    return report({});
}

} // namespace sd::ui
