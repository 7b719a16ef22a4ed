#pragma once

#include "storage/database.h"
#include "storage/sqlquery.h"

#include <QVariant>

#include <initializer_list>

namespace sd::automation {

// Prepares, binds and runs one statement on this thread's connection (errors logged with its name).
inline Result<QSqlQuery> runSql(storage::Database &db, const QString &sql, const char *what,
                                std::initializer_list<QVariant> values = {})
{
    auto query = storage::prepare(db.connection(), sql, what);
    if (!query)
        return query.error();
    for (const QVariant &value : values) {
        // A null QString binds as SQL NULL; text columns here are NOT NULL and mean "none" by ''.
        if (value.typeId() == QMetaType::QString && value.toString().isNull())
            query->addBindValue(QString(u""_qs));
        else
            query->addBindValue(value);
    }
    if (auto r = storage::exec(*query, what); !r)
        return r.error();
    return std::move(*query);
}

inline QVariant nullableId(qint64 id)
{
    return id ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

} // namespace sd::automation
