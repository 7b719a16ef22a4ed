#pragma once

#include "util/result.h"

#include <QString>

namespace sd::access {

// Backups of an SQLite profile through SQLite's online backup API: a consistent copy taken in one read
// transaction while other connections (this program's threads, another process) go on writing.
// PostgreSQL databases are backed up with pg_dump (docs/deployment.md).
struct BackupReport
{
    int pages = 0;
    qint64 bytes = 0;
};

// Copies the database file `source` to `target` (replaced when it exists).
Result<BackupReport> createBackup(const QString &source, const QString &target);
// Checks that `backup` is an intact SellerDesk database, then copies it over `target`. Nothing may have the
// target open meanwhile (the caller closes its own connections first).
Result<BackupReport> restoreBackup(const QString &backup, const QString &target);
// PRAGMA quick_check on the file: empty when it is intact, else SQLite's first complaint.
Result<QString> quickCheck(const QString &file);

} // namespace sd::access
