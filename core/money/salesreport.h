#pragma once

#include "storage/database.h"

#include <QCoreApplication>
#include <QDate>
#include <QJsonObject>
#include <QMap>

#include <memory>

namespace sd::money {

// One line of a report: the orders (or, per product, the units) in a bucket and their money, in grosze.
struct ReportRow
{
    QString key;   // "2026-11-24", "2026-W48", "2026-11"; a channel; a product's SKU (or name)
    QString label; // as shown
    int orders = 0;
    qint64 units = 0;
    qint64 revenueGross = 0;
    qint64 revenueNet = 0;
    qint64 profit = 0;
};

// Sales and profit (F1 + reports) of the orders bought between two dates (local days, both included), cancelled
// orders left out, in one currency (orders in others are counted in skippedOrders). Per product, an order's net
// revenue and profit are spread over its lines in proportion to their gross value (to the grosz, largest
// remainder), so every breakdown adds up exactly to the total.
struct SalesReport
{
    Q_DECLARE_TR_FUNCTIONS(SalesReport)

public:
    enum class Period { Day, Week, Month };

    QDate from;
    QDate to;
    Period period = Period::Day;
    QString currency = QStringLiteral("PLN");
    ReportRow total;
    QList<ReportRow> byPeriod;
    QList<ReportRow> byChannel;
    QList<ReportRow> byProduct;
    // Orders bought in each period (cancelled ones too), by the status they are in now: period -> status -> count.
    QMap<QString, QMap<QString, int>> statusByPeriod;
    int skippedOrders = 0;
    // The session may not see profit (core/access): every profit figure is 0 and the JSON and CSV leave it out.
    bool profitHidden = false;

    static Result<SalesReport> build(const std::shared_ptr<storage::Database> &db, const QDate &from, const QDate &to,
                                     Period period, const QString &currency = QStringLiteral("PLN"));
    static std::optional<Period> periodFromKey(const QString &key); // day, week, month
    static QString periodKey(const QDate &date, Period period);

    QJsonObject toJson() const;
    // One CSV (comma, quoted where needed, amounts with a dot) with a "section" column: period, channel, product,
    // total; opens in a spreadsheet.
    QByteArray toCsv() const;
};

} // namespace sd::money
