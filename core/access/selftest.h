#pragma once

#include "storage/database.h"

#include <QList>
#include <QString>

namespace sd::access {

// One line of `sellerdesk-cli selftest`: what was checked, whether it is fine and, when not, why (translated).
struct SelfTestLine
{
    QString what;
    bool ok = false;
    QString detail;
};

// Checks an installation: the database reachable, intact and migrated; the keychain (or the chosen encrypted file)
// usable; this workstation's printers reachable; the marketplace accounts' tokens present and not expired.
// profileDir: where the encrypted secret file would be (empty: the default).
QList<SelfTestLine> runSelfTest(const std::shared_ptr<storage::Database> &db, const QString &profileDir);

} // namespace sd::access
