#pragma once

#include "util/result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace sd::storage {

// Every SQL failure is logged with the statement's name and becomes a translated sd::Error.
Error toError(const QSqlError &error, const char *what);

Result<void> exec(QSqlQuery &query, const char *what);
Result<void> exec(const QSqlDatabase &db, const QString &sql, const char *what);
Result<QSqlQuery> prepare(const QSqlDatabase &db, const QString &sql, const char *what);

} // namespace sd::storage
