#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

namespace sd::security {
class SecretStore;
}

namespace sd::marketplace {

// One seller account at a marketplace (several per profile). The tokens are never here: secretRef names the
// entry in the SecretStore, and tokenGeneration counts refreshes so workstations sharing a database can tell
// whether someone else already refreshed the single-use refresh token.
struct MarketplaceAccount
{
    enum class Environment { Production, Sandbox, Training };

    qint64 id = 0;
    QString marketplace = QStringLiteral("allegro");
    QString name; // shown to the user; unique in the profile
    Environment environment = Environment::Production;
    QUrl apiBaseUrl;  // https://api.allegro.pl, the sandbox, or a training server
    QUrl authBaseUrl; // https://allegro.pl (OAuth lives on the bare domain)
    QString clientId;
    QString secretRef; // the SecretStore key prefix; never the secret itself
    qint64 tokenGeneration = 0;
    QString sellerId;
    QString sellerLogin;
    QString eventCursor; // the last order event handled; empty before the first sync
    QDateTime lastSyncAt;
    QString lastError;
    int syncIntervalSeconds = 300;
    bool connected = false;
    QDateTime createdAt;

    // The key orders of this account are stored under (orders.account): stable across renames.
    QString orderAccountKey() const { return QString::number(id); }

    static QString environmentKey(Environment environment);
    static std::optional<Environment> environmentFromKey(const QString &key);
    // Allegro's documented hosts for production and sandbox; a training server's URL serves both.
    static QUrl defaultApiUrl(Environment environment);
    static QUrl defaultAuthUrl(Environment environment);
};

// Accounts for the GUI's accounts page, the CLI and the sync. Emits accountsChanged() after every change
// made through it (in-process; other workstations see changes on their next read).
class AccountStore : public QObject
{
    Q_OBJECT

public:
    explicit AccountStore(std::shared_ptr<storage::Database> db, QObject *parent = nullptr);

    Result<QList<MarketplaceAccount>> list();
    // Account names by the key orders carry (orders.account), for showing an order's account by name.
    Result<QHash<QString, QString>> namesByOrderKey();
    Result<MarketplaceAccount> get(qint64 id);
    // A training profile has a training marketplace account; it works only with services on this computer
    // (sd::training), so a training profile refuses accounts whose addresses would leave it.
    Result<bool> isTrainingProfile();
    Result<std::optional<MarketplaceAccount>> findByName(const QString &name);

    // Adds an account (not yet connected); fills id, secretRef and createdAt. The name must be unique.
    Result<MarketplaceAccount> add(MarketplaceAccount account);
    Result<void> rename(qint64 id, const QString &name);
    Result<void> setSyncInterval(qint64 id, int seconds);
    // Forgets the tokens (in secrets, when given) and marks the account disconnected; orders stay.
    Result<void> disconnect(qint64 id, security::SecretStore *secrets);
    // Disconnects and removes the account with its cursor, seen events and cached records; orders stay.
    Result<void> remove(qint64 id, security::SecretStore *secrets);

    // For the client and the sync.
    Result<void> setConnected(qint64 id, bool connected, const QString &sellerId = {}, const QString &sellerLogin = {});
    Result<void> setCursor(qint64 id, const QString &eventId);
    Result<void> recordSync(qint64 id, const QDateTime &at, const QString &error);
    // True the first time a (deduplicated) order event is seen for the account, false after that.
    Result<bool> markEventSeen(qint64 id, const QString &dedupeKey, const QString &eventId);
    // Orders whose form could not be read: kept until a later sync reads them.
    Result<void> addPendingForm(qint64 id, const QString &formId, const QString &reason);
    Result<void> removePendingForm(qint64 id, const QString &formId);
    Result<QStringList> pendingForms(qint64 id);

    storage::Database &database() { return *m_db; }

Q_SIGNALS:
    void accountsChanged();

private:
    // Removes the account's tokens (and its client secret too, when asked) from the secret store, if one is given.
    Result<void> forgetSecrets(qint64 id, security::SecretStore *secrets, bool clientSecret);
    Result<void> update(qint64 id, const QString &setClause, const QVariantList &values, const char *what);

    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::marketplace
