#pragma once

#include "security/secretstore.h"

namespace sd::security {

// Secrets in the OS keychain through QtKeychain (Secret Service on Linux). QtKeychain's jobs are asynchronous;
// each call here runs one job in a local event loop, so it works from any thread with no running loop of its own.
class KeychainSecretStore : public SecretStore
{
public:
    explicit KeychainSecretStore(QString service);

    // Writes, reads back and deletes a sentinel. QtKeychain 0.13 reports a missing Secret Service as OtherError
    // (rarely NoBackendAvailable), so anything but success means "no usable keychain here".
    static Result<void> probe(const QString &service);

    Kind kind() const override { return Kind::Keychain; }
    Result<void> write(const QString &key, const QByteArray &secret) override;
    Result<std::optional<QByteArray>> read(const QString &key) override;
    Result<void> remove(const QString &key) override;

private:
    QString m_service;
};

} // namespace sd::security
