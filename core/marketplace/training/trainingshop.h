#pragma once

#include "marketplace/allegro/checkoutformgenerator.h"
#include "marketplace/training/faultplan.h"
#include "marketplace/training/trainingresponse.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QSet>
#include <QStringList>
#include <QUrlQuery>

#include <random>

namespace sd::marketplace::training {

// The seller's side of the training marketplace: orders moving through Allegro's state model, the event journal,
// offers and their commands, shipments, invoices, refunds, commission claims, billing and Message Center threads,
// with the rules and error answers of the real API. No HTTP here: the server parses requests and calls these
// methods with the server clock's time (UTC ms). Everything is kept as the JSON the API sends.
class TrainingShop
{
public:
    static constexpr int kWaybillOrderLimit = 3;    // orders one waybill may be attached to
    static constexpr qint64 kClaimWindowDays = 45;  // commission claims, counted from boughtAt
    static constexpr qint64 kCommandDelayMs = 1000; // commands complete this long after they were sent
    static constexpr qint64 kInvoiceFileLimit = 3 * 1024 * 1024;
    // PATCH product-offer: a stock or price change is processed asynchronously (202 + an operation); the operation
    // completes when the clock has moved kCommandDelayMs past its start, or on the poll after kOperationPolls
    // polls answered 202 (PENDING, then IN_PROGRESS), whichever comes first. Other edits answer 200 at once.
    static constexpr int kOperationPolls = 2;

    TrainingShop(quint64 seed, std::mt19937_64 *random);

    void setFaults(const FaultPlan &plan) { m_faults = plan; }

    // Orders. `historical` orders are bought within the last 60 days and arrive with their past events; the others
    // are bought now and move through the state model over the next minutes.
    QStringList generateOrders(int count, bool historical, qint64 now);
    // Applies every state change due by `now`, in time order; returns whether anything changed.
    bool advance(qint64 now);
    bool buyerChangesAddress(const QString &orderId, qint64 now);
    bool buyerPays(const QString &orderId, qint64 now);
    bool buyerCancels(const QString &orderId, qint64 now);
    // The buyer pays several purchases at once: a new form with all their line items; the old ones answer 404.
    QString merge(const QStringList &orderIds, qint64 now);
    bool buyerWrites(const QString &orderId, const QString &text, qint64 now);
    // Post-purchase issues (trainingshopissues.cpp): the buyer opens a dispute about an order (its id, empty for an
    // unknown order), writes in it, or the dispute is closed (its chat takes no more messages: 409).
    QString buyerOpensIssue(const QString &orderId, const QString &text, qint64 now);
    bool buyerWritesInIssue(const QString &issueId, const QString &text, qint64 now);
    bool closeIssue(const QString &issueId);
    // The buyer returns `quantity` units of the order's first line item (a paid order only): a customer return as
    // GET /order/customer-returns lists it. Returns its id, or "" when the order cannot be returned.
    QString buyerReturns(const QString &orderId, int quantity, qint64 now);
    QJsonObject form(const QString &orderId) const { return m_orders.value(orderId).form; }
    QStringList orderIds() const { return m_orderIds; }
    int eventCount() const { return int(m_events.size()); }

    // The API, one method per operation.
    TrainingResponse events(const QUrlQuery &query) const;
    TrainingResponse eventStats() const;
    TrainingResponse checkoutForms(const QUrlQuery &query) const;
    TrainingResponse checkoutForm(const QString &id) const;
    TrainingResponse setFulfillment(const QString &id, const QUrlQuery &query, const QJsonObject &body, qint64 now);
    TrainingResponse carriers() const;
    TrainingResponse addShipment(const QString &id, const QJsonObject &body, qint64 now);
    TrainingResponse shipments(const QString &id) const;
    TrainingResponse tracking(const QString &carrierId, const QUrlQuery &query, qint64 now) const;
    TrainingResponse addInvoice(const QString &id, const QJsonObject &body, qint64 now);
    TrainingResponse uploadInvoice(const QString &id, const QString &invoiceId, const QByteArray &contentType,
                                   const QByteArray &bytes, qint64 now);
    TrainingResponse invoices(const QString &id) const;
    TrainingResponse offers(const QUrlQuery &query) const;
    TrainingResponse productOffer(const QString &offerId, qint64 now);
    TrainingResponse patchOffer(const QString &offerId, const QJsonObject &body, qint64 now);
    TrainingResponse offerOperation(const QString &offerId, const QString &operationId, qint64 now);
    // Training control: an offer listed directly (the generated orders list the others), and an offer archived
    // (gone from the listing, as Allegro's OFFER_ARCHIVED says; commands then find no offer).
    QString addOffer(const QString &name, const QString &externalId, const QString &format, int available, qint64 now);
    bool archiveOffer(const QString &offerId);
    QJsonObject offer(const QString &offerId) const { return m_offers.value(offerId); }
    // A stock or price edit of the offer is still being processed (a new PATCH gets 409).
    bool offerEditPending(const QString &offerId) const { return m_pendingEdits.contains(offerId); }
    TrainingResponse putCommand(const QString &kind, const QString &commandId, const QJsonObject &body, qint64 now);
    TrainingResponse command(const QString &kind, const QString &commandId, qint64 now) const;
    TrainingResponse commandTasks(const QString &kind, const QString &commandId, const QUrlQuery &query,
                                  qint64 now) const;
    TrainingResponse threads(const QUrlQuery &query) const;
    TrainingResponse thread(const QString &threadId) const;
    TrainingResponse threadMessages(const QString &threadId, const QUrlQuery &query) const;
    TrainingResponse reply(const QString &threadId, const QJsonObject &body, qint64 now);
    TrainingResponse newMessage(const QJsonObject &body, qint64 now);
    TrainingResponse markRead(const QString &threadId, const QJsonObject &body);
    TrainingResponse issues(const QUrlQuery &query) const;
    TrainingResponse issue(const QString &issueId) const;
    TrainingResponse issueChat(const QString &issueId, const QUrlQuery &query) const;
    TrainingResponse issueMessage(const QString &issueId, const QJsonObject &body, qint64 now);
    TrainingResponse refund(const QJsonObject &body, qint64 now);
    TrainingResponse refunds(const QUrlQuery &query, qint64 now) const;
    TrainingResponse addClaim(const QJsonObject &body, qint64 now);
    TrainingResponse claims(const QUrlQuery &query) const;
    TrainingResponse claim(const QString &claimId) const;
    TrainingResponse deleteClaim(const QString &claimId);
    TrainingResponse billing(const QUrlQuery &query) const;
    TrainingResponse customerReturns(const QUrlQuery &query) const; // beta media type
    TrainingResponse me() const;
    // "Wysyłam z Allegro" (trainingshopshipping.cpp): a create command completes kCommandDelayMs after it was sent, or
    // on its second poll; the shipment's package carries Allegro's waybill (printed as the label's barcode) and the
    // carrier's own tracking number in transportingInfo. The label is drawn by SellerDesk's own templates.
    TrainingResponse createShipmentCommand(const QJsonObject &body, qint64 now);
    TrainingResponse shipmentCommand(const QString &commandId, qint64 now);
    TrainingResponse managedShipment(const QString &shipmentId) const;
    TrainingResponse shipmentLabel(const QJsonObject &body) const;

    QJsonObject toJson() const;
    void fromJson(const QJsonObject &json, qint64 now);

private:
    struct Step
    {
        qint64 at = 0;
        QString kind; // FILLED_IN, READY_FOR_PROCESSING, BUYER_CANCELLED, AUTO_CANCELLED
    };
    struct Order
    {
        QJsonObject form;   // as GET /order/checkout-forms/{id} answers now
        QJsonObject target; // the filled-in form the buyer will end up with
        QList<Step> steps;
        QJsonArray shipments;
        QJsonArray invoices; // with "hasFile"
    };
    struct Event
    {
        qint64 id = 0;
        qint64 at = 0;
        QString type;
        QJsonObject order;
    };
    struct Command
    {
        qint64 createdAt = 0;
        QJsonArray tasks;
    };
    struct OfferOperation
    {
        QString offerId;
        QJsonObject patch;
        qint64 startedAt = 0;
        int polls = 0;
        bool done = false;
    };

    QString uuid();
    QString revision();
    void emitEvent(const QString &type, const Order &order, qint64 at);
    void appendEvent(Event event);
    void flushHeldEvent();
    void applyStep(Order &order, const Step &step);
    void ensureOffers(const QJsonObject &form, qint64 now);
    void buyerMessage(const QString &orderId, const QString &text, qint64 now);
    bool addIssueMessage(const QString &issueId, const QString &text, bool fromBuyer, qint64 now, QJsonObject *added);
    TrainingResponse orderNotFound(const QString &id) const;
    std::optional<TrainingResponse> checkUuid(const QString &id, const QString &path) const;
    double chance();
    QJsonObject offerCopy(const QJsonObject &offer) const;
    QJsonObject productOfferView(const QJsonObject &offer) const;
    std::optional<TrainingResponse> applyOfferPatch(QJsonObject &offer, const QJsonObject &body, qint64 now) const;
    void completeOperation(OfferOperation &operation, qint64 now);
    bool settleOperations(qint64 now); // completes the operations due by the clock
    QJsonObject refundView(const QJsonObject &refund, qint64 now) const;
    QJsonObject reportView(const QString &id, const Command &command, qint64 now) const;

    quint64 m_seed;
    std::mt19937_64 *m_random;
    allegro::CheckoutFormGenerator m_generator;
    FaultPlan m_faults;
    QHash<QString, Order> m_orders;
    QStringList m_orderIds;
    QSet<QString> m_mergedAway;
    QList<Event> m_events;
    std::optional<Event> m_heldEvent; // reorder fault: appended after the next one
    qint64 m_lastEventId = 0;
    QMap<QString, QJsonObject> m_offers;         // by id
    QStringList m_offerIds;                      // creation order
    QHash<QString, Command> m_commands[2];       // quantity, publication
    QHash<QString, OfferOperation> m_operations; // PATCH product-offer operations by id (not kept in the state file)
    QHash<QString, QString> m_pendingEdits;      // offer id -> its operation in progress
    QJsonArray m_refunds;
    QJsonArray m_claims;
    QJsonArray m_customerReturns;
    QJsonArray m_threads;
    QJsonArray m_messages;
    QJsonArray m_issues;
    QJsonArray m_issueChat; // every issue's messages, oldest first, each with its "issue"
    int m_generated = 0;
    int m_shipmentSerial = 0;
    struct ShipmentCommand
    {
        QJsonObject input;
        qint64 createdAt = 0;
        int polls = 0;
        QString shipmentId; // set when it succeeded
    };
    // Shipment management (not kept in the state file).
    QHash<QString, ShipmentCommand> m_shipmentCommands;
    QHash<QString, QJsonObject> m_managedShipments; // ShipmentDto by id
};

} // namespace sd::marketplace::training
