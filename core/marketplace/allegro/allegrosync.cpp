#include "marketplace/allegro/allegrosync.h"

#include "security/secretstore.h"
#include "storage/orderstore.h"
#include "storage/sqlquery.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QSet>

namespace sd::marketplace::allegro {

namespace {

// How often the cursor is saved while a batch is handled; everything before it is durable.
constexpr int kCursorSaveEvery = 25;

Result<bool> eventSeen(storage::Database &db, qint64 accountId, const QString &key)
{
    auto q = storage::prepare(
        db.connection(),
        QStringLiteral("SELECT 1 FROM marketplace_seen_events WHERE account_id = ? AND dedupe_key = ?"),
        "check seen event");
    if (!q)
        return q.error();
    q->addBindValue(accountId);
    q->addBindValue(key);
    if (auto r = storage::exec(*q, "check seen event"); !r)
        return r.error();
    return q->next();
}

} // namespace

AllegroSync::AllegroSync(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                         QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_secrets(std::move(secrets))
{
    qRegisterMetaType<sd::marketplace::allegro::SyncReport>();
    qRegisterMetaType<sd::marketplace::HttpExchange>();
}

AllegroSync::~AllegroSync() = default;

Result<SyncReport> AllegroSync::syncAccount(qint64 accountId)
{
    AccountStore accounts(m_db);
    auto account = accounts.get(accountId);
    if (!account)
        return account.error();
    SyncReport report;
    report.accountId = accountId;
    report.accountName = account->name;
    if (!account->connected)
        return makeError(Error::Code::Invalid,
                         tr("The account %1 is not connected to Allegro. Connect it first.").arg(account->name));
    if (!m_secrets)
        return makeError(Error::Code::Invalid, tr("No secret store is open, so the account's tokens cannot be read."));

    m_running = true;
    m_cancel = false;
    emit started(accountId);
    emit statusChanged(accountId, tr("Allegro: downloading orders (%1)…").arg(account->name));

    AllegroClient client(*account, m_db, m_secrets, m_options);
    client.setObserver([this](const HttpExchange &exchange) { emit this->exchange(exchange); });
    client.setCancelled([this] { return bool(m_cancel); });
    storage::OrderStore store(m_db);
    OrderImporter importer(store, account->orderAccountKey());
    Q_UNUSED(m_actor);

    QString cursor = account->eventCursor;
    QString savedCursor = cursor;
    auto saveCursor = [&]() -> Result<void> {
        if (cursor == savedCursor)
            return {};
        if (auto r = accounts.setCursor(accountId, cursor); !r)
            return r;
        savedCursor = cursor;
        return {};
    };

    auto pendingList = accounts.pendingForms(accountId);
    if (!pendingList) {
        report.errors.append(pendingList.error().userMessage);
        pendingList = QStringList();
    }
    QSet<QString> pending(pendingList->cbegin(), pendingList->cend());

    // Reads one form and imports it. False when the sync must stop (the form stays to be read again: the cursor
    // does not pass its event, or it stays pending). A form that cannot be read is reported and kept pending.
    auto readForm = [&](const QString &formId) -> bool {
        auto form = client.checkoutForm(formId);
        if (!form) {
            if (form.error().code != Error::Code::NotFound) {
                report.errors.append(form.error().userMessage);
                qCWarning(lcAllegro) << "checkout form" << formId << form.error().text();
                return false;
            }
            // Merged into a new checkout form (which has its own events) or older than Allegro keeps.
            qCInfo(lcAllegro) << "checkout form" << formId << "is gone:" << form.error().detail;
        } else {
            const ImportReport imported = importer.importJson(*form);
            report.created += imported.created;
            report.updated += imported.updated;
            report.unchanged += imported.unchanged;
            for (ImportReport::Rejection rejection : imported.rejected) {
                rejection.orderId = formId; // the form's own id may be what could not be read
                report.rejected.append(rejection);
            }
            if (!imported.rejected.isEmpty()) {
                if (auto r = accounts.addPendingForm(accountId, formId, imported.rejected.first().reason); !r) {
                    report.errors.append(r.error().userMessage);
                    return false;
                }
                pending.insert(formId);
                return true;
            }
        }
        if (pending.remove(formId)) {
            if (auto r = accounts.removePendingForm(accountId, formId); !r) {
                report.errors.append(r.error().userMessage);
                return false;
            }
        }
        return true;
    };
    QSet<QString> readThisRun;

    bool stop = !report.errors.isEmpty();
    while (!stop) {
        auto events = client.orderEvents(cursor, 1000);
        if (!events) {
            report.errors.append(events.error().userMessage);
            qCWarning(lcAllegro) << "order events:" << events.error().text();
            break;
        }
        if (events->isEmpty())
            break;
        report.events += int(events->size());

        // Several events usually name the same order; it is read once per batch, in its latest state.
        QHash<QString, bool> handled;
        int forms = 0;
        for (const QJsonValue &value : *events) {
            const QString formId =
                value.toObject().value(u"order").toObject().value(u"checkoutForm").toObject().value(u"id").toString();
            if (!formId.isEmpty() && !handled.contains(formId)) {
                handled.insert(formId, false);
                ++forms;
            }
        }
        handled.clear();
        int done = 0;
        int sinceSave = 0;
        emit progress(accountId, 0, forms);

        for (const QJsonValue &value : *events) {
            const QJsonObject event = value.toObject();
            const QString eventId = event.value(u"id").toString();
            const QString formId =
                event.value(u"order").toObject().value(u"checkoutForm").toObject().value(u"id").toString();
            // Allegro sometimes repeats an event under another id: the same order, type and time is one event.
            const QString dedupeKey =
                formId + u'|' + event.value(u"type").toString() + u'|' + event.value(u"occurredAt").toString();
            if (formId.isEmpty()) {
                cursor = eventId;
                continue;
            }
            if (!handled.contains(formId)) {
                auto seen = eventSeen(*m_db, accountId, dedupeKey);
                if (!seen) {
                    report.errors.append(seen.error().userMessage);
                    stop = true;
                    break;
                }
                if (*seen) {
                    ++report.duplicates;
                    cursor = eventId;
                    continue;
                }
                // Not handled: the cursor stays before this event, so the next run reads it again.
                if (!readForm(formId)) {
                    stop = true;
                    break;
                }
                readThisRun.insert(formId);
                handled.insert(formId, true);
                emit progress(accountId, ++done, forms);
            } else {
                ++report.duplicates;
            }
            if (auto r = accounts.markEventSeen(accountId, dedupeKey, eventId); !r) {
                report.errors.append(r.error().userMessage);
                stop = true;
                break;
            }
            cursor = eventId;
            if (++sinceSave >= kCursorSaveEvery) {
                sinceSave = 0;
                if (auto r = saveCursor(); !r) {
                    report.errors.append(r.error().userMessage);
                    stop = true;
                    break;
                }
            }
        }
        if (auto r = saveCursor(); !r) {
            report.errors.append(r.error().userMessage);
            break;
        }
        if (events->size() < 1000)
            break;
    }
    // Forms that could not be read before and had no news in the journal this time.
    if (report.errors.isEmpty()) {
        const QStringList again(pending.cbegin(), pending.cend());
        for (const QString &formId : again) {
            if (!readThisRun.contains(formId) && !readForm(formId))
                break;
        }
    }
    report.cursor = cursor;

    const QString error = report.errors.isEmpty() ? QString() : report.errors.join(u' ');
    (void)accounts.recordSync(accountId, QDateTime::currentDateTimeUtc(), error);
    emit lastErrorChanged(accountId, error);
    emit statusChanged(
        accountId,
        error.isEmpty()
            ? tr("Allegro (%1): %2 new, %3 updated orders.").arg(account->name).arg(report.created).arg(report.updated)
            : tr("Allegro (%1): download failed.").arg(account->name));
    m_running = false;
    emit finished(report);
    return report;
}

void AllegroSync::start(int intervalCheckMs)
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &AllegroSync::tick);
    }
    m_timer->start(intervalCheckMs);
    // What arrived while SellerDesk was closed comes in at once, whatever the interval; then each account is
    // downloaded again when its interval has passed.
    QMetaObject::invokeMethod(this, &AllegroSync::downloadNow, Qt::QueuedConnection);
}

void AllegroSync::stop()
{
    if (m_timer)
        m_timer->stop();
    m_cancel = true;
}

void AllegroSync::tick()
{
    AccountStore accounts(m_db);
    auto list = accounts.list();
    if (!list)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const MarketplaceAccount &account : *list) {
        if (!account.connected || account.marketplace != u"allegro")
            continue;
        if (account.lastSyncAt.isValid() && account.lastSyncAt.addSecs(account.syncIntervalSeconds) > now)
            continue;
        downloadAccount(account.id);
    }
}

void AllegroSync::downloadNow()
{
    AccountStore accounts(m_db);
    auto list = accounts.list();
    if (!list) {
        emit lastErrorChanged(0, list.error().userMessage);
        return;
    }
    for (const MarketplaceAccount &account : *list) {
        if (account.connected && account.marketplace == u"allegro")
            downloadAccount(account.id);
    }
}

void AllegroSync::downloadAccount(qint64 accountId)
{
    if (m_running)
        return;
    auto report = syncAccount(accountId);
    if (!report) {
        m_running = false;
        (void)AccountStore(m_db).recordSync(accountId, QDateTime::currentDateTimeUtc(), report.error().userMessage);
        emit lastErrorChanged(accountId, report.error().userMessage);
        emit statusChanged(accountId, report.error().userMessage);
    }
}

} // namespace sd::marketplace::allegro
