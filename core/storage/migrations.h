#pragma once

#include "storage/database.h"

#include <QStringList>

#include <functional>

namespace sd::storage {

// One numbered step of the schema. Statements use a few tokens that differ between engines:
// {PK} an auto-increment primary key. A step runs in one transaction with its version bump.
struct Migration
{
    int version;
    const char *name;
    QStringList statements;
    std::function<Result<void>(QSqlDatabase &, Database::Engine)> after; // data steps in C++ (may be empty)
};

const QList<Migration> &migrations();
int latestSchemaVersion();
QString forEngine(QString sql, Database::Engine engine);

// Runs every step above the current version, each in its own transaction. Refuses a newer schema.
Result<void> migrate(QSqlDatabase &db, Database::Engine engine);

} // namespace sd::storage
