#include "documents/numbering.h"

#include "automation/sqlrun.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace sd::documents {

using automation::runSql;

namespace {

const QRegularExpression &numberToken()
{
    static const QRegularExpression re(u"\\{n(?::(\\d))?\\}"_s);
    return re;
}

Result<Series> seriesFrom(QSqlQuery &q)
{
    Series s;
    s.id = q.value(0).toLongLong();
    s.name = q.value(1).toString();
    auto type = typeFromKey(q.value(2).toString());
    auto reset = resetFromKey(q.value(4).toString());
    if (!type || !reset)
        return makeError(
            Error::Code::Storage,
            QCoreApplication::translate("sd::documents", "The numbering series \"%1\" is damaged.").arg(s.name));
    s.type = *type;
    s.pattern = q.value(3).toString();
    s.reset = *reset;
    s.isDefault = q.value(5).toInt() != 0;
    return s;
}

const QString kSelectSeries = u"SELECT id, name, doc_type, pattern, reset, is_default FROM document_series "_s;

} // namespace

QString resetKey(Series::Reset reset)
{
    switch (reset) {
    case Series::Reset::Never:
        return u"never"_s;
    case Series::Reset::Yearly:
        return u"yearly"_s;
    case Series::Reset::Monthly:
        return u"monthly"_s;
    }
    return {};
}

std::optional<Series::Reset> resetFromKey(QStringView key)
{
    for (Series::Reset r : {Series::Reset::Never, Series::Reset::Yearly, Series::Reset::Monthly}) {
        if (resetKey(r) == key)
            return r;
    }
    return std::nullopt;
}

QString Series::format(qint64 n, const QDate &date) const
{
    QString text = pattern;
    text.replace(u"{YYYY}"_s, date.toString(u"yyyy"_s));
    text.replace(u"{YY}"_s, date.toString(u"yy"_s));
    text.replace(u"{MM}"_s, date.toString(u"MM"_s));
    text.replace(u"{DD}"_s, date.toString(u"dd"_s));
    QRegularExpressionMatch m;
    while ((m = numberToken().match(text)).hasMatch()) {
        const int width = m.captured(1).isEmpty() ? 0 : m.captured(1).toInt();
        text.replace(m.capturedStart(), m.capturedLength(), QString::number(n).rightJustified(width, u'0'));
    }
    return text;
}

QString Series::period(const QDate &date) const
{
    switch (reset) {
    case Reset::Never:
        return {};
    case Reset::Yearly:
        return date.toString(u"yyyy"_s);
    case Reset::Monthly:
        return date.toString(u"yyyy-MM"_s);
    }
    return {};
}

Result<void> Series::validate(const QString &pattern, Reset reset)
{
    auto problem = [](const QString &message) { return makeError(Error::Code::Invalid, message); };
    if (pattern.trimmed().isEmpty() || pattern.size() > 200)
        return problem(QCoreApplication::translate("sd::documents", "A numbering pattern must not be empty."));
    if (pattern.count(numberToken()) != 1)
        return problem(
            QCoreApplication::translate("sd::documents", "The pattern \"%1\" must contain the number {n} exactly once.")
                .arg(pattern));
    const bool year = pattern.contains(u"{YYYY}") || pattern.contains(u"{YY}");
    if (reset != Series::Reset::Never && !year)
        return problem(QCoreApplication::translate(
                           "sd::documents", "The pattern \"%1\" starts again every year, so it must contain {YYYY}.")
                           .arg(pattern));
    if (reset == Series::Reset::Monthly && !pattern.contains(u"{MM}"))
        return problem(QCoreApplication::translate(
                           "sd::documents", "The pattern \"%1\" starts again every month, so it must contain {MM}.")
                           .arg(pattern));
    QString rest = pattern;
    rest.remove(numberToken());
    for (const QString &token : {u"{YYYY}"_s, u"{YY}"_s, u"{MM}"_s, u"{DD}"_s})
        rest.remove(token);
    if (rest.contains(u'{') || rest.contains(u'}'))
        return problem(QCoreApplication::translate(
                           "sd::documents", "The pattern \"%1\" has an unknown {...} part; use {n}, {MM}, {YYYY}.")
                           .arg(pattern));
    return {};
}

SeriesStore::SeriesStore(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<QList<Series>> SeriesStore::list()
{
    auto q = runSql(*m_db, kSelectSeries + u"ORDER BY doc_type, name"_s, "list series");
    if (!q)
        return q.error();
    QList<Series> out;
    while (q->next()) {
        auto s = seriesFrom(*q);
        if (!s)
            return s.error();
        out.append(*s);
    }
    return out;
}

Result<Series> SeriesStore::find(const QString &name)
{
    auto q = runSql(*m_db, kSelectSeries + u"WHERE name = ?"_s, "find series", {name});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(
            Error::Code::NotFound,
            QCoreApplication::translate("sd::documents", "There is no numbering series \"%1\".").arg(name));
    return seriesFrom(*q);
}

Result<Series> SeriesStore::defaultFor(DocumentType type)
{
    auto q = runSql(*m_db, kSelectSeries + u"WHERE doc_type = ? ORDER BY is_default DESC, id LIMIT 1"_s,
                    "default series", {typeKey(type)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::documents", "No numbering series is set up for %1.")
                             .arg(typeTitle(type, u"pl"_s)));
    return seriesFrom(*q);
}

Result<qint64> SeriesStore::add(const Series &series)
{
    const QString name = series.name.trimmed();
    if (name.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "A numbering series needs a name."));
    if (auto r = Series::validate(series.pattern, series.reset); !r)
        return r.error();
    if (auto existing = find(name); existing)
        return makeError(
            Error::Code::Conflict,
            QCoreApplication::translate("sd::documents", "A numbering series \"%1\" exists already.").arg(name));
    storage::Transaction transaction(*m_db, "add series");
    if (!transaction.started())
        return transaction.started().error();
    if (series.isDefault) {
        if (auto r = runSql(*m_db, u"UPDATE document_series SET is_default = 0 WHERE doc_type = ?"_s, "series default",
                            {typeKey(series.type)});
            !r)
            return r.error();
    }
    auto q = runSql(*m_db,
                    u"INSERT INTO document_series (name, doc_type, pattern, reset, is_default, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"_s,
                    "add series",
                    {name, typeKey(series.type), series.pattern, resetKey(series.reset), series.isDefault ? 1 : 0,
                     QDateTime::currentMSecsSinceEpoch()});
    if (!q)
        return q.error();
    const qint64 id = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return id;
}

Result<QString> SeriesStore::allocate(const Series &series, const QDate &date)
{
    // One statement: creates the period's counter at 1 or adds one to it, and returns the new value. On PostgreSQL
    // the upsert locks the counter row until the transaction ends; on SQLite the transaction holds the write lock.
    auto q = runSql(*m_db,
                    u"INSERT INTO document_counters (series_id, period, last_value) VALUES (?, ?, 1) "
                    "ON CONFLICT (series_id, period) DO UPDATE SET last_value = document_counters.last_value + 1 "
                    "RETURNING last_value"_s,
                    "allocate number", {series.id, series.period(date)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::Storage,
                         QCoreApplication::translate("sd::documents", "No document number could be reserved."));
    const qint64 n = q->value(0).toLongLong();
    q->finish();
    return series.format(n, date);
}

} // namespace sd::documents
