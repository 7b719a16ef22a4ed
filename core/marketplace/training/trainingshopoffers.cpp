// The training shop's offers: listing, edits with their operations, quantity and publication commands.
#include "marketplace/training/trainingshop_p.h"

using namespace Qt::StringLiterals;

namespace sd::marketplace::training {

using namespace shop;

QJsonObject TrainingShop::offerCopy(const QJsonObject &offer) const
{
    return offer;
}

QString TrainingShop::addOffer(const QString &name, const QString &externalId, const QString &format, int available,
                               qint64 now)
{
    const QString id = QString::number(9100000000LL + m_offerIds.size());
    QJsonObject offer{
        {u"id"_s, id},
        {u"name"_s, name},
        {u"category"_s, QJsonObject{{u"id"_s, u"257931"_s}}},
        {u"sellingMode"_s,
         QJsonObject{{u"format"_s, format},
                     {u"price"_s, QJsonObject{{u"amount"_s, u"49.99"_s}, {u"currency"_s, u"PLN"_s}}}}},
        {u"saleInfo"_s, QJsonObject{{u"biddersCount"_s, 0}}},
        {u"stock"_s, QJsonObject{{u"available"_s, available}, {u"sold"_s, 0}}},
        {u"stats"_s, QJsonObject{{u"watchersCount"_s, 0}, {u"visitsCount"_s, 0}}},
        {u"publication"_s,
         QJsonObject{{u"status"_s, available > 0 ? u"ACTIVE"_s : u"ENDED"_s},
                     {u"startedAt"_s, iso(now)},
                     {u"marketplaces"_s, QJsonObject{{u"base"_s, QJsonObject{{u"id"_s, u"allegro-pl"_s}}},
                                                     {u"additional"_s, QJsonArray()}}}}},
        {u"isFulfillment"_s, false},
    };
    if (!externalId.isEmpty())
        offer.insert(u"external"_s, QJsonObject{{u"id"_s, externalId}});
    m_offers.insert(id, offer);
    m_offerIds.append(id);
    return id;
}

bool TrainingShop::archiveOffer(const QString &offerId)
{
    if (!m_offers.remove(offerId))
        return false;
    m_offerIds.removeAll(offerId);
    return true;
}

TrainingResponse TrainingShop::offers(const QUrlQuery &query) const
{
    bool ok = true;
    const int limit = intParam(query, u"limit"_s, 20, &ok);
    bool ok2 = true;
    const int offset = intParam(query, u"offset"_s, 0, &ok2);
    if (!ok || !ok2 || limit < 1 || limit > 1000 || offset < 0)
        return TrainingResponse::validation(u"limit must be between 1 and 1000"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The page size or offset is not valid."),
                                            u"limit"_s);
    const QStringList ids = query.allQueryItemValues(u"offer.id"_s);
    const QStringList external = query.allQueryItemValues(u"external.id"_s, QUrl::FullyDecoded);
    const QStringList publication = query.allQueryItemValues(u"publication.status"_s);
    const QStringList formats = query.allQueryItemValues(u"sellingMode.format"_s);
    const QString name = query.queryItemValue(u"name"_s, QUrl::FullyDecoded);
    QJsonArray matching;
    // Newest first, as Allegro sorts by default.
    for (auto it = m_offerIds.crbegin(); it != m_offerIds.crend(); ++it) {
        const QJsonObject &offer = *m_offers.find(*it);
        if (!ids.isEmpty() && !ids.contains(*it))
            continue;
        if (!external.isEmpty() && !external.contains(offer.value(u"external"_s).toObject().value(u"id"_s).toString()))
            continue;
        if (!publication.isEmpty() &&
            !publication.contains(offer.value(u"publication"_s).toObject().value(u"status"_s).toString()))
            continue;
        if (!formats.isEmpty() &&
            !formats.contains(offer.value(u"sellingMode"_s).toObject().value(u"format"_s).toString()))
            continue;
        if (!name.isEmpty() && !offer.value(u"name"_s).toString().contains(name, Qt::CaseInsensitive))
            continue;
        matching.append(offerCopy(offer));
    }
    const QJsonArray list = page(matching, offset, limit);
    return TrainingResponse::ok({{u"offers"_s, list}, {u"count"_s, list.size()}, {u"totalCount"_s, matching.size()}});
}

QJsonObject TrainingShop::productOfferView(const QJsonObject &offer) const
{
    // GET /sale/product-offers/{id} has no list-only parts (saleInfo, stats) and no stock.sold.
    QJsonObject view = offer;
    view.remove(u"saleInfo"_s);
    view.remove(u"stats"_s);
    view.remove(u"isFulfillment"_s);
    view.insert(u"stock"_s, QJsonObject{{u"available"_s, offer.value(u"stock"_s).toObject().value(u"available"_s)},
                                        {u"unit"_s, u"UNIT"_s}});
    return view;
}

std::optional<TrainingResponse> TrainingShop::applyOfferPatch(QJsonObject &offer, const QJsonObject &body,
                                                              qint64 now) const
{
    if (body.contains(u"stock"_s)) {
        const QJsonValue available = body.value(u"stock"_s).toObject().value(u"available"_s);
        if (!available.isDouble() || available.toInt(-1) < 0)
            return TrainingResponse::validation(u"stock.available must be a non-negative integer"_s,
                                                QT_TRANSLATE_NOOP("sd::training", "The stock must be 0 or more."),
                                                u"stock.available"_s);
        offer = setPath(offer, u"stock"_s, u"available"_s, available.toInt());
        const QString status = offer.value(u"publication"_s).toObject().value(u"status"_s).toString();
        if (available.toInt() == 0 && (status == u"ACTIVE" || status == u"ACTIVATING")) {
            offer = setPath(offer, u"publication"_s, u"status"_s, u"ENDED"_s);
            offer = setPath(offer, u"publication"_s, u"endedAt"_s, iso(now));
        }
    }
    if (body.contains(u"sellingMode"_s)) {
        const QJsonObject newPrice = body.value(u"sellingMode"_s).toObject().value(u"price"_s).toObject();
        if (minor(newPrice) <= 0 || newPrice.value(u"currency"_s).toString().size() != 3)
            return TrainingResponse::validation(u"sellingMode.price is not valid"_s,
                                                QT_TRANSLATE_NOOP("sd::training", "The price is not valid."),
                                                u"sellingMode.price"_s);
        offer = setPath(offer, u"sellingMode"_s, u"price"_s,
                        price(minor(newPrice), newPrice.value(u"currency"_s).toString()));
    }
    if (body.contains(u"external"_s)) {
        const QString external = body.value(u"external"_s).toObject().value(u"id"_s).toString();
        if (external.size() > 100)
            return TrainingResponse::validation(u"external.id is longer than 100 characters"_s,
                                                QT_TRANSLATE_NOOP("sd::training", "The signature is too long."),
                                                u"external.id"_s);
        offer.insert(u"external"_s, QJsonObject{{u"id"_s, external}});
    }
    return std::nullopt;
}

TrainingResponse TrainingShop::productOffer(const QString &offerId, qint64 now)
{
    settleOperations(now);
    const auto it = m_offers.constFind(offerId);
    if (it == m_offers.cend())
        return TrainingResponse::error(404, u"NotFoundException"_s, u"Offer "_s + offerId + u" not found"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The offer was not found."));
    return TrainingResponse::ok(productOfferView(*it));
}

TrainingResponse TrainingShop::patchOffer(const QString &offerId, const QJsonObject &body, qint64 now)
{
    settleOperations(now);
    auto it = m_offers.find(offerId);
    if (it == m_offers.end())
        return TrainingResponse::error(404, u"NotFoundException"_s, u"Offer "_s + offerId + u" not found"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The offer was not found."));
    if (m_pendingEdits.contains(offerId))
        return TrainingResponse::error(
            409, u"OfferEditInProgressException"_s, u"The previous edition of the offer is still being processed"_s,
            QT_TRANSLATE_NOOP("sd::training", "The previous change of this offer is still being processed."));
    QJsonObject offer = *it;
    if (auto bad = applyOfferPatch(offer, body, now))
        return *bad;
    if (!body.contains(u"stock"_s) && !body.contains(u"sellingMode"_s)) {
        *it = offer;
        return TrainingResponse::ok(productOfferView(offer));
    }
    // Stock and price go through Allegro's asynchronous processing: accepted now, applied when the operation
    // completes. The answer shows the offer as it still is.
    const QString operationId = uuid();
    m_operations.insert(operationId, OfferOperation{offerId, body, now, 0, false});
    m_pendingEdits.insert(offerId, operationId);
    return TrainingResponse::ok(productOfferView(*it), 202)
        .withHeader("Location", "/sale/product-offers/" + offerId.toUtf8() + "/operations/" + operationId.toUtf8())
        .withHeader("Retry-After", "1");
}

void TrainingShop::completeOperation(OfferOperation &operation, qint64 now)
{
    operation.done = true;
    m_pendingEdits.remove(operation.offerId);
    auto it = m_offers.find(operation.offerId);
    if (it == m_offers.end())
        return;
    QJsonObject offer = *it;
    if (!applyOfferPatch(offer, operation.patch, now))
        *it = offer;
}

bool TrainingShop::settleOperations(qint64 now)
{
    bool any = false;
    for (auto it = m_operations.begin(); it != m_operations.end(); ++it) {
        if (!it->done && now >= it->startedAt + kCommandDelayMs) {
            completeOperation(*it, it->startedAt + kCommandDelayMs);
            any = true;
        }
    }
    return any;
}

TrainingResponse TrainingShop::offerOperation(const QString &offerId, const QString &operationId, qint64 now)
{
    settleOperations(now);
    auto it = m_operations.find(operationId);
    if (it == m_operations.end() || it->offerId != offerId)
        return TrainingResponse::error(404, u"NotFoundException"_s, u"Operation "_s + operationId + u" not found"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The operation was not found."));
    if (!it->done && ++it->polls > kOperationPolls)
        completeOperation(*it, now);
    if (it->done)
        return TrainingResponse::empty(303).withHeader("Location", "/sale/product-offers/" + offerId.toUtf8());
    return TrainingResponse::ok(
        {{u"offer"_s, QJsonObject{{u"id"_s, offerId}}},
         {u"operation"_s, QJsonObject{{u"id"_s, operationId},
                                      {u"status"_s, it->polls <= 1 ? u"PENDING"_s : u"IN_PROGRESS"_s},
                                      {u"startedAt"_s, iso(it->startedAt)}}}},
        202);
}

QJsonObject TrainingShop::reportView(const QString &id, const Command &command, qint64 now) const
{
    const bool done = now >= command.createdAt + kCommandDelayMs;
    int success = 0;
    int failed = 0;
    for (const QJsonValue &task : command.tasks)
        (task.toObject().value(u"status"_s).toString() == u"SUCCESS" ? success : failed) += 1;
    return {{u"id"_s, id},
            {u"createdAt"_s, iso(command.createdAt)},
            {u"completedAt"_s, done ? QJsonValue(iso(command.createdAt + kCommandDelayMs)) : QJsonValue::Null},
            {u"taskCount"_s, QJsonObject{{u"total"_s, command.tasks.size()},
                                         {u"success"_s, done ? success : 0},
                                         {u"failed"_s, done ? failed : 0}}}};
}

TrainingResponse TrainingShop::putCommand(const QString &kind, const QString &commandId, const QJsonObject &body,
                                          qint64 now)
{
    const bool quantity = kind == u"quantity";
    QHash<QString, Command> &commands = m_commands[quantity ? 0 : 1];
    if (!isUuid(commandId))
        return TrainingResponse::validation(u"Command id must be a UUID"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The command id is not valid."),
                                            u"commandId"_s);
    if (commands.contains(commandId))
        return TrainingResponse::error(409, u"CONFLICT"_s, u"Command id was already used"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "This command was already sent."));
    QString changeType;
    int value = 0;
    QString action;
    if (quantity) {
        const QJsonObject modification = body.value(u"modification"_s).toObject();
        changeType = modification.value(u"changeType"_s).toString();
        value = modification.value(u"value"_s).toInt();
        if ((changeType != u"FIXED" && changeType != u"GAIN") || !modification.value(u"value"_s).isDouble())
            return TrainingResponse::validation(u"modification.changeType must be FIXED or GAIN with a value"_s,
                                                QT_TRANSLATE_NOOP("sd::training", "The stock change is not valid."),
                                                u"modification"_s);
    } else {
        action = body.value(u"publication"_s).toObject().value(u"action"_s).toString();
        if (action != u"ACTIVATE" && action != u"END")
            return TrainingResponse::validation(
                u"publication.action must be ACTIVATE or END"_s,
                QT_TRANSLATE_NOOP("sd::training", "The publication change is not valid."), u"publication.action"_s);
    }
    QStringList offerIds;
    for (const QJsonValue &criterion : body.value(u"offerCriteria"_s).toArray()) {
        const QJsonArray offersOf = criterion.toObject().value(u"offers"_s).toArray();
        if (criterion.toObject().value(u"type"_s).toString() != u"CONTAINS_OFFERS" || offersOf.size() > 1000)
            return TrainingResponse::validation(u"offerCriteria must be CONTAINS_OFFERS with at most 1000 offers"_s,
                                                QT_TRANSLATE_NOOP("sd::training", "The list of offers is not valid."),
                                                u"offerCriteria"_s);
        for (const QJsonValue &offer : offersOf)
            offerIds.append(offer.toObject().value(u"id"_s).toString());
    }
    if (offerIds.isEmpty())
        return TrainingResponse::validation(u"offerCriteria is empty"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The list of offers is not valid."),
                                            u"offerCriteria"_s);
    Command command;
    command.createdAt = now;
    for (const QString &offerId : std::as_const(offerIds)) {
        QJsonObject task{{u"offer"_s, QJsonObject{{u"id"_s, offerId}}}};
        QString failure;
        const char *userFailure = nullptr;
        auto offer = m_offers.find(offerId);
        if (offer == m_offers.end()) {
            failure = u"The offer does not exist."_s;
            userFailure = QT_TRANSLATE_NOOP("sd::training", "The offer does not exist.");
        } else if (quantity) {
            const int current = offer->value(u"stock"_s).toObject().value(u"available"_s).toInt();
            const int next = changeType == u"FIXED" ? value : current + value;
            if (next < 0 || (changeType == u"FIXED" && value <= 0)) {
                failure = u"The quantity must be greater than 0."_s;
                userFailure = QT_TRANSLATE_NOOP("sd::training", "The quantity must be greater than 0.");
            } else {
                *offer = setPath(*offer, u"stock"_s, u"available"_s, next);
                if (next == 0)
                    *offer = setPath(*offer, u"publication"_s, u"status"_s, u"ENDED"_s);
            }
        } else {
            const QString status = offer->value(u"publication"_s).toObject().value(u"status"_s).toString();
            if (action == u"END") {
                *offer = setPath(*offer, u"publication"_s, u"status"_s, u"ENDED"_s);
                *offer = setPath(*offer, u"publication"_s, u"endedAt"_s, iso(now));
            } else if (offer->value(u"stock"_s).toObject().value(u"available"_s).toInt() <= 0) {
                failure = u"Offer cannot be activated with no stock."_s;
                userFailure = QT_TRANSLATE_NOOP("sd::training", "An offer without stock cannot be activated.");
            } else if (status != u"ACTIVE") {
                *offer = setPath(*offer, u"publication"_s, u"status"_s, u"ACTIVE"_s);
                *offer = setPath(*offer, u"publication"_s, u"startedAt"_s, iso(now));
            }
        }
        if (failure.isEmpty()) {
            task.insert(u"status"_s, u"SUCCESS"_s);
        } else {
            task.insert(u"status"_s, u"FAIL"_s);
            task.insert(u"message"_s, failure);
            task.insert(u"field"_s, quantity ? u"stock.available"_s : u"publication.status"_s);
            // The error object is stored rendered in English; its userMessage source is kept for reference.
            task.insert(u"errors"_s, QJsonArray{QJsonObject{{u"code"_s, u"VALIDATION_ERROR"_s},
                                                            {u"message"_s, failure},
                                                            {u"details"_s, QJsonValue::Null},
                                                            {u"path"_s, QJsonValue::Null},
                                                            {u"userMessage"_s, QString::fromUtf8(userFailure)},
                                                            {u"metadata"_s, QJsonObject()}}});
        }
        command.tasks.append(task);
    }
    commands.insert(commandId, command);
    return TrainingResponse::ok(reportView(commandId, command, now), 201);
}

TrainingResponse TrainingShop::command(const QString &kind, const QString &commandId, qint64 now) const
{
    const auto &commands = m_commands[kind == u"quantity" ? 0 : 1];
    const auto it = commands.constFind(commandId);
    if (it == commands.cend())
        return TrainingResponse::error(404, u"NotFoundException"_s, u"Command "_s + commandId + u" not found"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The command was not found."));
    return TrainingResponse::ok(reportView(commandId, *it, now));
}

TrainingResponse TrainingShop::commandTasks(const QString &kind, const QString &commandId, const QUrlQuery &query,
                                            qint64 now) const
{
    const auto &commands = m_commands[kind == u"quantity" ? 0 : 1];
    const auto it = commands.constFind(commandId);
    if (it == commands.cend())
        return TrainingResponse::error(404, u"NotFoundException"_s, u"Command "_s + commandId + u" not found"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "The command was not found."));
    bool ok = true;
    const int limit = intParam(query, u"limit"_s, 100, &ok);
    bool ok2 = true;
    const int offset = intParam(query, u"offset"_s, 0, &ok2);
    if (!ok || !ok2 || limit < 1 || limit > 1000 || offset < 0 || offset > 999)
        return TrainingResponse::validation(u"limit must be 1..1000 and offset 0..999"_s,
                                            QT_TRANSLATE_NOOP("sd::training", "The page size or offset is not valid."),
                                            u"limit"_s);
    QJsonArray tasks = page(it->tasks, offset, limit);
    if (now < it->createdAt + kCommandDelayMs) {
        for (qsizetype i = 0; i < tasks.size(); ++i)
            tasks[i] = QJsonObject{{u"offer"_s, tasks.at(i).toObject().value(u"offer"_s)}, {u"status"_s, u"NEW"_s}};
    }
    return TrainingResponse::ok({{u"tasks"_s, tasks}});
}

} // namespace sd::marketplace::training
