#pragma once

#include "automation/marketplaceexecutors.h"
#include "storage/database.h"
#include "storage/orderstore.h"
#include "util/result.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;
class QTimer;

namespace sd::security {
class SecretStore;
}

namespace sd::documents {
class KsefService;
}

namespace sd::marketplace::allegro {
class AllegroSync;
}

namespace sd::automation {

class RuleStore;
class Scheduler;

struct BackgroundOptions
{
    QString profileDir;       // where the secrets file lives when the user chose one
    QString role;             // "headless" or "window": part of the queue owner's name
    bool download = false;    // the marketplace download too (the window has its own, in the connector)
    bool openSecrets = false; // open the secret store when an account needs it (the window hands its own over)
};

// What runs a process's share of the work without anyone watching: the scheduler (dispatcher, timers, delayed and
// queued actions, e-mails, labels, receipts), the print queue's pass over jobs waiting for their printer, D6's
// completion documents and,
// for a headless node, the marketplace download. `sellerdesk --headless` runs it on its main thread; the window
// runs it on a worker thread so a job that talks to a printer or a mail server never freezes the list.
// Everything lives in the thread that calls start(); stop with shutdown() in that thread.
class BackgroundServices : public QObject
{
    Q_OBJECT

public:
    BackgroundServices(std::shared_ptr<storage::Database> db, BackgroundOptions options, QObject *parent = nullptr);
    ~BackgroundServices() override;

    // Takes the job queue (on SQLite the profile's lock: a second process gets a translated reason) and starts the
    // scheduler, the print pass and, with `download`, the marketplace download.
    Result<void> start();
    // The queue owner's name in the ledger and the jobs: host:pid:role.
    QString owner() const { return m_owner; }
    Scheduler *scheduler() const { return m_scheduler.get(); }
    bool isBusy() const;
    // Safe from any thread and from a signal handler: nothing new is claimed after the job being run.
    void requestStop();

public Q_SLOTS:
    // The secret store for marketplace actions, e-mail/SMS and couriers (the window opens it on its own thread).
    void setSecrets(std::shared_ptr<sd::security::SecretStore> secrets);
    // Jobs were queued or orders stored elsewhere in this process: look for due work now.
    void wake();
    // Messaging's pass (also every two minutes on a timer): the Message Center reader and its autoresponder, D2's
    // invoices to the buyer and to Allegro, and E3's deadline alerts, all at the scheduler's clock.
    void messagingPass();
    // The offers of every connected account read again (also every ten minutes on a timer): offers added, ended or
    // changed on the marketplace's own pages are linked by SKU/EAN and the stock page's conflicts show what the
    // marketplace has now. Returns how many offers were read.
    int offersPass();
    // D6 automatic (DocumentService::completeClosedOrders): every two seconds and once at start().
    void completionPass();
    // Finishes the running job (and any URL call in flight), stops everything and emits stopped(); with
    // `quitThread` the worker thread's event loop ends too.
    void shutdown(bool quitThread = false);

Q_SIGNALS:
    void jobFinished(qint64 jobId, const QString &outcome);
    void stopped();
    // E3: operator alerts for passed deadlines were raised (the window shows a desktop notification).
    void deadlineAlertsRaised(int count);

private:
    void openSecretsIfNeeded();
    // D2 alone: issued invoices to the buyer and to Allegro (the messaging pass and the two-second look run it).
    void invoicePass();
    void startDownload();
    void finishShutdown(bool quitThread);

    std::shared_ptr<storage::Database> m_db;
    BackgroundOptions m_options;
    QString m_owner;
    std::unique_ptr<storage::OrderStore> m_store;
    std::unique_ptr<RuleStore> m_rules;
    std::unique_ptr<Scheduler> m_scheduler;
    std::shared_ptr<MarketplaceAccess> m_marketplace = std::make_shared<MarketplaceAccess>();
    std::shared_ptr<security::SecretStore> m_secrets;
    QTimer *m_printPass = nullptr;
    documents::KsefService *m_ksef = nullptr;
    QTimer *m_messagingPass = nullptr;
    QThread *m_syncThread = nullptr;
    marketplace::allegro::AllegroSync *m_sync = nullptr;
    std::atomic<bool> m_stopRequested = false;
    bool m_shuttingDown = false;
};

} // namespace sd::automation
