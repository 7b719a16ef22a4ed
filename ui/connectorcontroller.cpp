#include "connectorcontroller.h"

#include "accountsdialog.h"
#include "connectorlog.h"
#include "devices/labels/couriersetup.h"
#include "exchangelogmodel.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegrosync.h"
#include "messaging/orderconfirmation.h"
#include "security/filesecretstore.h"

#include <QAction>
#include <QDebug>
#include <QInputDialog>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>
#include <QToolButton>
#include <QWidget>

namespace sd::ui {

namespace {

const auto kStoreKey = QStringLiteral("secrets/store");
const auto kFileChoice = QStringLiteral("file");

} // namespace

ConnectorController::ConnectorController(std::shared_ptr<storage::Database> db, QWidget *window)
    : QObject(window)
    , m_db(std::move(db))
    , m_window(window)
    , m_accounts(new marketplace::AccountStore(m_db, this))
    , m_log(new ExchangeLogModel(2000, this))
{
    qRegisterMetaType<marketplace::allegro::SyncReport>();
    qRegisterMetaType<marketplace::HttpExchange>();

    m_downloadNow = new QAction(tr("&Download orders now"), this);
    m_downloadNow->setShortcut(Qt::Key_F9);
    m_downloadNow->setToolTip(tr("Download new and changed orders from every connected marketplace account"));
    connect(m_downloadNow, &QAction::triggered, this, &ConnectorController::downloadNow);

    m_accountsAction = new QAction(tr("&Marketplace accounts…"), this);
    m_accountsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    connect(m_accountsAction, &QAction::triggered, this, &ConnectorController::showAccounts);

    m_logAction = new QAction(tr("Connector &log"), this);
    m_logAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    connect(m_logAction, &QAction::triggered, this, &ConnectorController::showLog);

    m_status = new QToolButton(window);
    m_status->setAutoRaise(true);
    m_status->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(m_status, &QToolButton::clicked, this, &ConnectorController::statusClicked);
    connect(m_accounts, &marketplace::AccountStore::accountsChanged, this, [this] {
        if (!m_downloading)
            updateIdleStatus();
    });
    setStatus(tr("Marketplaces: starting…"), false);
}

ConnectorController::~ConnectorController()
{
    stopSync();
}

QString ConnectorController::encryptedFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/secrets.sdvault"_qs;
}

void ConnectorController::start()
{
    if (QSettings().value(kStoreKey).toString() == kFileChoice) {
        m_secretsProblem = tr("Saved sign-ins are in an encrypted file: enter its passphrase to unlock them.");
        setStatus(tr("Marketplaces: locked — click to unlock"), true);
        return;
    }
    // The keychain probe talks D-Bus and may take seconds when no Secret Service answers: not on this thread.
    auto result = std::make_shared<std::optional<Result<std::shared_ptr<security::SecretStore>>>>();
    QThread *probe = QThread::create([result] { *result = security::SecretStore::open({}); });
    connect(probe, &QThread::finished, this, [this, probe, result] {
        probe->deleteLater();
        if (m_secrets)
            return; // the user (or a test) chose a store meanwhile
        if (result->has_value() && result->value()) {
            m_secretsProblem.clear();
            setSecrets(*result->value());
            return;
        }
        m_secretsProblem = result->has_value() ? result->value().error().userMessage : QString();
        setStatus(tr("Marketplaces: no keychain — click to choose where sign-ins are kept"), true);
    });
    probe->start();
}

void ConnectorController::setSecrets(std::shared_ptr<security::SecretStore> secrets)
{
    stopSync();
    m_secrets = std::move(secrets);
    devices::labels::setRuleSecrets(m_secrets); // the label actions' couriers
    m_secretsProblem.clear();
    emit secretsReady();
    startSync();
}

bool ConnectorController::useEncryptedFile(const QByteArray &passphrase, QString *problem)
{
    if (passphrase.size() < 8) {
        if (problem)
            *problem = tr("Choose a passphrase of at least 8 characters.");
        return false;
    }
    auto store = std::make_shared<security::FileSecretStore>(encryptedFilePath(), passphrase);
    if (auto unlocked = store->unlock(); !unlocked) {
        if (problem)
            *problem = unlocked.error().userMessage;
        return false;
    }
    QSettings().setValue(kStoreKey, kFileChoice);
    setSecrets(store);
    return true;
}

void ConnectorController::unlock()
{
    bool ok = false;
    const QString passphrase = QInputDialog::getText(m_window, tr("Unlock saved sign-ins"),
                                                     tr("Passphrase of the encrypted file with marketplace sign-ins:"),
                                                     QLineEdit::Password, {}, &ok);
    if (!ok)
        return;
    QString problem;
    if (!useEncryptedFile(passphrase.toUtf8(), &problem))
        setStatus(tr("Marketplaces: %1").arg(problem), true);
}

void ConnectorController::startSync()
{
    if (!m_secrets || m_sync)
        return;
    m_thread = new QThread(this);
    m_thread->setObjectName(u"marketplace-sync"_qs);
    m_sync = new marketplace::allegro::AllegroSync(m_db, m_secrets);
    m_sync->setClientOptions(m_options);
    m_sync->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_sync, &QObject::deleteLater);

    using Sync = marketplace::allegro::AllegroSync;
    connect(m_sync, &Sync::started, this, [this](qint64 accountId) {
        m_downloading = true;
        m_downloadNow->setEnabled(false);
        auto account = m_accounts->get(accountId);
        m_currentAccount = account ? account->name : QString::number(accountId);
    });
    connect(m_sync, &Sync::statusChanged, this, [this](qint64, const QString &text) { setStatus(text, false); });
    connect(m_sync, &Sync::progress, this, [this](qint64, int done, int total) {
        if (total > 0)
            setStatus(tr("%1: downloading orders %2 of %3…").arg(m_currentAccount).arg(done).arg(total), false);
    });
    connect(m_sync, &Sync::exchange, this,
            [this](const marketplace::HttpExchange &exchange) { m_log->append(m_currentAccount, exchange); });
    connect(m_sync, &Sync::finished, this, &ConnectorController::onFinished);
    m_thread->start();
    QMetaObject::invokeMethod(m_sync, "start", Qt::QueuedConnection, Q_ARG(int, m_checkIntervalMs));
    updateIdleStatus();
}

void ConnectorController::stopSync()
{
    if (!m_sync)
        return;
    m_sync->cancel();
    QMetaObject::invokeMethod(m_sync, "stop", Qt::QueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_sync = nullptr; // deleted with the thread's finished() (deleteLater runs before the thread ends)
    m_downloading = false;
}

void ConnectorController::downloadNow()
{
    if (!m_sync) {
        statusClicked();
        return;
    }
    m_downloadNow->setEnabled(false);
    setStatus(tr("Marketplaces: downloading…"), false);
    QMetaObject::invokeMethod(m_sync, "downloadNow", Qt::QueuedConnection);
}

void ConnectorController::onFinished(const marketplace::allegro::SyncReport &report)
{
    m_downloading = false;
    m_downloadNow->setEnabled(true);
    const QString when = QLocale().toString(QTime::currentTime(), QLocale::ShortFormat);
    if (!report.ok()) {
        setStatus(tr("%1: download failed at %2 — %3").arg(report.accountName, when, report.errors.first()), true);
    } else {
        QString text = tr("%1: %n new, ", nullptr, report.created).arg(report.accountName) +
                       tr("%n changed — checked at %1", nullptr, report.updated).arg(when);
        if (!report.rejected.isEmpty())
            text += u"; "_qs +
                    tr("%n order(s) could not be read (see the connector log)", nullptr, int(report.rejected.size()));
        setStatus(text, !report.rejected.isEmpty());
    }
    // E1: the seller's e-mail with the number of new orders of this store (when its settings are on).
    if (report.ok() && report.created > 0) {
        storage::OrderStore store(m_db);
        if (auto r = messaging::notifyOrdersDownloaded(store, {{report.accountName, report.created}}, report.cursor);
            !r)
            qWarning().noquote() << "orders-downloaded e-mail:" << r.error().text();
    }
    if (report.created + report.updated > 0)
        emit ordersDownloaded();
    emit syncFinished(report.ok());
}

void ConnectorController::updateIdleStatus()
{
    if (!m_secrets)
        return;
    auto list = m_accounts->list();
    if (!list) {
        setStatus(tr("Marketplaces: %1").arg(list.error().userMessage), true);
        return;
    }
    const auto connected = std::count_if(list->cbegin(), list->cend(), [](const auto &a) { return a.connected; });
    if (list->isEmpty())
        setStatus(tr("Marketplaces: no account — click to add one"), false);
    else if (connected == 0)
        setStatus(tr("Marketplaces: no account is connected — click to connect"), true);
    else if (!m_problem)
        setStatus(tr("Marketplaces: %n account(s) connected", nullptr, int(connected)), false);
}

void ConnectorController::setStatus(const QString &text, bool problem)
{
    m_problem = problem;
    m_status->setText(text);
    m_status->setToolTip(problem && !m_secretsProblem.isEmpty() ? m_secretsProblem
                                                                : tr("Click to see the connector log"));
    m_status->setStyleSheet(problem ? u"QToolButton { color: #b00020; }"_qs : QString());
    emit statusTextChanged(text);
}

void ConnectorController::statusClicked()
{
    if (!m_secrets) {
        if (QSettings().value(kStoreKey).toString() == kFileChoice)
            unlock();
        else
            showAccounts();
        return;
    }
    auto list = m_accounts->list();
    const bool anyConnected =
        list && std::any_of(list->cbegin(), list->cend(), [](const auto &a) { return a.connected; });
    if (anyConnected)
        showLog();
    else
        showAccounts();
}

void ConnectorController::showAccounts()
{
    auto *dialog = m_window->findChild<AccountsDialog *>();
    if (!dialog) {
        dialog = new AccountsDialog(this, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void ConnectorController::showLog()
{
    auto *dialog = m_window->findChild<ConnectorLog *>();
    if (!dialog) {
        dialog = new ConnectorLog(m_log, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

ConnectJob::ConnectJob(ConnectorController *controller, marketplace::MarketplaceAccount account,
                       QByteArray clientSecret)
    : m_db(controller->database())
    , m_secrets(controller->secrets())
    , m_options(controller->clientOptions())
    , m_account(std::move(account))
    , m_clientSecret(std::move(clientSecret))
    , m_log(controller->log())
{}

ConnectJob::~ConnectJob()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void ConnectJob::run()
{
    // Everything below runs on the job's thread; the signals reach the dialog queued.
    m_thread = QThread::create([this] {
        marketplace::allegro::AccountConnector connector(m_db, m_secrets, m_options);
        const QPointer<ExchangeLogModel> log = m_log;
        const QString name = m_account.name;
        connector.setObserver([log, name](const marketplace::HttpExchange &exchange) {
            if (log)
                QMetaObject::invokeMethod(log, [log, name, exchange] {
                    if (log)
                        log->append(name, exchange);
                });
        });
        auto authorization = connector.start(m_account, m_clientSecret);
        if (!authorization) {
            emit failed(authorization.error().userMessage);
            return;
        }
        emit authorizationReady(authorization->userCode, authorization->verificationUri,
                                authorization->verificationUriComplete, authorization->expiresAt);
        auto account = connector.finish([this] { return m_cancelled.load(); });
        if (!account) {
            emit failed(m_cancelled ? tr("Connecting was cancelled.") : account.error().userMessage);
            return;
        }
        emit connected(account->sellerLogin.isEmpty() ? account->name : account->sellerLogin);
    });
    m_thread->start();
}

} // namespace sd::ui
