#pragma once

#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/oauthclient.h"
#include "security/secretstore.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QAction;
class QThread;
class QToolButton;
class QWidget;

namespace sd::marketplace::allegro {
class AllegroSync;
struct SyncReport;
} // namespace sd::marketplace::allegro

namespace sd::ui {

class ExchangeLogModel;

// The window's side of the marketplace connection: the secret store, the order download running on its own
// thread (periodic, and "Download now"), the sync line in the status bar, the connector log and the accounts
// page. Nothing here talks HTTP on the GUI thread.
class ConnectorController : public QObject
{
    Q_OBJECT

public:
    ConnectorController(std::shared_ptr<storage::Database> db, QWidget *window);
    ~ConnectorController() override;

    // Opens the secret store the user chose (the system keychain by default) on a worker thread and starts the
    // download when it answers. Call once, after the window is shown.
    void start();

    QAction *downloadNowAction() const { return m_downloadNow; }
    QAction *accountsAction() const { return m_accountsAction; }
    QAction *logAction() const { return m_logAction; }
    QToolButton *statusButton() const { return m_status; }

    marketplace::AccountStore &accounts() { return *m_accounts; }
    ExchangeLogModel *log() const { return m_log; }
    std::shared_ptr<security::SecretStore> secrets() const { return m_secrets; }
    std::shared_ptr<storage::Database> database() const { return m_db; }
    const marketplace::allegro::ClientOptions &clientOptions() const { return m_options; }
    QString secretsProblem() const { return m_secretsProblem; }
    bool isDownloading() const { return m_downloading; }

    // Uses this store from now on (the keychain, or an unlocked encrypted file) and (re)starts the download.
    void setSecrets(std::shared_ptr<security::SecretStore> secrets);
    // The user's choice when there is no keychain: an encrypted file under a passphrase. Remembered for the
    // next start (the passphrase never is). Returns false and a translated reason on failure.
    bool useEncryptedFile(const QByteArray &passphrase, QString *problem);
    static QString encryptedFilePath();
    void setClientOptions(const marketplace::allegro::ClientOptions &options) { m_options = options; }

    // Polls the marketplaces every `ms` for accounts that are due (each at its own interval).
    void setCheckInterval(int ms) { m_checkIntervalMs = ms; }

public Q_SLOTS:
    void downloadNow();
    void showAccounts();
    void showLog();
    // Asks for the passphrase of the encrypted secret file and unlocks it.
    void unlock();

Q_SIGNALS:
    // New or changed orders were stored by a download: the list should refresh.
    void ordersDownloaded();
    void secretsReady();
    void syncFinished(bool ok);
    void statusTextChanged(const QString &text);

private:
    void startSync();
    void stopSync();
    void setStatus(const QString &text, bool problem);
    void onFinished(const marketplace::allegro::SyncReport &report);
    void statusClicked();
    void updateIdleStatus();

    std::shared_ptr<storage::Database> m_db;
    QPointer<QWidget> m_window;
    marketplace::AccountStore *m_accounts;
    std::shared_ptr<security::SecretStore> m_secrets;
    QString m_secretsProblem;
    marketplace::allegro::ClientOptions m_options;
    ExchangeLogModel *m_log;
    QThread *m_thread = nullptr;
    marketplace::allegro::AllegroSync *m_sync = nullptr;
    QAction *m_downloadNow;
    QAction *m_accountsAction;
    QAction *m_logAction;
    QToolButton *m_status;
    QString m_currentAccount;
    int m_checkIntervalMs = 15000;
    bool m_downloading = false;
    bool m_problem = false;
};

// Connects one account with the device flow on its own thread: AccountConnector::start, then polling until
// the user approves in the browser. Used by the accounts page.
class ConnectJob : public QObject
{
    Q_OBJECT

public:
    ConnectJob(ConnectorController *controller, marketplace::MarketplaceAccount account, QByteArray clientSecret);
    ~ConnectJob() override;

    void run();
    void cancel() { m_cancelled = true; }

Q_SIGNALS:
    void authorizationReady(const QString &userCode, const QUrl &verificationUri, const QUrl &completeUri,
                            const QDateTime &expiresAt);
    void connected(const QString &sellerLogin);
    void failed(const QString &reason);

private:
    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
    marketplace::allegro::ClientOptions m_options;
    marketplace::MarketplaceAccount m_account;
    QByteArray m_clientSecret;
    QPointer<ExchangeLogModel> m_log;
    QThread *m_thread = nullptr;
    std::atomic_bool m_cancelled = false;
};

} // namespace sd::ui
