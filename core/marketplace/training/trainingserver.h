#pragma once

#include "marketplace/training/faultplan.h"
#include "marketplace/training/trainingauth.h"
#include "marketplace/training/trainingshop.h"
#include "util/result.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QTimer>
#include <QUrl>

#include <random>

namespace sd::marketplace::training {

struct TrainingOptions
{
    quint16 port = 0;         // 0: any free port
    QString stateFile;        // empty: nothing is kept between runs
    int orders = 0;           // historical orders made when the state is new
    double ratePerMinute = 0; // new live orders per minute
    bool autoApprove = false; // device codes are approved at once
    FaultPlan faults;
    quint64 seed = 2026;
};

// The training marketplace: a local HTTP server on 127.0.0.1 that speaks the subset of the Allegro REST API
// SellerDesk uses, with its rules (media types, both error shapes, token lifetimes, revisions, 409/422/429,
// command ids), realistic generated orders that move through the state model, and switchable faults.
//
// One base URL serves everything:
//   BASE/auth/oauth/device, BASE/auth/oauth/token      OAuth (Basic auth with any client id and secret)
//   BASE/skojarz-aplikacje?code=USER_CODE               the verification page with an Approve button
//   BASE/order/..., BASE/sale/..., BASE/messaging/..., BASE/payments/..., BASE/billing/..., BASE/me   the API
//
// Control endpoints for tests and trainers (not part of Allegro's API; no auth, no media type rules; answers are
// application/json):
//   GET  BASE/_training/status                         clock, faults, counts, order ids
//   POST BASE/_training/faults?spec=SPEC               replace the fault plan (grammar in faultplan.h); 400 if bad
//   POST BASE/_training/clock/advance?seconds=N        move the server clock forward (token expiry, tracking,
//                                                      orders' next steps)
//   POST BASE/_training/orders?count=N                 N new orders bought now -> {"orders":[ids]}
//   POST BASE/_training/orders/ID/address              the buyer changes the delivery address (BUYER_MODIFIED)
//   POST BASE/_training/orders/ID/pay                  the buyer fills in and pays now
//   POST BASE/_training/orders/ID/cancel               the buyer cancels (BUYER_CANCELLED)
//   POST BASE/_training/orders/ID/message?text=T       the buyer writes in Message Center
//   POST BASE/_training/orders/ID/dispute?text=T       the buyer opens a discussion (/sale/issues) -> {"id"}
//   POST BASE/_training/issues/ID/message?text=T       the buyer writes in the discussion
//   POST BASE/_training/issues/ID/close                the discussion is closed (its chat answers 409)
//   POST BASE/_training/orders/ID/return?quantity=N    the buyer returns N units of the first item (customer return)
//   POST BASE/_training/orders/merge?ids=A,B           the buyer pays unpaid purchases together -> {"id": new id}
//   POST BASE/_training/tokens/expire                  every access token expires now
//   POST BASE/_training/tokens/revoke                  every token stops working
//   POST BASE/_training/device/approve?code=USER_CODE  approve a device code as the verification page does
//   POST BASE/_training/save                           write the state file now
// Unknown ids give 404 {"error": ...}.
//
// The same operations are public methods here for in-process tests.
class TrainingServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit TrainingServer(TrainingOptions options, QObject *parent = nullptr);
    ~TrainingServer() override;

    // Loads the state file (or makes the starting orders) and listens on 127.0.0.1.
    Result<QUrl> start();
    QUrl baseUrl() const { return m_baseUrl; }

    qint64 now() const;
    void advanceClock(qint64 seconds);
    void setFaults(const FaultPlan &plan);
    FaultPlan faults() const { return m_options.faults; }
    QStringList generateOrders(int count);
    bool changeDeliveryAddress(const QString &orderId);
    bool buyerPays(const QString &orderId);
    bool buyerCancels(const QString &orderId);
    bool buyerWrites(const QString &orderId, const QString &text);
    // Post-purchase issues: a dispute opened about an order (its id; empty for an unknown order), a buyer's message in
    // it, the dispute closed (its chat refuses new messages).
    QString buyerOpensIssue(const QString &orderId, const QString &text);
    bool buyerWritesInIssue(const QString &issueId, const QString &text);
    bool closeIssue(const QString &issueId);
    QString buyerReturns(const QString &orderId, int quantity = 1);
    QString mergeOrders(const QStringList &orderIds);
    void expireTokens();
    void revokeTokens();
    bool approveDevice(const QString &userCode);
    QJsonObject issueTokens(const QString &clientId = QStringLiteral("training-client"));
    QString addOffer(const QString &name, const QString &externalId, const QString &format = QStringLiteral("BUY_NOW"),
                     int available = 10);
    bool archiveOffer(const QString &offerId);
    QJsonObject offer(const QString &offerId) const { return m_shop.offer(offerId); }
    QStringList orderIds() const { return m_shop.orderIds(); }
    QJsonObject checkoutForm(const QString &orderId) const { return m_shop.form(orderId); }
    Result<void> saveNow();

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    enum class Area { Api, OAuth, Page, Control };

    TrainingResponse api(const QHttpServerRequest &request, const QStringList &path, bool *orderFetch);
    TrainingResponse oauth(const QHttpServerRequest &request, const QStringList &path);
    TrainingResponse control(const QHttpServerRequest &request, const QStringList &path);
    TrainingResponse page(const QHttpServerRequest &request);
    std::optional<TrainingResponse> rateLimit(const QString &client, const QStringList &path, bool post);
    void send(QHttpServerResponder &responder, const TrainingResponse &response, Area area, bool polish,
              const QByteArray &override = {});
    void tick();
    void changed();
    double chance();
    Result<void> load();

    TrainingOptions m_options;
    std::mt19937_64 m_random;
    TrainingAuth m_auth;
    TrainingShop m_shop;
    QUrl m_baseUrl;
    qint64 m_clockOffsetMs = 0;
    double m_rateCarry = 0;
    QTimer m_tick;
    QTimer m_saveTimer;
    quint64 m_traceSerial = 0;
    QHash<QString, QList<qint64>> m_clientCalls; // per client: request times in the last minute
    QHash<QString, qint64> m_lastMessagePost;    // per client
    QHash<QString, qint64> m_lastInvoicePost;    // per client: invoice metadata POSTs
};

} // namespace sd::marketplace::training
