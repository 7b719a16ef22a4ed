#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace sd::security {

// Where secrets live (OAuth tokens, client secrets): the OS keychain, or, only when the user chose it because
// there is no keychain, a file encrypted with a passphrase. The database holds only a reference (the key).
// Secrets never reach logs, traces or exports. Implementations are safe to use from several threads.
class SecretStore
{
public:
    enum class Kind { Keychain, EncryptedFile };

    // How to open the store on this machine. The file is used only when allowFile is set (the user's visible
    // choice) and the keychain probe failed, or when preferFile forces it.
    struct Choice
    {
        QString service = QStringLiteral("SellerDesk"); // keychain service name
        QString filePath;                               // the encrypted file (mode 0600)
        QByteArray passphrase;                          // for the file; never stored
        bool allowFile = false;
        bool preferFile = false;
        int pbkdf2Iterations = 310000;

        // What a process without a window chooses (the CLI, --headless): the keychain, or the profile's encrypted
        // file when SD_SECRET_PASSPHRASE is set (the user's explicit choice); SD_SECRET_STORE=file skips the
        // keychain. An empty profileDir means the user's data directory.
        static Choice fromEnvironment(const QString &profileDir);
    };

    virtual ~SecretStore() = default;

    virtual Kind kind() const = 0;
    virtual Result<void> write(const QString &key, const QByteArray &secret) = 0;
    // nullopt when there is no secret under the key.
    virtual Result<std::optional<QByteArray>> read(const QString &key) = 0;
    // Removing a missing key is not an error.
    virtual Result<void> remove(const QString &key) = 0;

    // The keychain when it answers the probe, else the encrypted file if allowed, else an error that tells the
    // user what to do (the message names both ways out).
    static Result<std::shared_ptr<SecretStore>> open(const Choice &choice);
};

} // namespace sd::security
