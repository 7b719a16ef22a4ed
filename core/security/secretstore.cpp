#include "security/secretstore.h"

#include "security/filesecretstore.h"
#include "security/keychainsecretstore.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

namespace sd::security {

SecretStore::Choice SecretStore::Choice::fromEnvironment(const QString &profileDir)
{
    Choice choice;
    const QString dir =
        profileDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : profileDir;
    choice.filePath = QDir(dir).filePath(QStringLiteral("secrets.enc"));
    choice.passphrase = qgetenv("SD_SECRET_PASSPHRASE");
    choice.allowFile = !choice.passphrase.isEmpty();
    choice.preferFile = qgetenv("SD_SECRET_STORE") == "file";
    return choice;
}

Result<std::shared_ptr<SecretStore>> SecretStore::open(const Choice &choice)
{
    auto openFile = [&]() -> Result<std::shared_ptr<SecretStore>> {
        if (choice.passphrase.isEmpty())
            return makeError(
                Error::Code::Invalid,
                QCoreApplication::translate("sd::security", "The encrypted secret file needs a passphrase."));
        auto store = std::make_shared<FileSecretStore>(choice.filePath, choice.passphrase, choice.pbkdf2Iterations);
        if (auto r = store->unlock(); !r)
            return r.error();
        return std::shared_ptr<SecretStore>(store);
    };
    if (choice.preferFile)
        return openFile();
    auto probe = KeychainSecretStore::probe(choice.service);
    if (probe)
        return std::shared_ptr<SecretStore>(std::make_shared<KeychainSecretStore>(choice.service));
    qCInfo(lcSecurity) << "no usable keychain:" << probe.error().detail;
    if (choice.allowFile && !choice.passphrase.isEmpty())
        return openFile();
    return makeError(Error::Code::Io,
                     QCoreApplication::translate(
                         "sd::security",
                         "No system keychain is available to keep the Allegro tokens safely. Unlock or install a "
                         "keychain (for example GNOME Keyring), or choose the encrypted file store and give it a "
                         "passphrase (for the command line: set SD_SECRET_PASSPHRASE)."),
                     probe.error().detail);
}

} // namespace sd::security
