#include "marketplace/training/trainingshop.h"

#include "marketplace/training/traininglog.h"
#include "util/isotime.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>

#include "marketplace/training/trainingshop_p.h"

using namespace Qt::StringLiterals;

namespace sd::marketplace::training {

using namespace shop;

TrainingShop::TrainingShop(quint64 seed, std::mt19937_64 *random)
    : m_seed(seed)
    , m_random(random)
    , m_generator(seed)
{}

double TrainingShop::chance()
{
    return double((*m_random)() >> 11) * (1.0 / 9007199254740992.0);
}

QString TrainingShop::uuid()
{
    QByteArray bytes(16, Qt::Uninitialized);
    const quint64 a = (*m_random)();
    const quint64 b = (*m_random)();
    for (int i = 0; i < 8; ++i) {
        bytes[i] = char(a >> (8 * i));
        bytes[8 + i] = char(b >> (8 * i));
    }
    bytes[6] = char((bytes[6] & 0x0f) | 0x40);
    bytes[8] = char((bytes[8] & 0x3f) | 0x80);
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

QString TrainingShop::revision()
{
    return QStringLiteral("%1").arg(quint32((*m_random)() & 0xffffffffu), 8, 16, QChar(u'0'));
}

// ---------------------------------------------------------------------------------------------------------------
// Orders and their events

void TrainingShop::ensureOffers(const QJsonObject &form, qint64 now)
{
    for (const QJsonValue &value : form.value(u"lineItems"_s).toArray()) {
        const QJsonObject item = value.toObject();
        const QJsonObject ref = item.value(u"offer"_s).toObject();
        const QString id = ref.value(u"id"_s).toString();
        const int quantity = item.value(u"quantity"_s).toInt();
        auto it = m_offers.find(id);
        if (it == m_offers.end()) {
            const bool auction = m_offerIds.size() % 12 == 11;
            const int stock = auction ? 1 : int(5 + (*m_random)() % 60);
            QJsonObject offer{
                {u"id"_s, id},
                {u"name"_s, ref.value(u"name"_s)},
                {u"category"_s, QJsonObject{{u"id"_s, QString::number(250000 + qHash(id) % 9000)}}},
                {u"sellingMode"_s, QJsonObject{{u"format"_s, auction ? u"AUCTION"_s : u"BUY_NOW"_s},
                                               {u"price"_s, item.value(u"originalPrice"_s)}}},
                {u"saleInfo"_s, QJsonObject{{u"biddersCount"_s, auction ? 2 : 0}}},
                {u"stock"_s, QJsonObject{{u"available"_s, stock}, {u"sold"_s, 0}}},
                {u"stats"_s, QJsonObject{{u"watchersCount"_s, int((*m_random)() % 40)},
                                         {u"visitsCount"_s, int((*m_random)() % 900)}}},
                {u"publication"_s,
                 QJsonObject{{u"status"_s, u"ACTIVE"_s},
                             {u"startedAt"_s, iso(now - 90 * kDay)},
                             {u"marketplaces"_s, QJsonObject{{u"base"_s, QJsonObject{{u"id"_s, u"allegro-pl"_s}}},
                                                             {u"additional"_s, QJsonArray()}}}}},
                {u"isFulfillment"_s, false},
            };
            if (ref.contains(u"external"_s))
                offer.insert(u"external"_s, ref.value(u"external"_s));
            if (auction) {
                QJsonObject sale = offer.value(u"saleInfo"_s).toObject();
                sale.insert(u"currentPrice"_s, item.value(u"price"_s));
                offer.insert(u"saleInfo"_s, sale);
            }
            it = m_offers.insert(id, offer);
            m_offerIds.append(id);
        }
        QJsonObject stock = it->value(u"stock"_s).toObject();
        const int available = qMax(0, stock.value(u"available"_s).toInt() - quantity);
        stock.insert(u"available"_s, available);
        stock.insert(u"sold"_s, stock.value(u"sold"_s).toInt() + quantity);
        it->insert(u"stock"_s, stock);
        if (available == 0) {
            QJsonObject publication = it->value(u"publication"_s).toObject();
            publication.insert(u"status"_s, u"ENDED"_s);
            publication.insert(u"endedAt"_s, iso(now));
            it->insert(u"publication"_s, publication);
        }
    }
}

QStringList TrainingShop::generateOrders(int count, bool historical, qint64 now)
{
    QStringList ids;
    for (int n = 0; n < count; ++n) {
        // Only filled-in forms carry everything the buyer will enter; earlier states are derived from them.
        QJsonObject full;
        for (int tries = 0; tries < 50; ++tries) {
            full = m_generator.next();
            if (full.value(u"delivery"_s).toObject().contains(u"address"_s))
                break;
        }
        ++m_generated;
        const QJsonArray items = full.value(u"lineItems"_s).toArray();
        qint64 boughtAt = LLONG_MAX;
        for (const QJsonValue &item : items)
            boughtAt = qMin(boughtAt, msOf(item.toObject().value(u"boughtAt"_s)));
        if (!historical) {
            full = shifted(full, now - boughtAt).toObject();
            boughtAt = now;
        }
        full.insert(u"surcharges"_s, QJsonArray());
        QJsonObject fulfillment = full.value(u"fulfillment"_s).toObject();
        fulfillment.insert(u"status"_s, u"NEW"_s);
        fulfillment.insert(u"shipmentSummary"_s, QJsonObject{{u"lineItemsSent"_s, u"NONE"_s}});
        full.insert(u"fulfillment"_s, fulfillment);

        Order order;
        order.target = full;
        QJsonObject form = full;
        form.insert(u"status"_s, u"BOUGHT"_s);
        QJsonObject delivery = form.value(u"delivery"_s).toObject();
        delivery.remove(u"address"_s);
        delivery.remove(u"pickupPoint"_s);
        delivery.remove(u"time"_s);
        form.insert(u"delivery"_s, delivery);
        form.insert(u"invoice"_s, QJsonObject{{u"required"_s, false}});
        form.remove(u"messageToSeller"_s);
        const QJsonObject payment = full.value(u"payment"_s).toObject();
        form.insert(u"payment"_s,
                    QJsonObject{{u"id"_s, payment.value(u"id"_s)}, {u"type"_s, payment.value(u"type"_s)}});
        form.insert(u"updatedAt"_s, iso(boughtAt));
        form.insert(u"revision"_s, revision());
        order.form = form;

        // The buyer's fate: most pay within minutes, a few cancel, a few never pay and Allegro cancels.
        const qint64 filledAt = boughtAt + 20 * kSecond + qint64((*m_random)() % (10 * kMinute));
        const qint64 paidAt = filledAt + 15 * kSecond + qint64((*m_random)() % (12 * kMinute));
        const bool online = payment.value(u"type"_s).toString() == u"ONLINE";
        const double fate = chance();
        if (fate < 0.04) {
            order.steps.append({filledAt, u"FILLED_IN"_s});
            order.steps.append({filledAt + 10 * kMinute + qint64((*m_random)() % (6 * kHour)), u"BUYER_CANCELLED"_s});
        } else if (fate < 0.07 && online) {
            order.steps.append({filledAt, u"FILLED_IN"_s});
            order.steps.append({boughtAt + 2 * kDay + qint64((*m_random)() % kHour), u"AUTO_CANCELLED"_s});
        } else {
            order.steps.append({filledAt, u"FILLED_IN"_s});
            order.steps.append({online ? paidAt : filledAt + 2 * kSecond, u"READY_FOR_PROCESSING"_s});
        }
        const QString id = form.value(u"id"_s).toString();
        m_orders.insert(id, order);
        m_orderIds.append(id);
        ids.append(id);
        ensureOffers(form, boughtAt);
        // Past purchases join the journal in time order with everything else that happened since.
        if (historical)
            m_orders[id].steps.prepend({boughtAt, u"BOUGHT"_s});
        else
            emitEvent(u"BOUGHT"_s, m_orders[id], boughtAt);
    }
    if (historical)
        advance(now);
    return ids;
}

bool TrainingShop::advance(qint64 now)
{
    struct Due
    {
        qint64 at;
        QString order;
    };
    QList<Due> due;
    for (auto it = m_orders.cbegin(); it != m_orders.cend(); ++it) {
        if (!it->steps.isEmpty() && it->steps.constFirst().at <= now)
            due.append({it->steps.constFirst().at, it.key()});
    }
    bool changed = false;
    while (!due.isEmpty()) {
        std::sort(due.begin(), due.end(),
                  [](const Due &a, const Due &b) { return a.at < b.at || (a.at == b.at && a.order < b.order); });
        const Due next = due.takeFirst();
        Order &order = m_orders[next.order];
        const Step step = order.steps.takeFirst();
        applyStep(order, step);
        changed = true;
        if (!order.steps.isEmpty() && order.steps.constFirst().at <= now)
            due.append({order.steps.constFirst().at, next.order});
    }
    if (m_heldEvent && m_heldEvent->at + 5 * kSecond <= now) {
        flushHeldEvent();
        changed = true;
    }
    if (settleOperations(now))
        changed = true;
    return changed;
}

void TrainingShop::applyStep(Order &order, const Step &step)
{
    QJsonObject &form = order.form;
    const QJsonObject &target = order.target;
    if (step.kind == u"BOUGHT") {
        emitEvent(step.kind, order, step.at);
        return;
    }
    if (step.kind == u"FILLED_IN") {
        form.insert(u"delivery"_s, target.value(u"delivery"_s));
        form.insert(u"invoice"_s, target.value(u"invoice"_s));
        if (target.contains(u"messageToSeller"_s))
            form.insert(u"messageToSeller"_s, target.value(u"messageToSeller"_s));
        QJsonObject payment = form.value(u"payment"_s).toObject();
        const QJsonObject full = target.value(u"payment"_s).toObject();
        if (full.contains(u"provider"_s))
            payment.insert(u"provider"_s, full.value(u"provider"_s));
        form.insert(u"payment"_s, payment);
        form.insert(u"status"_s, u"FILLED_IN"_s);
    } else if (step.kind == u"READY_FOR_PROCESSING") {
        QJsonObject payment = form.value(u"payment"_s).toObject();
        if (payment.value(u"type"_s).toString() == u"ONLINE") {
            if (!payment.contains(u"provider"_s))
                payment.insert(u"provider"_s, u"P24"_s);
            payment.insert(u"finishedAt"_s, iso(step.at));
            payment.insert(u"paidAmount"_s, form.value(u"summary"_s).toObject().value(u"totalToPay"_s));
        }
        form.insert(u"payment"_s, payment);
        form.insert(u"status"_s, u"READY_FOR_PROCESSING"_s);
        if (chance() < 0.15)
            buyerMessage(form.value(u"id"_s).toString(), QString::fromUtf8(kBuyerQuestions[(*m_random)() % 5]),
                         step.at + 30 * kMinute);
    } else {
        form.insert(u"status"_s, u"CANCELLED"_s);
    }
    form.insert(u"updatedAt"_s, iso(step.at));
    form.insert(u"revision"_s, revision());
    emitEvent(step.kind, order, step.at);
}

void TrainingShop::emitEvent(const QString &type, const Order &order, qint64 at)
{
    const QJsonObject &form = order.form;
    const QJsonObject buyer = form.value(u"buyer"_s).toObject();
    QJsonObject buyerRef{{u"id"_s, buyer.value(u"id"_s)},
                         {u"email"_s, buyer.value(u"email"_s)},
                         {u"login"_s, buyer.value(u"login"_s)},
                         {u"guest"_s, buyer.value(u"guest"_s).toBool()}};
    if (buyer.contains(u"preferences"_s))
        buyerRef.insert(u"preferences"_s, buyer.value(u"preferences"_s));
    QJsonArray items;
    for (const QJsonValue &value : form.value(u"lineItems"_s).toArray()) {
        const QJsonObject item = value.toObject();
        QJsonObject offer = item.value(u"offer"_s).toObject();
        QJsonObject offerRef{{u"id"_s, offer.value(u"id"_s)}, {u"name"_s, offer.value(u"name"_s)}};
        if (offer.contains(u"external"_s))
            offerRef.insert(u"external"_s, offer.value(u"external"_s));
        items.append(QJsonObject{{u"id"_s, item.value(u"id"_s)},
                                 {u"offer"_s, offerRef},
                                 {u"quantity"_s, item.value(u"quantity"_s)},
                                 {u"originalPrice"_s, item.value(u"originalPrice"_s)},
                                 {u"price"_s, item.value(u"price"_s)},
                                 {u"boughtAt"_s, item.value(u"boughtAt"_s)}});
    }
    Event event;
    event.at = at;
    event.type = type;
    event.order = QJsonObject{
        {u"seller"_s, QJsonObject{{u"id"_s, QString::fromLatin1(kSellerId)}}},
        {u"buyer"_s, buyerRef},
        {u"lineItems"_s, items},
        {u"checkoutForm"_s, QJsonObject{{u"id"_s, form.value(u"id"_s)}, {u"revision"_s, form.value(u"revision"_s)}}},
        {u"marketplace"_s, form.value(u"marketplace"_s)},
    };
    if (m_faults.reorderEvents > 0 && !m_heldEvent && chance() < m_faults.reorderEvents) {
        m_heldEvent = event;
        return;
    }
    appendEvent(event);
    if (m_heldEvent)
        flushHeldEvent();
    if (m_faults.duplicateEvents > 0 && chance() < m_faults.duplicateEvents)
        appendEvent(event);
}

void TrainingShop::flushHeldEvent()
{
    Event held = *m_heldEvent;
    m_heldEvent.reset();
    appendEvent(held);
}

void TrainingShop::appendEvent(Event event)
{
    // Ids look like microsecond timestamps and always grow.
    event.id = qMax(m_lastEventId + 1 + qint64((*m_random)() % 50), event.at * 1000 + qint64((*m_random)() % 1000));
    m_lastEventId = event.id;
    m_events.append(event);
}

bool TrainingShop::buyerChangesAddress(const QString &orderId, qint64 now)
{
    auto it = m_orders.find(orderId);
    if (it == m_orders.end() || it->form.value(u"status"_s).toString() == u"CANCELLED")
        return false;
    // The generator makes the new address; its times are replaced by the server clock's.
    QJsonObject changed = allegro::CheckoutFormGenerator::withRevision(it->form, (*m_random)());
    QJsonObject delivery = changed.value(u"delivery"_s).toObject();
    QJsonObject address = delivery.value(u"address"_s).toObject();
    address.insert(u"modifiedAt"_s, iso(now));
    delivery.insert(u"address"_s, address);
    it->form.insert(u"delivery"_s, delivery);
    it->form.insert(u"updatedAt"_s, iso(now));
    it->form.insert(u"revision"_s, revision());
    it->target.insert(u"delivery"_s, delivery);
    emitEvent(u"BUYER_MODIFIED"_s, *it, now);
    return true;
}

bool TrainingShop::buyerPays(const QString &orderId, qint64 now)
{
    auto it = m_orders.find(orderId);
    if (it == m_orders.end())
        return false;
    const QString status = it->form.value(u"status"_s).toString();
    if (status == u"CANCELLED" || status == u"READY_FOR_PROCESSING")
        return false;
    it->steps.clear();
    if (status == u"BOUGHT")
        applyStep(*it, {now, u"FILLED_IN"_s});
    applyStep(*it, {now, u"READY_FOR_PROCESSING"_s});
    return true;
}

bool TrainingShop::buyerCancels(const QString &orderId, qint64 now)
{
    auto it = m_orders.find(orderId);
    if (it == m_orders.end() || it->form.value(u"status"_s).toString() == u"CANCELLED")
        return false;
    it->steps.clear();
    applyStep(*it, {now, u"BUYER_CANCELLED"_s});
    return true;
}

QString TrainingShop::merge(const QStringList &orderIds, qint64 now)
{
    if (orderIds.size() < 2)
        return {};
    for (const QString &id : orderIds) {
        const auto it = m_orders.constFind(id);
        if (it == m_orders.cend() || it->form.value(u"status"_s).toString() == u"READY_FOR_PROCESSING" ||
            it->form.value(u"status"_s).toString() == u"CANCELLED")
            return {};
    }
    Order merged = m_orders.value(orderIds.constFirst());
    QJsonArray items;
    qint64 total = 0;
    for (const QString &id : orderIds) {
        const Order &part = m_orders.value(id);
        for (const QJsonValue &item : part.form.value(u"lineItems"_s).toArray())
            items.append(item);
        total += minor(part.form.value(u"summary"_s).toObject().value(u"totalToPay"_s));
    }
    const QString currency = currencyOf(merged.form);
    const QString newId = uuid();
    for (QJsonObject *form : {&merged.form, &merged.target}) {
        form->insert(u"id"_s, newId);
        form->insert(u"lineItems"_s, items);
        form->insert(u"summary"_s, QJsonObject{{u"totalToPay"_s, price(total, currency)}});
        *form = setPath(*form, u"payment"_s, u"id"_s, uuid());
    }
    merged.steps.clear();
    merged.shipments = {};
    merged.invoices = {};
    for (const QString &id : orderIds) {
        m_orders.remove(id);
        m_orderIds.removeAll(id);
        m_mergedAway.insert(id);
    }
    m_orders.insert(newId, merged);
    m_orderIds.append(newId);
    applyStep(m_orders[newId], {now, u"FILLED_IN"_s});
    applyStep(m_orders[newId], {now, u"READY_FOR_PROCESSING"_s});
    return newId;
}

// ---------------------------------------------------------------------------------------------------------------
// Journal

TrainingResponse TrainingShop::events(const QUrlQuery &query) const
{
    bool ok = true;
    const int limit = intParam(query, u"limit"_s, 100, &ok);
    if (!ok || limit < 1 || limit > 1000)
        return TrainingResponse::validation(
            u"limit must be between 1 and 1000"_s,
            QT_TRANSLATE_NOOP("sd::training", "The limit must be a number from 1 to 1000."), u"limit"_s);
    qint64 from = 0;
    if (query.hasQueryItem(u"from"_s)) {
        from = query.queryItemValue(u"from"_s).toLongLong(&ok);
        if (!ok)
            return TrainingResponse::validation(u"from must be an event id"_s,
                                                QT_TRANSLATE_NOOP("sd::training", "The event id is not valid."),
                                                u"from"_s);
    }
    const QStringList types = query.allQueryItemValues(u"type"_s);
    static const QStringList kTypes = {u"BOUGHT"_s,
                                       u"FILLED_IN"_s,
                                       u"READY_FOR_PROCESSING"_s,
                                       u"BUYER_CANCELLED"_s,
                                       u"FULFILLMENT_STATUS_CHANGED"_s,
                                       u"BUYER_MODIFIED"_s,
                                       u"AUTO_CANCELLED"_s};
    for (const QString &type : types) {
        if (!kTypes.contains(type))
            return TrainingResponse::validation(u"Unknown event type: "_s + type,
                                                QT_TRANSLATE_NOOP("sd::training", "Unknown event type."), u"type"_s);
    }
    // Index of the first event after `from`; events are appended with growing ids.
    const auto first = std::upper_bound(m_events.cbegin(), m_events.cend(), from,
                                        [](qint64 id, const Event &event) { return id < event.id; });
    QJsonArray out;
    for (auto it = first; it != m_events.cend() && out.size() < limit; ++it) {
        if (!types.isEmpty() && !types.contains(it->type))
            continue;
        out.append(QJsonObject{{u"id"_s, QString::number(it->id)},
                               {u"order"_s, it->order},
                               {u"type"_s, it->type},
                               {u"occurredAt"_s, iso(it->at)}});
    }
    return TrainingResponse::ok({{u"events"_s, out}});
}

TrainingResponse TrainingShop::eventStats() const
{
    if (m_events.isEmpty())
        return TrainingResponse::ok({});
    const Event &last = m_events.constLast();
    return TrainingResponse::ok(
        {{u"latestEvent"_s, QJsonObject{{u"id"_s, QString::number(last.id)}, {u"occurredAt"_s, iso(last.at)}}}});
}

// ---------------------------------------------------------------------------------------------------------------
// Checkout forms

TrainingResponse TrainingShop::orderNotFound(const QString &id) const
{
    return TrainingResponse::error(404, u"CheckoutFormNotFoundException"_s, u"Checkout form "_s + id + u" not found"_s,
                                   QT_TRANSLATE_NOOP("sd::training", "The order was not found."),
                                   u"/order/checkout-forms/"_s + id);
}

std::optional<TrainingResponse> TrainingShop::checkUuid(const QString &id, const QString &path) const
{
    if (isUuid(id))
        return std::nullopt;
    return TrainingResponse::validation(u"Invalid UUID: "_s + id,
                                        QT_TRANSLATE_NOOP("sd::training", "The order id is not valid."), path);
}

TrainingResponse TrainingShop::checkoutForms(const QUrlQuery &query) const
{
    bool ok = true;
    const int limit = intParam(query, u"limit"_s, 100, &ok);
    bool ok2 = true;
    const int offset = intParam(query, u"offset"_s, 0, &ok2);
    if (!ok || !ok2 || limit < 1 || limit > 100 || offset < 0)
        return TrainingResponse::validation(u"limit must be between 1 and 100 and offset not negative"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The page size or offset is not valid."),
                                            u"limit"_s);
    if (qint64(offset) + limit > 10000)
        return TrainingResponse::validation(
            u"Offset and limit parameters exceed maximal result size of 10000 items"_s,
            QT_TRANSLATE_NOOP("sd::training", "Too many results asked for: narrow the date range."));
    const QStringList statuses = query.allQueryItemValues(u"status"_s);
    const QStringList fulfillment = query.allQueryItemValues(u"fulfillment.status"_s);
    const auto bound = [&](const char *name) {
        return query.hasQueryItem(QLatin1StringView(name))
                   ? msOf(query.queryItemValue(QLatin1StringView(name), QUrl::FullyDecoded))
                   : 0;
    };
    const qint64 updatedGte = bound("updatedAt.gte");
    const qint64 updatedLte = bound("updatedAt.lte");
    const qint64 boughtGte = bound("lineItems.boughtAt.gte");
    const qint64 boughtLte = bound("lineItems.boughtAt.lte");
    const QString login = query.queryItemValue(u"buyer.login"_s, QUrl::FullyDecoded);
    const QString paymentId = query.queryItemValue(u"payment.id"_s);
    const QString sort = query.hasQueryItem(u"sort"_s) ? query.queryItemValue(u"sort"_s) : u"-lineItems.boughtAt"_s;
    if (sort != u"lineItems.boughtAt" && sort != u"-lineItems.boughtAt" && sort != u"updatedAt" &&
        sort != u"-updatedAt")
        return TrainingResponse::validation(u"Unknown sort: "_s + sort,
                                            QT_TRANSLATE_NOOP("sd::training", "Unknown sort order."), u"sort"_s);

    struct Row
    {
        qint64 key;
        const QJsonObject *form;
    };
    QList<Row> rows;
    for (const QString &id : m_orderIds) {
        const QJsonObject &form = m_orders.find(id)->form;
        if (!statuses.isEmpty() && !statuses.contains(form.value(u"status"_s).toString()))
            continue;
        if (!fulfillment.isEmpty() &&
            !fulfillment.contains(form.value(u"fulfillment"_s).toObject().value(u"status"_s).toString()))
            continue;
        const qint64 updated = msOf(form.value(u"updatedAt"_s));
        const qint64 bought = msOf(form.value(u"lineItems"_s).toArray().first().toObject().value(u"boughtAt"_s));
        if ((updatedGte && updated < updatedGte) || (updatedLte && updated > updatedLte) ||
            (boughtGte && bought < boughtGte) || (boughtLte && bought > boughtLte))
            continue;
        if (!login.isEmpty() && form.value(u"buyer"_s).toObject().value(u"login"_s).toString() != login)
            continue;
        if (!paymentId.isEmpty() && form.value(u"payment"_s).toObject().value(u"id"_s).toString() != paymentId)
            continue;
        rows.append({sort.contains(u"updatedAt") ? updated : bought, &form});
    }
    const bool descending = sort.startsWith(u'-');
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const Row &a, const Row &b) { return descending ? a.key > b.key : a.key < b.key; });
    QJsonArray forms;
    for (qsizetype i = offset; i < rows.size() && forms.size() < limit; ++i)
        forms.append(*rows.at(i).form);
    return TrainingResponse::ok(
        {{u"checkoutForms"_s, forms}, {u"count"_s, forms.size()}, {u"totalCount"_s, rows.size()}});
}

TrainingResponse TrainingShop::checkoutForm(const QString &id) const
{
    if (auto bad = checkUuid(id, u"id"_s))
        return *bad;
    const auto it = m_orders.constFind(id);
    if (it == m_orders.cend())
        return orderNotFound(id);
    return TrainingResponse::ok(it->form);
}

TrainingResponse TrainingShop::setFulfillment(const QString &id, const QUrlQuery &query, const QJsonObject &body,
                                              qint64 now)
{
    if (auto bad = checkUuid(id, u"id"_s))
        return *bad;
    auto it = m_orders.find(id);
    if (it == m_orders.end())
        return orderNotFound(id);
    const QString status = body.value(u"status"_s).toString();
    if (!kFulfillmentStatuses.contains(status))
        return TrainingResponse::validation(
            u"Invalid fulfillment status: "_s + status,
            QT_TRANSLATE_NOOP("sd::training", "This status cannot be set by the seller."), u"status"_s);
    if (query.hasQueryItem(u"checkoutForm.revision"_s) &&
        query.queryItemValue(u"checkoutForm.revision"_s) != it->form.value(u"revision"_s).toString())
        return TrainingResponse::error(
            409, u"CONFLICT"_s, u"Provided revision is outdated"_s,
            QT_TRANSLATE_NOOP("sd::training", "The order has changed in the meantime. Refresh it and try again."),
            u"checkoutForm.revision"_s);
    QJsonObject fulfillment = it->form.value(u"fulfillment"_s).toObject();
    fulfillment.insert(u"status"_s, status);
    const QString sent = body.value(u"shipmentSummary"_s).toObject().value(u"lineItemsSent"_s).toString();
    if (sent == u"NONE" || sent == u"SOME" || sent == u"ALL")
        fulfillment.insert(u"shipmentSummary"_s, QJsonObject{{u"lineItemsSent"_s, sent}});
    it->form.insert(u"fulfillment"_s, fulfillment);
    // A seller change: a new revision, but updatedAt stays.
    it->form.insert(u"revision"_s, revision());
    emitEvent(u"FULFILLMENT_STATUS_CHANGED"_s, *it, now);
    return TrainingResponse::empty(204);
}

// ---------------------------------------------------------------------------------------------------------------
// Shipments and tracking

TrainingResponse TrainingShop::carriers() const
{
    QJsonArray list;
    for (const Carrier &carrier : kCarriers)
        list.append(
            QJsonObject{{u"id"_s, QString::fromLatin1(carrier.id)}, {u"name"_s, QString::fromUtf8(carrier.name)}});
    return TrainingResponse::ok({{u"carriers"_s, list}});
}

TrainingResponse TrainingShop::addShipment(const QString &id, const QJsonObject &body, qint64 now)
{
    if (auto bad = checkUuid(id, u"id"_s))
        return *bad;
    auto it = m_orders.find(id);
    if (it == m_orders.end())
        return orderNotFound(id);
    const QString carrierId = body.value(u"carrierId"_s).toString();
    bool known = false;
    for (const Carrier &carrier : kCarriers)
        known = known || carrierId == QLatin1StringView(carrier.id);
    if (!known)
        return TrainingResponse::error(400, u"VALIDATION_ERROR"_s, u"Unknown carrier: "_s + carrierId,
                                       QT_TRANSLATE_NOOP("sd::training", "Unknown carrier."), u"carrierId"_s);
    const QString waybill = body.value(u"waybill"_s).toString();
    if (waybill.trimmed().isEmpty() || waybill.size() > 64)
        return TrainingResponse::error(400, u"VALIDATION_ERROR"_s, u"waybill must have 1 to 64 characters"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The tracking number is not valid."),
                                       u"waybill"_s);
    const QString carrierName = body.value(u"carrierName"_s).toString();
    if (carrierName.size() > 30)
        return TrainingResponse::error(400, u"VALIDATION_ERROR"_s, u"carrierName is longer than 30 characters"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The carrier name is too long."),
                                       u"carrierName"_s);
    QSet<QString> ordersWithWaybill;
    for (auto o = m_orders.cbegin(); o != m_orders.cend(); ++o) {
        for (const QJsonValue &s : o->shipments) {
            if (s.toObject().value(u"waybill"_s).toString() == waybill)
                ordersWithWaybill.insert(o.key());
        }
    }
    if (!ordersWithWaybill.contains(id) && ordersWithWaybill.size() >= kWaybillOrderLimit)
        return TrainingResponse::error(
            409, u"WAYBILL_USED_TOO_MANY_TIMES"_s, u"Waybill "_s + waybill + u" is used in too many orders"_s,
            QT_TRANSLATE_NOOP("sd::training", "This tracking number is already used in too many orders."),
            u"waybill"_s);
    QSet<QString> own;
    for (const QJsonValue &item : it->form.value(u"lineItems"_s).toArray())
        own.insert(item.toObject().value(u"id"_s).toString());
    QJsonArray lineItems;
    for (const QJsonValue &item : body.value(u"lineItems"_s).toArray()) {
        const QString itemId = item.toObject().value(u"id"_s).toString();
        if (!own.contains(itemId))
            return TrainingResponse::validation(
                u"Line item "_s + itemId + u" does not belong to the order"_s,
                QT_TRANSLATE_NOOP("sd::training", "An item does not belong to this order."), u"lineItems"_s);
        lineItems.append(QJsonObject{{u"id"_s, itemId}});
    }
    if (lineItems.isEmpty()) {
        for (const QString &itemId : std::as_const(own))
            lineItems.append(QJsonObject{{u"id"_s, itemId}});
    }
    const QByteArray shipmentKey = "TRN:" + QByteArray::number(++m_shipmentSerial) + ':' + waybill.toUtf8();
    QJsonObject shipment{{u"id"_s, QString::fromLatin1(shipmentKey.toBase64())},
                         {u"waybill"_s, waybill},
                         {u"carrierId"_s, carrierId},
                         {u"lineItems"_s, lineItems},
                         {u"createdAt"_s, iso(now)}};
    if (!carrierName.isEmpty())
        shipment.insert(u"carrierName"_s, carrierName);
    it->shipments.append(shipment);
    QJsonObject fulfillment = it->form.value(u"fulfillment"_s).toObject();
    fulfillment.insert(u"shipmentSummary"_s,
                       QJsonObject{{u"lineItemsSent"_s, lineItems.size() >= own.size() ? u"ALL"_s : u"SOME"_s}});
    it->form.insert(u"fulfillment"_s, fulfillment);
    it->form.insert(u"revision"_s, revision());
    return TrainingResponse::ok(shipment, 201);
}

TrainingResponse TrainingShop::shipments(const QString &id) const
{
    if (auto bad = checkUuid(id, u"id"_s))
        return *bad;
    const auto it = m_orders.constFind(id);
    if (it == m_orders.cend())
        return orderNotFound(id);
    return TrainingResponse::ok({{u"shipments"_s, it->shipments}});
}

TrainingResponse TrainingShop::tracking(const QString &carrierId, const QUrlQuery &query, qint64 now) const
{
    const QStringList waybills = query.allQueryItemValues(u"waybill"_s, QUrl::FullyDecoded);
    if (waybills.isEmpty() || waybills.size() > 20)
        return TrainingResponse::validation(u"Give 1 to 20 waybill parameters"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "Give 1 to 20 tracking numbers."),
                                            u"waybill"_s);
    QJsonArray out;
    for (const QString &waybill : waybills) {
        qint64 createdAt = 0;
        bool locker = false;
        for (const Order &order : m_orders) {
            for (const QJsonValue &s : order.shipments) {
                const QJsonObject shipment = s.toObject();
                if (shipment.value(u"waybill"_s).toString() == waybill &&
                    shipment.value(u"carrierId"_s).toString() == carrierId) {
                    createdAt = msOf(shipment.value(u"createdAt"_s));
                    locker = order.form.value(u"delivery"_s).toObject().contains(u"pickupPoint"_s);
                }
            }
        }
        QJsonObject entry{{u"waybill"_s, waybill}};
        if (createdAt > 0) {
            // The parcel travels on a fixed timetable from the moment its number was added.
            struct Stage
            {
                qint64 after;
                const char *code;
            };
            const Stage stages[] = {{0, "PENDING"},
                                    {6 * kHour, "IN_TRANSIT"},
                                    {20 * kHour, "RELEASED_FOR_DELIVERY"},
                                    {26 * kHour, locker ? "AVAILABLE_FOR_PICKUP" : "DELIVERED"},
                                    {locker ? 40 * kHour : LLONG_MAX / 4, "DELIVERED"}};
            QJsonArray statuses;
            qint64 updated = createdAt;
            for (const Stage &stage : stages) {
                if (createdAt + stage.after > now)
                    break;
                updated = createdAt + stage.after;
                statuses.append(
                    QJsonObject{{u"occurredAt"_s, iso(updated)}, {u"code"_s, QString::fromLatin1(stage.code)}});
            }
            entry.insert(u"trackingDetails"_s, QJsonObject{{u"statuses"_s, statuses},
                                                           {u"createdAt"_s, iso(createdAt)},
                                                           {u"updatedAt"_s, iso(updated)}});
        }
        out.append(entry);
    }
    return TrainingResponse::ok({{u"carrierId"_s, carrierId}, {u"waybills"_s, out}});
}

// ---------------------------------------------------------------------------------------------------------------
// Invoices

TrainingResponse TrainingShop::addInvoice(const QString &id, const QJsonObject &body, qint64 now)
{
    if (auto bad = checkUuid(id, u"id"_s))
        return *bad;
    auto it = m_orders.find(id);
    if (it == m_orders.end())
        return orderNotFound(id);
    const QString fileName = body.value(u"file"_s).toObject().value(u"name"_s).toString();
    if (fileName.isEmpty())
        return TrainingResponse::validation(u"file.name is required"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The invoice file name is missing."),
                                            u"file.name"_s);
    if (!it->invoices.isEmpty())
        return TrainingResponse::error(409, u"CONFLICT"_s, u"Order with given id already has seller invoice"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "This order already has an invoice."));
    const QString invoiceId = uuid();
    QJsonObject invoice{
        {u"id"_s, invoiceId}, {u"createdAt"_s, iso(now)}, {u"file"_s, QJsonObject{{u"name"_s, fileName}}}};
    if (body.contains(u"invoiceNumber"_s))
        invoice.insert(u"invoiceNumber"_s, body.value(u"invoiceNumber"_s));
    it->invoices.append(invoice);
    return TrainingResponse::ok({{u"id"_s, invoiceId}}, 201);
}

TrainingResponse TrainingShop::uploadInvoice(const QString &id, const QString &invoiceId, const QByteArray &contentType,
                                             const QByteArray &bytes, qint64 now)
{
    if (auto bad = checkUuid(id, u"id"_s))
        return *bad;
    auto it = m_orders.find(id);
    if (it == m_orders.end())
        return orderNotFound(id);
    if (!contentType.startsWith("application/pdf"))
        return TrainingResponse::error(415, u"UNSUPPORTED_MEDIA_TYPE"_s, u"Only application/pdf is accepted"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The invoice must be a PDF file."));
    for (qsizetype i = 0; i < it->invoices.size(); ++i) {
        QJsonObject invoice = it->invoices.at(i).toObject();
        if (invoice.value(u"id"_s).toString() != invoiceId)
            continue;
        QJsonObject file = invoice.value(u"file"_s).toObject();
        if (file.contains(u"uploadedAt"_s))
            return TrainingResponse::error(409, u"CONFLICT"_s, u"Invoice file already uploaded"_s,
                                           QT_TRANSLATE_NOOP("sd::training", "This invoice already has a file."));
        if (bytes.size() > kInvoiceFileLimit)
            return TrainingResponse::error(413, u"PAYLOAD_TOO_LARGE"_s, u"Invoice file is larger than 3 MB"_s,
                                           QT_TRANSLATE_NOOP("sd::training", "The invoice file is larger than 3 MB."));
        if (bytes.isEmpty())
            return TrainingResponse::validation(u"Invoice file is empty"_s,
                                                QT_TRANSLATE_NOOP("sd::training", "The invoice file is empty."));
        file.insert(u"uploadedAt"_s, iso(now));
        file.insert(u"securityVerification"_s,
                    QJsonObject{{u"status"_s, u"ACCEPTED"_s}, {u"verifiedAt"_s, iso(now + 2 * kSecond)}});
        invoice.insert(u"file"_s, file);
        it->invoices[i] = invoice;
        return TrainingResponse::empty(200);
    }
    return TrainingResponse::error(404, u"NotFoundException"_s, u"Invoice "_s + invoiceId + u" not found"_s,
                                   QT_TRANSLATE_NOOP("sd::training", "The invoice was not found."));
}

TrainingResponse TrainingShop::invoices(const QString &id) const
{
    if (auto bad = checkUuid(id, u"id"_s))
        return *bad;
    const auto it = m_orders.constFind(id);
    if (it == m_orders.cend())
        return orderNotFound(id);
    return TrainingResponse::ok(
        {{u"orderMode"_s, u"REGULAR"_s}, {u"invoices"_s, it->invoices}, {u"hasExternalInvoices"_s, false}});
}

// ---------------------------------------------------------------------------------------------------------------
// State file (offers and commands: trainingshopoffers.cpp; messages and after-sales: trainingshopaftersales.cpp)

QJsonObject TrainingShop::toJson() const
{
    QJsonArray orders;
    for (const QString &id : m_orderIds) {
        const Order &order = *m_orders.find(id);
        QJsonArray steps;
        for (const Step &step : order.steps)
            steps.append(QJsonObject{{u"at"_s, double(step.at)}, {u"kind"_s, step.kind}});
        orders.append(QJsonObject{{u"form"_s, order.form},
                                  {u"target"_s, order.target},
                                  {u"steps"_s, steps},
                                  {u"shipments"_s, order.shipments},
                                  {u"invoices"_s, order.invoices}});
    }
    QJsonArray events;
    for (const Event &event : m_events) {
        events.append(QJsonObject{{u"id"_s, QString::number(event.id)},
                                  {u"at"_s, double(event.at)},
                                  {u"type"_s, event.type},
                                  {u"order"_s, event.order}});
    }
    QJsonArray offers;
    for (const QString &id : m_offerIds)
        offers.append(m_offers.value(id));
    QJsonObject commands;
    for (int k = 0; k < 2; ++k) {
        QJsonObject list;
        for (auto it = m_commands[k].cbegin(); it != m_commands[k].cend(); ++it)
            list.insert(it.key(), QJsonObject{{u"createdAt"_s, double(it->createdAt)}, {u"tasks"_s, it->tasks}});
        commands.insert(k == 0 ? u"quantity"_s : u"publication"_s, list);
    }
    return {{u"generated"_s, m_generated},
            {u"shipmentSerial"_s, m_shipmentSerial},
            {u"lastEventId"_s, QString::number(m_lastEventId)},
            {u"orders"_s, orders},
            {u"mergedAway"_s, QJsonArray::fromStringList(QStringList(m_mergedAway.cbegin(), m_mergedAway.cend()))},
            {u"events"_s, events},
            {u"offers"_s, offers},
            {u"commands"_s, commands},
            {u"refunds"_s, m_refunds},
            {u"claims"_s, m_claims},
            {u"customerReturns"_s, m_customerReturns},
            {u"threads"_s, m_threads},
            {u"messages"_s, m_messages},
            {u"issues"_s, m_issues},
            {u"issueChat"_s, m_issueChat}};
}

void TrainingShop::fromJson(const QJsonObject &json, qint64 now)
{
    m_generated = json.value(u"generated"_s).toInt();
    // A restored shop goes on with new buyers rather than repeating the ones it already made.
    m_generator =
        allegro::CheckoutFormGenerator(m_seed + quint64(m_generated), QDateTime::fromMSecsSinceEpoch(now, Qt::UTC));
    m_shipmentSerial = json.value(u"shipmentSerial"_s).toInt();
    m_lastEventId = json.value(u"lastEventId"_s).toString().toLongLong();
    m_orders.clear();
    m_orderIds.clear();
    for (const QJsonValue &value : json.value(u"orders"_s).toArray()) {
        const QJsonObject o = value.toObject();
        Order order;
        order.form = o.value(u"form"_s).toObject();
        order.target = o.value(u"target"_s).toObject();
        for (const QJsonValue &step : o.value(u"steps"_s).toArray())
            order.steps.append(
                {qint64(step.toObject().value(u"at"_s).toDouble()), step.toObject().value(u"kind"_s).toString()});
        order.shipments = o.value(u"shipments"_s).toArray();
        order.invoices = o.value(u"invoices"_s).toArray();
        const QString id = order.form.value(u"id"_s).toString();
        m_orders.insert(id, order);
        m_orderIds.append(id);
    }
    m_mergedAway.clear();
    for (const QJsonValue &id : json.value(u"mergedAway"_s).toArray())
        m_mergedAway.insert(id.toString());
    m_events.clear();
    for (const QJsonValue &value : json.value(u"events"_s).toArray()) {
        const QJsonObject o = value.toObject();
        m_events.append({o.value(u"id"_s).toString().toLongLong(), qint64(o.value(u"at"_s).toDouble()),
                         o.value(u"type"_s).toString(), o.value(u"order"_s).toObject()});
    }
    m_offers.clear();
    m_offerIds.clear();
    for (const QJsonValue &value : json.value(u"offers"_s).toArray()) {
        const QString id = value.toObject().value(u"id"_s).toString();
        m_offers.insert(id, value.toObject());
        m_offerIds.append(id);
    }
    const QJsonObject commands = json.value(u"commands"_s).toObject();
    for (int k = 0; k < 2; ++k) {
        m_commands[k].clear();
        const QJsonObject list = commands.value(k == 0 ? u"quantity"_s : u"publication"_s).toObject();
        for (auto it = list.constBegin(); it != list.constEnd(); ++it)
            m_commands[k].insert(it.key(), {qint64(it->toObject().value(u"createdAt"_s).toDouble()),
                                            it->toObject().value(u"tasks"_s).toArray()});
    }
    m_refunds = json.value(u"refunds"_s).toArray();
    m_claims = json.value(u"claims"_s).toArray();
    m_customerReturns = json.value(u"customerReturns"_s).toArray();
    m_threads = json.value(u"threads"_s).toArray();
    m_messages = json.value(u"messages"_s).toArray();
    m_issues = json.value(u"issues"_s).toArray();
    m_issueChat = json.value(u"issueChat"_s).toArray();
}

} // namespace sd::marketplace::training
