#include "orderview.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString money(const domain::Money &m)
{
    return m.isNull() ? QString() : m.toDisplayString();
}

QString when(const QDateTime &time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat) : QString();
}

QString addressLines(const domain::Address &a)
{
    QStringList lines;
    for (const QString &line : {QString(a.firstName + u' ' + a.lastName).trimmed(), a.companyName, a.street,
                                QString(a.postCode + u' ' + a.city).trimmed(), a.countryCode, a.phone})
        if (!line.isEmpty())
            lines << esc(line);
    return lines.join(u"<br>");
}

QString paymentMethodName(const QString &method)
{
    if (method == u"CASH_ON_DELIVERY")
        return OrderView::tr("Cash on delivery");
    if (method == u"ONLINE")
        return OrderView::tr("Online payment");
    if (method == u"WIRE_TRANSFER")
        return OrderView::tr("Bank transfer");
    if (method == u"SPLIT_PAYMENT")
        return OrderView::tr("Split payment");
    if (method == u"EXTENDED_TERM")
        return OrderView::tr("Deferred payment");
    return method;
}

} // namespace

OrderView::OrderView(storage::OrderStore &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * 1.2);
    font.setBold(true);
    m_title->setFont(font);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tabs = new QTabWidget(this);
    m_details = new QTextBrowser(m_tabs);
    m_details->setOpenLinks(false);
    m_history = new QTableWidget(0, 4, m_tabs);
    m_history->setHorizontalHeaderLabels({tr("When"), tr("Who"), tr("What"), tr("Change")});
    m_history->verticalHeader()->hide();
    m_history->horizontalHeader()->setStretchLastSection(true);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->setWordWrap(false);
    m_tabs->addTab(m_details, tr("Details"));
    m_tabs->addTab(m_history, tr("History"));
    layout->addWidget(m_title);
    layout->addWidget(m_tabs);
    showOrder(0);
}

void OrderView::showOrder(qint64 orderId)
{
    m_orderId = orderId;
    refresh();
}

void OrderView::refresh()
{
    m_history->setRowCount(0);
    if (m_orderId == 0) {
        m_title->setText(tr("No order selected"));
        m_details->setHtml(u"<p>" + esc(tr("Choose an order in the list to see it here.")) + u"</p>");
        return;
    }
    auto order = m_store.load(m_orderId);
    if (!order) {
        m_title->setText(tr("Order %1").arg(m_orderId));
        m_details->setHtml(u"<p>" + esc(order.error().userMessage) + u"</p>");
        return;
    }
    m_title->setText(tr("Order %1 · %2").arg(order->id).arg(order->status));
    m_details->setHtml(detailsHtml(*order));

    auto history = m_store.history(m_orderId);
    if (!history)
        return;
    m_history->setRowCount(int(history->size()));
    for (int row = 0; row < history->size(); ++row) {
        const storage::HistoryEntry &entry = history->at(row);
        const QString change = entry.field == u"order" ? entry.newValue : entry.oldValue + u" → " + entry.newValue;
        const QStringList cells = {when(entry.at), entry.actor, entry.field, change};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setToolTip(cells.at(column));
            m_history->setItem(row, column, item);
        }
    }
    m_history->resizeColumnsToContents();
    m_history->scrollToBottom();
}

QString OrderView::detailsHtml(const domain::Order &o) const
{
    QString html;
    auto section = [&](const QString &title) { html += u"<h3>" + esc(title) + u"</h3>"; };
    auto row = [&](const QString &label, const QString &valueHtml) {
        if (!valueHtml.isEmpty())
            html += u"<tr><td style='color:#666;padding-right:12px'>" + esc(label) + u"</td><td>" + valueHtml +
                    u"</td></tr>";
    };

    html += u"<table>";
    row(tr("Channel"), esc(o.marketplace + (o.account.isEmpty() ? QString() : u" · " + o.account)));
    row(tr("Marketplace number"), esc(o.externalId));
    row(tr("Bought"), esc(when(o.createdAt)));
    html += u"</table>";

    section(tr("Buyer"));
    html += u"<table>";
    row(tr("Name"), esc(o.buyer.displayName()));
    row(tr("Login"), esc(o.buyer.login));
    row(tr("E-mail"), esc(o.buyer.email));
    row(tr("Phone"), esc(o.buyer.phone));
    row(tr("NIP"), esc(o.buyer.nip));
    html += u"</table>";

    section(tr("Delivery"));
    html += u"<table>";
    row(tr("Method"), esc(o.delivery.methodName));
    row(tr("Cost"), esc(money(o.delivery.cost)));
    row(tr("Address"), addressLines(o.delivery.address));
    if (!o.delivery.pickupPoint.isEmpty())
        row(tr("Pick-up point"), esc(o.delivery.pickupPoint.id + u" · " + o.delivery.pickupPoint.name) + u"<br>" +
                                     addressLines(o.delivery.pickupPoint.address));
    html += u"</table>";

    section(tr("Payment"));
    html += u"<table>";
    QString status;
    switch (o.payment.status) {
    case domain::PaymentStatus::Paid:
        status = tr("Paid");
        break;
    case domain::PaymentStatus::PartiallyPaid:
        status = tr("Partly paid");
        break;
    case domain::PaymentStatus::Overpaid:
        status = tr("Overpaid");
        break;
    case domain::PaymentStatus::Refunded:
        status = tr("Refunded");
        break;
    case domain::PaymentStatus::Unpaid:
        status = tr("Unpaid");
        break;
    }
    row(tr("Method"), esc(paymentMethodName(o.payment.method)));
    row(tr("Status"), esc(status));
    row(tr("Paid"), esc(money(o.payment.paidAmount)));
    row(tr("Paid at"), esc(when(o.payment.finishedAt)));
    html += u"</table>";

    if (o.invoice.wanted) {
        section(tr("Invoice"));
        html += u"<table>";
        row(tr("Company"), esc(o.invoice.companyName));
        row(tr("NIP"), esc(o.invoice.nip));
        row(tr("Address"), addressLines(o.invoice.address));
        html += u"</table>";
    }

    section(tr("Items"));
    html += u"<table cellspacing='0' cellpadding='3' width='100%'><tr style='color:#666'><td>" + esc(tr("Item")) +
            u"</td><td>" + esc(tr("SKU / EAN")) + u"</td><td align='right'>" + esc(tr("Qty")) +
            u"</td><td align='right'>" + esc(tr("Price")) + u"</td><td align='right'>" + esc(tr("Value")) +
            u"</td></tr>";
    for (const domain::LineItem &item : o.items) {
        html += u"<tr><td>" + esc(item.name) + u"</td><td>" +
                esc(QStringList({item.sku, item.ean}).join(u' ').trimmed()) + u"</td><td align='right'>" +
                QString::number(item.quantity) + u"</td><td align='right'>" + esc(money(item.unitPrice)) +
                u"</td><td align='right'>" + esc(money(item.total())) + u"</td></tr>";
    }
    for (const domain::Adjustment &adjustment : o.adjustments)
        html += u"<tr><td colspan='4'>" + esc(adjustment.description) + u"</td><td align='right'>" +
                esc(money(adjustment.amount)) + u"</td></tr>";
    if (!o.delivery.cost.isNull())
        html += u"<tr><td colspan='4'>" + esc(tr("Delivery")) + u"</td><td align='right'>" +
                esc(money(o.delivery.cost)) + u"</td></tr>";
    html += u"<tr><td colspan='4'><b>" + esc(tr("Total")) + u"</b></td><td align='right'><b>" + esc(money(o.total)) +
            u"</b></td></tr></table>";

    if (!o.buyerComment.isEmpty() || !o.notes.isEmpty() || !o.tags.isEmpty() || !o.referrers.isEmpty()) {
        section(tr("Notes"));
        html += u"<table>";
        row(tr("Buyer's comment"), esc(o.buyerComment));
        row(tr("Notes"), esc(o.notes));
        row(tr("Tags"), esc(o.tags.join(u", ")));
        row(tr("Referrers"), esc(o.referrers.join(u", ")));
        html += u"</table>";
    }
    return html;
}

} // namespace sd::ui
