#pragma once

#include "security/secretstore.h"

#include <QHash>
#include <QMutex>

namespace sd::security {

// Secrets in one file, for machines with no keychain, by the user's explicit choice. The whole map is encrypted
// with AES-256-GCM under a key derived from the user's passphrase (PBKDF2-HMAC-SHA256, random salt); a wrong
// passphrase or a tampered file fails the GCM tag. The file is written atomically with mode 0600.
class FileSecretStore : public SecretStore
{
public:
    FileSecretStore(QString path, QByteArray passphrase, int iterations = 310000);
    ~FileSecretStore() override;

    // Reads the file (when it exists) and checks the passphrase against it.
    Result<void> unlock();

    Kind kind() const override { return Kind::EncryptedFile; }
    Result<void> write(const QString &key, const QByteArray &secret) override;
    Result<std::optional<QByteArray>> read(const QString &key) override;
    Result<void> remove(const QString &key) override;

    const QString &path() const { return m_path; }

private:
    Result<void> load();
    Result<void> save();
    QByteArray deriveKey(const QByteArray &salt, int iterations) const;

    QString m_path;
    QByteArray m_passphrase;
    int m_iterations;
    QByteArray m_salt;
    QByteArray m_key;
    QHash<QString, QByteArray> m_entries;
    bool m_loaded = false;
    QMutex m_mutex;
};

} // namespace sd::security
