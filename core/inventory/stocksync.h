#pragma once

#include "inventory/inventorystore.h"
#include "inventory/offercatalog.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <functional>

namespace sd::marketplace::allegro {
class SellerActions;
}

namespace sd::inventory {

// What one synced offer needs so that the marketplace shows the product's stock (C3).
struct SyncChange
{
    enum class Action { Quantity, End, Resume }; // Resume: quantity, then activate
    qint64 accountId = 0;
    QString offerId;
    QString sku;
    int from = -1; // the marketplace's quantity as last seen; -1 unknown
    QString fromStatus;
    int to = 0;
    Action action = Action::Quantity;
    QJsonObject toJson() const;
    static SyncChange fromJson(const QJsonObject &json);
};

struct SyncPlan
{
    QList<SyncChange> changes;
    int ended = 0;      // offers this plan ends
    int lowered = 0;    // offers whose quantity goes down (ended included)
    int cutPercent = 0; // how much the synced offers' total quantity falls, in percent
    QJsonArray toJson() const;
    // A stored plan (cutPercent is not kept in it).
    static SyncPlan fromJson(const QString &json);
};

struct SyncReport
{
    enum class Outcome { Nothing, Done, Paused, Held };
    Outcome outcome = Outcome::Nothing;
    qint64 runId = 0;
    SyncPlan plan;
    int commands = 0; // quantity and publication commands sent (ledger repeats not counted)
    int updated = 0;  // offers confirmed by the command reports
    int failed = 0;   // offers a report named as failed (retried later)
    QStringList failures;
    QString message; // translated: why paused or held, or what was done
    qint64 firstCommandAtMs = 0;
};

// A synced offer whose marketplace quantity differs from the local stock.
struct SyncConflict
{
    OfferView offer;
    int local = 0;
    int marketplace = -1;
};

// A sync the anomaly guard holds for the operator (X8), with what it would do.
struct HeldSync
{
    qint64 runId = 0;
    qint64 accountId = 0;
    QString account;
    qint64 at = 0; // UTC ms
    QString message;
    SyncPlan plan;
};

// Brings synced offers in line with stock (C3-C6, X8). A stock change asks for a sync at once (request(): one
// debounced job per window in the job queue, shared by every change inside it); runDue() takes the due jobs and
// runs one sync: it plans the changes, checks the anomaly guard, sends quantity and publication commands grouped by
// quantity (at most 1,000 offers each) under ledger keys derived from the run, so a retry or a restart re-sends the
// same command UUIDs and never changes twice; then it reads the command reports back and records per offer what
// the marketplace did. Offers a report names as failed are retried by a later job with backoff.
class StockSync
{
    Q_DECLARE_TR_FUNCTIONS(StockSync)

public:
    static constexpr char kJobKind[] = "stock.sync";
    static constexpr int kMaxAttempts = 5;
    static constexpr int kCommandLimit = 1000;

    // Syncs the offers of one account through its SellerActions.
    StockSync(OfferCatalog &offers, marketplace::allegro::SellerActions &actions, qint64 accountId);

    // Queues a sync (debounced); call it in the transaction of the change that needs it.
    static Result<void> request(const std::shared_ptr<storage::Database> &db, qint64 delayMs = -1);
    // When the next queued sync is due (UTC ms), or 0 when none is queued.
    static Result<qint64> nextDue(storage::Database &db);
    // Marks the due sync jobs done; true when there were any (the caller then runs every account's sync).
    static Result<bool> takeDue(storage::Database &db);

    // Reads command reports until they are final: waits pollMs between rounds, at most maxPolls rounds. wait()
    // does the waiting (tests move the training clock instead).
    void setPolling(int pollMs, int maxPolls) { m_pollMs = pollMs, m_maxPolls = maxPolls; }
    void setWait(std::function<void(int ms)> wait) { m_wait = std::move(wait); }
    void setActor(const QString &actor) { m_actor = actor; }

    Result<SyncPlan> plan();
    // One sync now. An unfinished run (a crash) is finished first with its own plan and keys.
    Result<SyncReport> run();
    // The run the anomaly guard holds, with its list; empty when none.
    Result<std::optional<QPair<qint64, SyncPlan>>> held();
    // The operator looked at the held list and lets it go: the sync runs without the guard this once.
    Result<SyncReport> release();
    // The operator refuses the held list: nothing is sent; the next stock change plans again.
    Result<void> dismiss();

    Result<QList<SyncConflict>> conflicts();

    // The same for a window that has no marketplace connection of its own: the running scheduler (window or
    // headless) does the sending. accountId 0: every account.
    static Result<QList<SyncConflict>> conflicts(OfferCatalog &offers, qint64 accountId);
    static Result<QList<HeldSync>> heldRuns(storage::Database &db);
    // The operator lets the held list go: the next queued sync runs it without the guard, this once.
    static Result<void> approve(const std::shared_ptr<storage::Database> &db, qint64 accountId, const QString &actor);
    static Result<void> dismiss(storage::Database &db, qint64 accountId, const QString &actor);
    // "Take local" for the runner: the offer is tried again (a given-up failure too) and a sync is queued.
    static Result<void> queueTakeLocal(OfferCatalog &offers, const QString &offerId, qint64 accountId);
    static Result<StockDocument> takeMarketplace(OfferCatalog &offers, const QString &offerId, qint64 accountId,
                                                 const QString &actor);
    // Conflict resolution for one synced offer: send the local stock, or correct the stock to what the marketplace
    // shows (a stock-taking document in the default warehouse).
    Result<SyncReport> takeLocal(const QString &offerId);
    Result<StockDocument> takeMarketplace(const QString &offerId);

private:
    Result<QList<OfferView>> syncedOffers();
    Result<SyncReport> execute(qint64 runId, const SyncPlan &plan);
    Result<SyncReport> runPlanned(bool guarded);
    // A held run's fate: "approved" (the runner sends it), "released" (sent here), "dismissed".
    static Result<void> decide(storage::Database &db, qint64 accountId, const QString &state, const QString &message);
    static Result<void> retryOffer(storage::Database &db, qint64 accountId, const QString &offerId);

    OfferCatalog &m_offers;
    marketplace::allegro::SellerActions &m_actions;
    qint64 m_accountId = 0;
    int m_pollMs = 250;
    int m_maxPolls = 40;
    std::function<void(int ms)> m_wait;
    QString m_actor = QStringLiteral("stock-sync");
};

} // namespace sd::inventory
