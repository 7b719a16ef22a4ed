#include "returns/returnservice.h"

#include "access/session.h"
#include "documents/documentservice.h"
#include "inventory/inventorystore.h"
#include "inventory/reservations.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/selleractions.h"
#include "messaging/outbox.h"
#include "storage/actionledger.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QMimeDatabase>

namespace sd::returns {

namespace {

QString itemsText(const ReturnCase &rma)
{
    QStringList lines;
    for (const ReturnItem &item : rma.items)
        lines.append(u"%1 x %2"_qs.arg(item.quantity).arg(item.name.isEmpty() ? item.sku : item.name));
    return lines.join(u'\n');
}

QString templateFor(ReturnState state)
{
    QString key = stateKey(state);
    key[0] = key.at(0).toUpper();
    return u"return"_qs + key;
}

} // namespace

ReturnService::ReturnService(storage::OrderStore &orders,
                             std::shared_ptr<const automation::MarketplaceAccess> marketplace)
    : m_orders(orders)
    , m_db(orders.sharedDatabase())
    , m_store(m_db)
    , m_marketplace(std::move(marketplace))
{}

Result<QDate> ReturnService::termEnd(const domain::Order &order)
{
    auto settings = ReturnSettings::load(*m_db);
    if (!settings)
        return settings.error();
    const QDateTime from = settings->termFromShipment && order.shippedAt.isValid() ? order.shippedAt : order.createdAt;
    return from.toLocalTime().date().addDays(settings->termDays);
}

Result<QList<ReturnItem>> ReturnService::chooseItems(const domain::Order &order,
                                                     const QList<ReturnRequest::Line> &lines)
{
    if (lines.isEmpty())
        return makeError(Error::Code::Invalid, tr("Name at least one item to return (SKU and quantity)."));
    auto before = m_store.returnedUnits(order.id);
    if (!before)
        return before.error();
    QHash<int, int> wanted;
    for (const ReturnRequest::Line &line : lines) {
        const QString what = line.item.trimmed();
        if (line.quantity < 1)
            return makeError(Error::Code::Invalid,
                             tr("The quantity of %1 must be at least 1, not %2.").arg(what).arg(line.quantity));
        int found = -1;
        if (what.startsWith(u'#')) {
            bool ok = false;
            const int n = what.mid(1).toInt(&ok);
            if (ok && n >= 1 && n <= order.items.size())
                found = n - 1;
        } else {
            // The first line with this SKU (or EAN, or name) that still has units to give back, else the first
            // line with it (the quantity check below then says how many are left).
            for (int i = 0; i < order.items.size(); ++i) {
                const domain::LineItem &item = order.items.at(i);
                const bool match = (!item.sku.isEmpty() && item.sku.compare(what, Qt::CaseInsensitive) == 0) ||
                                   (!item.ean.isEmpty() && item.ean == what) ||
                                   item.name.compare(what, Qt::CaseInsensitive) == 0;
                if (!match)
                    continue;
                if (found < 0)
                    found = i;
                if (item.quantity - before->value(i) - wanted.value(i) > 0) {
                    found = i;
                    break;
                }
            }
        }
        if (found < 0)
            return makeError(Error::Code::NotFound, tr("Order %1 has no item %2.").arg(order.id).arg(what));
        wanted[found] += line.quantity;
    }
    QList<ReturnItem> items;
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        const domain::LineItem &item = order.items.at(it.key());
        const int left = item.quantity - before->value(it.key());
        if (it.value() > left) {
            const QString name = item.sku.isEmpty() ? item.name : item.sku;
            if (before->value(it.key()) > 0)
                return makeError(Error::Code::Invalid,
                                 tr("Only %1 of %2 can be returned: %3 were bought and %4 are in other returns.")
                                     .arg(left)
                                     .arg(name)
                                     .arg(item.quantity)
                                     .arg(before->value(it.key())));
            return makeError(
                Error::Code::Invalid,
                tr("Only %1 of %2 were bought; %3 cannot be returned.").arg(item.quantity).arg(name).arg(it.value()));
        }
        items.append({int(it.key()), item.sku, item.name, it.value(), item.unitPrice});
    }
    std::sort(items.begin(), items.end(), [](const ReturnItem &a, const ReturnItem &b) { return a.line < b.line; });
    return items;
}

Result<ReturnCase> ReturnService::registerReturn(const ReturnRequest &request, const storage::ChangeContext &ctx)
{
    if (auto r = access::require(access::Permission::ChangeStatus, ctx.actor); !r)
        return r.error();
    auto order = m_orders.load(request.orderId);
    if (!order)
        return order.error();
    if (request.reason.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, tr("Say why the items come back (a reason is required)."));
    auto items = chooseItems(*order, request.items);
    if (!items)
        return items.error();
    const bool imported = !request.externalId.isEmpty();
    auto settings = ReturnSettings::load(*m_db);
    if (!settings)
        return settings.error();
    if (!imported) {
        auto end = termEnd(*order);
        if (!end)
            return end.error();
        const QDate today = request.today.isValid() ? request.today : QDate::currentDate();
        if (today > *end && request.lateOverride.trimmed().isEmpty())
            return makeError(Error::Code::Invalid,
                             tr("The return term of order %1 (%2 days) ended on %3. A late return needs the reason "
                                "it is accepted anyway.")
                                 .arg(order->id)
                                 .arg(settings->termDays)
                                 .arg(end->toString(Qt::ISODate)));
    }
    // The files are read before anything is written: a bad one refuses the whole return.
    QList<QPair<QFileInfo, QByteArray>> files;
    for (const QString &path : request.attachments) {
        auto data = readAttachment(path);
        if (!data)
            return data.error();
        files.append({QFileInfo(path), *data});
    }
    ReturnCase rma;
    rma.orderId = order->id;
    rma.reason = request.reason.trimmed();
    rma.source = request.source;
    rma.account = request.account;
    rma.externalId = request.externalId;
    rma.lateOverride = request.lateOverride.trimmed();
    rma.createdBy = ctx.actor;
    rma.items = *items;

    storage::Transaction tx(*m_db, "register return");
    if (!tx.started())
        return tx.started().error();
    if (auto r = m_store.insert(rma); !r)
        return r.error();
    for (const auto &[info, data] : std::as_const(files)) {
        auto a = m_store.addAttachment(rma.id, info.fileName(), QMimeDatabase().mimeTypeForFile(info).name(), data,
                                       ctx.actor);
        if (!a)
            return a.error();
        rma.attachments.append(*a);
    }
    QJsonArray itemJson;
    for (const ReturnItem &item : std::as_const(rma.items))
        itemJson.append(item.toJson());
    const QJsonObject payload{{u"return"_qs, rma.id},          {u"number"_qs, rma.number},
                              {u"to"_qs, stateKey(rma.state)}, {u"source"_qs, rma.source},
                              {u"items"_qs, itemJson},         {u"late"_qs, !rma.lateOverride.isEmpty()}};
    const storage::ChangeContext why{ctx.actor, ctx.reason.isEmpty() ? rma.reason : ctx.reason, ctx.causeDepth};
    return recordStep(tx, rma, *order, ReturnEvent::kRegistered, payload, why, QString(), settings->informBuyer);
}

Result<QByteArray> ReturnService::readAttachment(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, tr("Cannot read the attachment %1: %2").arg(path, file.errorString()));
    if (file.size() > kMaxAttachmentBytes)
        return makeError(
            Error::Code::Invalid,
            tr("The attachment %1 is larger than %2 MB.").arg(path).arg(kMaxAttachmentBytes / 1024 / 1024));
    return file.readAll();
}

Result<ReturnAttachment> ReturnService::attach(qint64 returnId, const QString &path, const storage::ChangeContext &ctx)
{
    if (auto r = access::require(access::Permission::ChangeStatus, ctx.actor); !r)
        return r.error();
    auto rma = m_store.load(returnId);
    if (!rma)
        return rma.error();
    auto data = readAttachment(path);
    if (!data)
        return data.error();
    const QFileInfo info(path);
    return m_store.addAttachment(rma->id, info.fileName(), QMimeDatabase().mimeTypeForFile(info).name(), *data,
                                 ctx.actor);
}

Result<ReturnCase> ReturnService::advance(const AdvanceRequest &request, const storage::ChangeContext &ctx)
{
    if (auto r = access::require(access::Permission::ChangeStatus, ctx.actor); !r)
        return r.error();
    auto loaded = m_store.load(request.returnId);
    if (!loaded)
        return loaded.error();
    ReturnCase rma = *loaded;
    const ReturnState from = rma.state;
    if (from == request.to)
        return makeError(Error::Code::Conflict, tr("Return %1 is %2 already.").arg(rma.number, stateLabel(from)));
    if (!nextStates(from).contains(request.to)) {
        QStringList allowed;
        for (ReturnState s : nextStates(from))
            allowed.append(stateLabel(s));
        if (allowed.isEmpty())
            return makeError(Error::Code::Conflict, tr("Return %1 is %2: it is closed and cannot become %3.")
                                                        .arg(rma.number, stateLabel(from), stateLabel(request.to)));
        return makeError(Error::Code::Conflict,
                         tr("Return %1 is %2: it can become %3, not %4.")
                             .arg(rma.number, stateLabel(from), allowed.join(u", "_qs), stateLabel(request.to)));
    }
    if ((request.refund || request.correction) && request.to != ReturnState::Refunded)
        return makeError(
            Error::Code::Invalid,
            tr("A refund and a correction invoice belong to the step \"%1\".").arg(stateLabel(ReturnState::Refunded)));
    if (request.to == ReturnState::Refunded)
        if (auto r = access::require(access::Permission::Refund, ctx.actor); !r)
            return r.error();
    if (request.correction)
        if (auto r = access::require(access::Permission::IssueCorrections, ctx.actor); !r)
            return r.error();
    if (!request.warehouse.isEmpty() && request.to != ReturnState::Received)
        return makeError(Error::Code::Invalid, tr("A warehouse is chosen when the items are received."));
    auto order = m_orders.load(rma.orderId);
    if (!order)
        return order.error();
    auto settings = ReturnSettings::load(*m_db);
    if (!settings)
        return settings.error();

    // The external effects first, each under its own key: a failure leaves the case where it was, and the next
    // attempt finds what was done already.
    if (request.to == ReturnState::Refunded) {
        if (request.refund) {
            auto refunded = refund(rma, ctx);
            if (!refunded)
                return refunded.error();
            rma.refund = *refunded;
        } else {
            rma.refund = u"manual"_qs;
        }
        if (request.correction) {
            auto corrected = correct(rma, *order, ctx);
            if (!corrected)
                return corrected.error();
            rma.correction = *corrected;
        }
    }

    storage::Transaction tx(*m_db, "advance return");
    if (!tx.started())
        return tx.started().error();
    // Read again inside the transaction: another workstation may have moved the case meanwhile.
    auto current = m_store.load(rma.id);
    if (!current)
        return current.error();
    if (current->state != from)
        return makeError(
            Error::Code::Conflict,
            tr("Return %1 was changed meanwhile (it is %2 now).").arg(rma.number, stateLabel(current->state)));
    if (request.to == ReturnState::Received) {
        const QString warehouse = request.warehouse.isEmpty() ? settings->warehouse : request.warehouse;
        auto document = receiveStock(rma, *order, warehouse, ctx.actor);
        if (!document)
            return document.error();
        rma.stockDocument = *document;
    }
    rma.state = request.to;
    if (auto r = m_store.update(rma); !r)
        return r.error();
    const QJsonObject payload{{u"return"_qs, rma.id},           {u"number"_qs, rma.number},
                              {u"from"_qs, stateKey(from)},     {u"to"_qs, stateKey(rma.state)},
                              {u"warehouse"_qs, rma.warehouse}, {u"stockDocument"_qs, rma.stockDocument},
                              {u"refund"_qs, rma.refund},       {u"correction"_qs, rma.correction}};
    return recordStep(tx, rma, *order, ReturnEvent::kChanged, payload, ctx, stateKey(from), settings->informBuyer);
}

Result<ReturnCase> ReturnService::recordStep(storage::Transaction &tx, const ReturnCase &rma,
                                             const domain::Order &order, const char *event, const QJsonObject &payload,
                                             const storage::ChangeContext &ctx, const QString &from, bool inform)
{
    if (auto r = m_orders.recordEvent(event, rma.orderId, payload, ctx, u"return "_qs + rma.number, from,
                                      stateKey(rma.state));
        !r)
        return r.error();
    if (inform)
        if (auto r = informBuyer(rma, order); !r)
            return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return m_store.load(rma.id);
}

Result<QString> ReturnService::receiveStock(ReturnCase &rma, const domain::Order &order, const QString &code,
                                            const QString &actor)
{
    inventory::InventoryStore inventory(m_orders);
    auto products = inventory::matchItems(inventory, order);
    if (!products)
        return products.error();
    QHash<qint64, int> back;
    for (const ReturnItem &item : std::as_const(rma.items))
        if (item.line < products->size() && products->at(item.line))
            back[products->at(item.line)] += item.quantity;
    // A shop without stock keeping receives returns without a warehouse; a warehouse the operator named must exist.
    if (back.isEmpty() && code.isEmpty())
        return QString();
    auto warehouse = inventory.warehouse(code);
    if (!warehouse)
        return warehouse.error();
    rma.warehouse = warehouse->code;
    if (back.isEmpty())
        return QString(); // nothing of it is a product kept in stock
    inventory::DocumentRequest receipt;
    receipt.kind = inventory::DocumentKind::Receipt;
    receipt.author = actor;
    receipt.orderId = order.id;
    receipt.sourceKey = u"return:%1/receipt"_qs.arg(rma.id);
    receipt.note = tr("Return %1 of order %2")
                       .arg(rma.number, order.externalId.isEmpty() ? QString::number(order.id) : order.externalId);
    for (auto it = back.cbegin(); it != back.cend(); ++it)
        receipt.lines.append({it.key(), warehouse->id, 0, it.value()});
    auto document = inventory.post(receipt);
    if (!document)
        return document.error();
    return document->number;
}

Result<QString> ReturnService::refund(const ReturnCase &rma, const storage::ChangeContext &ctx)
{
    if (auto r = access::require(access::Permission::Refund, ctx.actor); !r)
        return r.error();
    auto order = m_orders.load(rma.orderId);
    if (!order)
        return order.error();
    if (!order->marketplace.startsWith(u"allegro") || order->externalId.isEmpty())
        return makeError(Error::Code::Invalid,
                         tr("Order %1 does not come from Allegro: refund the buyer yourself and mark the return "
                            "refunded without the marketplace refund.")
                             .arg(order->id));
    bool numeric = false;
    const qint64 accountId = order->account.toLongLong(&numeric);
    if (!numeric)
        return makeError(Error::Code::Invalid, tr("The marketplace account of order %1 is not known.").arg(order->id));
    if (!m_marketplace || !m_marketplace->secrets)
        return makeError(Error::Code::Invalid,
                         tr("The secret store with the marketplace tokens is not open; nothing was refunded."));
    auto account = marketplace::AccountStore(m_db).get(accountId);
    if (!account)
        return account.error();
    // The returned lines alone; the delivery too once every unit of the order has come back.
    QJsonArray lines;
    for (const ReturnItem &item : rma.items) {
        const QString lineId = order->items.value(item.line).externalId;
        if (!lineId.isEmpty())
            lines.append(
                QJsonObject{{u"id"_qs, lineId}, {u"type"_qs, u"QUANTITY"_qs}, {u"quantity"_qs, item.quantity}});
    }
    if (lines.isEmpty())
        return makeError(Error::Code::Invalid, tr("None of the returned items is an Allegro line item."));
    QJsonObject body{{u"reason"_qs, u"REFUND"_qs}, {u"lineItems"_qs, lines}};
    auto before = m_store.returnedUnits(order->id, rma.id);
    if (!before)
        return before.error();
    bool everything = true;
    for (int i = 0; i < order->items.size(); ++i) {
        int back = before->value(i);
        for (const ReturnItem &item : rma.items)
            if (item.line == i)
                back += item.quantity;
        everything = everything && back >= order->items.at(i).quantity;
    }
    if (everything && !order->delivery.cost.isNull() && order->delivery.cost.minor() > 0)
        body.insert(u"delivery"_qs,
                    QJsonObject{{u"value"_qs, QJsonObject{{u"amount"_qs, order->delivery.cost.toDecimalString()},
                                                          {u"currency"_qs, order->delivery.cost.currency()}}}});
    marketplace::allegro::AllegroClient client(*account, m_db, m_marketplace->secrets, m_marketplace->options);
    storage::ActionLedger ledger(m_db);
    marketplace::allegro::AllegroRecords records(m_db);
    marketplace::allegro::SellerActions actions(client, m_orders, ledger, records, u"returns"_qs);
    auto done = actions.refundPayment(u"return:%1/refund"_qs.arg(rma.id), order->id, body);
    if (!done)
        return done.error();
    return done->result.value(u"refundId").toString();
}

Result<QString> ReturnService::correct(const ReturnCase &rma, const domain::Order &order,
                                       const storage::ChangeContext &ctx)
{
    documents::DocumentService service(m_orders);
    documents::DocumentFilter filter;
    filter.orderId = order.id;
    auto docs = service.store().list(filter);
    if (!docs)
        return docs.error();
    qint64 invoiceId = 0;
    for (const documents::DocumentSummary &d : std::as_const(*docs))
        if (documents::isSale(d.type) && d.state != documents::DocumentState::Draft &&
            d.state != documents::DocumentState::Cancelled && (!invoiceId || d.id < invoiceId))
            invoiceId = d.id;
    if (!invoiceId)
        return makeError(Error::Code::NotFound, tr("Order %1 has no invoice to correct.").arg(order.id));
    auto invoice = service.store().load(invoiceId);
    if (!invoice)
        return invoice.error();
    // The lines as they stand now: the newest correction's, else the invoice's.
    QList<documents::DocumentLine> lines = invoice->lines;
    qint64 newest = 0;
    for (const documents::DocumentSummary &d : std::as_const(*docs)) {
        if (d.type != documents::DocumentType::Correction || d.state == documents::DocumentState::Cancelled ||
            d.id < newest)
            continue;
        auto correction = service.store().load(d.id);
        if (!correction)
            return correction.error();
        if (correction->correctsId == invoice->id) {
            newest = d.id;
            lines = correction->lines;
        }
    }
    // The k-th item line of the invoice is the order's k-th item (documentbuilder writes them in order).
    QList<int> itemLines;
    for (int i = 0; i < lines.size(); ++i)
        if (lines.at(i).kind == u"item")
            itemLines.append(i);
    documents::CorrectionRequest request;
    request.documentId = invoice->id;
    request.reason = tr("Return %1: %2").arg(rma.number, rma.reason);
    request.ledgerKey = u"return:%1/correction"_qs.arg(rma.id);
    for (const ReturnItem &item : rma.items) {
        if (item.line >= itemLines.size())
            return makeError(Error::Code::Invalid,
                             tr("The invoice %1 has no line for %2.").arg(invoice->number, item.name));
        const int position = itemLines.at(item.line);
        request.changes.append({position + 1, qMax<qint64>(0, lines.at(position).quantity - item.quantity), {}});
    }
    auto issued = service.correct(request, ctx);
    if (!issued)
        return issued.error();
    return issued->number;
}

Result<void> ReturnService::informBuyer(const ReturnCase &rma, const domain::Order &order)
{
    if (order.buyer.email.isEmpty())
        return {};
    messaging::MessageRequest message;
    message.orderId = order.id;
    message.templateKey = templateFor(rma.state);
    message.key = u"return:%1/notify:%2"_qs.arg(rma.id).arg(stateKey(rma.state));
    message.extra = {{u"returnNumber"_qs, rma.number},
                     {u"returnItems"_qs, itemsText(rma)},
                     {u"returnReason"_qs, rma.reason},
                     {u"returnValue"_qs, rma.value().toDisplayString()}};
    auto queued = messaging::Outbox(m_orders).queue(message);
    if (!queued)
        return queued.error();
    return {};
}

} // namespace sd::returns
