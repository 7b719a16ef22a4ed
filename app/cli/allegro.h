#pragma once

#include "storage/database.h"

#include <QStringList>

#include <memory>

namespace sd::security {
class SecretStore;
}

namespace sd::cli {

// The keychain, or the encrypted file with SD_SECRET_PASSPHRASE (SD_SECRET_STORE=file skips the keychain).
Result<std::shared_ptr<security::SecretStore>> openCliSecrets(const QString &profileDir);

// sellerdesk-cli allegro connect|sync|accounts ...: returns the exit code.
int allegro(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words);

} // namespace sd::cli
