#pragma once

#include "util/jsontext.h"

#include <QByteArray>
#include <QDateTime>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <sqlite3.h>

#include <vector>

namespace sd::storage {

// Qt binds a null QString as SQL NULL; text columns here are NOT NULL and "" means "none".
inline QVariant notNullText(const QString &value)
{
    return value.isNull() ? QVariant(QString(u""_qs)) : QVariant(value);
}

// Binds the values of one write either to a native SQLite statement (the import's path: QtSql's binding costs
// more than the insert) or to a QtSql query (PostgreSQL), in one sequence for both. Native values are bound
// without a copy by SQLite: the binder and the byte arrays given to it must live until the statement has run.
class SqlBinder
{
public:
    SqlBinder(sqlite3_stmt *native, QSqlQuery *query)
        : m_native(native)
        , m_query(query)
    {}

    // NOT NULL text: "" for none.
    void text(const QString &value)
    {
        if (!m_native) {
            m_query->addBindValue(notNullText(value));
            return;
        }
        // As UTF-8, the database's encoding: bound as UTF-16, SQLite converts every value on the heap itself.
        const qsizetype room = value.size() * 3;
        char *out = m_inline + m_used;
        if (m_used + room > kInline) {
            m_overflow.emplace_back(room, Qt::Uninitialized);
            out = m_overflow.back().data();
        }
        char *const end = util::writeUtf8(out, value);
        if (out == m_inline + m_used)
            m_used += end - out;
        sqlite3_bind_text(m_native, ++m_index, out, int(end - out), SQLITE_STATIC);
    }
    void textOrNull(const QString &value)
    {
        if (value.isEmpty())
            nullOf(QMetaType::fromType<QString>());
        else
            text(value);
    }
    void utf8(const QByteArray &value)
    {
        if (m_native)
            sqlite3_bind_text(m_native, ++m_index, value.constData(), int(value.size()), SQLITE_STATIC);
        else
            m_query->addBindValue(QString::fromUtf8(value));
    }
    // SQLite keeps the bytes as they are (a blob, as QtSql binds a QByteArray); PostgreSQL's TEXT wants a string.
    void document(const QByteArray &value, bool postgres)
    {
        if (m_native)
            sqlite3_bind_blob(m_native, ++m_index, value.constData(), int(value.size()), SQLITE_STATIC);
        else
            m_query->addBindValue(postgres ? QVariant(QString::fromUtf8(value)) : QVariant(value));
    }
    void integer(qint64 value)
    {
        if (m_native)
            sqlite3_bind_int64(m_native, ++m_index, value);
        else
            m_query->addBindValue(value);
    }
    void timeOrNull(const QDateTime &time)
    {
        if (time.isValid())
            integer(time.toMSecsSinceEpoch());
        else
            nullOf(QMetaType::fromType<qint64>());
    }

private:
    void nullOf(QMetaType type)
    {
        if (m_native)
            sqlite3_bind_null(m_native, ++m_index);
        else
            m_query->addBindValue(QVariant(type));
    }

    static constexpr qsizetype kInline = 2048;

    sqlite3_stmt *m_native;
    QSqlQuery *m_query;
    int m_index = 0;
    // The bound UTF-8 text lives here until the statement has run (the binder outlives its step()).
    char m_inline[kInline];
    qsizetype m_used = 0;
    std::vector<QByteArray> m_overflow;
};

} // namespace sd::storage
