#pragma once

#include "documents/document.h"
#include "storage/database.h"

#include <memory>

namespace sd::documents {

// A numbering series: a pattern such as "FV/{n}/{MM}/{YYYY}" and when the counter starts again.
struct Series
{
    enum class Reset { Never, Yearly, Monthly };

    qint64 id = 0;
    QString name; // how rules and people choose it ("FV")
    DocumentType type = DocumentType::Vat;
    QString pattern;
    Reset reset = Reset::Monthly;
    bool isDefault = false; // the series used for its type when none is named

    // "{n}" the number, "{n:4}" zero-padded to 4, "{DD}", "{MM}", "{YYYY}", "{YY}" the issue date.
    QString format(qint64 n, const QDate &date) const;
    // The counter's period for a date: "" (never), "2026" (yearly), "2026-11" (monthly).
    QString period(const QDate &date) const;
    // The pattern has {n} and, for a yearly or monthly reset, the year (and month), so numbers never repeat.
    static Result<void> validate(const QString &pattern, Reset reset);
};
QString resetKey(Series::Reset reset);
std::optional<Series::Reset> resetFromKey(QStringView key);

class SeriesStore
{
public:
    explicit SeriesStore(std::shared_ptr<storage::Database> db);

    Result<QList<Series>> list();
    Result<Series> find(const QString &name);
    Result<Series> defaultFor(DocumentType type);
    // Adds a series; making it the default takes the default from the type's previous one.
    Result<qint64> add(const Series &series);

    // The next number of the series for the date. Runs inside the caller's transaction, which must also store the
    // document: the counter row is locked until it commits (one writer at a time per series and period) and a
    // rollback returns the number, so numbers are gapless and unique with any number of workstations.
    Result<QString> allocate(const Series &series, const QDate &date);

private:
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::documents
