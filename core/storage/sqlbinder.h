#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <sqlite3.h>

namespace sd::storage {

// Qt binds a null QString as SQL NULL; text columns here are NOT NULL and "" means "none".
inline QVariant notNullText(const QString &value)
{
    return value.isNull() ? QVariant(QString(u""_qs)) : QVariant(value);
}

// Binds the values of one write either to a native SQLite statement (the import's path: QtSql's binding costs
// more than the insert) or to a QtSql query (PostgreSQL), in one sequence for both. Native text is bound
// without a copy: the strings must live until the statement has run.
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
        if (m_native)
            sqlite3_bind_text16(m_native, ++m_index, value.utf16(), int(value.size() * 2), SQLITE_STATIC);
        else
            m_query->addBindValue(notNullText(value));
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

    sqlite3_stmt *m_native;
    QSqlQuery *m_query;
    int m_index = 0;
};

} // namespace sd::storage
