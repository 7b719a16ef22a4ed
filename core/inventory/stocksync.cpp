#include "inventory/stocksync.h"

#include "automation/sqlrun.h"
#include "inventory/inventorysettings.h"
#include "marketplace/allegro/selleractions.h"
#include "storage/jobqueue.h"
#include "storage/sqlquery.h"

#include <QJsonDocument>
#include <QMap>
#include <QThread>

namespace sd::inventory {

using automation::runSql;

namespace {

QString actionKey(SyncChange::Action action)
{
    switch (action) {
    case SyncChange::Action::Quantity:
        return QStringLiteral("quantity");
    case SyncChange::Action::End:
        return QStringLiteral("end");
    case SyncChange::Action::Resume:
        return QStringLiteral("resume");
    }
    return {};
}

struct Sent
{
    QString key;
    QStringList offerIds;
    enum class What { Quantity, End, Activate } what = What::Quantity;
    int quantity = 0;
};

QString taskMessage(const QJsonObject &task)
{
    const QJsonArray errors = task.value(u"errors").toArray();
    if (!errors.isEmpty()) {
        const QJsonObject e = errors.first().toObject();
        const QString user = e.value(u"userMessage").toString();
        return user.isEmpty() ? e.value(u"message").toString() : user;
    }
    return task.value(u"message").toString();
}

} // namespace

QJsonObject SyncChange::toJson() const
{
    return {{u"account"_qs, accountId},
            {u"offer"_qs, offerId},
            {u"sku"_qs, sku},
            {u"from"_qs, from},
            {u"status"_qs, fromStatus},
            {u"to"_qs, to},
            {u"action"_qs, actionKey(action)}};
}

SyncChange SyncChange::fromJson(const QJsonObject &json)
{
    SyncChange c;
    c.accountId = json.value(u"account").toInteger();
    c.offerId = json.value(u"offer").toString();
    c.sku = json.value(u"sku").toString();
    c.from = json.value(u"from").toInt(-1);
    c.fromStatus = json.value(u"status").toString();
    c.to = json.value(u"to").toInt();
    const QString action = json.value(u"action").toString();
    c.action = action == u"end" ? Action::End : action == u"resume" ? Action::Resume : Action::Quantity;
    return c;
}

QJsonArray SyncPlan::toJson() const
{
    QJsonArray list;
    for (const SyncChange &c : changes)
        list.append(c.toJson());
    return list;
}

SyncPlan SyncPlan::fromJson(const QString &json)
{
    SyncPlan plan;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array()) {
        const SyncChange c = SyncChange::fromJson(v.toObject());
        if (c.action == SyncChange::Action::End)
            ++plan.ended;
        if (c.action == SyncChange::Action::End || (c.from >= 0 && c.to < c.from))
            ++plan.lowered;
        plan.changes.append(c);
    }
    return plan;
}

StockSync::StockSync(OfferCatalog &offers, marketplace::allegro::SellerActions &actions, qint64 accountId)
    : m_offers(offers)
    , m_actions(actions)
    , m_accountId(accountId)
    , m_wait([](int ms) { QThread::msleep(ulong(ms)); })
{}

Result<void> StockSync::request(const std::shared_ptr<storage::Database> &db, qint64 delayMs)
{
    qint64 debounce = delayMs;
    if (debounce < 0) {
        auto settings = InventorySettings::load(*db);
        if (!settings)
            return settings.error();
        debounce = settings->debounceMs;
    }
    debounce = qMax<qint64>(1, debounce);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Every change inside one window shares the job due at the window's end. A window whose job was taken already
    // (a change committed late) moves on to the next one.
    for (qint64 bucket = now / debounce + 1;; ++bucket) {
        const QString key = u"%1@%2"_qs.arg(QLatin1StringView(kJobKind)).arg(bucket * debounce);
        auto existing = runSql(*db, u"SELECT state FROM jobs WHERE idempotency_key = ?"_qs, "find sync job", {key});
        if (!existing)
            return existing.error();
        if (existing->next()) {
            if (existing->value(0).toString() == u"pending")
                return {};
            continue;
        }
        existing->finish();
        // Through the queue: on PostgreSQL its NOTIFY wakes every workstation's scheduler at commit.
        auto job = storage::JobQueue(db).enqueue(QString::fromLatin1(kJobKind), 0, {}, key,
                                                 QDateTime::fromMSecsSinceEpoch(bucket * debounce, Qt::UTC));
        if (!job)
            return job.error();
        return {};
    }
}

Result<qint64> StockSync::nextDue(storage::Database &db)
{
    auto q = runSql(db, u"SELECT MIN(due_at) FROM jobs WHERE kind = ? AND state = 'pending'"_qs, "next stock sync",
                    {QString::fromLatin1(kJobKind)});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : 0;
}

Result<bool> StockSync::takeDue(storage::Database &db)
{
    auto q = runSql(db, u"UPDATE jobs SET state = 'done' WHERE kind = ? AND state = 'pending' AND due_at <= ?"_qs,
                    "take stock sync jobs", {QString::fromLatin1(kJobKind), QDateTime::currentMSecsSinceEpoch()});
    if (!q)
        return q.error();
    return q->numRowsAffected() > 0;
}

Result<QList<OfferView>> StockSync::syncedOffers()
{
    OfferFilter filter;
    filter.sync = true;
    filter.accountId = m_accountId;
    return m_offers.list(filter);
}

Result<SyncPlan> StockSync::plan()
{
    auto offers = syncedOffers();
    if (!offers)
        return offers.error();
    SyncPlan plan;
    qint64 before = 0;
    qint64 after = 0;
    for (const OfferView &v : std::as_const(*offers)) {
        if (v.archived || v.format == u"AUCTION" || !v.productId)
            continue;
        if (v.syncState == u"failed" && v.syncAttempts >= kMaxAttempts)
            continue; // given up: shown with its reason until the operator acts
        const int from = v.available;
        const bool active = v.status == u"ACTIVE" || v.status == u"ACTIVATING";
        before += qMax(0, from);
        SyncChange c{v.accountId, v.offerId, v.sku, from, v.status, v.localQuantity, SyncChange::Action::Quantity};
        if (v.localQuantity <= 0) {
            if (!active) {
                after += qMax(0, from);
                continue;
            }
            c.action = SyncChange::Action::End;
            c.to = 0;
        } else if (!active) {
            c.action = SyncChange::Action::Resume;
        } else if (from == v.localQuantity) {
            after += qMax(0, from);
            continue;
        }
        after += c.to;
        if (c.action == SyncChange::Action::End)
            ++plan.ended;
        if (c.action == SyncChange::Action::End || (from >= 0 && c.to < from))
            ++plan.lowered;
        plan.changes.append(c);
    }
    if (before > 0 && after < before)
        plan.cutPercent = int((before - after) * 100 / before);
    return plan;
}

Result<SyncReport> StockSync::run()
{
    return runPlanned(true);
}

Result<SyncReport> StockSync::runPlanned(bool guarded)
{
    storage::Database &db = m_offers.inventory().database();
    auto settings = InventorySettings::load(db);
    if (!settings)
        return settings.error();
    SyncReport report;
    if (!settings->syncAllowed()) {
        report.outcome = SyncReport::Outcome::Paused;
        report.message = settings->pausedReason();
        return report;
    }
    auto unfinished = runSql(db,
                             u"SELECT id, plan FROM stock_sync_runs WHERE account_id = ? AND state = 'running' "
                             "ORDER BY id LIMIT 1"_qs,
                             "unfinished sync", {m_accountId});
    if (!unfinished)
        return unfinished.error();
    if (unfinished->next()) {
        const qint64 id = unfinished->value(0).toLongLong();
        const SyncPlan plan = SyncPlan::fromJson(unfinished->value(1).toString());
        unfinished->finish();
        return execute(id, plan);
    }
    if (guarded) {
        // The operator released the held list from a window: it runs here without the guard, this once.
        auto approved = runSql(db,
                               u"UPDATE stock_sync_runs SET state = 'released' WHERE account_id = ? AND state = "
                               "'approved'"_qs,
                               "take approved sync", {m_accountId});
        if (!approved)
            return approved.error();
        if (approved->numRowsAffected() > 0)
            return runPlanned(false);
        auto h = held();
        if (!h)
            return h.error();
        if (h->has_value()) {
            report.outcome = SyncReport::Outcome::Held;
            report.runId = (*h)->first;
            report.plan = (*h)->second;
            report.message = tr("Stock sync waits for the operator: the held list of %n offer(s) must be released "
                                "or dismissed.",
                                nullptr, int(report.plan.changes.size()));
            return report;
        }
    }
    auto p = plan();
    if (!p)
        return p.error();
    report.plan = *p;
    if (p->changes.isEmpty()) {
        report.message = tr("Every synced offer shows the stock already.");
        return report;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString planText = QString::fromUtf8(QJsonDocument(p->toJson()).toJson(QJsonDocument::Compact));
    if (guarded) {
        auto recent = runSql(db,
                             u"SELECT COALESCE(SUM(ended), 0) FROM stock_sync_runs WHERE account_id = ? AND state IN "
                             "('done', 'running') AND at >= ?"_qs,
                             "recent ended offers", {m_accountId, now - qint64(settings->guardWindowSeconds) * 1000});
        if (!recent)
            return recent.error();
        const int endedInWindow = (recent->next() ? recent->value(0).toInt() : 0) + p->ended;
        QString why;
        if (endedInWindow > settings->guardMaxEnded)
            why = tr("This sync would end %1 offer(s) within %2 s (the limit is %3).")
                      .arg(endedInWindow)
                      .arg(settings->guardWindowSeconds)
                      .arg(settings->guardMaxEnded);
        else if (p->lowered >= settings->guardCutMinOffers && p->cutPercent > settings->guardMaxCutPercent)
            why = tr("This sync would cut the synced offers' quantity by %1% (the limit is %2%).")
                      .arg(p->cutPercent)
                      .arg(settings->guardMaxCutPercent);
        if (!why.isEmpty()) {
            auto held =
                runSql(db,
                       u"INSERT INTO stock_sync_runs (account_id, at, state, ended, cut_percent, plan, message) "
                       "VALUES (?, ?, 'held', ?, ?, ?, ?) RETURNING id"_qs,
                       "hold sync", {m_accountId, now, p->ended, p->cutPercent, planText, why});
            if (!held)
                return held.error();
            report.runId = held->next() ? held->value(0).toLongLong() : 0;
            report.outcome = SyncReport::Outcome::Held;
            report.message = why + u' ' + tr("Nothing was sent; check the list and release or dismiss it.");
            return report;
        }
    }
    auto started =
        runSql(db,
               u"INSERT INTO stock_sync_runs (account_id, at, state, ended, cut_percent, plan) VALUES (?, ?, "
               "'running', ?, ?, ?) RETURNING id"_qs,
               "start sync", {m_accountId, now, p->ended, p->cutPercent, planText});
    if (!started)
        return started.error();
    if (!started->next())
        return makeError(Error::Code::Storage, tr("The stock sync could not be recorded."));
    const qint64 id = started->value(0).toLongLong();
    started->finish();
    return execute(id, *p);
}

Result<SyncReport> StockSync::execute(qint64 runId, const SyncPlan &plan)
{
    storage::Database &db = m_offers.inventory().database();
    SyncReport report;
    report.outcome = SyncReport::Outcome::Done;
    report.runId = runId;
    report.plan = plan;
    auto at = runSql(db, u"SELECT at FROM stock_sync_runs WHERE id = ?"_qs, "sync run time", {runId});
    if (!at)
        return at.error();
    // The run's id and start time name its commands: the same run re-sends the same UUIDs, another never does.
    const QString base = u"stock-sync/run:%1@%2"_qs.arg(runId).arg(at->next() ? at->value(0).toLongLong() : 0);
    at->finish();

    QMap<int, QStringList> quantities;
    QStringList ends;
    QStringList resumes;
    QHash<QString, int> target;
    for (const SyncChange &c : plan.changes) {
        target.insert(c.offerId, c.to);
        if (c.action == SyncChange::Action::End) {
            ends.append(c.offerId);
            continue;
        }
        if (c.action == SyncChange::Action::Quantity || c.from != c.to)
            quantities[c.to].append(c.offerId);
        if (c.action == SyncChange::Action::Resume)
            resumes.append(c.offerId);
    }
    QHash<QString, QString> failedNow; // offer -> message
    QList<Sent> sent;
    auto send = [&](Sent s, const std::function<Result<marketplace::allegro::ActionOutcome>()> &call) {
        auto outcome = call();
        if (!outcome) {
            for (const QString &id : std::as_const(s.offerIds))
                failedNow.insert(id, outcome.error().userMessage);
            return;
        }
        if (outcome->performed)
            ++report.commands;
        if (!report.firstCommandAtMs)
            report.firstCommandAtMs = QDateTime::currentMSecsSinceEpoch();
        sent.append(std::move(s));
    };
    for (auto it = quantities.cbegin(); it != quantities.cend(); ++it) {
        for (qsizetype i = 0; i < it->size(); i += kCommandLimit) {
            Sent s{u"%1/quantity:%2/part:%3"_qs.arg(base).arg(it.key()).arg(i / kCommandLimit),
                   it->mid(i, kCommandLimit), Sent::What::Quantity, it.key()};
            send(s, [&] { return m_actions.changeQuantity(s.key, s.offerIds, s.quantity); });
        }
    }
    for (qsizetype i = 0; i < ends.size(); i += kCommandLimit) {
        Sent s{u"%1/end/part:%2"_qs.arg(base).arg(i / kCommandLimit), ends.mid(i, kCommandLimit), Sent::What::End, 0};
        send(s, [&] { return m_actions.changePublication(s.key, s.offerIds, false); });
    }
    resumes.removeIf([&](const QString &id) { return failedNow.contains(id); });
    for (qsizetype i = 0; i < resumes.size(); i += kCommandLimit) {
        Sent s{u"%1/activate/part:%2"_qs.arg(base).arg(i / kCommandLimit), resumes.mid(i, kCommandLimit),
               Sent::What::Activate, 0};
        send(s, [&] { return m_actions.changePublication(s.key, s.offerIds, true); });
    }

    // Read the reports back until every task is final.
    struct Confirmed
    {
        QString offerId;
        Sent::What what;
        int quantity;
    };
    QList<Confirmed> confirmed;
    QList<Sent> open = sent;
    for (int round = 0; round <= m_maxPolls && !open.isEmpty(); ++round) {
        if (round > 0)
            m_wait(m_pollMs);
        QList<Sent> still;
        for (const Sent &s : std::as_const(open)) {
            auto status = m_actions.commandStatus(s.key);
            if (!status) {
                still.append(s);
                continue;
            }
            const QJsonArray tasks = status->value(u"tasks").toArray();
            bool final = !tasks.isEmpty();
            for (const QJsonValue &t : tasks) {
                const QString st = t.toObject().value(u"status").toString();
                if (st != u"SUCCESS" && st != u"FAIL")
                    final = false;
            }
            if (!final) {
                still.append(s);
                continue;
            }
            for (const QJsonValue &t : tasks) {
                const QJsonObject task = t.toObject();
                const QString offerId = task.value(u"offer").toObject().value(u"id").toString();
                if (task.value(u"status").toString() == u"SUCCESS")
                    confirmed.append({offerId, s.what, s.quantity});
                else
                    failedNow.insert(offerId, taskMessage(task));
            }
        }
        open = still;
    }

    storage::Transaction tx(db, "record stock sync");
    if (!tx.started())
        return tx.started().error();
    for (const Confirmed &c : std::as_const(confirmed)) {
        if (failedNow.contains(c.offerId))
            continue;
        Result<QSqlQuery> r = makeError(Error::Code::Internal, {});
        if (c.what == Sent::What::Quantity)
            r = runSql(
                db,
                u"UPDATE marketplace_offers SET available = ?, sync_state = '', sync_error = '', sync_attempts = "
                "0 WHERE account_id = ? AND offer_id = ?"_qs,
                "confirm quantity", {c.quantity, m_accountId, c.offerId});
        else
            r = runSql(db,
                       u"UPDATE marketplace_offers SET status = ?, sync_state = '', sync_error = '', sync_attempts = 0 "
                       "WHERE account_id = ? AND offer_id = ?"_qs,
                       "confirm publication",
                       {c.what == Sent::What::End ? u"ENDED"_qs : u"ACTIVE"_qs, m_accountId, c.offerId});
        if (!r)
            return r.error();
        ++report.updated;
    }
    int maxAttempts = 0;
    for (auto it = failedNow.cbegin(); it != failedNow.cend(); ++it) {
        auto r = runSql(db,
                        u"UPDATE marketplace_offers SET sync_state = 'failed', sync_error = ?, sync_attempts = "
                        "sync_attempts + 1 WHERE account_id = ? AND offer_id = ? RETURNING sync_attempts"_qs,
                        "record sync failure", {it.value(), m_accountId, it.key()});
        if (!r)
            return r.error();
        if (r->next())
            maxAttempts = qMax(maxAttempts, r->value(0).toInt());
        report.failures.append(it.key() + u": " + it.value());
    }
    for (const Sent &s : std::as_const(open)) {
        for (const QString &id : s.offerIds) {
            if (auto r = runSql(db,
                                u"UPDATE marketplace_offers SET sync_state = 'pending' WHERE account_id = ? AND "
                                "offer_id = ?"_qs,
                                "sync unconfirmed", {m_accountId, id});
                !r)
                return r.error();
        }
    }
    report.failed = int(failedNow.size());
    report.message = tr("%n offer(s) brought in line with the stock.", nullptr, report.updated);
    if (report.failed)
        report.message += u' ' + tr("%n offer(s) failed and will be tried again.", nullptr, report.failed);
    if (auto r = runSql(db, u"UPDATE stock_sync_runs SET state = 'done', message = ? WHERE id = ?"_qs, "finish sync",
                        {report.message, runId});
        !r)
        return r.error();
    if ((report.failed && maxAttempts < kMaxAttempts) || !open.isEmpty()) {
        if (auto r = request(m_offers.inventory().orders().sharedDatabase(), 1000LL << qMin(maxAttempts, 6)); !r)
            return r.error();
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return report;
}

Result<std::optional<QPair<qint64, SyncPlan>>> StockSync::held()
{
    auto q = runSql(m_offers.inventory().database(),
                    u"SELECT id, plan FROM stock_sync_runs WHERE account_id = ? AND state = 'held' ORDER BY id DESC "
                    "LIMIT 1"_qs,
                    "held sync", {m_accountId});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<QPair<qint64, SyncPlan>>();
    return std::optional<QPair<qint64, SyncPlan>>(
        qMakePair(q->value(0).toLongLong(), SyncPlan::fromJson(q->value(1).toString())));
}

Result<SyncReport> StockSync::release()
{
    if (auto r =
            decide(m_offers.inventory().database(), m_accountId, u"released"_qs, tr("Released by %1.").arg(m_actor));
        !r)
        return r.error();
    return runPlanned(false);
}

Result<void> StockSync::dismiss()
{
    return dismiss(m_offers.inventory().database(), m_accountId, m_actor);
}

Result<void> StockSync::decide(storage::Database &db, qint64 accountId, const QString &state, const QString &message)
{
    auto r = runSql(db, u"UPDATE stock_sync_runs SET state = ?, message = ? WHERE account_id = ? AND state = 'held'"_qs,
                    "decide held sync", {state, message, accountId});
    if (!r)
        return r.error();
    if (r->numRowsAffected() == 0)
        return makeError(Error::Code::NotFound, tr("No stock sync is waiting for the operator."));
    return {};
}

Result<void> StockSync::dismiss(storage::Database &db, qint64 accountId, const QString &actor)
{
    return decide(db, accountId, u"dismissed"_qs, tr("Dismissed by %1.").arg(actor));
}

Result<void> StockSync::approve(const std::shared_ptr<storage::Database> &db, qint64 accountId, const QString &actor)
{
    storage::Transaction tx(*db, "approve held sync");
    if (!tx.started())
        return tx.started().error();
    if (auto r = decide(*db, accountId, u"approved"_qs, tr("Released by %1.").arg(actor)); !r)
        return r.error();
    if (auto q = request(db, 1); !q)
        return q.error();
    return tx.commit();
}

Result<QList<HeldSync>> StockSync::heldRuns(storage::Database &db)
{
    auto q = runSql(db,
                    u"SELECT r.id, r.account_id, COALESCE(a.name, ''), r.at, r.message, r.plan FROM stock_sync_runs r "
                    "LEFT JOIN marketplace_accounts a ON a.id = r.account_id WHERE r.state = 'held' ORDER BY r.id"_qs,
                    "held syncs");
    if (!q)
        return q.error();
    QList<HeldSync> list;
    while (q->next()) {
        list.append({q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toString(),
                     q->value(3).toLongLong(), q->value(4).toString(), SyncPlan::fromJson(q->value(5).toString())});
    }
    return list;
}

Result<QList<SyncConflict>> StockSync::conflicts()
{
    return conflicts(m_offers, m_accountId);
}

Result<QList<SyncConflict>> StockSync::conflicts(OfferCatalog &offers, qint64 accountId)
{
    OfferFilter filter;
    filter.sync = true;
    filter.accountId = accountId;
    auto list = offers.list(filter);
    if (!list)
        return list.error();
    QList<SyncConflict> found;
    for (const OfferView &v : std::as_const(*list)) {
        if (v.archived || v.available < 0 || v.available == v.localQuantity)
            continue;
        if (v.localQuantity == 0 && v.status != u"ACTIVE")
            continue; // ended at zero: in line
        found.append({v, v.localQuantity, v.available});
    }
    return found;
}

Result<void> StockSync::retryOffer(storage::Database &db, qint64 accountId, const QString &offerId)
{
    auto r = runSql(db,
                    u"UPDATE marketplace_offers SET sync_state = '', sync_error = '', sync_attempts = 0 WHERE "
                    "account_id = ? AND offer_id = ? AND sync_enabled = 1"_qs,
                    "retry offer sync", {accountId, offerId});
    if (!r)
        return r.error();
    if (r->numRowsAffected() == 0)
        return makeError(Error::Code::Invalid, tr("Stock sync is off for the offer %1.").arg(offerId));
    return {};
}

Result<void> StockSync::queueTakeLocal(OfferCatalog &offers, const QString &offerId, qint64 accountId)
{
    storage::Database &db = offers.inventory().database();
    storage::Transaction tx(db, "take local");
    if (!tx.started())
        return tx.started().error();
    if (auto r = retryOffer(db, accountId, offerId); !r)
        return r.error();
    if (auto r = request(offers.inventory().orders().sharedDatabase(), 1); !r)
        return r.error();
    return tx.commit();
}

Result<SyncReport> StockSync::takeLocal(const QString &offerId)
{
    auto offer = m_offers.offer(offerId, m_accountId);
    if (!offer)
        return offer.error();
    if (auto r = retryOffer(m_offers.inventory().database(), offer->accountId, offerId); !r)
        return r.error();
    return runPlanned(true);
}

Result<StockDocument> StockSync::takeMarketplace(const QString &offerId)
{
    return takeMarketplace(m_offers, offerId, m_accountId, m_actor);
}

Result<StockDocument> StockSync::takeMarketplace(OfferCatalog &offers, const QString &offerId, qint64 accountId,
                                                 const QString &actor)
{
    InventoryStore &inventory = offers.inventory();
    auto offer = offers.offer(offerId, accountId);
    if (!offer)
        return offer.error();
    if (!offer->productId)
        return makeError(Error::Code::Invalid, tr("The offer %1 is not linked to a product.").arg(offerId));
    if (offer->available < 0)
        return makeError(Error::Code::Invalid,
                         tr("The marketplace's quantity of the offer %1 is not known.").arg(offerId));
    auto settings = InventorySettings::load(inventory.database());
    if (!settings)
        return settings.error();
    auto total = inventory.totalStock(offer->productId);
    if (!total)
        return total.error();
    auto reserved = inventory.reserved(offer->productId);
    if (!reserved)
        return reserved.error();
    const int wanted = offer->available + (settings->subtractReservations ? *reserved : 0);
    auto warehouse = inventory.defaultWarehouse();
    if (!warehouse)
        return warehouse.error();
    auto stock = inventory.stock(offer->productId);
    if (!stock)
        return stock.error();
    int here = 0;
    for (const auto &w : std::as_const(stock->warehouses)) {
        if (w.warehouseId == warehouse->id)
            here = w.quantity;
    }
    const int counted = here + (wanted - *total);
    if (counted < 0)
        return makeError(Error::Code::Invalid,
                         tr("The stock of %1 cannot be corrected in the warehouse %2 alone; correct it by hand.")
                             .arg(offer->sku, warehouse->code));
    return inventory.countStock(offer->sku, counted, warehouse->code, actor);
}

} // namespace sd::inventory
