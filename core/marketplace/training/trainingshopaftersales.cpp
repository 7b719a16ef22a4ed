// The training shop's Message Center, refunds, commission claims, billing and /me.
#include "marketplace/training/trainingshop_p.h"

using namespace Qt::StringLiterals;

namespace sd::marketplace::training {

using namespace shop;

void TrainingShop::buyerMessage(const QString &orderId, const QString &text, qint64 now)
{
    const Order order = m_orders.value(orderId);
    const QString login = order.form.value(u"buyer"_s).toObject().value(u"login"_s).toString();
    QString threadId;
    for (qsizetype i = 0; i < m_threads.size(); ++i) {
        QJsonObject thread = m_threads.at(i).toObject();
        if (thread.value(u"interlocutor"_s).toObject().value(u"login"_s).toString() == login) {
            threadId = thread.value(u"id"_s).toString();
            thread.insert(u"read"_s, false);
            thread.insert(u"lastMessageDateTime"_s, iso(now));
            m_threads[i] = thread;
        }
    }
    if (threadId.isEmpty()) {
        threadId = uuid().remove(u'-');
        m_threads.append(QJsonObject{
            {u"id"_s, threadId},
            {u"read"_s, false},
            {u"lastMessageDateTime"_s, iso(now)},
            {u"interlocutor"_s,
             QJsonObject{{u"login"_s, login}, {u"avatarUrl"_s, u"https://a.allegroimg.com/avatar/default.png"_s}}}});
    }
    const QJsonObject firstItem = order.form.value(u"lineItems"_s).toArray().first().toObject();
    m_messages.append(QJsonObject{
        {u"id"_s, uuid()},
        {u"status"_s, u"DELIVERED"_s},
        {u"type"_s, u"MESSAGE_CENTER"_s},
        {u"createdAt"_s, iso(now)},
        {u"thread"_s, QJsonObject{{u"id"_s, threadId}}},
        {u"author"_s, QJsonObject{{u"login"_s, login}, {u"isInterlocutor"_s, true}}},
        {u"text"_s, text},
        {u"subject"_s, QJsonValue::Null},
        {u"relatesTo"_s,
         QJsonObject{{u"offer"_s, QJsonObject{{u"id"_s, firstItem.value(u"offer"_s).toObject().value(u"id"_s)}}},
                     {u"order"_s, QJsonObject{{u"id"_s, orderId}}}}},
        {u"hasAdditionalAttachments"_s, false},
        {u"attachments"_s, QJsonArray()},
    });
}

bool TrainingShop::buyerWrites(const QString &orderId, const QString &text, qint64 now)
{
    if (!m_orders.contains(orderId))
        return false;
    buyerMessage(orderId, text.isEmpty() ? QString::fromUtf8(kBuyerQuestions[0]) : text, now);
    return true;
}

QString TrainingShop::buyerReturns(const QString &orderId, int quantity, qint64 now)
{
    const auto it = m_orders.constFind(orderId);
    if (it == m_orders.cend() || it->form.value(u"status"_s).toString() != u"READY_FOR_PROCESSING")
        return {};
    const QJsonArray lines = it->form.value(u"lineItems"_s).toArray();
    if (lines.isEmpty())
        return {};
    const QJsonObject line = lines.first().toObject();
    const QJsonObject offer = line.value(u"offer"_s).toObject();
    const QJsonObject buyer = it->form.value(u"buyer"_s).toObject();
    const QString id = uuid();
    const QJsonObject item{
        {u"offerId"_s, offer.value(u"id"_s)},
        {u"quantity"_s, qBound(1, quantity, line.value(u"quantity"_s).toInt())},
        {u"name"_s, offer.value(u"name"_s)},
        {u"price"_s, line.value(u"price"_s)},
        {u"url"_s, QString(u"https://allegro.pl/oferta/"_s + offer.value(u"id"_s).toString())},
        {u"reason"_s, QJsonObject{{u"type"_s, u"DONT_LIKE_IT"_s}, {u"userComment"_s, u"Nie pasuje"_s}}},
        {u"serialNumbers"_s, QJsonArray()}};
    m_customerReturns.append(QJsonObject{
        {u"id"_s, id},
        {u"isFulfillment"_s, false},
        {u"createdAt"_s, iso(now)},
        {u"referenceNumber"_s, u"%1/Z0%2"_s.arg(m_customerReturns.size() + 1)
                                   .arg(QDateTime::fromMSecsSinceEpoch(now, Qt::UTC).date().year() % 100)},
        {u"orderId"_s, orderId},
        {u"buyer"_s, QJsonObject{{u"email"_s, buyer.value(u"email"_s)}, {u"login"_s, buyer.value(u"login"_s)}}},
        {u"items"_s, QJsonArray{item}},
        {u"parcels"_s, QJsonArray()},
        {u"marketplaceId"_s, it->form.value(u"marketplace"_s).toObject().value(u"id"_s).toString(u"allegro-pl"_s)},
        {u"status"_s, u"CREATED"_s}});
    return id;
}

TrainingResponse TrainingShop::customerReturns(const QUrlQuery &query) const
{
    bool ok = true;
    const int limit = intParam(query, u"limit"_s, 100, &ok);
    bool ok2 = true;
    const int offset = intParam(query, u"offset"_s, 0, &ok2);
    if (!ok || !ok2 || limit < 1 || limit > 1000 || offset < 0)
        return TrainingResponse::validation(u"limit must be 1..1000"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The page size or offset is not valid."),
                                            u"limit"_s);
    const QStringList orderIds = query.allQueryItemValues(u"orderId"_s);
    const QStringList ids = query.allQueryItemValues(u"customerReturnId"_s);
    const QString status = query.queryItemValue(u"status"_s);
    QJsonArray matching;
    for (const QJsonValue &value : m_customerReturns) {
        const QJsonObject r = value.toObject();
        if (!orderIds.isEmpty() && !orderIds.contains(r.value(u"orderId"_s).toString()))
            continue;
        if (!ids.isEmpty() && !ids.contains(r.value(u"id"_s).toString()))
            continue;
        if (!status.isEmpty() && r.value(u"status"_s).toString() != status)
            continue;
        matching.append(r);
    }
    const QJsonArray list = page(matching, offset, limit);
    return TrainingResponse::ok({{u"customerReturns"_s, list}, {u"count"_s, list.size()}});
}

TrainingResponse TrainingShop::threads(const QUrlQuery &query) const
{
    int limit = 0;
    int offset = 0;
    if (auto invalid = pageParams(query, 20, 20, &limit, &offset))
        return *invalid;
    QList<QJsonObject> sorted;
    for (const QJsonValue &thread : m_threads)
        sorted.append(thread.toObject());
    std::stable_sort(sorted.begin(), sorted.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return msOf(a.value(u"lastMessageDateTime"_s)) > msOf(b.value(u"lastMessageDateTime"_s));
    });
    QJsonArray out;
    for (qsizetype i = offset; i < sorted.size() && out.size() < limit; ++i)
        out.append(sorted.at(i));
    return TrainingResponse::ok({{u"threads"_s, out}, {u"offset"_s, offset}, {u"limit"_s, limit}});
}

TrainingResponse TrainingShop::thread(const QString &threadId) const
{
    for (const QJsonValue &thread : m_threads) {
        if (thread.toObject().value(u"id"_s).toString() == threadId)
            return TrainingResponse::ok(thread.toObject());
    }
    return TrainingResponse::error(404, u"NotFoundException"_s, u"Thread "_s + threadId + u" not found"_s,
                                   QT_TRANSLATE_NOOP("sd::training", "The conversation was not found."));
}

TrainingResponse TrainingShop::threadMessages(const QString &threadId, const QUrlQuery &query) const
{
    const TrainingResponse found = thread(threadId);
    if (found.isError())
        return found;
    int limit = 0;
    int offset = 0;
    if (auto invalid = pageParams(query, 20, 20, &limit, &offset, INT_MAX))
        return *invalid;
    QJsonArray mine;
    // Newest first.
    for (qsizetype i = m_messages.size() - 1; i >= 0; --i) {
        if (m_messages.at(i).toObject().value(u"thread"_s).toObject().value(u"id"_s).toString() == threadId)
            mine.append(m_messages.at(i));
    }
    return TrainingResponse::ok(
        {{u"messages"_s, page(mine, offset, limit)}, {u"offset"_s, offset}, {u"limit"_s, limit}});
}

TrainingResponse TrainingShop::reply(const QString &threadId, const QJsonObject &body, qint64 now)
{
    const TrainingResponse found = thread(threadId);
    if (found.isError())
        return found;
    const QString text = body.value(u"text"_s).toString();
    if (text.trimmed().isEmpty() || text.size() > 2000)
        return TrainingResponse::validation(
            u"text must have 1 to 2000 characters"_s,
            QT_TRANSLATE_NOOP("sd::training", "The message must have 1 to 2000 characters."), u"text"_s);
    QJsonObject message{
        {u"id"_s, uuid()},
        {u"status"_s, u"DELIVERED"_s},
        {u"type"_s, u"MESSAGE_CENTER"_s},
        {u"createdAt"_s, iso(now)},
        {u"thread"_s, QJsonObject{{u"id"_s, threadId}}},
        {u"author"_s, QJsonObject{{u"login"_s, QString::fromLatin1(kSellerLogin)}, {u"isInterlocutor"_s, false}}},
        {u"text"_s, text},
        {u"subject"_s, QJsonValue::Null},
        {u"relatesTo"_s, QJsonObject{}},
        {u"hasAdditionalAttachments"_s, false},
        {u"attachments"_s, QJsonArray()}};
    m_messages.append(message);
    for (qsizetype i = 0; i < m_threads.size(); ++i) {
        QJsonObject t = m_threads.at(i).toObject();
        if (t.value(u"id"_s).toString() == threadId) {
            t.insert(u"lastMessageDateTime"_s, iso(now));
            m_threads[i] = t;
        }
    }
    return TrainingResponse::ok(message, 201);
}

TrainingResponse TrainingShop::newMessage(const QJsonObject &body, qint64 now)
{
    const QString login = body.value(u"recipient"_s).toObject().value(u"login"_s).toString();
    const QString orderId = body.value(u"order"_s).toObject().value(u"id"_s).toString();
    if (login.isEmpty() || orderId.isEmpty() || !body.contains(u"text"_s))
        return TrainingResponse::validation(
            u"recipient, text and order are required"_s,
            QT_TRANSLATE_NOOP("sd::training", "The recipient, text and order are required."));
    const auto order = m_orders.constFind(orderId);
    if (order == m_orders.cend() || order->form.value(u"buyer"_s).toObject().value(u"login"_s).toString() != login)
        return TrainingResponse::validation(u"The recipient did not buy in this order"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "This buyer did not buy in this order."),
                                            u"recipient.login"_s);
    QString threadId;
    for (const QJsonValue &thread : std::as_const(m_threads)) {
        if (thread.toObject().value(u"interlocutor"_s).toObject().value(u"login"_s).toString() == login)
            threadId = thread.toObject().value(u"id"_s).toString();
    }
    if (threadId.isEmpty()) {
        threadId = uuid().remove(u'-');
        m_threads.append(QJsonObject{
            {u"id"_s, threadId},
            {u"read"_s, true},
            {u"lastMessageDateTime"_s, iso(now)},
            {u"interlocutor"_s,
             QJsonObject{{u"login"_s, login}, {u"avatarUrl"_s, u"https://a.allegroimg.com/avatar/default.png"_s}}}});
    }
    TrainingResponse r = reply(threadId, body, now);
    if (!r.isError()) {
        r.json.insert(u"relatesTo"_s, QJsonObject{{u"order"_s, QJsonObject{{u"id"_s, orderId}}}});
        m_messages[m_messages.size() - 1] = r.json;
    }
    return r;
}

TrainingResponse TrainingShop::markRead(const QString &threadId, const QJsonObject &body)
{
    if (!body.value(u"read"_s).isBool())
        return TrainingResponse::validation(u"read is required"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The read flag is missing."), u"read"_s);
    for (qsizetype i = 0; i < m_threads.size(); ++i) {
        QJsonObject t = m_threads.at(i).toObject();
        if (t.value(u"id"_s).toString() == threadId) {
            t.insert(u"read"_s, body.value(u"read"_s).toBool());
            m_threads[i] = t;
            return TrainingResponse::ok(t);
        }
    }
    return thread(threadId);
}

// ---------------------------------------------------------------------------------------------------------------
// Refunds and commission claims

QJsonObject TrainingShop::refundView(const QJsonObject &refund, qint64 now) const
{
    QJsonObject view = refund;
    view.insert(u"status"_s, now - msOf(refund.value(u"createdAt"_s)) >= 5 * kSecond ? u"SUCCESS"_s : u"NEW"_s);
    return view;
}

TrainingResponse TrainingShop::refund(const QJsonObject &body, qint64 now)
{
    const QString commandId = body.value(u"commandId"_s).toString();
    const QString paymentId = body.value(u"payment"_s).toObject().value(u"id"_s).toString();
    const QString orderId = body.value(u"order"_s).toObject().value(u"id"_s).toString();
    const QString reason = body.value(u"reason"_s).toString();
    static const QStringList kReasons = {
        u"REFUND"_s,   u"COMPLAINT"_s,          u"PRODUCT_NOT_AVAILABLE"_s, u"PAID_VALUE_TOO_LOW"_s,
        u"OVERPAID"_s, u"CANCELLED_BY_BUYER"_s, u"NOT_COLLECTED"_s};
    if (commandId.isEmpty() || paymentId.isEmpty() || orderId.isEmpty() || !kReasons.contains(reason))
        return TrainingResponse::validation(u"payment.id, order.id, commandId and a valid reason are required"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The refund is missing required data."));
    for (const QJsonValue &existing : std::as_const(m_refunds)) {
        if (existing.toObject().value(u"commandId"_s).toString() == commandId) {
            QJsonObject view = refundView(existing.toObject(), now);
            view.remove(u"commandId"_s);
            return TrainingResponse::ok(view);
        }
    }
    const auto order = m_orders.constFind(orderId);
    if (order == m_orders.cend() || order->form.value(u"payment"_s).toObject().value(u"id"_s).toString() != paymentId)
        return TrainingResponse::error(404, u"NotFoundException"_s, u"Payment "_s + paymentId + u" not found"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The payment was not found."));
    const QJsonObject payment = order->form.value(u"payment"_s).toObject();
    // A paid order the buyer cancelled afterwards is refundable: that is what its refund is for.
    if (!payment.contains(u"finishedAt"_s))
        return TrainingResponse::validation(u"Payment is not refundable: it is unpaid or cancelled"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "This payment cannot be refunded."),
                                            u"payment.id"_s);
    const QString currency = currencyOf(order->form);
    QHash<QString, QJsonObject> items;
    for (const QJsonValue &item : order->form.value(u"lineItems"_s).toArray())
        items.insert(item.toObject().value(u"id"_s).toString(), item.toObject());
    qint64 total = 0;
    QJsonArray lines;
    for (const QJsonValue &value : body.value(u"lineItems"_s).toArray()) {
        const QJsonObject line = value.toObject();
        const QJsonObject item = items.value(line.value(u"id"_s).toString());
        if (item.isEmpty())
            return TrainingResponse::validation(
                u"Line item does not belong to the order"_s,
                QT_TRANSLATE_NOOP("sd::training", "An item does not belong to this order."), u"lineItems"_s);
        QJsonObject out{{u"id"_s, line.value(u"id"_s)}, {u"type"_s, line.value(u"type"_s)}};
        if (line.value(u"type"_s).toString() == u"QUANTITY") {
            const int q = line.value(u"quantity"_s).toInt();
            if (q < 1 || q > item.value(u"quantity"_s).toInt())
                return TrainingResponse::validation(u"Quantity exceeds the bought quantity"_s,
                                                    QT_TRANSLATE_NOOP("sd::training", "The quantity is not valid."),
                                                    u"lineItems.quantity"_s);
            total += minor(item.value(u"price"_s)) * q;
            out.insert(u"quantity"_s, q);
        } else {
            total += minor(line.value(u"value"_s));
            out.insert(u"value"_s, line.value(u"value"_s));
        }
        lines.append(out);
    }
    QJsonObject refund{{u"id"_s, uuid()},
                       {u"payment"_s, QJsonObject{{u"id"_s, paymentId}}},
                       {u"order"_s, QJsonObject{{u"id"_s, orderId}}},
                       {u"reason"_s, reason},
                       {u"createdAt"_s, iso(now)},
                       {u"lineItems"_s, lines}};
    if (body.contains(u"delivery"_s)) {
        total += minor(body.value(u"delivery"_s).toObject().value(u"value"_s));
        refund.insert(u"delivery"_s, body.value(u"delivery"_s));
    }
    if (body.contains(u"sellerComment"_s))
        refund.insert(u"sellerComment"_s, body.value(u"sellerComment"_s).toString().left(250));
    qint64 refunded = 0;
    for (const QJsonValue &existing : std::as_const(m_refunds)) {
        if (existing.toObject().value(u"payment"_s).toObject().value(u"id"_s).toString() == paymentId)
            refunded += minor(existing.toObject().value(u"totalValue"_s));
    }
    const qint64 paid = minor(payment.value(u"paidAmount"_s));
    if (total <= 0 || refunded + total > paid)
        return TrainingResponse::validation(
            u"Refund amount exceeds the paid amount"_s,
            QT_TRANSLATE_NOOP("sd::training", "The refund is larger than what is left of the payment."),
            u"totalValue"_s);
    refund.insert(u"totalValue"_s, price(total, currency));
    refund.insert(u"commandId"_s, commandId);
    m_refunds.append(refund);
    QJsonObject view = refundView(refund, now);
    view.remove(u"commandId"_s);
    return TrainingResponse::ok(view);
}

TrainingResponse TrainingShop::refunds(const QUrlQuery &query, qint64 now) const
{
    bool ok = true;
    const int limit = intParam(query, u"limit"_s, 50, &ok);
    bool ok2 = true;
    const int offset = intParam(query, u"offset"_s, 0, &ok2);
    if (!ok || !ok2 || limit < 1 || limit > 100 || offset < 0)
        return TrainingResponse::validation(u"limit must be 1..100"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The page size or offset is not valid."),
                                            u"limit"_s);
    const QString paymentId = query.queryItemValue(u"payment.id"_s);
    const QString orderId = query.queryItemValue(u"order.id"_s);
    QJsonArray matching;
    for (const QJsonValue &value : m_refunds) {
        const QJsonObject refund = value.toObject();
        if (!paymentId.isEmpty() && refund.value(u"payment"_s).toObject().value(u"id"_s).toString() != paymentId)
            continue;
        if (!orderId.isEmpty() && refund.value(u"order"_s).toObject().value(u"id"_s).toString() != orderId)
            continue;
        QJsonObject view = refundView(refund, now);
        view.remove(u"commandId"_s);
        matching.append(view);
    }
    const QJsonArray list = page(matching, offset, limit);
    return TrainingResponse::ok({{u"refunds"_s, list}, {u"count"_s, list.size()}, {u"totalCount"_s, matching.size()}});
}

TrainingResponse TrainingShop::addClaim(const QJsonObject &body, qint64 now)
{
    const QString lineItemId = body.value(u"lineItem"_s).toObject().value(u"id"_s).toString();
    const int quantity = body.value(u"quantity"_s).toInt();
    const Order *owner = nullptr;
    QJsonObject item;
    for (const Order &order : m_orders) {
        for (const QJsonValue &value : order.form.value(u"lineItems"_s).toArray()) {
            if (value.toObject().value(u"id"_s).toString() == lineItemId) {
                owner = &order;
                item = value.toObject();
            }
        }
    }
    if (!owner)
        return TrainingResponse::validation(u"Line item "_s + lineItemId + u" not found"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The item was not found."),
                                            u"lineItem.id"_s);
    for (const QJsonValue &claim : std::as_const(m_claims)) {
        if (claim.toObject().value(u"lineItem"_s).toObject().value(u"id"_s).toString() == lineItemId)
            return TrainingResponse::error(
                422, u"ClaimExistsException"_s, u"Refund claim for this line item already exists"_s,
                QT_TRANSLATE_NOOP("sd::training", "A commission refund was already claimed for this item."));
    }
    const qint64 boughtAt = msOf(item.value(u"boughtAt"_s));
    if (now > boughtAt + kClaimWindowDays * kDay)
        return TrainingResponse::error(
            422, u"CommissionRefundPeriodExpiredException"_s, u"Commission refund period expired"_s,
            QT_TRANSLATE_NOOP("sd::training", "The time to claim a commission refund has passed."));
    if (quantity < 1 || quantity > item.value(u"quantity"_s).toInt())
        return TrainingResponse::validation(u"quantity exceeds the bought quantity"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The quantity is not valid."),
                                            u"quantity"_s);
    const qint64 commission = (minor(item.value(u"price"_s)) * quantity * 10 + 50) / 100; // 10 %
    const QString id = uuid();
    m_claims.append(QJsonObject{
        {u"id"_s, id},
        {u"status"_s, u"IN_PROGRESS"_s},
        {u"quantity"_s, quantity},
        {u"commission"_s, QJsonObject{{u"amount"_s, double(commission) / 100.0},
                                      {u"currency"_s, item.value(u"price"_s).toObject().value(u"currency"_s)}}},
        {u"buyer"_s, QJsonObject{{u"id"_s, owner->form.value(u"buyer"_s).toObject().value(u"id"_s)}}},
        {u"createdAt"_s, iso(now)},
        {u"lineItem"_s,
         QJsonObject{{u"id"_s, lineItemId},
                     {u"quantity"_s, item.value(u"quantity"_s)},
                     {u"boughtAt"_s, item.value(u"boughtAt"_s)},
                     {u"offer"_s, QJsonObject{{u"id"_s, item.value(u"offer"_s).toObject().value(u"id"_s)}}}}},
        {u"type"_s, u"MANUAL"_s}});
    return TrainingResponse::ok({{u"id"_s, id}}, 201);
}

TrainingResponse TrainingShop::claims(const QUrlQuery &query) const
{
    bool ok = true;
    const int limit = intParam(query, u"limit"_s, 25, &ok);
    bool ok2 = true;
    const int offset = intParam(query, u"offset"_s, 0, &ok2);
    if (!ok || !ok2 || limit < 1 || limit > 100 || offset < 0)
        return TrainingResponse::validation(u"limit must be 1..100"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The page size or offset is not valid."),
                                            u"limit"_s);
    const QString offerId = query.queryItemValue(u"lineItem.offer.id"_s);
    const QString buyerId = query.queryItemValue(u"buyer.id"_s);
    const QStringList statuses = query.allQueryItemValues(u"status"_s);
    QJsonArray matching;
    for (const QJsonValue &value : m_claims) {
        const QJsonObject claim = value.toObject();
        if (!offerId.isEmpty() &&
            claim.value(u"lineItem"_s).toObject().value(u"offer"_s).toObject().value(u"id"_s).toString() != offerId)
            continue;
        if (!buyerId.isEmpty() && claim.value(u"buyer"_s).toObject().value(u"id"_s).toString() != buyerId)
            continue;
        if (!statuses.isEmpty() && !statuses.contains(claim.value(u"status"_s).toString()))
            continue;
        matching.append(claim);
    }
    const QJsonArray list = page(matching, offset, limit);
    return TrainingResponse::ok({{u"refundClaims"_s, list}, {u"count"_s, list.size()}});
}

TrainingResponse TrainingShop::claim(const QString &claimId) const
{
    for (const QJsonValue &claim : m_claims) {
        if (claim.toObject().value(u"id"_s).toString() == claimId)
            return TrainingResponse::ok(claim.toObject());
    }
    return TrainingResponse::error(404, u"ClaimNotFoundException"_s, u"Claim "_s + claimId + u" not found"_s,
                                   QT_TRANSLATE_NOOP("sd::training", "The commission refund claim was not found."));
}

TrainingResponse TrainingShop::deleteClaim(const QString &claimId)
{
    for (qsizetype i = 0; i < m_claims.size(); ++i) {
        QJsonObject claim = m_claims.at(i).toObject();
        if (claim.value(u"id"_s).toString() != claimId)
            continue;
        if (claim.value(u"status"_s).toString() != u"IN_PROGRESS")
            return TrainingResponse::validation(
                u"Claim has already been processed"_s,
                QT_TRANSLATE_NOOP("sd::training", "This claim has already been processed."));
        claim.insert(u"status"_s, u"CANCELLED"_s);
        m_claims[i] = claim;
        return TrainingResponse::empty(204);
    }
    return claim(claimId);
}

// ---------------------------------------------------------------------------------------------------------------
// Billing and the account

TrainingResponse TrainingShop::billing(const QUrlQuery &query) const
{
    const QString orderId = query.queryItemValue(u"order.id"_s);
    QJsonArray entries;
    for (const QString &id : m_orderIds) {
        if (!orderId.isEmpty() && id != orderId)
            continue;
        const QJsonObject &form = m_orders.find(id)->form;
        if (form.value(u"status"_s).toString() != u"READY_FOR_PROCESSING")
            continue;
        const QString currency = currencyOf(form);
        const qint64 at = msOf(form.value(u"updatedAt"_s));
        int n = 0;
        const auto entry = [&](const char *typeId, const char *typeName, const QJsonObject &offer, qint64 grosze) {
            QJsonObject e{
                {u"id"_s, QUuid::createUuidV5(QUuid(), id + QString::number(n++)).toString(QUuid::WithoutBraces)},
                {u"occurredAt"_s, iso(at)},
                {u"type"_s,
                 QJsonObject{{u"id"_s, QString::fromLatin1(typeId)}, {u"name"_s, QString::fromUtf8(typeName)}}},
                {u"value"_s, price(-grosze, currency)},
                {u"tax"_s, QJsonObject{{u"percentage"_s, u"23"_s}}},
                {u"order"_s, QJsonObject{{u"id"_s, id}}}};
            if (!offer.isEmpty())
                e.insert(u"offer"_s, QJsonObject{{u"id"_s, offer.value(u"id"_s)}, {u"name"_s, offer.value(u"name"_s)}});
            entries.append(e);
        };
        for (const QJsonValue &value : form.value(u"lineItems"_s).toArray()) {
            const QJsonObject item = value.toObject();
            const qint64 commission =
                (minor(item.value(u"price"_s)) * item.value(u"quantity"_s).toInt() * 10 + 50) / 100;
            entry("SUC", "Prowizja od sprzedaży", item.value(u"offer"_s).toObject(), commission);
        }
        const qint64 delivery = minor(form.value(u"delivery"_s).toObject().value(u"cost"_s));
        if (delivery > 0)
            entry("DPG", "Opłata za dostawę", {}, delivery * 40 / 100);
    }
    return TrainingResponse::ok({{u"billingEntries"_s, entries}});
}

TrainingResponse TrainingShop::me() const
{
    return TrainingResponse::ok(
        {{u"id"_s, QString::fromLatin1(kSellerId)},
         {u"login"_s, QString::fromLatin1(kSellerLogin)},
         {u"firstName"_s, u"Anna"_s},
         {u"lastName"_s, u"Szkoleniowa"_s},
         {u"email"_s, u"sklep.szkoleniowy@example.pl"_s},
         {u"baseMarketplace"_s, QJsonObject{{u"id"_s, u"allegro-pl"_s}}},
         {u"company"_s, QJsonObject{{u"name"_s, u"Sklep Szkoleniowy sp. z o.o."_s}, {u"taxId"_s, u"5260250274"_s}}},
         {u"features"_s, QJsonArray()}});
}

} // namespace sd::marketplace::training
