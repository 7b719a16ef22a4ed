#pragma once

#include "marketplace/accountstore.h"
#include "marketplace/allegro/httptransport.h"
#include "marketplace/allegro/oauthclient.h"
#include "marketplace/allegro/retrypolicy.h"
#include "marketplace/allegro/tokenkeeper.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QUrlQuery>

#include <atomic>
#include <functional>
#include <memory>

namespace sd::security {
class SecretStore;
}

namespace sd::marketplace::allegro {

struct ClientOptions
{
    RetryPolicy retry;
    QByteArray acceptLanguage = "pl-PL"; // the language of Allegro's userMessage in errors
};

// A blocking REST client for one Allegro account, for use on one worker thread. Every call sends the
// Bearer token and Allegro's media types; a 401 refreshes the token once (through TokenKeeper) and retries;
// a 429 pauses the whole client (Retry-After, else exponential from ~1 s); 5xx and timeouts are retried with
// jitter up to RetryPolicy::maxAttempts. Errors come back as sd::Error built from either Allegro error body.
class AllegroClient
{
public:
    // File: the answer is a file (a shipment's label, application/octet-stream); a body is still Allegro's JSON.
    enum class Media { Public, Beta, File };

    struct Response
    {
        int status = 0;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        QJsonObject json() const;
        QByteArray header(const QByteArray &name) const { return headerValue(headers, name); }
    };

    AllegroClient(MarketplaceAccount account, std::shared_ptr<storage::Database> db,
                  std::shared_ptr<security::SecretStore> secrets, ClientOptions options = {});
    ~AllegroClient();

    const MarketplaceAccount &account() const { return m_account; }
    void setObserver(HttpExchangeObserver observer);
    // Checked between retries and waits; a long wait ends early when it turns true.
    void setCancelled(std::function<bool()> cancelled) { m_cancelled = std::move(cancelled); }

    // The generic call: path below the API base URL, e.g. "/order/events".
    Result<Response> call(const QByteArray &method, const QString &path, const QUrlQuery &query = {},
                          const QByteArray &body = {}, Media media = Media::Public, const QByteArray &contentType = {});
    Result<QJsonObject> getJson(const QString &path, const QUrlQuery &query = {}, Media media = Media::Public);
    Result<Response> sendJson(const QByteArray &method, const QString &path, const QJsonObject &body,
                              const QUrlQuery &query = {}, Media media = Media::Public);

    // Orders.
    Result<QJsonObject> me();
    Result<QJsonArray> orderEvents(const QString &fromEventId, int limit = 1000);
    Result<QString> latestOrderEventId();                           // empty when the account has no events
    Result<QByteArray> checkoutForm(const QString &checkoutFormId); // the raw JSON (parsed by OrderImporter)
    Result<void> setFulfillmentStatus(const QString &checkoutFormId, const QString &status, const QString &revision);
    Result<QJsonObject> addShipment(const QString &checkoutFormId, const QString &carrierId, const QString &waybill,
                                    const QString &carrierName = {});
    Result<QJsonObject> carrierTracking(const QString &carrierId, const QStringList &waybills);
    Result<QString> addInvoiceMetadata(const QString &checkoutFormId, const QString &fileName,
                                       const QString &invoiceNumber);
    Result<void> uploadInvoiceFile(const QString &checkoutFormId, const QString &invoiceId, const QByteArray &pdf);
    Result<QJsonArray> billingEntries(const QString &checkoutFormId);

    // Offers.
    Result<QJsonObject> offers(const QUrlQuery &query);
    Result<QJsonObject> productOffer(const QString &offerId); // GET /sale/product-offers/{offerId}
    // PATCH /sale/product-offers/{offerId} with only the fields that change, and wait until Allegro has applied it.
    // 200 answers the edited offer. 202 is followed by polling the operation named by Location, each poll after
    // Retry-after seconds (scaled by RetryPolicy::timeScale), until it answers 303; then the offer is read. A 409
    // (an earlier edit of this offer is still being processed) waits and sends the edit again, at most
    // kEditConflictTries times in all. Returns the offer as Allegro shows it after the edit.
    Result<QJsonObject> editOffer(const QString &offerId, const QJsonObject &patch);
    static constexpr int kEditConflictTries = 6;
    static constexpr int kOperationPollLimit = 120; // polls of one edit's operation before giving up
    Result<QJsonObject> quantityCommand(const QString &commandId, const QStringList &offerIds, int quantity);
    Result<QJsonObject> publicationCommand(const QString &commandId, const QStringList &offerIds, bool activate);
    // "offer-quantity-change-commands" or "offer-publication-commands".
    Result<QJsonObject> commandReport(const QString &kind, const QString &commandId);
    Result<QJsonArray> commandTasks(const QString &kind, const QString &commandId);

    // Message Center.
    Result<QJsonArray> messageThreads(int offset = 0, int limit = 20);
    Result<QJsonArray> threadMessages(const QString &threadId, int limit = 20);
    Result<QJsonObject> replyInThread(const QString &threadId, const QString &text);
    // Discussions and claims (/sale/issues, beta media type): newest opened first; an issue's chat, newest first;
    // a REGULAR message into it (409 once its chat is closed).
    Result<QJsonArray> postPurchaseIssues(int offset = 0, int limit = 100);
    Result<QJsonArray> issueChat(const QString &issueId, int limit = 100);
    Result<QJsonObject> replyInIssue(const QString &issueId, const QString &text);

    // Refunds.
    Result<QJsonObject> paymentRefund(const QJsonObject &body);
    Result<QJsonObject> commissionRefundClaim(const QString &lineItemId, int quantity);

    OAuthClient &oauth() { return *m_oauth; }
    TokenKeeper &tokens() { return *m_tokens; }
    const HttpTransport &transport() const { return m_transport; }
    // Calls made (tries included) and 429 pauses taken, for tests and the log view.
    int attemptsMade() const { return m_attempts; }
    int rateLimitPauses() const { return m_pauses; }

private:
    bool waitMs(qint64 ms);
    QString apiPath(const QByteArray &location) const; // a Location URL as a path below the API base, or empty

    MarketplaceAccount m_account;
    ClientOptions m_options;
    HttpTransport m_transport;
    std::unique_ptr<OAuthClient> m_oauth;
    std::unique_ptr<TokenKeeper> m_tokens;
    std::function<bool()> m_cancelled;
    qint64 m_pausedUntilMs = 0; // a 429 pauses every call of this client until then
    int m_attempts = 0;
    int m_pauses = 0;
    int m_rateLimitStreak = 0;
};

} // namespace sd::marketplace::allegro
