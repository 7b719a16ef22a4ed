#pragma once

#include "marketplace/accountstore.h"
#include "marketplace/allegro/oauthclient.h"
#include "marketplace/allegro/tokenset.h"

#include <QMutex>

#include <memory>

namespace sd::security {
class SecretStore;
}

namespace sd::marketplace::allegro {

// The current tokens of one account, and the only place that refreshes them. Refresh tokens are single-use,
// so a refresh is serialised through the database: the account row is locked (SELECT ... FOR UPDATE on
// PostgreSQL, BEGIN IMMEDIATE on SQLite), the stored token generation is read again, and if another
// workstation (or thread) refreshed meanwhile, its pair is taken from the SecretStore instead of refreshing
// a second time, which would lock the first one out.
class TokenKeeper
{
public:
    TokenKeeper(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                qint64 accountId);

    static QString tokenKey(const QString &secretRef) { return secretRef + QStringLiteral("/tokens"); }
    static QString clientSecretKey(const QString &secretRef) { return secretRef + QStringLiteral("/client-secret"); }

    // The access token to send (loaded from the SecretStore the first time).
    Result<QByteArray> accessToken();
    // After a 401 for rejectedToken: a fresh token, refreshed once for everybody.
    Result<QByteArray> refreshAfterRejected(const QByteArray &rejectedToken, OAuthClient &oauth);
    // Stores the first pair after the device flow (bumps the generation, marks the account connected).
    Result<void> storeInitial(TokenSet tokens);

    // Refreshes counted by this keeper (tests check that only one of two workstations refreshed).
    int refreshesDone() const { return m_refreshes; }

private:
    Result<TokenSet> loadStored();

    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
    qint64 m_accountId;
    TokenSet m_current;
    int m_refreshes = 0;
    QMutex m_mutex;
};

} // namespace sd::marketplace::allegro
