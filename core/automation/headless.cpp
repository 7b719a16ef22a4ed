#include "automation/headless.h"

#include "automation/marketplaceexecutors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "devices/labels/couriersetup.h"
#include "devices/printing/printerrouting.h"
#include "devices/printing/printqueue.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegrosync.h"
#include "messaging/messagingaccounts.h"
#include "messaging/orderconfirmation.h"
#include "messaging/outbox.h"
#include "security/secretstore.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostInfo>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace sd::automation {

namespace {

constexpr int kPrintPassMs = 30000;

int s_signalPipe[2] = {-1, -1};
std::atomic<Scheduler *> s_scheduler = nullptr;

void onSignal(int)
{
    // Stops the job loop between two jobs even while it keeps the event loop busy; the pipe wakes the event loop.
    if (Scheduler *scheduler = s_scheduler.load())
        scheduler->requestStop();
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(s_signalPipe[0], &byte, 1);
}

} // namespace

HeadlessRunner::HeadlessRunner(std::shared_ptr<storage::Database> db, HeadlessOptions options, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_options(std::move(options))
{}

HeadlessRunner::~HeadlessRunner()
{
    if (m_syncThread) {
        m_syncThread->quit();
        m_syncThread->wait();
    }
    s_scheduler = nullptr;
    m_scheduler.reset();
    util::removeFileLog();
}

int HeadlessRunner::exec()
{
    const QString logFile = !m_options.logFile.isEmpty()
                                ? m_options.logFile
                                : QDir(m_options.profileDir).filePath(u"logs/sellerdesk-headless.log"_qs);
    if (!util::installFileLog(logFile))
        qCWarning(lcAutomation) << "cannot write the log file" << logFile;

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalPipe) != 0) {
        qCCritical(lcAutomation) << "cannot install signal handlers";
        return 1;
    }
    m_signals = new QSocketNotifier(s_signalPipe[1], QSocketNotifier::Read, this);
    connect(m_signals, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        [[maybe_unused]] const auto read = ::read(s_signalPipe[1], &byte, 1);
        qCInfo(lcAutomation) << "stop requested by a signal";
        stop();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    m_store = std::make_unique<storage::OrderStore>(m_db);
    m_rules = std::make_unique<RuleStore>(m_db);
    const QString owner = u"%1:%2:headless"_qs.arg(QHostInfo::localHostName()).arg(QCoreApplication::applicationPid());
    openSecrets();
    auto marketplace = std::make_shared<MarketplaceAccess>();
    marketplace->secrets = m_secrets;
    m_scheduler = std::make_unique<Scheduler>(*m_store, *m_rules, Executors::withDefaults(marketplace), owner);
    connect(m_scheduler.get(), &Scheduler::jobFinished, this,
            [](qint64 id, const QString &outcome) { qCInfo(lcAutomation).noquote() << "job" << id << outcome; });
    s_scheduler = m_scheduler.get();
    // E-mail and SMS jobs read their passwords and tokens from the secret store; without one they wait and retry.
    if (m_secrets) {
        messaging::Outbox::setDefaultSecrets(m_secrets);
        devices::labels::setRuleSecrets(m_secrets); // the label actions' couriers
    }
    if (auto r = m_scheduler->start(); !r) {
        qCCritical(lcAutomation).noquote() << r.error().text();
        return 1;
    }
    qCInfo(lcAutomation).noquote() << "headless scheduler started as" << owner << "on" << m_db->describe();
    startSync();
    // Print jobs waiting for a printer that was away go when it is back (this workstation's jobs, oldest first).
    auto *printPass = new QTimer(this);
    printPass->setInterval(kPrintPassMs);
    connect(printPass, &QTimer::timeout, this, [this] {
        storage::ActionLedger ledger(m_db);
        devices::printing::PrintQueue queue(m_db, ledger, devices::printing::PrinterRouting::workstation());
        if (auto r = queue.processPending(); !r)
            qCWarning(lcAutomation).noquote() << "print queue:" << r.error().text();
    });
    printPass->start();
    const int code = QCoreApplication::exec();
    qCInfo(lcAutomation) << "headless scheduler stopped";
    return code;
}

void HeadlessRunner::openSecrets()
{
    marketplace::AccountStore accounts(m_db);
    auto list = accounts.list();
    const bool connected = list && std::any_of(list->cbegin(), list->cend(),
                                               [](const marketplace::MarketplaceAccount &a) { return a.connected; });
    // Mail and SMS accounts keep their passwords and tokens there too.
    const bool messagingAccounts = messaging::MessagingAccounts::notificationWaitingReason(*m_db).isEmpty();
    if (!connected && !messagingAccounts)
        return; // no secrets to read: the keychain probe is not free
    auto secrets = security::SecretStore::open(security::SecretStore::Choice::fromEnvironment(m_options.profileDir));
    if (!secrets) {
        qCWarning(lcAutomation).noquote() << "the secret store cannot be opened:" << secrets.error().text();
        return;
    }
    m_secrets = *secrets;
}

void HeadlessRunner::startSync()
{
    marketplace::AccountStore accounts(m_db);
    auto list = accounts.list();
    if (!list) {
        qCWarning(lcAutomation).noquote() << "marketplace accounts:" << list.error().text();
        return;
    }
    const bool connected =
        std::any_of(list->cbegin(), list->cend(), [](const marketplace::MarketplaceAccount &a) { return a.connected; });
    if (!connected) {
        qCInfo(lcAutomation) << "no marketplace account is connected: no download";
        return;
    }
    if (!m_secrets) {
        qCWarning(lcAutomation).noquote() << "no marketplace download: the secret store is not open";
        return;
    }
    m_syncThread = new QThread(this);
    m_sync = new marketplace::allegro::AllegroSync(m_db, m_secrets);
    m_sync->setActor(u"marketplace:allegro"_qs);
    m_sync->moveToThread(m_syncThread);
    connect(m_syncThread, &QThread::finished, m_sync, &QObject::deleteLater);
    // Orders the download stores were written on another connection: the scheduler looks for new events.
    connect(m_sync, &marketplace::allegro::AllegroSync::finished, this,
            [this](const marketplace::allegro::SyncReport &report) {
                // E1: the seller's e-mail with the number of new orders of this store (when the setting is on).
                if (report.created > 0)
                    if (auto r = messaging::notifyOrdersDownloaded(*m_store, {{report.accountName, report.created}},
                                                                   report.cursor);
                        !r)
                        qCWarning(lcAutomation).noquote() << "orders-downloaded e-mail:" << r.error().text();
                if (m_scheduler)
                    m_scheduler->wake();
            });
    m_syncThread->start();
    QMetaObject::invokeMethod(
        m_sync, [sync = m_sync] { sync->start(); }, Qt::QueuedConnection);
    qCInfo(lcAutomation) << "marketplace download started";
}

void HeadlessRunner::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_scheduler)
        m_scheduler->requestStop();
    if (m_sync)
        QMetaObject::invokeMethod(m_sync, [sync = m_sync] {
            sync->cancel();
            sync->stop();
        });
    finishStop();
}

void HeadlessRunner::finishStop()
{
    // A running job, or a URL call in flight: quitting now would cut it. Wait for its answer to be recorded.
    if (m_scheduler && m_scheduler->isBusy()) {
        QTimer::singleShot(20, this, &HeadlessRunner::finishStop);
        return;
    }
    if (m_scheduler)
        m_scheduler->stop();
    if (m_syncThread) {
        m_syncThread->quit();
        m_syncThread->wait();
        m_syncThread = nullptr;
        m_sync = nullptr;
    }
    QCoreApplication::exit(0);
}

} // namespace sd::automation
