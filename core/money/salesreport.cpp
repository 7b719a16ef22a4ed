#include "money/salesreport.h"

#include "automation/sqlrun.h"
#include "documents/documentbuilder.h"
#include "domain/money.h"
#include "money/profitservice.h"

#include "access/session.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sd::money {

using automation::runSql;

namespace {

constexpr int kChunk = 400;

struct Line
{
    QString key;
    QString label;
    qint64 quantity = 0;
    qint64 gross = 0;
};

void add(ReportRow &row, int orders, qint64 units, qint64 gross, qint64 net, qint64 profit)
{
    row.orders += orders;
    row.units += units;
    row.revenueGross += gross;
    row.revenueNet += net;
    row.profit += profit;
}

// Spreads a signed amount over non-negative weights so the parts add up exactly.
QList<qint64> spreadSigned(qint64 amount, const QList<qint64> &weights)
{
    QList<qint64> parts = documents::spreadProportionally(amount < 0 ? -amount : amount, weights);
    qint64 given = 0;
    for (qint64 p : std::as_const(parts))
        given += p;
    // spreadProportionally gives at most the sum of the weights: the rest goes to the first line.
    if (!parts.isEmpty())
        parts[0] += (amount < 0 ? -amount : amount) - given;
    if (amount < 0)
        for (qint64 &p : parts)
            p = -p;
    return parts;
}

QJsonArray rowsJson(const QList<ReportRow> &rows, const QString &currency, bool withProfit)
{
    QJsonArray out;
    for (const ReportRow &r : rows) {
        QJsonObject row{{u"key"_s, r.key},
                        {u"label"_s, r.label},
                        {u"orders"_s, r.orders},
                        {u"units"_s, r.units},
                        {u"revenueGross"_s, domain::Money(r.revenueGross, currency).toDecimalString()},
                        {u"revenueNet"_s, domain::Money(r.revenueNet, currency).toDecimalString()}};
        if (withProfit)
            row.insert(u"profit"_s, domain::Money(r.profit, currency).toDecimalString());
        out.append(row);
    }
    return out;
}

QByteArray csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n'))
        return text.toUtf8();
    QString t = text;
    t.replace(u"\""_s, u"\"\""_s);
    return '"' + t.toUtf8() + '"';
}

} // namespace

std::optional<SalesReport::Period> SalesReport::periodFromKey(const QString &key)
{
    if (key == u"day")
        return Period::Day;
    if (key == u"week")
        return Period::Week;
    if (key == u"month")
        return Period::Month;
    return std::nullopt;
}

QString SalesReport::periodKey(const QDate &date, Period period)
{
    switch (period) {
    case Period::Day:
        return date.toString(Qt::ISODate);
    case Period::Week: {
        int year = 0;
        const int week = date.weekNumber(&year);
        return u"%1-W%2"_s.arg(year).arg(week, 2, 10, QLatin1Char('0'));
    }
    case Period::Month:
        return date.toString(u"yyyy-MM"_s);
    }
    return {};
}

Result<SalesReport> SalesReport::build(const std::shared_ptr<storage::Database> &db, const QDate &from, const QDate &to,
                                       Period period, const QString &currency)
{
    if (!from.isValid() || !to.isValid() || to < from)
        return makeError(Error::Code::Invalid, tr("The report needs a start date on or before its end date."));
    SalesReport report;
    report.profitHidden = !access::require(access::Permission::SeeProfit).ok();
    report.from = from;
    report.to = to;
    report.period = period;
    report.currency = currency;
    report.total.key = u"total"_s;
    report.total.label = tr("Total");

    const qint64 start = from.startOfDay().toMSecsSinceEpoch();
    const qint64 end = to.addDays(1).startOfDay().toMSecsSinceEpoch();
    auto q = runSql(*db,
                    u"SELECT o.id, o.created_at, o.marketplace, s.name, o.currency, s.group_key FROM orders o "
                    "JOIN statuses s ON s.id = o.status_id WHERE o.created_at >= ? AND o.created_at < ? "
                    "ORDER BY o.created_at, o.id"_s,
                    "report orders", {start, end});
    if (!q)
        return q.error();
    struct OrderRow
    {
        qint64 id;
        QString period;
        QString channel;
        QString status;
    };
    QList<OrderRow> orders;
    while (q->next()) {
        const QString periodOf =
            periodKey(QDateTime::fromMSecsSinceEpoch(q->value(1).toLongLong()).toLocalTime().date(), period);
        const QString status = q->value(3).toString();
        report.statusByPeriod[periodOf][status] += 1;
        if (q->value(5).toString() == u"cancelled")
            continue;
        if (q->value(4).toString() != currency) {
            ++report.skippedOrders;
            continue;
        }
        orders.append({q->value(0).toLongLong(), periodOf, q->value(2).toString(), status});
    }
    q->finish();

    QMap<QString, ReportRow> periods, channels, products;
    ProfitService profits(db);
    for (qsizetype begin = 0; begin < orders.size(); begin += kChunk) {
        const QList<OrderRow> chunk = orders.mid(begin, kChunk);
        QList<qint64> ids;
        QStringList idText;
        for (const OrderRow &o : chunk) {
            ids << o.id;
            idText << QString::number(o.id);
        }
        // Without "see profit" the report still shows the sales; the profit figures are read (the revenue net of VAT
        // comes from the same computation) and dropped below.
        std::optional<access::SystemScope> unrestricted;
        if (report.profitHidden)
            unrestricted.emplace();
        auto computed = profits.profits(ids);
        unrestricted.reset();
        if (!computed)
            return computed.error();
        QHash<qint64, QList<Line>> lines;
        auto items = runSql(*db,
                            u"SELECT order_id, name, sku, quantity, unit_price_minor FROM order_items WHERE order_id "
                            "IN (%1) ORDER BY order_id, position"_s.arg(idText.join(u',')),
                            "report items");
        if (!items)
            return items.error();
        while (items->next()) {
            const QString sku = items->value(2).toString();
            const QString name = items->value(1).toString();
            lines[items->value(0).toLongLong()].append({sku.isEmpty() ? name : sku, name, items->value(3).toLongLong(),
                                                        items->value(3).toLongLong() * items->value(4).toLongLong()});
        }
        for (const OrderRow &o : chunk) {
            const Profit &p = (*computed)[o.id];
            add(report.total, 1, 0, p.revenueGross, p.revenueNet, p.profit);
            ReportRow &pr = periods[o.period];
            pr.key = pr.label = o.period;
            add(pr, 1, 0, p.revenueGross, p.revenueNet, p.profit);
            ReportRow &cr = channels[o.channel];
            cr.key = cr.label = o.channel;
            add(cr, 1, 0, p.revenueGross, p.revenueNet, p.profit);
            const QList<Line> &ls = lines.value(o.id);
            QList<qint64> weights;
            for (const Line &l : ls)
                weights << std::max<qint64>(l.gross, 0);
            const QList<qint64> gross = spreadSigned(p.revenueGross, weights);
            const QList<qint64> net = spreadSigned(p.revenueNet, weights);
            const QList<qint64> profit = spreadSigned(p.profit, weights);
            for (qsizetype i = 0; i < ls.size(); ++i) {
                ReportRow &row = products[ls.at(i).key];
                row.key = ls.at(i).key;
                row.label = ls.at(i).label;
                add(row, 1, ls.at(i).quantity, gross.at(i), net.at(i), profit.at(i));
            }
        }
    }
    report.byPeriod = periods.values();
    report.byChannel = channels.values();
    report.byProduct = products.values();
    std::stable_sort(report.byProduct.begin(), report.byProduct.end(),
                     [](const ReportRow &a, const ReportRow &b) { return a.revenueGross > b.revenueGross; });
    for (const ReportRow &r : std::as_const(report.byProduct))
        report.total.units += r.units;
    if (report.profitHidden)
        for (QList<ReportRow> *rows : {&report.byPeriod, &report.byChannel, &report.byProduct})
            for (ReportRow &r : *rows)
                r.profit = 0;
    if (report.profitHidden)
        report.total.profit = 0;
    return report;
}

QJsonObject SalesReport::toJson() const
{
    QJsonObject statuses;
    for (auto it = statusByPeriod.cbegin(); it != statusByPeriod.cend(); ++it) {
        QJsonObject counts;
        for (auto c = it->cbegin(); c != it->cend(); ++c)
            counts.insert(c.key(), c.value());
        statuses.insert(it.key(), counts);
    }
    return {{u"from"_s, from.toString(Qt::ISODate)},
            {u"to"_s, to.toString(Qt::ISODate)},
            {u"currency"_s, currency},
            {u"total"_s, rowsJson({total}, currency, !profitHidden).at(0)},
            {u"byPeriod"_s, rowsJson(byPeriod, currency, !profitHidden)},
            {u"byChannel"_s, rowsJson(byChannel, currency, !profitHidden)},
            {u"byProduct"_s, rowsJson(byProduct, currency, !profitHidden)},
            {u"statusByPeriod"_s, statuses},
            {u"skippedOrders"_s, skippedOrders},
            {u"profitHidden"_s, profitHidden}};
}

QByteArray SalesReport::toCsv() const
{
    QByteArray out = profitHidden ? "section,key,label,orders,units,revenue_gross,revenue_net\n"
                                  : "section,key,label,orders,units,revenue_gross,revenue_net,profit\n";
    auto rows = [&](const char *section, const QList<ReportRow> &list) {
        for (const ReportRow &r : list) {
            out += QByteArray(section) + ',' + csvField(r.key) + ',' + csvField(r.label) + ',' +
                   QByteArray::number(r.orders) + ',' + QByteArray::number(r.units) + ',' +
                   domain::Money(r.revenueGross, currency).toDecimalString().toUtf8() + ',' +
                   domain::Money(r.revenueNet, currency).toDecimalString().toUtf8();
            if (!profitHidden)
                out += ',' + domain::Money(r.profit, currency).toDecimalString().toUtf8();
            out += '\n';
        }
    };
    rows("period", byPeriod);
    rows("channel", byChannel);
    rows("product", byProduct);
    rows("total", {total});
    return out;
}

} // namespace sd::money
