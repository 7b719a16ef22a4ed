#include "orderview.h"

#include "profitsection.h"
#include "returnspage.h"

#include "inventory/inventorystore.h"
#include "inventory/reservations.h"
#include "marketplace/accountstore.h"
#include "messagesdialog.h"
#include "messaging/messagecenter.h"
#include "messaging/outbox.h"
#include "orderautomation.h"
#include "orderdevicestab.h"

#include <QDesktopServices>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

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
    if (method == u"CASH")
        return OrderView::tr("Cash");
    if (method == u"COMPANY_PURCHASE")
        return OrderView::tr("Company purchase");
    return method;
}

QString marketplaceName(const QString &marketplace)
{
    if (marketplace == u"manual")
        return OrderView::tr("Manual order");
    if (marketplace.startsWith(u"allegro-"))
        return u"Allegro." + marketplace.mid(8);
    return marketplace;
}

// Where the buyer saw what they bought: the offer's page on the marketplace, when we know its address.
QString offerUrl(const QString &marketplace, const QString &offerId)
{
    if (offerId.isEmpty())
        return {};
    if (marketplace == u"allegro-pl")
        return u"https://allegro.pl/oferta/" + offerId;
    if (marketplace == u"allegro-cz")
        return u"https://allegro.cz/nabidka/" + offerId;
    return {};
}

QString addressPart(const QString &part)
{
    static const QHash<QString, const char *> parts = {
        {u"firstName"_qs, QT_TRANSLATE_NOOP("sd::ui::OrderView", "first name")},
        {u"lastName"_qs, QT_TRANSLATE_NOOP("sd::ui::OrderView", "last name")},
        {u"companyName"_qs, QT_TRANSLATE_NOOP("sd::ui::OrderView", "company")},
        {u"street"_qs, QT_TRANSLATE_NOOP("sd::ui::OrderView", "street")},
        {u"city"_qs, QT_TRANSLATE_NOOP("sd::ui::OrderView", "city")},
        {u"postCode"_qs, QT_TRANSLATE_NOOP("sd::ui::OrderView", "post code")},
        {u"countryCode"_qs, QT_TRANSLATE_NOOP("sd::ui::OrderView", "country")},
        {u"phone"_qs, QT_TRANSLATE_NOOP("sd::ui::OrderView", "phone")},
    };
    const char *label = parts.value(part);
    return label ? OrderView::tr(label) : QString();
}

} // namespace

void OrderView::showSection(const QString &anchor)
{
    m_tabs->setCurrentWidget(m_details);
    // After the details are laid out (a window just shown has not done that yet).
    QTimer::singleShot(0, m_details, [details = m_details, anchor] { details->scrollToAnchor(anchor); });
}

QString OrderView::fieldLabel(const QString &path)
{
    static const QHash<QString, const char *> fields = {
        {u"order"_qs, QT_TR_NOOP("Order")},
        {u"marketplace"_qs, QT_TR_NOOP("Marketplace")},
        {u"account"_qs, QT_TR_NOOP("Account")},
        {u"externalId"_qs, QT_TR_NOOP("Marketplace number")},
        {u"revision"_qs, QT_TR_NOOP("Marketplace revision")},
        {u"marketplaceStatus"_qs, QT_TR_NOOP("Marketplace state")},
        {u"fulfillmentStatus"_qs, QT_TR_NOOP("Fulfilment state on the marketplace")},
        {u"status"_qs, QT_TR_NOOP("Status")},
        {u"buyer.externalId"_qs, QT_TR_NOOP("Buyer's marketplace id")},
        {u"buyer.login"_qs, QT_TR_NOOP("Buyer's login")},
        {u"buyer.email"_qs, QT_TR_NOOP("Buyer's e-mail")},
        {u"buyer.firstName"_qs, QT_TR_NOOP("Buyer's first name")},
        {u"buyer.lastName"_qs, QT_TR_NOOP("Buyer's last name")},
        {u"buyer.companyName"_qs, QT_TR_NOOP("Buyer's company")},
        {u"buyer.nip"_qs, QT_TR_NOOP("Buyer's NIP")},
        {u"buyer.phone"_qs, QT_TR_NOOP("Buyer's phone")},
        {u"buyer.guest"_qs, QT_TR_NOOP("Bought as a guest")},
        {u"buyer.language"_qs, QT_TR_NOOP("Buyer's language")},
        {u"delivery.methodId"_qs, QT_TR_NOOP("Delivery method id")},
        {u"delivery.methodName"_qs, QT_TR_NOOP("Delivery method")},
        {u"delivery.pickupPoint.id"_qs, QT_TR_NOOP("Pick-up point")},
        {u"delivery.pickupPoint.name"_qs, QT_TR_NOOP("Pick-up point name")},
        {u"delivery.pickupPoint.description"_qs, QT_TR_NOOP("Pick-up point description")},
        {u"delivery.cost"_qs, QT_TR_NOOP("Delivery cost")},
        {u"payment.method"_qs, QT_TR_NOOP("Payment method")},
        {u"payment.provider"_qs, QT_TR_NOOP("Payment provider")},
        {u"payment.externalId"_qs, QT_TR_NOOP("Payment id")},
        {u"payment.status"_qs, QT_TR_NOOP("Payment status")},
        {u"payment.paidAmount"_qs, QT_TR_NOOP("Amount paid")},
        {u"payment.finishedAt"_qs, QT_TR_NOOP("Paid at")},
        {u"invoice.wanted"_qs, QT_TR_NOOP("Invoice wanted")},
        {u"invoice.companyName"_qs, QT_TR_NOOP("Invoice company")},
        {u"invoice.nip"_qs, QT_TR_NOOP("Invoice NIP")},
        {u"invoice.vatPayerStatus"_qs, QT_TR_NOOP("VAT payer status")},
        {u"items.count"_qs, QT_TR_NOOP("Number of items")},
        {u"adjustments.count"_qs, QT_TR_NOOP("Number of surcharges and discounts")},
        {u"total"_qs, QT_TR_NOOP("Total")},
        {u"buyerComment"_qs, QT_TR_NOOP("Buyer's message")},
        {u"notes"_qs, QT_TR_NOOP("Notes")},
        {u"referrers"_qs, QT_TR_NOOP("Referrers")},
        {u"tags"_qs, QT_TR_NOOP("Tags")},
        {u"createdAt"_qs, QT_TR_NOOP("Bought at")},
        {u"marketplaceUpdatedAt"_qs, QT_TR_NOOP("Updated on the marketplace")},
    };
    if (const char *label = fields.value(path))
        return tr(label);
    if (path.startsWith(u"return "))
        return tr("Return %1").arg(path.mid(7));
    static const QList<std::pair<QString, const char *>> addresses = {
        {u"delivery.pickupPoint.address."_qs, QT_TR_NOOP("Pick-up point address: %1")},
        {u"delivery.address."_qs, QT_TR_NOOP("Delivery address: %1")},
        {u"invoice.address."_qs, QT_TR_NOOP("Invoice address: %1")},
    };
    for (const auto &[prefix, label] : addresses) {
        if (path.startsWith(prefix)) {
            const QString part = addressPart(path.mid(prefix.size()));
            return part.isEmpty() ? path : tr(label).arg(part);
        }
    }
    static const QRegularExpression listed(u"^(items|adjustments)\\[(\\d+)\\]\\.(\\w+)$"_qs);
    const QRegularExpressionMatch match = listed.match(path);
    if (!match.hasMatch())
        return path;
    static const QHash<QString, const char *> itemParts = {
        {u"externalId"_qs, QT_TR_NOOP("marketplace id")},
        {u"offerId"_qs, QT_TR_NOOP("offer")},
        {u"name"_qs, QT_TR_NOOP("name")},
        {u"sku"_qs, QT_TR_NOOP("SKU")},
        {u"ean"_qs, QT_TR_NOOP("EAN")},
        {u"quantity"_qs, QT_TR_NOOP("quantity")},
        {u"unitPrice"_qs, QT_TR_NOOP("price")},
        {u"originalPrice"_qs, QT_TR_NOOP("price before discount")},
        {u"vatRate"_qs, QT_TR_NOOP("VAT rate")},
        {u"kind"_qs, QT_TR_NOOP("kind")},
        {u"description"_qs, QT_TR_NOOP("description")},
        {u"amount"_qs, QT_TR_NOOP("amount")},
    };
    const char *part = itemParts.value(match.captured(3));
    if (!part)
        return path;
    const int number = match.captured(2).toInt() + 1;
    return match.captured(1) == u"items" ? tr("Item %1: %2").arg(number).arg(tr(part))
                                         : tr("Surcharge or discount %1: %2").arg(number).arg(tr(part));
}

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
    connect(m_details, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (ProfitSection::handle(m_store.sharedDatabase(), url, this) ||
            ReturnsPage::handleLink(m_store.sharedDatabase(), {}, url, this))
            refresh();
        else
            QDesktopServices::openUrl(url);
    });
    m_history = new QTableWidget(0, 4, m_tabs);
    m_history->setHorizontalHeaderLabels({tr("When"), tr("Who"), tr("What"), tr("Change")});
    m_history->verticalHeader()->hide();
    m_history->horizontalHeader()->setStretchLastSection(true);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->setWordWrap(false);
    m_tabs->addTab(m_details, tr("Details"));
    m_tabs->addTab(m_history, tr("History"));
    m_automation = new OrderAutomationTab(store.sharedDatabase(), this);
    m_tabs->addTab(m_automation, tr("Automation"));
    m_devices = new OrderDevicesTab(store, this);
    m_tabs->addTab(m_devices, tr("Receipt and label"));
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
    m_automation->showOrder(m_orderId);
    m_devices->showOrder(m_orderId);
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
    // The changes, and every message to or from the buyer with its content (issue 11), in time order.
    struct Row
    {
        QDateTime at;
        QStringList cells;
        QString whatTip;    // the technical path or the message's key, for support
        QString contentTip; // the whole message
    };
    QList<Row> rows;
    for (const storage::HistoryEntry &entry : std::as_const(*history)) {
        const QString change = entry.field == u"order" ? entry.newValue : entry.oldValue + u" → " + entry.newValue;
        rows.append({entry.at, {when(entry.at), entry.actor, fieldLabel(entry.field), change}, entry.field, change});
    }
    if (auto sent = messaging::Outbox(m_store).list(m_orderId, 500))
        for (const messaging::OutgoingMessage &m : std::as_const(*sent)) {
            const QString what = m.channel == u"sms" ? tr("SMS to %1 (%2)") : tr("E-mail to %1 (%2)");
            const QString content = m.subject.isEmpty() ? m.text : m.subject + u"\n\n" + m.text;
            const QDateTime at = m.sentAt.isValid() ? m.sentAt : m.createdAt;
            rows.append({at,
                         {when(at), tr("messaging"),
                          what.arg(m.recipient, MessagesDialog::stateText(m.state, m.lastError)), content.simplified()},
                         m.key,
                         content});
        }
    if (auto received = messaging::MessageCenter(m_store).forOrder(m_orderId))
        for (const messaging::ThreadMessage &m : std::as_const(*received))
            rows.append(
                {m.at,
                 {when(m.at), m.author,
                  m.fromBuyer ? (m.type == u"discussion" ? tr("Buyer in a discussion") : tr("Message from the buyer"))
                              : tr("Your reply on the marketplace"),
                  m.text.simplified()},
                 m.type + u':' + m.threadId,
                 m.text});
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.at < b.at; });
    m_history->setRowCount(int(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        const Row &r = rows.at(row);
        for (int column = 0; column < r.cells.size(); ++column) {
            auto *item = new QTableWidgetItem(r.cells.at(column));
            item->setToolTip(column == 2 ? r.whatTip : column == 3 ? r.contentTip : r.cells.at(column));
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

    // Orders keep the account's stable key; people know the account by its name.
    const QString account =
        marketplace::AccountStore(m_store.sharedDatabase()).namesByOrderKey().value_or({}).value(o.account, o.account);
    html += u"<table>";
    row(tr("Channel"), esc(marketplaceName(o.marketplace) + (account.isEmpty() ? QString() : u" · " + account)));
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

    html += u"<a name='items'></a>";
    section(tr("Items"));
    // The stock of each line's product, read once for the whole order; the column shows only when a line is a
    // product. Hovering a figure lists the warehouses.
    inventory::InventoryStore stockStore(m_store);
    const QList<inventory::LineStock> stock =
        inventory::lineStock(stockStore, o).value_or(QList<inventory::LineStock>());
    const bool showStock =
        std::any_of(stock.cbegin(), stock.cend(), [](const inventory::LineStock &line) { return line.productId != 0; });
    const QString span = showStock ? u"5"_qs : u"4"_qs;
    html += u"<table cellspacing='0' cellpadding='3' width='100%'><tr style='color:#666'><td>" + esc(tr("Item")) +
            u"</td><td>" + esc(tr("SKU / EAN")) + u"</td><td align='right'>" + esc(tr("Qty")) + u"</td>";
    if (showStock)
        html += u"<td align='right' title='" + esc(tr("on hand / reserved / available")) + u"'>" + esc(tr("Stock")) +
                u"</td>";
    html += u"<td align='right'>" + esc(tr("Price")) + u"</td><td align='right'>" + esc(tr("Value")) + u"</td></tr>";
    for (qsizetype i = 0; i < o.items.size(); ++i) {
        const domain::LineItem &item = o.items.at(i);
        html += u"<tr><td>" + esc(item.name) + u"</td><td>" +
                esc(QStringList({item.sku, item.ean}).join(u' ').trimmed()) + u"</td><td align='right'>" +
                QString::number(item.quantity) + u"</td>";
        if (showStock) {
            const inventory::LineStock line = stock.value(i);
            if (line.productId) {
                QStringList where{tr("On hand %1, reserved %2, available %3")
                                      .arg(line.total)
                                      .arg(line.reserved)
                                      .arg(line.available())};
                for (const auto &w : line.warehouses)
                    where.append(u"%1: %2"_qs.arg(w.warehouse).arg(w.quantity));
                const QString colour = line.available() < 0 ? u"#b3261e"_qs : QString();
                html += u"<td align='right' title='" + esc(where.join(u'\n')) + u"'" +
                        (colour.isEmpty() ? QString() : u" style='color:" + colour + u"'") + u">" +
                        u"%1 / %2 / %3"_qs.arg(line.total).arg(line.reserved).arg(line.available()) + u"</td>";
            } else {
                html += u"<td align='right' style='color:#666'>–</td>";
            }
        }
        html += u"<td align='right'>" + esc(money(item.unitPrice)) + u"</td><td align='right'>" +
                esc(money(item.total())) + u"</td></tr>";
    }
    for (const domain::Adjustment &adjustment : o.adjustments)
        html += u"<tr><td colspan='" + span + u"'>" + esc(adjustment.description) + u"</td><td align='right'>" +
                esc(money(adjustment.amount)) + u"</td></tr>";
    if (!o.delivery.cost.isNull())
        html += u"<tr><td colspan='" + span + u"'>" + esc(tr("Delivery")) + u"</td><td align='right'>" +
                esc(money(o.delivery.cost)) + u"</td></tr>";
    html += u"<tr><td colspan='" + span + u"'><b>" + esc(tr("Total")) + u"</b></td><td align='right'><b>" +
            esc(money(o.total)) + u"</b></td></tr></table>";
    html += ProfitSection::html(m_store.sharedDatabase(), o);
    html += ReturnsPage::orderSectionHtml(m_store.sharedDatabase(), o);

    if (!o.buyerComment.isEmpty() || !o.notes.isEmpty() || !o.tags.isEmpty()) {
        section(tr("Notes"));
        html += u"<table>";
        row(tr("Buyer's comment"), esc(o.buyerComment));
        row(tr("Notes"), esc(o.notes));
        row(tr("Tags"), esc(o.tags.join(u", ")));
        html += u"</table>";
    }

    // What the order itself says about where the buyer came from: the marketplace and account it was bought on,
    // the offers the buyer saw, and the referrers the seller noted.
    section(tr("Source and referrers"));
    html += u"<table>";
    row(tr("Marketplace"), esc(marketplaceName(o.marketplace)));
    row(tr("Account"), esc(account));
    QStringList offers;
    for (const domain::LineItem &item : o.items) {
        const QString url = offerUrl(o.marketplace, item.offerId);
        if (!url.isEmpty())
            offers << u"<a href='" + esc(url) + u"'>" + esc(item.offerId) + u"</a>";
        else if (!item.offerId.isEmpty())
            offers << esc(item.offerId);
    }
    offers.removeDuplicates();
    row(tr("Offers"), offers.join(u", "));
    row(tr("Referrers"), o.referrers.isEmpty() ? esc(tr("none noted")) : esc(o.referrers.join(u", ")));
    html += u"</table>";

    // Filled by the documents and shipping features; until then the sections say plainly that nothing exists.
    section(tr("Documents"));
    html += u"<p style='color:#666'>" + esc(tr("No documents yet (invoices, receipts and corrections appear here).")) +
            u"</p>";
    section(tr("Shipments"));
    if (o.shipments.isEmpty()) {
        html += u"<p style='color:#666'>" +
                esc(tr("No shipments yet (parcels, labels and tracking numbers appear here).")) + u"</p>";
    } else {
        html += u"<table><tr><th align='left'>" + esc(tr("Carrier")) + u"</th><th align='left'>" +
                esc(tr("Tracking number")) + u"</th><th align='left'>" + esc(tr("Tracking status")) + u"</th></tr>";
        for (const domain::Shipment &shipment : o.shipments)
            html += u"<tr><td style='padding-right:12px'>" + esc(shipment.carrierId) +
                    u"</td><td style='padding-right:12px'>" + esc(shipment.waybill) + u"</td><td>" +
                    esc(shipment.status.isEmpty() ? tr("not reported yet") : shipment.status) + u"</td></tr>";
        html += u"</table>";
    }
    return html;
}

} // namespace sd::ui
