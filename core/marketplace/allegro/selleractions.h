#pragma once

#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "storage/actionledger.h"
#include "storage/orderstore.h"

#include <QJsonObject>

#include <functional>

namespace sd::marketplace::allegro {

// What happened to one ledger-protected write.
struct ActionOutcome
{
    bool performed = false;   // this call did the effect now
    bool alreadyDone = false; // an earlier call with the same key did it; nothing was sent
    QJsonObject result;       // what Allegro answered (ids), as recorded in the ledger
};

// Every write to Allegro, each under an ActionLedger idempotency key chosen by the caller (the automation
// builds it from rule, action, order and event; the GUI from the operator's action). Whatever the ledger
// records as done is never sent again. Client-chosen ids (command UUIDs, refund commandId) are derived from the
// key and recorded in the ledger before the call, so a retry after a timeout or a crash reuses them and Allegro
// recognises the repeat. A transient failure marks the entry failed; the next call with the key retries it.
class SellerActions
{
public:
    SellerActions(AllegroClient &client, storage::OrderStore &store, storage::ActionLedger &ledger,
                  AllegroRecords &records, QString owner = QStringLiteral("allegro"));

    // PUT fulfillment with the stored checkoutForm.revision; a 409 re-reads the order (import) and retries once.
    Result<ActionOutcome> setFulfillmentStatus(const QString &key, qint64 orderId, const QString &status);
    Result<ActionOutcome> addShipment(const QString &key, qint64 orderId, const QString &carrierId,
                                      const QString &waybill, const QString &carrierName = {});
    // Metadata, then the PDF; a retry after the metadata step resumes at the file.
    Result<ActionOutcome> uploadInvoice(const QString &key, qint64 orderId, const QString &invoiceNumber,
                                        const QString &fileName, const QByteArray &pdf);
    Result<ActionOutcome> changeQuantity(const QString &key, const QStringList &offerIds, int quantity);
    Result<ActionOutcome> changePublication(const QString &key, const QStringList &offerIds, bool activate);
    // PATCH one offer with only the fields that change (stock.available, sellingMode.price, external.id) and wait
    // until Allegro has applied it (AllegroClient::editOffer). The values are absolute, so a retry of a failed or
    // abandoned entry sets the same again rather than changing twice. result: {"offerId", "offer": {id, stock,
    // sellingMode, external, publication}} as Allegro shows the offer afterwards.
    Result<ActionOutcome> editOffer(const QString &key, const QString &offerId, const QJsonObject &patch);
    Result<ActionOutcome> setOfferStock(const QString &key, const QString &offerId, int available);
    Result<ActionOutcome> setOfferExternalId(const QString &key, const QString &offerId, const QString &externalId);
    // The command's report with its tasks ({"report":{...},"tasks":[...]}), for a command sent under key.
    Result<QJsonObject> commandStatus(const QString &key);
    Result<ActionOutcome> replyToThread(const QString &key, const QString &threadId, const QString &text);
    // A message into a discussion (/sale/issues/{id}/message).
    Result<ActionOutcome> replyToIssue(const QString &key, const QString &issueId, const QString &text);
    // refund: the body without commandId/payment/order (reason, lineItems, delivery, ...), filled from the order.
    Result<ActionOutcome> refundPayment(const QString &key, qint64 orderId, const QJsonObject &refund);
    // One claim per line item (each its own ledger entry key + "/line:" + id); a ClaimExistsException counts as done.
    Result<ActionOutcome> claimCommissionRefunds(const QString &key, qint64 orderId);

    // Reads (no ledger needed). Each returns how many records were stored or changed.
    Result<int> pollTracking();                  // open shipments; a changed status becomes an order change
    Result<int> downloadBilling(qint64 orderId); // billing entries of one order
    Result<int> refreshOffers();
    Result<int> refreshThreads();

    // The UUID a key's command uses (deterministic, so even a lost ledger row would reuse it).
    static QString commandIdFor(const QString &key);

    // A claim left pending this long (a crash between the call and the ledger's completion) is taken over by the
    // next attempt, but only for writes Allegro recognises by their client-chosen id (refunds, offer commands):
    // sending those again cannot do them twice. Other writes stay pending for a person to look at.
    void setAbandonedAfterSeconds(qint64 seconds) { m_abandonedAfterSeconds = seconds; }

private:
    enum class Repeat { Unsafe, SameIdIsRecognised };
    template<typename Work>
    Result<ActionOutcome> ledgered(const QString &key, const QString &action, qint64 orderId, Work work,
                                   Repeat repeat = Repeat::Unsafe);
    // Sends a quantity or publication command under the key's UUID; a 409 means the UUID is known: ours (sent
    // before, answer lost) when the command's tasks name our offers, else a reuse that is reported.
    Result<QJsonObject> sendCommand(const QString &key, const QString &kind, const QStringList &offerIds,
                                    const std::function<Result<QJsonObject>(const QString &)> &send);
    Result<void> recordShipmentOnOrder(qint64 orderId, const QString &carrierId, const QString &waybill,
                                       const QString &status, const QString &reason);
    Result<domain::Order> orderFor(qint64 orderId);
    Result<void> reimport(const QString &checkoutFormId);

    AllegroClient &m_client;
    storage::OrderStore &m_store;
    storage::ActionLedger &m_ledger;
    AllegroRecords &m_records;
    QString m_owner;
    qint64 m_abandonedAfterSeconds = 15 * 60; // longer than any call with all its retries
};

} // namespace sd::marketplace::allegro
