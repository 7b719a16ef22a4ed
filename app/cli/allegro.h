#pragma once

#include "security/secretstore.h"
#include "storage/database.h"

#include <QStringList>

#include <memory>

namespace sd::security {
class SecretStore;
}

namespace sd::cli {

// The keychain when this machine has one; otherwise the encrypted file, but only with a passphrase from
// SD_SECRET_PASSPHRASE (the user's explicit choice). SD_SECRET_STORE=file skips the keychain.
Result<std::shared_ptr<security::SecretStore>> openSecrets(const QString &profileDir);

// sellerdesk-cli allegro connect|sync|accounts ...: returns the exit code.
// The keychain when this machine has one; otherwise the encrypted file, but only with a passphrase from
// SD_SECRET_PASSPHRASE (the user's explicit choice). SD_SECRET_STORE=file skips the keychain.
Result<std::shared_ptr<security::SecretStore>> openSecrets(const QString &profileDir);

int allegro(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words);

} // namespace sd::cli
