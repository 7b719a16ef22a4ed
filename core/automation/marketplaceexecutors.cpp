#include "automation/marketplaceexecutors.h"

#include "automation/catalog.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/selleractions.h"
#include "messaging/messagecenter.h"
#include "messaging/messagetemplates.h"
#include "storage/actionledger.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>

namespace sd::automation {

namespace {

using marketplace::allegro::SellerActions;

ActionOutcome failure(const QString &message, bool retry, QJsonObject detail = {})
{
    return {ActionOutcome::Kind::Failed, message, std::move(detail), retry};
}

// A network failure, a 5xx, a 429 or a token that could not be refreshed (Io), or our own ledger entry still
// held by another attempt (Conflict) may pass; a 4xx (Invalid, NotFound) will not.
bool worthRetrying(const Error &error)
{
    return error.code == Error::Code::Io || error.code == Error::Code::Conflict || error.code == Error::Code::Storage ||
           error.code == Error::Code::Locked;
}

ActionOutcome failedWith(const Error &error)
{
    return failure(QCoreApplication::translate("sd::automation::MarketplaceExecutor", "The marketplace refused it: %1")
                       .arg(error.userMessage),
                   worthRetrying(error), {{u"error"_qs, error.userMessage}});
}

} // namespace

MarketplaceExecutor::MarketplaceExecutor(Kind kind, std::shared_ptr<const MarketplaceAccess> access)
    : m_kind(kind)
    , m_access(std::move(access))
{}

QJsonObject MarketplaceExecutor::fullRefund(const domain::Order &order)
{
    QJsonArray lines;
    for (const domain::LineItem &item : order.items)
        if (!item.externalId.isEmpty())
            lines.append(QJsonObject{
                {u"id"_qs, item.externalId}, {u"type"_qs, u"QUANTITY"_qs}, {u"quantity"_qs, item.quantity}});
    QJsonObject body{{u"reason"_qs, order.marketplaceStatus == u"CANCELLED" ? u"CANCELLED_BY_BUYER"_qs : u"REFUND"_qs},
                     {u"lineItems"_qs, lines}};
    if (!order.delivery.cost.isNull() && order.delivery.cost.minor() > 0)
        body.insert(u"delivery"_qs,
                    QJsonObject{{u"value"_qs, QJsonObject{{u"amount"_qs, order.delivery.cost.toDecimalString()},
                                                          {u"currency"_qs, order.delivery.cost.currency()}}}});
    return body;
}

ActionOutcome MarketplaceExecutor::run(const ActionRun &run, ExecutorEnv &env)
{
    const domain::Order &order = run.order;
    if (!order.marketplace.startsWith(u"allegro") || order.externalId.isEmpty())
        return failure(
            QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                        "The order does not come from an Allegro account; nothing was sent."),
            false);
    bool numeric = false;
    const qint64 accountId = order.account.toLongLong(&numeric);
    if (!numeric)
        return failure(QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                   "The order's marketplace account is not known; nothing was sent."),
                       false);
    if (!m_access || !m_access->secrets)
        return failure(
            QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                        "The secret store with the marketplace tokens is not open; nothing was sent."),
            false);
    marketplace::AccountStore accounts(env.store.sharedDatabase());
    auto account = accounts.get(accountId);
    if (!account)
        return failure(QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                   "The order's marketplace account is gone: %1")
                           .arg(account.error().userMessage),
                       false);
    if (!account->connected)
        return failure(QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                   "The account %1 is not connected to Allegro; nothing was sent.")
                           .arg(account->name),
                       false);

    marketplace::allegro::AllegroClient client(*account, env.store.sharedDatabase(), m_access->secrets,
                                               m_access->options);
    storage::ActionLedger ledger(env.store.sharedDatabase());
    marketplace::allegro::AllegroRecords records(env.store.sharedDatabase());
    SellerActions actions(client, env.store, ledger, records, u"automation"_qs);

    switch (m_kind) {
    case Kind::MarkShipped: {
        // Tracking numbers Allegro has already (a label uploaded them) are not sent again.
        auto known = records.shipments(order.id);
        if (!known)
            return failedWith(known.error());
        QSet<QString> uploaded;
        for (const auto &shipment : *known)
            if (!shipment.externalId.isEmpty())
                uploaded.insert(shipment.waybill);
        QJsonArray sent;
        for (const domain::Shipment &shipment : order.shipments) {
            if (shipment.waybill.isEmpty() || uploaded.contains(shipment.waybill))
                continue;
            auto added = actions.addShipment(run.key + u"/shipment:" + shipment.waybill, order.id, shipment.carrierId,
                                             shipment.waybill);
            if (!added)
                return failedWith(added.error());
            sent.append(shipment.waybill);
        }
        auto status = actions.setFulfillmentStatus(run.key + u"/fulfillment", order.id, u"SENT"_qs);
        if (!status)
            return failedWith(status.error());
        const QJsonObject detail{{u"fulfillment"_qs, u"SENT"_qs}, {u"waybills"_qs, sent}};
        if (sent.isEmpty())
            return {ActionOutcome::Kind::Done,
                    QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                "Marked as sent on Allegro (no new tracking number)."),
                    detail};
        return {ActionOutcome::Kind::Done,
                QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                            "Marked as sent on Allegro with %n tracking number(s).", nullptr,
                                            int(sent.size())),
                detail};
    }
    case Kind::RefundPayment: {
        if (order.payment.externalId.isEmpty() || order.payment.paidAmount.minor() <= 0)
            return failure(
                QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                            "The order has no paid Allegro payment to refund; nothing was sent."),
                false);
        auto refunded = actions.refundPayment(run.key + u"/refund", order.id, fullRefund(order));
        if (!refunded)
            return failedWith(refunded.error());
        QJsonObject detail = refunded->result;
        detail.insert(u"amount"_qs, order.payment.paidAmount.toDecimalString());
        detail.insert(u"currency"_qs, order.payment.paidAmount.currency());
        return {ActionOutcome::Kind::Done,
                refunded->alreadyDone
                    ? QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                  "The refund was made before; nothing was sent again.")
                    : QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                  "Refund of %1 requested on Allegro.")
                          .arg(order.payment.paidAmount.toDisplayString()),
                detail};
    }
    case Kind::CommissionClaim: {
        auto claimed = actions.claimCommissionRefunds(run.key + u"/claim", order.id);
        if (!claimed)
            return failedWith(claimed.error());
        const int lines = int(claimed->result.value(u"claims").toArray().size());
        return {ActionOutcome::Kind::Done,
                claimed->alreadyDone
                    ? QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                  "The commission was claimed before; nothing was sent again.")
                    : QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                  "Commission refund claimed for %n line item(s).", nullptr, lines),
                claimed->result};
    }
    case Kind::Autoresponder: {
        // The template key ("autoresponder") renders the order's template; anything else is the reply's own text.
        const ActionDef *def = Catalog::instance().action(run.action.type);
        const auto param = [&](const char *name) {
            return def ? Rule::param(run.action.params, def->params, name).toString() : QString();
        };
        QString text = param("template");
        const QString templateKey = messaging::MessageTemplates::canonicalKey(text);
        if (messaging::MessageTemplates::keys().contains(templateKey)) {
            auto rendered = messaging::MessageTemplates(env.store.sharedDatabase()).render(templateKey, order);
            if (!rendered)
                return failedWith(rendered.error());
            text = rendered->text;
        }
        auto answered = messaging::MessageCenter(env.store).answerForRule(
            actions, order.id, text, param("hours"), param("messages") == u"first", QDateTime::currentDateTime());
        if (!answered)
            return failedWith(answered.error());
        return {ActionOutcome::Kind::Done,
                *answered ? QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                        "The buyer's message was answered on Allegro.")
                          : QCoreApplication::translate("sd::automation::MarketplaceExecutor",
                                                        "No buyer message to answer (none, answered before, or "
                                                        "outside the chosen hours)."),
                {{u"answered"_qs, *answered}}};
    }
    }
    return failure(QCoreApplication::translate("sd::automation::MarketplaceExecutor", "Unknown marketplace action."),
                   false);
}

} // namespace sd::automation
