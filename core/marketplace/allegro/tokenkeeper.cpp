#include "marketplace/allegro/tokenkeeper.h"

#include "security/secretstore.h"
#include "storage/sqlquery.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QMutexLocker>

namespace sd::marketplace::allegro {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::allegro", text);
}

struct AccountRow
{
    qint64 generation = 0;
    QString secretRef;
};

// Reads the account's token generation; on PostgreSQL also locks the row until the transaction ends (on SQLite
// the transaction already holds the write lock: Database::begin uses BEGIN IMMEDIATE).
Result<AccountRow> lockAccount(storage::Database &db, qint64 accountId)
{
    QString sql = QStringLiteral("SELECT token_generation, secret_ref FROM marketplace_accounts WHERE id = ?");
    if (db.isPostgres())
        sql += QStringLiteral(" FOR UPDATE");
    auto q = storage::prepare(db.connection(), sql, "lock account for token refresh");
    if (!q)
        return q.error();
    q->addBindValue(accountId);
    if (auto r = storage::exec(*q, "lock account for token refresh"); !r)
        return r.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("The marketplace account no longer exists."),
                         QStringLiteral("account %1").arg(accountId));
    return AccountRow{q->value(0).toLongLong(), q->value(1).toString()};
}

Result<void> setGeneration(storage::Database &db, qint64 accountId, qint64 generation, bool connect)
{
    auto q =
        storage::prepare(db.connection(),
                         connect ? QStringLiteral("UPDATE marketplace_accounts SET token_generation = ?, "
                                                  "connected = 1 WHERE id = ?")
                                 : QStringLiteral("UPDATE marketplace_accounts SET token_generation = ? WHERE id = ?"),
                         "store token generation");
    if (!q)
        return q.error();
    q->addBindValue(generation);
    q->addBindValue(accountId);
    return storage::exec(*q, "store token generation");
}

} // namespace

TokenKeeper::TokenKeeper(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                         qint64 accountId)
    : m_db(std::move(db))
    , m_secrets(std::move(secrets))
    , m_accountId(accountId)
{}

Result<TokenSet> TokenKeeper::loadStored()
{
    auto q =
        storage::prepare(m_db->connection(), QStringLiteral("SELECT secret_ref FROM marketplace_accounts WHERE id = ?"),
                         "read account secret reference");
    if (!q)
        return q.error();
    q->addBindValue(m_accountId);
    if (auto r = storage::exec(*q, "read account secret reference"); !r)
        return r.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("The marketplace account no longer exists."));
    const QString ref = q->value(0).toString();
    q->finish();
    auto secret = m_secrets->read(tokenKey(ref));
    if (!secret)
        return secret.error();
    std::optional<TokenSet> tokens = secret->has_value() ? TokenSet::fromJson(**secret) : std::nullopt;
    if (!tokens)
        return makeError(Error::Code::Invalid, tr("The account is not connected. Connect it to Allegro first."),
                         QStringLiteral("no tokens under %1").arg(ref));
    return *tokens;
}

Result<QByteArray> TokenKeeper::accessToken()
{
    QMutexLocker lock(&m_mutex);
    if (!m_current.isValid()) {
        auto stored = loadStored();
        if (!stored)
            return stored.error();
        m_current = *stored;
    }
    return m_current.accessToken;
}

Result<QByteArray> TokenKeeper::refreshAfterRejected(const QByteArray &rejectedToken, OAuthClient &oauth)
{
    QMutexLocker lock(&m_mutex);
    if (m_current.isValid() && m_current.accessToken != rejectedToken)
        return m_current.accessToken; // refreshed meanwhile by another call of this keeper

    storage::Transaction tx(*m_db, "refresh token");
    if (!tx.started())
        return tx.started().error();
    auto row = lockAccount(*m_db, m_accountId);
    if (!row)
        return row.error();
    // With the lock held, look at what is stored now: another workstation may have refreshed already.
    auto stored = loadStored();
    if (!stored)
        return stored.error();
    if (stored->accessToken != rejectedToken) {
        qCInfo(lcAllegro) << "account" << m_accountId << "tokens were refreshed elsewhere (generation"
                          << stored->generation << "); using them";
        m_current = *stored;
        if (auto r = tx.commit(); !r)
            return r.error();
        return m_current.accessToken;
    }
    auto renewed = oauth.refresh(stored->refreshToken);
    if (!renewed) {
        qCWarning(lcAllegro) << "account" << m_accountId << "refresh failed:" << renewed.error().detail;
        return renewed.error();
    }
    renewed->generation = qMax(row->generation, stored->generation) + 1;
    // The new pair is written before the commit: the old refresh token is spent now, whatever happens next.
    if (auto r = m_secrets->write(tokenKey(row->secretRef), renewed->toJson()); !r)
        return r.error();
    if (auto r = setGeneration(*m_db, m_accountId, renewed->generation, false); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    ++m_refreshes;
    m_current = *renewed;
    qCInfo(lcAllegro) << "account" << m_accountId << "tokens refreshed, generation" << m_current.generation;
    return m_current.accessToken;
}

Result<void> TokenKeeper::storeInitial(TokenSet tokens)
{
    QMutexLocker lock(&m_mutex);
    storage::Transaction tx(*m_db, "store tokens");
    if (!tx.started())
        return tx.started();
    auto row = lockAccount(*m_db, m_accountId);
    if (!row)
        return row.error();
    tokens.generation = row->generation + 1;
    if (auto r = m_secrets->write(tokenKey(row->secretRef), tokens.toJson()); !r)
        return r;
    if (auto r = setGeneration(*m_db, m_accountId, tokens.generation, true); !r)
        return r;
    if (auto r = tx.commit(); !r)
        return r;
    m_current = tokens;
    return {};
}

} // namespace sd::marketplace::allegro
