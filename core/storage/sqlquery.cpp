#include "storage/sqlquery.h"

#include "util/logging.h"

#include <QCoreApplication>

namespace sd::storage {

Error toError(const QSqlError &error, const char *what)
{
    const QString text = error.text();
    qCWarning(lcStorage) << "SQL failed:" << what << "-" << text;
    const QString lower = text.toLower();
    if (lower.contains(u"database is locked") || lower.contains(u"database table is locked") ||
        lower.contains(u"sqlite_busy"))
        return makeError(Error::Code::Locked,
                         QCoreApplication::translate("sd::storage",
                                                     "The database is locked by another program. Close the other "
                                                     "SellerDesk or database tool and try again."),
                         text);
    if (lower.contains(u"readonly") || lower.contains(u"read-only") || lower.contains(u"read only"))
        return makeError(Error::Code::ReadOnly,
                         QCoreApplication::translate("sd::storage", "The database cannot be written: it is read-only."),
                         text);
    if (lower.contains(u"file is not a database") || lower.contains(u"file is encrypted"))
        return makeError(Error::Code::WrongDatabase,
                         QCoreApplication::translate("sd::storage", "The file is not a SellerDesk database."), text);
    if (lower.contains(u"unique") || lower.contains(u"duplicate key"))
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::storage", "The record exists already."), text);
    return makeError(Error::Code::Storage,
                     QCoreApplication::translate("sd::storage", "The database reported an error (%1).")
                         .arg(QString::fromLatin1(what)),
                     text);
}

Result<void> exec(QSqlQuery &query, const char *what)
{
    if (!query.exec())
        return toError(query.lastError(), what);
    return {};
}

Result<void> exec(const QSqlDatabase &db, const QString &sql, const char *what)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return toError(query.lastError(), what);
    return {};
}

Result<QSqlQuery> prepare(const QSqlDatabase &db, const QString &sql, const char *what)
{
    QSqlQuery query(db);
    if (!query.prepare(sql))
        return toError(query.lastError(), what);
    return query;
}

} // namespace sd::storage
