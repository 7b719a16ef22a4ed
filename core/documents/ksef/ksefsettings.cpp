#include "documents/ksef/ksefsettings.h"

#include "storage/sqlbinder.h"
#include "storage/sqlquery.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QUuid>

namespace sd::documents::ksef {

QString Settings::environmentKey(Environment environment)
{
    switch (environment) {
    case Environment::Test:
        return QStringLiteral("test");
    case Environment::Production:
        return QStringLiteral("production");
    case Environment::Custom:
        return QStringLiteral("custom");
    }
    return {};
}

std::optional<Settings::Environment> Settings::environmentFromKey(const QString &key)
{
    for (Environment e : {Environment::Test, Environment::Production, Environment::Custom}) {
        if (environmentKey(e) == key)
            return e;
    }
    return std::nullopt;
}

QUrl Settings::defaultBaseUrl(Environment environment)
{
    // From the Ministry's integrator guide (srodowiska.md); the production root follows the test one's shape.
    switch (environment) {
    case Environment::Test:
        return QUrl(QStringLiteral("https://api-test.ksef.mf.gov.pl/v2"));
    case Environment::Production:
        return QUrl(QStringLiteral("https://api.ksef.mf.gov.pl/v2"));
    case Environment::Custom:
        break;
    }
    return {};
}

Result<Settings> Settings::fromEnvironmentArgument(const QString &argument, Settings current)
{
    if (auto env = environmentFromKey(argument); env && *env != Environment::Custom) {
        current.environment = *env;
        current.baseUrl = defaultBaseUrl(*env);
        return current;
    }
    const QUrl url(argument, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate(
                             "sd::ksef", "The KSeF environment must be test, production or an http(s) address, not "
                                         "\"%1\".")
                             .arg(argument));
    current.environment = Environment::Custom;
    current.baseUrl = url;
    return current;
}

SettingsStore::SettingsStore(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<Settings> SettingsStore::load()
{
    auto query = storage::prepare(m_db->connection(),
                                  QStringLiteral("SELECT environment, base_url, nip, token_ref FROM ksef_settings "
                                                 "WHERE id = 1"),
                                  "ksef settings load");
    if (!query)
        return query.error();
    if (auto r = storage::exec(*query, "ksef settings load"); !r)
        return r.error();
    Settings settings;
    if (!query->next()) {
        settings.baseUrl = Settings::defaultBaseUrl(settings.environment);
        settings.tokenRef = u"ksef/token/"_qs + QUuid::createUuid().toString(QUuid::WithoutBraces);
        return settings;
    }
    settings.environment =
        Settings::environmentFromKey(query->value(0).toString()).value_or(Settings::Environment::Test);
    settings.baseUrl = QUrl(query->value(1).toString());
    settings.nip = query->value(2).toString();
    settings.tokenRef = query->value(3).toString();
    return settings;
}

Result<void> SettingsStore::save(const Settings &settings)
{
    auto query = storage::prepare(
        m_db->connection(),
        QStringLiteral("INSERT INTO ksef_settings (id, environment, base_url, nip, token_ref, updated_at) "
                       "VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET environment = excluded.environment, "
                       "base_url = excluded.base_url, nip = excluded.nip, token_ref = excluded.token_ref, "
                       "updated_at = excluded.updated_at"),
        "ksef settings save");
    if (!query)
        return query.error();
    query->addBindValue(Settings::environmentKey(settings.environment));
    query->addBindValue(settings.baseUrl.toString());
    query->addBindValue(storage::notNullText(settings.nip));
    query->addBindValue(storage::notNullText(settings.tokenRef));
    query->addBindValue(QDateTime::currentMSecsSinceEpoch());
    return storage::exec(*query, "ksef settings save");
}

} // namespace sd::documents::ksef
