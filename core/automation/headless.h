#pragma once

#include "storage/database.h"

#include <QObject>
#include <QString>

#include <memory>

class QSocketNotifier;

namespace sd::automation {

class BackgroundServices;

struct HeadlessOptions
{
    QString profileDir; // where the secrets file lives (and the log, unless logFile says otherwise)
    QString logFile;    // empty: PROFILE/logs/sellerdesk-headless.log
};

// `sellerdesk --headless`: the background services (scheduler, print pass and, when accounts are connected, the
// marketplace download on a worker thread) without a window. SIGTERM and SIGINT stop it cleanly: the job being run
// finishes (its lease is released with its result), nothing new is claimed, and exec() returns 0.
class HeadlessRunner : public QObject
{
    Q_OBJECT

public:
    HeadlessRunner(std::shared_ptr<storage::Database> db, HeadlessOptions options, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    // Logs to the file, installs the signal handlers and starts the services; then the event loop runs until a
    // signal or stop(). Returns the process's exit code.
    int exec();
    void stop();

private:
    std::shared_ptr<storage::Database> m_db;
    HeadlessOptions m_options;
    std::unique_ptr<BackgroundServices> m_services;
    QSocketNotifier *m_signals = nullptr;
};

} // namespace sd::automation
