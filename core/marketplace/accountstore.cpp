#include "marketplace/accountstore.h"

#include "access/session.h"
#include "marketplace/allegro/tokenkeeper.h"
#include "security/secretstore.h"
#include "storage/sqlbinder.h"
#include "storage/sqlquery.h"
#include "util/logging.h"
#include "util/trainingmode.h"

#include <QCoreApplication>
#include <QSqlRecord>
#include <QTimeZone>
#include <QUuid>

namespace sd::marketplace {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::marketplace", text);
}

const QString kColumns = QStringLiteral(
    "id, marketplace, name, environment, api_url, auth_url, client_id, secret_ref, token_generation, seller_id, "
    "seller_login, event_cursor, last_sync_at, last_error, sync_interval_s, connected, created_at");

MarketplaceAccount fromQuery(const QSqlQuery &q)
{
    MarketplaceAccount a;
    a.id = q.value(0).toLongLong();
    a.marketplace = q.value(1).toString();
    a.name = q.value(2).toString();
    a.environment = MarketplaceAccount::environmentFromKey(q.value(3).toString())
                        .value_or(MarketplaceAccount::Environment::Production);
    a.apiBaseUrl = QUrl(q.value(4).toString());
    a.authBaseUrl = QUrl(q.value(5).toString());
    a.clientId = q.value(6).toString();
    a.secretRef = q.value(7).toString();
    a.tokenGeneration = q.value(8).toLongLong();
    a.sellerId = q.value(9).toString();
    a.sellerLogin = q.value(10).toString();
    a.eventCursor = q.value(11).toString();
    if (!q.value(12).isNull())
        a.lastSyncAt = QDateTime::fromMSecsSinceEpoch(q.value(12).toLongLong(), Qt::UTC);
    a.lastError = q.value(13).toString();
    a.syncIntervalSeconds = q.value(14).toInt();
    a.connected = q.value(15).toInt() != 0;
    a.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(16).toLongLong(), Qt::UTC);
    return a;
}

Error notFound(qint64 id)
{
    return makeError(Error::Code::NotFound, tr("The marketplace account no longer exists."),
                     QStringLiteral("account %1").arg(id));
}

} // namespace

QString MarketplaceAccount::environmentKey(Environment environment)
{
    switch (environment) {
    case Environment::Production:
        return QStringLiteral("production");
    case Environment::Sandbox:
        return QStringLiteral("sandbox");
    case Environment::Training:
        return QStringLiteral("training");
    }
    return {};
}

std::optional<MarketplaceAccount::Environment> MarketplaceAccount::environmentFromKey(const QString &key)
{
    if (key == u"production")
        return Environment::Production;
    if (key == u"sandbox")
        return Environment::Sandbox;
    if (key == u"training")
        return Environment::Training;
    return std::nullopt;
}

QUrl MarketplaceAccount::defaultApiUrl(Environment environment)
{
    return environment == Environment::Sandbox ? QUrl(QStringLiteral("https://api.allegro.pl.allegrosandbox.pl"))
                                               : QUrl(QStringLiteral("https://api.allegro.pl"));
}

QUrl MarketplaceAccount::defaultAuthUrl(Environment environment)
{
    return environment == Environment::Sandbox ? QUrl(QStringLiteral("https://allegro.pl.allegrosandbox.pl"))
                                               : QUrl(QStringLiteral("https://allegro.pl"));
}

AccountStore::AccountStore(std::shared_ptr<storage::Database> db, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
{}

Result<QHash<QString, QString>> AccountStore::namesByOrderKey()
{
    auto accounts = list();
    if (!accounts)
        return accounts.error();
    QHash<QString, QString> names;
    for (const MarketplaceAccount &account : std::as_const(*accounts))
        names.insert(account.orderAccountKey(), account.name);
    return names;
}

Result<QList<MarketplaceAccount>> AccountStore::list()
{
    auto q = storage::prepare(m_db->connection(),
                              QStringLiteral("SELECT ") + kColumns +
                                  QStringLiteral(" FROM marketplace_accounts ORDER BY name"),
                              "list accounts");
    if (!q)
        return q.error();
    if (auto r = storage::exec(*q, "list accounts"); !r)
        return r.error();
    QList<MarketplaceAccount> accounts;
    while (q->next())
        accounts.append(fromQuery(*q));
    return accounts;
}

Result<bool> AccountStore::isTrainingProfile()
{
    auto q = storage::prepare(m_db->connection(),
                              QStringLiteral("SELECT COUNT(*) FROM marketplace_accounts WHERE environment = ?"),
                              "count training accounts");
    if (!q)
        return q.error();
    q->addBindValue(MarketplaceAccount::environmentKey(MarketplaceAccount::Environment::Training));
    if (auto r = storage::exec(*q, "count training accounts"); !r)
        return r.error();
    return q->next() && q->value(0).toLongLong() > 0;
}

Result<MarketplaceAccount> AccountStore::get(qint64 id)
{
    auto q = storage::prepare(m_db->connection(),
                              QStringLiteral("SELECT ") + kColumns +
                                  QStringLiteral(" FROM marketplace_accounts WHERE id = ?"),
                              "read account");
    if (!q)
        return q.error();
    q->addBindValue(id);
    if (auto r = storage::exec(*q, "read account"); !r)
        return r.error();
    if (!q->next())
        return notFound(id);
    return fromQuery(*q);
}

Result<std::optional<MarketplaceAccount>> AccountStore::findByName(const QString &name)
{
    auto q = storage::prepare(m_db->connection(),
                              QStringLiteral("SELECT ") + kColumns +
                                  QStringLiteral(" FROM marketplace_accounts WHERE name = ?"),
                              "find account");
    if (!q)
        return q.error();
    q->addBindValue(name);
    if (auto r = storage::exec(*q, "find account"); !r)
        return r.error();
    if (!q->next())
        return std::optional<MarketplaceAccount>();
    return std::optional<MarketplaceAccount>(fromQuery(*q));
}

Result<MarketplaceAccount> AccountStore::add(MarketplaceAccount account)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r.error();
    account.name = account.name.trimmed();
    if (account.name.isEmpty())
        return makeError(Error::Code::Invalid, tr("An account needs a name."));
    if (!account.apiBaseUrl.isValid() || account.apiBaseUrl.scheme().isEmpty())
        return makeError(Error::Code::Invalid, tr("The account's API address is not a valid URL."),
                         account.apiBaseUrl.toString());
    if (!account.authBaseUrl.isValid() || account.authBaseUrl.isEmpty())
        account.authBaseUrl = account.environment == MarketplaceAccount::Environment::Training
                                  ? account.apiBaseUrl
                                  : MarketplaceAccount::defaultAuthUrl(account.environment);
    if (auto existing = findByName(account.name); !existing)
        return existing.error();
    else if (existing->has_value())
        return makeError(Error::Code::Conflict, tr("An account called %1 exists already.").arg(account.name));
    auto training = isTrainingProfile();
    if (!training)
        return training.error();
    if (*training || account.environment == MarketplaceAccount::Environment::Training)
        for (const QUrl &url : {account.apiBaseUrl, account.authBaseUrl})
            if (!sd::training::isLoopback(url))
                return makeError(Error::Code::Invalid,
                                 *training ? tr("This is a training profile: it can only connect to the training "
                                                "marketplace on this computer, not to %1. Create a new profile for "
                                                "real work.")
                                                 .arg(url.host())
                                           : tr("The training marketplace runs on this computer: its address must "
                                                "be 127.0.0.1 or localhost, not %1.")
                                                 .arg(url.host()));
    account.secretRef = QStringLiteral("allegro/") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    account.createdAt = QDateTime::currentDateTimeUtc();
    auto q = storage::prepare(
        m_db->connection(),
        QStringLiteral(
            "INSERT INTO marketplace_accounts (marketplace, name, environment, api_url, auth_url, client_id, "
            "secret_ref, sync_interval_s, connected, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"),
        "add account");
    if (!q)
        return q.error();
    q->addBindValue(account.marketplace);
    q->addBindValue(account.name);
    q->addBindValue(MarketplaceAccount::environmentKey(account.environment));
    q->addBindValue(account.apiBaseUrl.toString());
    q->addBindValue(account.authBaseUrl.toString());
    q->addBindValue(account.clientId);
    q->addBindValue(account.secretRef);
    q->addBindValue(account.syncIntervalSeconds);
    q->addBindValue(account.createdAt.toMSecsSinceEpoch());
    if (auto r = storage::exec(*q, "add account"); !r)
        return r.error();
    auto added = findByName(account.name);
    if (!added)
        return added.error();
    if (!added->has_value())
        return makeError(Error::Code::Storage, tr("The account was not saved."));
    emit accountsChanged();
    return **added;
}

Result<void> AccountStore::update(qint64 id, const QString &setClause, const QVariantList &values, const char *what)
{
    auto q = storage::prepare(
        m_db->connection(),
        QStringLiteral("UPDATE marketplace_accounts SET ") + setClause + QStringLiteral(" WHERE id = ?"), what);
    if (!q)
        return q.error();
    for (const QVariant &value : values)
        q->addBindValue(value.typeId() == QMetaType::QString ? storage::notNullText(value.toString()) : value);
    q->addBindValue(id);
    if (auto r = storage::exec(*q, what); !r)
        return r;
    if (q->numRowsAffected() == 0)
        return notFound(id);
    return {};
}

Result<void> AccountStore::rename(qint64 id, const QString &name)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return makeError(Error::Code::Invalid, tr("An account needs a name."));
    if (auto existing = findByName(trimmed); !existing)
        return existing.error();
    else if (existing->has_value() && (*existing)->id != id)
        return makeError(Error::Code::Conflict, tr("An account called %1 exists already.").arg(trimmed));
    if (auto r = update(id, QStringLiteral("name = ?"), {trimmed}, "rename account"); !r)
        return r;
    emit accountsChanged();
    return {};
}

Result<void> AccountStore::setSyncInterval(qint64 id, int seconds)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    if (seconds < 60 || seconds > 86400)
        return makeError(Error::Code::Invalid, tr("The download interval must be from 1 minute to 24 hours."));
    if (auto r = update(id, QStringLiteral("sync_interval_s = ?"), {seconds}, "set sync interval"); !r)
        return r;
    emit accountsChanged();
    return {};
}

Result<void> AccountStore::forgetSecrets(qint64 id, security::SecretStore *secrets, bool clientSecret)
{
    auto account = get(id);
    if (!account)
        return account.error();
    if (!secrets)
        return {};
    if (auto r = secrets->remove(allegro::TokenKeeper::tokenKey(account->secretRef)); !r)
        return r;
    if (clientSecret)
        return secrets->remove(allegro::TokenKeeper::clientSecretKey(account->secretRef));
    return {};
}

Result<void> AccountStore::disconnect(qint64 id, security::SecretStore *secrets)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    if (auto r = forgetSecrets(id, secrets, false); !r)
        return r;
    if (auto r = update(id, QStringLiteral("connected = 0, token_generation = token_generation + 1"), {},
                        "disconnect account");
        !r)
        return r;
    emit accountsChanged();
    return {};
}

Result<void> AccountStore::remove(qint64 id, security::SecretStore *secrets)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    if (auto r = forgetSecrets(id, secrets, true); !r)
        return r;
    storage::Transaction tx(*m_db, "remove account");
    if (!tx.started())
        return tx.started();
    for (const char *sql :
         {"DELETE FROM marketplace_seen_events WHERE account_id = ?",
          "DELETE FROM marketplace_pending_forms WHERE account_id = ?",
          "DELETE FROM marketplace_billing WHERE account_id = ?", "DELETE FROM marketplace_offers WHERE account_id = ?",
          "DELETE FROM marketplace_threads WHERE account_id = ?", "DELETE FROM marketplace_accounts WHERE id = ?"}) {
        auto q = storage::prepare(m_db->connection(), QString::fromLatin1(sql), "remove account");
        if (!q)
            return q.error();
        q->addBindValue(id);
        if (auto r = storage::exec(*q, "remove account"); !r)
            return r;
    }
    if (auto r = tx.commit(); !r)
        return r;
    emit accountsChanged();
    return {};
}

Result<void> AccountStore::setConnected(qint64 id, bool connected, const QString &sellerId, const QString &sellerLogin)
{
    Result<void> r = sellerId.isEmpty()
                         ? update(id, QStringLiteral("connected = ?"), {connected ? 1 : 0}, "set connected")
                         : update(id, QStringLiteral("connected = ?, seller_id = ?, seller_login = ?"),
                                  {connected ? 1 : 0, sellerId, sellerLogin}, "set connected");
    if (r)
        emit accountsChanged();
    return r;
}

Result<void> AccountStore::setCursor(qint64 id, const QString &eventId)
{
    return update(id, QStringLiteral("event_cursor = ?"), {eventId}, "advance event cursor");
}

Result<void> AccountStore::recordSync(qint64 id, const QDateTime &at, const QString &error)
{
    auto r =
        update(id, QStringLiteral("last_sync_at = ?, last_error = ?"), {at.toMSecsSinceEpoch(), error}, "record sync");
    if (r)
        emit accountsChanged();
    return r;
}

Result<bool> AccountStore::markEventSeen(qint64 id, const QString &dedupeKey, const QString &eventId)
{
    const QString sql = QStringLiteral(
        "INSERT INTO marketplace_seen_events (account_id, dedupe_key, event_id, seen_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    auto q = storage::prepare(m_db->connection(), sql, "mark event seen");
    if (!q)
        return q.error();
    q->addBindValue(id);
    q->addBindValue(dedupeKey);
    q->addBindValue(eventId);
    q->addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (auto r = storage::exec(*q, "mark event seen"); !r)
        return r.error();
    return q->numRowsAffected() > 0;
}

Result<void> AccountStore::addPendingForm(qint64 id, const QString &formId, const QString &reason)
{
    const QString sql = QStringLiteral("INSERT INTO marketplace_pending_forms (account_id, form_id, reason, since) "
                                       "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, form_id) DO UPDATE SET "
                                       "reason = excluded.reason");
    auto q = storage::prepare(m_db->connection(), sql, "add pending form");
    if (!q)
        return q.error();
    q->addBindValue(id);
    q->addBindValue(formId);
    q->addBindValue(reason);
    q->addBindValue(QDateTime::currentMSecsSinceEpoch());
    return storage::exec(*q, "add pending form");
}

Result<void> AccountStore::removePendingForm(qint64 id, const QString &formId)
{
    auto q =
        storage::prepare(m_db->connection(),
                         QStringLiteral("DELETE FROM marketplace_pending_forms WHERE account_id = ? AND form_id = ?"),
                         "remove pending form");
    if (!q)
        return q.error();
    q->addBindValue(id);
    q->addBindValue(formId);
    return storage::exec(*q, "remove pending form");
}

Result<QStringList> AccountStore::pendingForms(qint64 id)
{
    auto q = storage::prepare(
        m_db->connection(),
        QStringLiteral("SELECT form_id FROM marketplace_pending_forms WHERE account_id = ? ORDER BY since, form_id"),
        "list pending forms");
    if (!q)
        return q.error();
    q->addBindValue(id);
    if (auto r = storage::exec(*q, "list pending forms"); !r)
        return r.error();
    QStringList ids;
    while (q->next())
        ids.append(q->value(0).toString());
    return ids;
}

} // namespace sd::marketplace
