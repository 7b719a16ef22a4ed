#include "marketplace/allegro/selleractions.h"

#include "access/session.h"
#include "marketplace/orderimporter.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QSet>
#include <QUuid>

namespace sd::marketplace::allegro {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::allegro", text);
}

// The namespace of SellerDesk's name-based command UUIDs (a fixed random UUID).
const QUuid kCommandNamespace(QStringLiteral("6f1f7c2e-4b8a-4f0e-9d55-0c7a3e2b9a41"));

const QString kQuantityCommands = QStringLiteral("offer-quantity-change-commands");
const QString kPublicationCommands = QStringLiteral("offer-publication-commands");

bool isDeliveredOrReturned(const QString &code)
{
    return code == u"DELIVERED" || code == u"RETURNED" || code == u"PICKED_UP";
}

} // namespace

SellerActions::SellerActions(AllegroClient &client, storage::OrderStore &store, storage::ActionLedger &ledger,
                             AllegroRecords &records, QString owner)
    : m_client(client)
    , m_store(store)
    , m_ledger(ledger)
    , m_records(records)
    , m_owner(std::move(owner))
{}

QString SellerActions::commandIdFor(const QString &key)
{
    return QUuid::createUuidV5(kCommandNamespace, key).toString(QUuid::WithoutBraces);
}

template<typename Work>
Result<ActionOutcome> SellerActions::ledgered(const QString &key, const QString &action, qint64 orderId, Work work,
                                              Repeat repeat)
{
    auto claim = m_ledger.claim(key, action, orderId, m_owner);
    if (!claim)
        return claim.error();
    if (*claim == storage::ActionLedger::Claim::InProgress && repeat == Repeat::SameIdIsRecognised) {
        // Left pending by a crash after (or before) the call: Allegro knows the id, so sending it again is safe.
        auto entry = m_ledger.find(key);
        if (!entry)
            return entry.error();
        if (entry->has_value() &&
            (*entry)->updatedAt.secsTo(QDateTime::currentDateTimeUtc()) >= m_abandonedAfterSeconds) {
            qCWarning(lcAllegro).noquote() << action << key << "was left pending since" << (*entry)->updatedAt
                                           << "; sending it again under the same id";
            if (auto r = m_ledger.fail(key, QStringLiteral("abandoned")); !r)
                return r.error();
            claim = storage::ActionLedger::Claim::FailedBefore;
        }
    }
    if (*claim == storage::ActionLedger::Claim::FailedBefore) {
        claim = m_ledger.claimRetry(key, m_owner);
        if (!claim)
            return claim.error();
    }
    if (*claim == storage::ActionLedger::Claim::AlreadyDone) {
        auto entry = m_ledger.find(key);
        if (!entry)
            return entry.error();
        ActionOutcome outcome;
        outcome.alreadyDone = true;
        if (entry->has_value())
            outcome.result = (*entry)->result;
        qCInfo(lcAllegro).noquote() << action << key << "skipped: already done";
        return outcome;
    }
    if (*claim != storage::ActionLedger::Claim::Claimed)
        return makeError(Error::Code::Conflict, tr("This action is being done by another workstation right now."), key);
    Result<QJsonObject> result = work();
    if (!result) {
        (void)m_ledger.fail(key, result.error().detail.isEmpty() ? result.error().userMessage : result.error().detail);
        return result.error();
    }
    if (auto r = m_ledger.complete(key, *result); !r)
        return r.error();
    ActionOutcome outcome;
    outcome.performed = true;
    outcome.result = *result;
    return outcome;
}

Result<domain::Order> SellerActions::orderFor(qint64 orderId)
{
    auto order = m_store.load(orderId);
    if (!order)
        return order.error();
    if (order->externalId.isEmpty() || order->account != m_client.account().orderAccountKey())
        return makeError(Error::Code::Invalid,
                         tr("This order does not come from the Allegro account %1.").arg(m_client.account().name));
    return order;
}

Result<void> SellerActions::reimport(const QString &checkoutFormId)
{
    auto form = m_client.checkoutForm(checkoutFormId);
    if (!form)
        return form.error();
    OrderImporter importer(m_store, m_client.account().orderAccountKey());
    const ImportReport report = importer.importJson(*form);
    if (!report.rejected.isEmpty())
        return makeError(Error::Code::Invalid, report.rejected.first().reason, checkoutFormId);
    return {};
}

Result<ActionOutcome> SellerActions::setFulfillmentStatus(const QString &key, qint64 orderId, const QString &status)
{
    return ledgered(key, QStringLiteral("allegro.fulfillment"), orderId, [&]() -> Result<QJsonObject> {
        auto order = orderFor(orderId);
        if (!order)
            return order.error();
        auto sent = m_client.setFulfillmentStatus(order->externalId, status, order->revision);
        if (!sent && sent.error().code == Error::Code::Conflict) {
            // Stale revision: someone changed the order meanwhile. Read it again and try once more.
            qCInfo(lcAllegro) << "fulfillment of" << order->externalId << "conflicts; re-reading the order";
            if (auto r = reimport(order->externalId); !r)
                return r.error();
            order = orderFor(orderId);
            if (!order)
                return order.error();
            sent = m_client.setFulfillmentStatus(order->externalId, status, order->revision);
        }
        if (!sent)
            return sent.error();
        if (auto r = reimport(order->externalId); !r)
            qCWarning(lcAllegro) << "re-reading" << order->externalId
                                 << "after fulfillment failed:" << r.error().text();
        return QJsonObject{{u"status"_qs, status}};
    });
}

Result<void> SellerActions::recordShipmentOnOrder(qint64 orderId, const QString &carrierId, const QString &waybill,
                                                  const QString &status, const QString &reason)
{
    auto changed = m_store.apply(
        storage::OrderChange::update(orderId,
                                     [&](domain::Order &order) -> Result<void> {
                                         for (domain::Shipment &shipment : order.shipments) {
                                             if (shipment.carrierId == carrierId && shipment.waybill == waybill) {
                                                 if (!status.isEmpty())
                                                     shipment.status = status;
                                                 return {};
                                             }
                                         }
                                         order.shipments.append({carrierId, waybill, status, {}});
                                         return {};
                                     },
                                     {QStringLiteral("marketplace:allegro"), reason, 0}));
    if (!changed)
        return changed.error();
    return {};
}

Result<ActionOutcome> SellerActions::addShipment(const QString &key, qint64 orderId, const QString &carrierId,
                                                 const QString &waybill, const QString &carrierName)
{
    return ledgered(key, QStringLiteral("allegro.shipment"), orderId, [&]() -> Result<QJsonObject> {
        auto order = orderFor(orderId);
        if (!order)
            return order.error();
        auto added = m_client.addShipment(order->externalId, carrierId, waybill, carrierName);
        if (!added)
            return added.error();
        Shipment shipment;
        shipment.orderId = orderId;
        shipment.accountId = m_client.account().id;
        shipment.carrierId = carrierId;
        shipment.carrierName = carrierName;
        shipment.waybill = waybill;
        shipment.externalId = added->value(u"id").toString();
        storage::Transaction tx(m_records.database(), "record shipment");
        if (!tx.started())
            return tx.started().error();
        if (auto stored = m_records.addShipment(shipment); !stored)
            return stored.error();
        if (auto r = recordShipmentOnOrder(orderId, carrierId, waybill, {}, QStringLiteral("shipment added")); !r)
            return r.error();
        if (auto r = tx.commit(); !r)
            return r.error();
        return QJsonObject{{u"shipmentId"_qs, shipment.externalId}, {u"waybill"_qs, waybill}};
    });
}

Result<ActionOutcome> SellerActions::uploadInvoice(const QString &key, qint64 orderId, const QString &invoiceNumber,
                                                   const QString &fileName, const QByteArray &pdf)
{
    return ledgered(key, QStringLiteral("allegro.invoice"), orderId, [&]() -> Result<QJsonObject> {
        auto order = orderFor(orderId);
        if (!order)
            return order.error();
        // The metadata step is its own ledger entry: a retry after it resumes at the file.
        auto metadata = ledgered(key + u"/metadata", QStringLiteral("allegro.invoice-metadata"), orderId,
                                 [&]() -> Result<QJsonObject> {
                                     auto id = m_client.addInvoiceMetadata(order->externalId, fileName, invoiceNumber);
                                     if (!id)
                                         return id.error();
                                     return QJsonObject{{u"invoiceId"_qs, *id}};
                                 });
        if (!metadata)
            return metadata.error();
        const QString invoiceId = metadata->result.value(u"invoiceId").toString();
        if (auto r = m_client.uploadInvoiceFile(order->externalId, invoiceId, pdf); !r)
            return r.error();
        return QJsonObject{{u"invoiceId"_qs, invoiceId}, {u"resumed"_qs, metadata->alreadyDone}};
    });
}

Result<QJsonObject> SellerActions::sendCommand(const QString &key, const QString &kind, const QStringList &offerIds,
                                               const std::function<Result<QJsonObject>(const QString &)> &send)
{
    // The UUID is in the ledger before the call, so a retry sends the same one.
    auto id = ledgered(key + u"/command-id", QStringLiteral("allegro.command-id"), 0, [&]() -> Result<QJsonObject> {
        return QJsonObject{{u"commandId"_qs, commandIdFor(key)}};
    });
    if (!id)
        return id.error();
    const QString commandId = id->result.value(u"commandId").toString();
    auto report = send(commandId);
    if (!report && report.error().code == Error::Code::Conflict) {
        // Allegro knows this id. Ours, sent before with the answer lost, if its tasks are our offers; anything
        // else is a reuse of the id for another change, which must not pass for this one.
        auto tasks = m_client.commandTasks(kind, commandId);
        if (!tasks)
            return tasks.error();
        QSet<QString> named;
        for (const QJsonValue &task : *tasks)
            named.insert(task.toObject().value(u"offer").toObject().value(u"id").toString());
        if (named != QSet<QString>(offerIds.cbegin(), offerIds.cend()))
            return makeError(Error::Code::Conflict,
                             tr("The command id %1 was already used for another change of offers; this change was "
                                "not sent.")
                                 .arg(commandId),
                             key + u": " + report.error().detail);
        report = m_client.commandReport(kind, commandId);
    }
    if (!report)
        return report.error();
    return QJsonObject{{u"commandId"_qs, commandId}, {u"kind"_qs, kind}, {u"report"_qs, *report}};
}

Result<ActionOutcome> SellerActions::changeQuantity(const QString &key, const QStringList &offerIds, int quantity)
{
    return ledgered(
        key, QStringLiteral("allegro.quantity"), 0,
        [&]() -> Result<QJsonObject> {
            return sendCommand(key, kQuantityCommands, offerIds, [&](const QString &commandId) {
                return m_client.quantityCommand(commandId, offerIds, quantity);
            });
        },
        Repeat::SameIdIsRecognised);
}

Result<ActionOutcome> SellerActions::changePublication(const QString &key, const QStringList &offerIds, bool activate)
{
    return ledgered(
        key, QStringLiteral("allegro.publication"), 0,
        [&]() -> Result<QJsonObject> {
            return sendCommand(key, kPublicationCommands, offerIds, [&](const QString &commandId) {
                return m_client.publicationCommand(commandId, offerIds, activate);
            });
        },
        Repeat::SameIdIsRecognised);
}

Result<ActionOutcome> SellerActions::editOffer(const QString &key, const QString &offerId, const QJsonObject &patch)
{
    return ledgered(
        key, QStringLiteral("allegro.offer-edit"), 0,
        [&]() -> Result<QJsonObject> {
            auto offer = m_client.editOffer(offerId, patch);
            if (!offer)
                return offer.error();
            QJsonObject seen{{u"id"_qs, offer->value(u"id").toString(offerId)}};
            for (const QString &part : {u"stock"_qs, u"sellingMode"_qs, u"external"_qs}) {
                if (offer->contains(part))
                    seen.insert(part, offer->value(part));
            }
            const QString status = offer->value(u"publication").toObject().value(u"status").toString();
            if (!status.isEmpty())
                seen.insert(u"publication"_qs, QJsonObject{{u"status"_qs, status}});
            return QJsonObject{{u"offerId"_qs, offerId}, {u"offer"_qs, seen}};
        },
        // Absolute values: sending the edit again after a crash sets the same, it cannot apply it twice.
        Repeat::SameIdIsRecognised);
}

Result<ActionOutcome> SellerActions::setOfferStock(const QString &key, const QString &offerId, int available)
{
    if (available < 0)
        return makeError(Error::Code::Invalid, tr("The stock must be 0 or more."), offerId);
    return editOffer(key, offerId, QJsonObject{{u"stock"_qs, QJsonObject{{u"available"_qs, available}}}});
}

Result<ActionOutcome> SellerActions::setOfferExternalId(const QString &key, const QString &offerId,
                                                        const QString &externalId)
{
    if (externalId.size() > 100)
        return makeError(Error::Code::Invalid, tr("The offer's signature (external id) is longer than 100 characters."),
                         offerId);
    return editOffer(key, offerId, QJsonObject{{u"external"_qs, QJsonObject{{u"id"_qs, externalId}}}});
}

Result<QJsonObject> SellerActions::commandStatus(const QString &key)
{
    auto entry = m_ledger.find(key);
    if (!entry)
        return entry.error();
    if (!entry->has_value() || (*entry)->result.value(u"commandId").toString().isEmpty())
        return makeError(Error::Code::NotFound, tr("No offer command was sent for this action."), key);
    const QString commandId = (*entry)->result.value(u"commandId").toString();
    const QString kind = (*entry)->result.value(u"kind").toString();
    auto report = m_client.commandReport(kind, commandId);
    if (!report)
        return report.error();
    auto tasks = m_client.commandTasks(kind, commandId);
    if (!tasks)
        return tasks.error();
    return QJsonObject{{u"report"_qs, *report}, {u"tasks"_qs, *tasks}};
}

Result<ActionOutcome> SellerActions::replyToThread(const QString &key, const QString &threadId, const QString &text)
{
    return ledgered(key, QStringLiteral("allegro.message"), 0, [&]() -> Result<QJsonObject> {
        auto message = m_client.replyInThread(threadId, text);
        if (!message)
            return message.error();
        return QJsonObject{{u"messageId"_qs, message->value(u"id").toString()}, {u"threadId"_qs, threadId}};
    });
}

Result<ActionOutcome> SellerActions::replyToIssue(const QString &key, const QString &issueId, const QString &text)
{
    return ledgered(key, QStringLiteral("allegro.issueMessage"), 0, [&]() -> Result<QJsonObject> {
        auto message = m_client.replyInIssue(issueId, text);
        if (!message)
            return message.error();
        return QJsonObject{{u"messageId"_qs, message->value(u"id").toString()}, {u"issueId"_qs, issueId}};
    });
}

Result<ActionOutcome> SellerActions::refundPayment(const QString &key, qint64 orderId, const QJsonObject &refund)
{
    // Rules' keys start with "rule:" and pass; a person needs the Refund permission.
    if (auto r = access::require(access::Permission::Refund, key); !r)
        return r.error();
    return ledgered(
        key, QStringLiteral("allegro.refund"), orderId,
        [&]() -> Result<QJsonObject> {
            auto order = orderFor(orderId);
            if (!order)
                return order.error();
            if (order->payment.externalId.isEmpty())
                return makeError(Error::Code::Invalid, tr("The order has no Allegro payment to refund."));
            QJsonObject body = refund;
            const QString commandId = commandIdFor(key);
            body.insert(u"commandId"_qs, commandId);
            body.insert(u"payment"_qs, QJsonObject{{u"id"_qs, order->payment.externalId}});
            body.insert(u"order"_qs, QJsonObject{{u"id"_qs, order->externalId}});
            if (!body.contains(u"reason"))
                body.insert(u"reason"_qs, u"REFUND"_qs);
            auto details = m_client.paymentRefund(body);
            if (!details)
                return details.error();
            RefundRecord record;
            record.kind = RefundRecord::Kind::Payment;
            record.accountId = m_client.account().id;
            record.orderId = orderId;
            record.commandId = commandId;
            record.externalId = details->value(u"id").toString();
            record.status = details->value(u"status").toString();
            if (auto r = m_records.storeRefund(record); !r)
                return r.error();
            return QJsonObject{
                {u"refundId"_qs, record.externalId}, {u"commandId"_qs, commandId}, {u"status"_qs, record.status}};
        },
        Repeat::SameIdIsRecognised);
}

Result<ActionOutcome> SellerActions::claimCommissionRefunds(const QString &key, qint64 orderId)
{
    if (auto r = access::require(access::Permission::Refund, key); !r)
        return r.error();
    auto order = orderFor(orderId);
    if (!order)
        return order.error();
    ActionOutcome all;
    all.alreadyDone = true;
    QJsonArray claims;
    for (const domain::LineItem &item : order->items) {
        if (item.externalId.isEmpty())
            continue;
        const QString itemKey = key + u"/line:" + item.externalId;
        auto outcome =
            ledgered(itemKey, QStringLiteral("allegro.commission-claim"), orderId, [&]() -> Result<QJsonObject> {
                auto claim = m_client.commissionRefundClaim(item.externalId, item.quantity);
                QJsonObject result{{u"lineItemId"_qs, item.externalId}};
                if (!claim) {
                    // One claim per line item, whoever made it: an existing one is the outcome we wanted.
                    if (!claim.error().detail.contains(u"ClaimExistsException"))
                        return claim.error();
                    result.insert(u"existing"_qs, true);
                } else {
                    result.insert(u"claimId"_qs, claim->value(u"id").toString());
                }
                RefundRecord record;
                record.kind = RefundRecord::Kind::Commission;
                record.accountId = m_client.account().id;
                record.orderId = orderId;
                record.commandId = itemKey;
                record.lineItemId = item.externalId;
                record.externalId = result.value(u"claimId").toString();
                record.status = result.value(u"existing").toBool() ? u"EXISTING"_qs : u"IN_PROGRESS"_qs;
                if (auto r = m_records.storeRefund(record); !r)
                    return r.error();
                return result;
            });
        if (!outcome)
            return outcome.error();
        all.performed = all.performed || outcome->performed;
        all.alreadyDone = all.alreadyDone && outcome->alreadyDone;
        claims.append(outcome->result);
    }
    all.result = QJsonObject{{u"claims"_qs, claims}};
    return all;
}

Result<int> SellerActions::pollTracking()
{
    auto open = m_records.openShipments(m_client.account().id);
    if (!open)
        return open.error();
    QHash<QString, QList<Shipment>> byCarrier;
    for (const Shipment &s : *open)
        byCarrier[s.carrierId].append(s);
    int changed = 0;
    for (auto it = byCarrier.cbegin(); it != byCarrier.cend(); ++it) {
        const QList<Shipment> &list = it.value();
        for (qsizetype first = 0; first < list.size(); first += 20) {
            QStringList waybills;
            for (qsizetype i = first; i < qMin(list.size(), first + 20); ++i)
                waybills.append(list.at(i).waybill);
            auto tracking = m_client.carrierTracking(it.key(), waybills);
            if (!tracking)
                return tracking.error();
            for (const QJsonValue &value : tracking->value(u"waybills").toArray()) {
                const QJsonObject history = value.toObject();
                const QJsonArray statuses = history.value(u"trackingDetails").toObject().value(u"statuses").toArray();
                if (statuses.isEmpty())
                    continue;
                const QString code = statuses.last().toObject().value(u"code").toString();
                for (qsizetype i = first; i < qMin(list.size(), first + 20); ++i) {
                    const Shipment &s = list.at(i);
                    if (s.waybill != history.value(u"waybill").toString() || s.trackingStatus == code)
                        continue;
                    // The record and the order change (history, event for the automation) together or not at all.
                    storage::Transaction tx(m_records.database(), "record tracking");
                    if (!tx.started())
                        return tx.started().error();
                    if (auto r = m_records.setTracking(s.id, code, isDeliveredOrReturned(code)); !r)
                        return r.error();
                    if (auto r =
                            recordShipmentOnOrder(s.orderId, s.carrierId, s.waybill, code, QStringLiteral("tracking"));
                        !r)
                        return r.error();
                    if (auto r = tx.commit(); !r)
                        return r.error();
                    ++changed;
                }
            }
        }
    }
    return changed;
}

Result<int> SellerActions::downloadBilling(qint64 orderId)
{
    auto order = orderFor(orderId);
    if (!order)
        return order.error();
    auto entries = m_client.billingEntries(order->externalId);
    if (!entries)
        return entries.error();
    QList<BillingEntry> list;
    for (const QJsonValue &value : *entries) {
        const QJsonObject o = value.toObject();
        const QJsonObject money = o.value(u"value").toObject();
        auto amount = domain::Money::parse(money.value(u"amount").toString(), money.value(u"currency").toString());
        if (!amount)
            continue;
        BillingEntry e;
        e.id = o.value(u"id").toString();
        e.orderId = orderId;
        e.typeId = o.value(u"type").toObject().value(u"id").toString();
        e.typeName = o.value(u"type").toObject().value(u"name").toString();
        e.value = *amount;
        e.occurredAt = QDateTime::fromString(o.value(u"occurredAt").toString(), Qt::ISODateWithMs);
        list.append(e);
    }
    if (auto r = m_records.storeBilling(m_client.account().id, orderId, list); !r)
        return r.error();
    return int(list.size());
}

Result<int> SellerActions::refreshOffers()
{
    int stored = 0;
    for (int offset = 0;; offset += 1000) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1000"));
        query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
        auto page = m_client.offers(query);
        if (!page)
            return page.error();
        const QJsonArray offers = page->value(u"offers").toArray();
        if (auto r = m_records.storeOffers(m_client.account().id, offers); !r)
            return r.error();
        stored += int(offers.size());
        if (offers.size() < 1000 || offset + 2000 > 10000000)
            break;
    }
    return stored;
}

Result<int> SellerActions::refreshThreads()
{
    int stored = 0;
    for (int offset = 0; offset < 2000; offset += 20) {
        auto threads = m_client.messageThreads(offset, 20);
        if (!threads)
            return threads.error();
        if (auto r = m_records.storeThreads(m_client.account().id, *threads); !r)
            return r.error();
        stored += int(threads->size());
        if (threads->size() < 20)
            break;
    }
    return stored;
}

} // namespace sd::marketplace::allegro
