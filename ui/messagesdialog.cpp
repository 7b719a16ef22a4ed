#include "messagesdialog.h"

#include "messaging/messagecenter.h"
#include "messaging/outbox.h"
#include "storage/orderstore.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

QTreeWidget *makeList(const QStringList &headers, QWidget *parent)
{
    auto *list = new QTreeWidget(parent);
    list->setHeaderLabels(headers);
    list->setRootIsDecorated(false);
    list->setAlternatingRowColors(true);
    list->setUniformRowHeights(true);
    list->header()->setStretchLastSection(true);
    return list;
}

} // namespace

MessagesDialog::MessagesDialog(std::shared_ptr<storage::Database> db, qint64 orderId, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_orderId(orderId)
    , m_message(new QLabel(this))
{
    setWindowTitle(orderId ? tr("Messages of order %1").arg(orderId) : tr("Messages"));
    auto *tabs = new QTabWidget(this);
    m_received = makeList({tr("Received"), tr("Order"), tr("From"), tr("Thread"), tr("Message")}, this);
    m_sent = makeList({tr("Created"), tr("Order"), tr("Channel"), tr("To"), tr("State"), tr("Subject")}, this);
    tabs->addTab(m_received, tr("&Received"));
    tabs->addTab(m_sent, tr("&Sent"));
    m_message->setWordWrap(true);
    m_message->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *refresh = buttons->addButton(tr("Re&fresh"), QDialogButtonBox::ActionRole);
    refresh->setShortcut(QKeySequence::Refresh);
    connect(refresh, &QPushButton::clicked, this, &MessagesDialog::reload);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(900, 520);
    reload();
}

void MessagesDialog::reload()
{
    storage::OrderStore store(m_db);
    QStringList problems;
    m_received->clear();
    messaging::MessageCenter center(store);
    auto received = m_orderId ? center.forOrder(m_orderId) : center.recent(500);
    if (!received)
        problems.append(received.error().userMessage);
    else
        for (const messaging::ThreadMessage &m : std::as_const(*received)) {
            auto *item = new QTreeWidgetItem(m_received);
            item->setText(0, QLocale().toString(m.at.toLocalTime(), QLocale::ShortFormat));
            item->setText(1, m.orderId ? QString::number(m.orderId) : QString());
            item->setText(2, m.fromBuyer ? m.author : tr("%1 (you)").arg(m.author));
            item->setText(3, m.threadId);
            item->setText(4, m.text.simplified());
            item->setToolTip(4, m.text);
        }
    m_sent->clear();
    auto sent = messaging::Outbox(store).list(m_orderId, 500);
    if (!sent)
        problems.append(sent.error().userMessage);
    else
        for (const messaging::OutgoingMessage &m : std::as_const(*sent)) {
            auto *item = new QTreeWidgetItem(m_sent);
            item->setText(0, QLocale().toString(m.createdAt.toLocalTime(), QLocale::ShortFormat));
            item->setText(1, m.orderId ? QString::number(m.orderId) : QString());
            item->setText(2, m.channel == u"sms" ? tr("SMS") : tr("E-mail"));
            item->setText(3, m.recipient);
            item->setText(4, stateText(m.state, m.lastError));
            item->setText(5, m.subject.isEmpty() ? m.text.simplified() : m.subject);
            item->setToolTip(5, m.text);
        }
    for (QTreeWidget *list : {m_received, m_sent})
        for (int c = 0; c < list->columnCount() - 1; ++c)
            list->resizeColumnToContents(c);
    m_message->setText(problems.join(u'\n'));
    m_message->setStyleSheet(u"background:#fdecea;color:#8a1f11;padding:6px"_qs);
    m_message->setVisible(!problems.isEmpty());
}

QString MessagesDialog::stateText(const QString &state, const QString &lastError)
{
    return state == u"sent"       ? tr("sent")
           : state == u"failed"   ? tr("failed: %1").arg(lastError)
           : state == u"retrying" ? tr("will be tried again: %1").arg(lastError)
           : state == u"sending"  ? tr("being sent")
                                  : tr("queued");
}

int MessagesDialog::sentCount() const
{
    return m_sent->topLevelItemCount();
}

int MessagesDialog::receivedCount() const
{
    return m_received->topLevelItemCount();
}

} // namespace sd::ui
