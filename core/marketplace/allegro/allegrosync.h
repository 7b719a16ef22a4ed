#pragma once

#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/httpexchange.h"
#include "marketplace/orderimporter.h"

#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <memory>

namespace sd::marketplace::allegro {

struct SyncReport
{
    qint64 accountId = 0;
    QString accountName;
    int events = 0;     // journal events read
    int duplicates = 0; // events already seen (skipped)
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    QList<ImportReport::Rejection> rejected; // orders that could not be read (each reported, the rest imported)
    QStringList errors;                      // failures of the sync itself (translated)
    QString cursor;                          // the journal cursor after this run

    bool ok() const { return errors.isEmpty(); }
};

// Downloads orders for every connected Allegro account: follows the order event journal from the persisted
// cursor (limit 1000), deduplicates events, re-reads each touched checkout form and imports it through
// OrderImporter. The cursor advances only past events whose order was handled (imported, or reported as
// unreadable), so a crash loses nothing. The first sync reads everything the journal holds (60 days).
//
// Meant to live on a worker thread (moveToThread, then start()); its signals reach the GUI queued.
class AllegroSync : public QObject
{
    Q_OBJECT

public:
    AllegroSync(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                QObject *parent = nullptr);
    ~AllegroSync() override;

    void setClientOptions(const ClientOptions &options) { m_options = options; }
    // Who the history shows for imported changes ("marketplace:allegro" by default).
    void setActor(const QString &actor) { m_actor = actor; }

    // Blocking: one download for one account, on the calling thread.
    Result<SyncReport> syncAccount(qint64 accountId);

    bool isRunning() const { return m_running; }

public Q_SLOTS:
    // Downloads every connected account at once, then periodically (each account at its own interval; checked
    // every intervalCheckMs).
    void start(int intervalCheckMs = 15000);
    void stop();
    // Downloads every connected account now (queued calls while one runs are merged).
    void downloadNow();
    void downloadAccount(qint64 accountId);
    // Asks a running download to stop at the next request; the cursor keeps what was done.
    void cancel() { m_cancel = true; }

Q_SIGNALS:
    void started(qint64 accountId);
    // done of total forms of the current batch of events.
    void progress(qint64 accountId, int done, int total);
    // One line for the status bar ("Allegro: downloading orders (shop-1)…"), translated.
    void statusChanged(qint64 accountId, const QString &status);
    // Empty after a successful run.
    void lastErrorChanged(qint64 accountId, const QString &error);
    void finished(const sd::marketplace::allegro::SyncReport &report);
    // Every HTTP exchange (redacted), for the connector log view.
    void exchange(const sd::marketplace::HttpExchange &exchange);

private:
    void tick();

    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
    ClientOptions m_options;
    QString m_actor = QStringLiteral("marketplace:allegro");
    QTimer *m_timer = nullptr;
    std::atomic_bool m_cancel = false;
    bool m_running = false;
};

} // namespace sd::marketplace::allegro

Q_DECLARE_METATYPE(sd::marketplace::allegro::SyncReport)
Q_DECLARE_METATYPE(sd::marketplace::HttpExchange)
