#pragma once

#include "storage/database.h"
#include "storage/orderstore.h"

#include <QObject>
#include <QString>

#include <memory>

class QSocketNotifier;
class QThread;

namespace sd::security {
class SecretStore;
}

namespace sd::marketplace::allegro {
class AllegroSync;
}

namespace sd::automation {

class RuleStore;
class Scheduler;

struct HeadlessOptions
{
    QString profileDir; // where the secrets file lives (and the log, unless logFile says otherwise)
    QString logFile;    // empty: PROFILE/logs/sellerdesk-headless.log
};

// `sellerdesk --headless`: the scheduler (dispatcher and jobs) and, when accounts are connected, the marketplace
// download on a worker thread, without a window. SIGTERM and SIGINT stop it cleanly: the job being run finishes
// (its lease is released with its result), nothing new is claimed, and exec() returns 0.
class HeadlessRunner : public QObject
{
    Q_OBJECT

public:
    HeadlessRunner(std::shared_ptr<storage::Database> db, HeadlessOptions options, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    // Logs to the file, installs the signal handlers and starts the scheduler and the sync; then the event loop
    // runs until a signal or stop(). Returns the process's exit code.
    int exec();
    void stop();

private:
    void openSecrets();
    void startSync();
    void finishStop();

    std::shared_ptr<storage::Database> m_db;
    HeadlessOptions m_options;
    std::unique_ptr<storage::OrderStore> m_store;
    std::unique_ptr<RuleStore> m_rules;
    std::unique_ptr<Scheduler> m_scheduler;
    std::shared_ptr<security::SecretStore> m_secrets; // the marketplace tokens: download and marketplace actions
    QThread *m_syncThread = nullptr;
    marketplace::allegro::AllegroSync *m_sync = nullptr;
    QSocketNotifier *m_signals = nullptr;
    bool m_stopping = false;
};

} // namespace sd::automation
