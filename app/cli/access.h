#pragma once

#include "rules.h"

#include <QStringList>

namespace sd::cli {

// `users ...`, `roles ...`, `backup ...` and `selftest`. databaseFile: the SQLite profile's file (empty on
// PostgreSQL, where backups are pg_dump's); closeDatabase drops this process's connection before a restore.
int accessCommand(const QString &command, const QStringList &words, const OpenDatabase &open, const QString &profileDir,
                  const QString &databaseFile, const std::function<void()> &closeDatabase);
QString accessHelp();

// After the database is open: the session this command runs as. user empty: the workstation's auto-login (the
// implicit administrator while the profile has no users). The password comes from SD_PASSWORD or stdin's first line.
Result<void> startSession(const std::shared_ptr<storage::Database> &db, const QString &user);

} // namespace sd::cli
