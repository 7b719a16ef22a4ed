#pragma once

#include "storage/database.h"

#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace sd::documents::ksef {

// Where and as whom SellerDesk talks to KSeF. The token itself is in the SecretStore under tokenRef.
struct Settings
{
    enum class Environment { Test, Production, Custom };

    Environment environment = Environment::Test;
    QUrl baseUrl; // the API root, e.g. https://api-test.ksef.mf.gov.pl/v2
    QString nip;  // the seller's NIP: the authentication context
    QString tokenRef;

    static QString environmentKey(Environment environment);
    static std::optional<Environment> environmentFromKey(const QString &key);
    static QUrl defaultBaseUrl(Environment environment);
    // "test", "production", or an http(s) URL (a custom environment, e.g. a fake service on loopback).
    static Result<Settings> fromEnvironmentArgument(const QString &argument, Settings current);
};

// The ksef_settings row (schema 13).
class SettingsStore
{
public:
    explicit SettingsStore(std::shared_ptr<storage::Database> db);

    // The stored settings, or the test environment's defaults (with a fresh token reference) when none are stored.
    Result<Settings> load();
    Result<void> save(const Settings &settings);

private:
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::documents::ksef
