#include "automation/backgroundservices.h"

#include "access/session.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "devices/labels/couriersetup.h"
#include "devices/printing/printerrouting.h"
#include "devices/printing/printqueue.h"
#include "documents/documentservice.h"
#include "documents/ksefservice.h"
#include "documents/settings.h"
#include "inventory/invoicestockgate.h"
#include "inventory/offercatalog.h"
#include "inventory/stocksyncjob.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrosync.h"
#include "messaging/invoicemailer.h"
#include "messaging/messagecenter.h"
#include "messaging/messagingaccounts.h"
#include "messaging/orderconfirmation.h"
#include "messaging/outbox.h"
#include "security/secretstore.h"
#include "service/servicenotifier.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QThread>
#include <QTimer>

namespace sd::automation {

namespace {

constexpr int kPrintPassMs = 30000;
constexpr int kMessagingPassMs = 120000;
constexpr int kOffersPassMs = 600000;
constexpr int kCompletionPassMs = 2000;

} // namespace

BackgroundServices::BackgroundServices(std::shared_ptr<storage::Database> db, BackgroundOptions options,
                                       QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_options(std::move(options))
    , m_owner(u"%1:%2:%3"_qs.arg(QHostInfo::localHostName())
                  .arg(QCoreApplication::applicationPid())
                  .arg(m_options.role.isEmpty() ? u"background"_qs : m_options.role))
{}

BackgroundServices::~BackgroundServices()
{
    if (m_syncThread) {
        m_syncThread->quit();
        m_syncThread->wait();
    }
    delete m_ksef; // holds m_store
    m_ksef = nullptr;
    m_scheduler.reset();
    m_rules.reset();
    m_store.reset();
    // A worker thread's connection must be closed in that thread before it ends (the window's services are deleted
    // there, on the thread's finished()).
    if (QCoreApplication::instance() && thread() != QCoreApplication::instance()->thread())
        m_db->closeThreadConnection();
}

Result<void> BackgroundServices::start()
{
    // The rules' and services' work is allowed by whoever set them up, not by the person logged in at the window.
    access::markSystemThread();
    m_store = std::make_unique<storage::OrderStore>(m_db);
    m_rules = std::make_unique<RuleStore>(m_db);
    if (m_options.openSecrets)
        openSecretsIfNeeded();
    m_scheduler = std::make_unique<Scheduler>(*m_store, *m_rules, Executors::withDefaults(m_marketplace), m_owner);
    connect(m_scheduler.get(), &Scheduler::jobFinished, this, &BackgroundServices::jobFinished);
    if (m_secrets)
        setSecrets(m_secrets);
    if (auto r = m_scheduler->start(); !r) {
        m_scheduler.reset();
        return r.error();
    }
    qCInfo(lcAutomation).noquote() << "scheduler started as" << m_owner << "on" << m_db->describe();
    if (m_options.download)
        startDownload();
    // Print jobs waiting for a printer that was away go when it is back (this workstation's jobs, oldest first).
    m_printPass = new QTimer(this);
    m_printPass->setInterval(kPrintPassMs);
    connect(m_printPass, &QTimer::timeout, this, [this] {
        storage::ActionLedger ledger(m_db);
        devices::printing::PrintQueue queue(m_db, ledger, devices::printing::PrinterRouting::workstation());
        if (auto r = queue.processPending(); !r)
            qCWarning(lcAutomation).noquote() << "print queue:" << r.error().text();
    });
    m_printPass->start();
    // KSeF: issued invoices go through the offline queue when KSeF is on in the document settings; a pass every
    // half minute and at every wake() (an invoice issued in the window is queued at once).
    m_ksef = new documents::KsefService(*m_store, this);
    m_ksef->setSecrets(m_secrets);
    m_ksef->start();
    m_messagingPass = new QTimer(this);
    m_messagingPass->setInterval(kMessagingPassMs);
    connect(m_messagingPass, &QTimer::timeout, this, &BackgroundServices::messagingPass);
    m_messagingPass->start();
    auto *offersTimer = new QTimer(this);
    offersTimer->setInterval(kOffersPassMs);
    connect(offersTimer, &QTimer::timeout, this, &BackgroundServices::offersPass);
    offersTimer->start();
    // Stock (issue 7): a stock change or an order written elsewhere (a dialog on the window's own connection, the
    // CLI, another process on this SQLite profile) queues a sync job or an event that nothing wakes this scheduler
    // for; a look every two seconds (one small query) does. The sync and the reservations are the executors'.
    auto *stockLook = new QTimer(this);
    stockLook->setInterval(2000);
    connect(stockLook, &QTimer::timeout, this, [this] {
        if (m_stopRequested.load() || isBusy())
            return;
        if (auto waiting = inventory::stockWorkWaiting(*m_db); waiting && *waiting)
            wake();
        // D2: an invoice issued anywhere (this window, another workstation, the CLI) goes to the buyer now, not at
        // the next messaging pass.
        messaging::InvoiceMailer invoices(*m_store, messaging::InvoiceMailer::defaultPdfDir());
        if (auto due = invoices.pending(); due && *due)
            invoicePass();
    });
    stockLook->start();
    // D6 automatic: an order entering a completed status gets its transport slip, invoice and warranty card (when
    // the document setting is on). The first pass runs now, so its cursor is set before anything else changes.
    completionPass();
    auto *completionLook = new QTimer(this);
    completionLook->setInterval(kCompletionPassMs);
    connect(completionLook, &QTimer::timeout, this, &BackgroundServices::completionPass);
    completionLook->start();
    return {};
}

void BackgroundServices::completionPass()
{
    // Not from inside a job's nested event loop: its transaction is open on this thread's connection.
    if (!m_store || m_stopRequested.load() || isBusy())
        return;
    documents::DocumentService service(*m_store);
    auto report = service.completeClosedOrders({u"auto-documents"_qs, u"completion"_qs, 0});
    if (!report) {
        qCWarning(lcAutomation).noquote() << "completion documents:" << report.error().text();
        return;
    }
    if (report->orders > 0)
        for (const QString &message : std::as_const(report->messages))
            qCInfo(lcAutomation).noquote() << message;
    if (report->orders > 0)
        wake(); // their events, and the invoices for KSeF
}

void BackgroundServices::messagingPass()
{
    if (!m_store || m_stopRequested.load())
        return;
    const QDateTime now =
        QDateTime::fromMSecsSinceEpoch(m_scheduler ? m_scheduler->now() : QDateTime::currentMSecsSinceEpoch());
    if (m_secrets)
        if (auto r = messaging::MessageCenter::pass(*m_store, m_secrets, m_marketplace->options, now); !r)
            qCWarning(lcAutomation).noquote() << "Message Center:" << r.error().text();
    invoicePass();
    auto alerts = messaging::checkDeadlines(*m_store, now);
    if (!alerts)
        qCWarning(lcAutomation).noquote() << "deadline alerts:" << alerts.error().text();
    else if (*alerts > 0)
        Q_EMIT deadlineAlertsRaised(*alerts);
    // G2: the buyers of products still at the service hear from the shop every few days.
    if (auto r = service::ServiceNotifier(*m_store).pass(now); !r)
        qCWarning(lcAutomation).noquote() << "service reminders:" << r.error().text();
    wake(); // the events and e-mails it recorded
}

int BackgroundServices::offersPass()
{
    if (!m_store || m_stopRequested.load() || !m_secrets)
        return 0;
    auto list = marketplace::AccountStore(m_db).list();
    if (!list) {
        qCWarning(lcAutomation).noquote() << "offers:" << list.error().text();
        return 0;
    }
    inventory::InventoryStore inventory(*m_store);
    inventory::OfferCatalog catalog(inventory);
    int read = 0;
    for (const marketplace::MarketplaceAccount &account : std::as_const(*list)) {
        if (!account.connected || !account.marketplace.startsWith(u"allegro"))
            continue;
        marketplace::allegro::AllegroClient client(account, m_db, m_secrets, m_marketplace->options);
        if (auto n = catalog.refresh(client); n)
            read += *n;
        else
            qCWarning(lcAutomation).noquote() << "offers of" << account.name << ":" << n.error().text();
    }
    wake(); // offers linked just now may have sync work
    return read;
}

void BackgroundServices::invoicePass()
{
    if (!m_store || m_stopRequested.load())
        return;
    messaging::InvoiceMailer invoices(*m_store, messaging::InvoiceMailer::defaultPdfDir());
    invoices.setMarketplace(m_secrets, m_marketplace->options);
    auto handled = invoices.run();
    if (!handled)
        qCWarning(lcAutomation).noquote() << "invoices to buyers:" << handled.error().text();
    else if (*handled > 0)
        wake(); // the e-mails it queued
}

void BackgroundServices::setSecrets(std::shared_ptr<security::SecretStore> secrets)
{
    m_secrets = std::move(secrets);
    m_marketplace->secrets = m_secrets;
    // E-mail and SMS jobs read their passwords and tokens from the secret store; without one they wait and retry.
    if (m_secrets) {
        messaging::Outbox::setDefaultSecrets(m_secrets);
        devices::labels::setRuleSecrets(m_secrets); // the label actions' couriers
    }
    if (m_ksef)
        m_ksef->setSecrets(m_secrets);
    wake();
}

bool BackgroundServices::isBusy() const
{
    return m_scheduler && m_scheduler->isBusy();
}

void BackgroundServices::requestStop()
{
    m_stopRequested.store(true);
    if (Scheduler *scheduler = m_scheduler.get())
        scheduler->requestStop();
}

void BackgroundServices::wake()
{
    if (m_scheduler && !m_stopRequested.load())
        m_scheduler->wake();
    if (m_ksef && !m_stopRequested.load())
        (void)m_ksef->pass(); // a failure is logged by the timer's pass
}

void BackgroundServices::openSecretsIfNeeded()
{
    marketplace::AccountStore accounts(m_db);
    auto list = accounts.list();
    const bool connected = list && std::any_of(list->cbegin(), list->cend(),
                                               [](const marketplace::MarketplaceAccount &a) { return a.connected; });
    // Mail and SMS accounts keep their passwords and tokens there too.
    const bool messagingAccounts = messaging::MessagingAccounts::notificationWaitingReason(*m_db).isEmpty();
    // The KSeF token too.
    auto documentSettings = documents::SettingsStore(m_db).settings();
    const bool ksef = documentSettings && documentSettings->ksefEnabled;
    if (!connected && !messagingAccounts && !ksef)
        return; // no secrets to read: the keychain probe is not free
    auto secrets = security::SecretStore::open(security::SecretStore::Choice::fromEnvironment(m_options.profileDir));
    if (!secrets) {
        qCWarning(lcAutomation).noquote() << "the secret store cannot be opened:" << secrets.error().text();
        return;
    }
    m_secrets = *secrets;
}

void BackgroundServices::startDownload()
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
                // D1: invoices for what was downloaded, when automatic invoicing is on (as the window does).
                if (auto invoiced = inventory::autoInvoiceDownloaded(*m_store); !invoiced)
                    qCWarning(lcAutomation).noquote() << "automatic invoices:" << invoiced.error().text();
                else if (invoiced->issued + invoiced->flagged + invoiced->failed > 0)
                    qCInfo(lcAutomation).noquote()
                        << "automatic invoices:" << invoiced->issued << "issued," << invoiced->flagged
                        << "left for manual invoicing," << invoiced->failed << "failed";
                wake();
            });
    m_syncThread->start();
    QMetaObject::invokeMethod(
        m_sync, [sync = m_sync] { sync->start(); }, Qt::QueuedConnection);
    qCInfo(lcAutomation) << "marketplace download started";
}

void BackgroundServices::shutdown(bool quitThread)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    requestStop();
    if (m_printPass)
        m_printPass->stop();
    if (m_ksef)
        m_ksef->stop();
    if (m_messagingPass)
        m_messagingPass->stop();
    if (m_sync)
        QMetaObject::invokeMethod(m_sync, [sync = m_sync] {
            sync->cancel();
            sync->stop();
        });
    finishShutdown(quitThread);
}

void BackgroundServices::finishShutdown(bool quitThread)
{
    // A running job, or a URL call in flight: stopping now would cut it. Wait for its answer to be recorded.
    if (isBusy()) {
        QTimer::singleShot(20, this, [this, quitThread] { finishShutdown(quitThread); });
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
    Q_EMIT stopped();
    if (quitThread && thread() != QCoreApplication::instance()->thread())
        thread()->quit();
}

} // namespace sd::automation
