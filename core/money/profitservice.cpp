#include "money/profitservice.h"

#include "access/session.h"
#include "automation/sqlrun.h"
#include "domain/ean.h"
#include "storage/orderstore.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sd::money {

using automation::runSql;

namespace {

Profit fromRow(const QSqlQuery &q)
{
    // order_id, currency, revenue_gross, revenue_net, purchase_cost, marketplace_fees, shipping_cost, payment_fees,
    // packaging, profit, issues, computed_at
    Profit p;
    p.orderId = q.value(0).toLongLong();
    p.currency = q.value(1).toString();
    p.revenueGross = q.value(2).toLongLong();
    p.revenueNet = q.value(3).toLongLong();
    p.purchaseCost = q.value(4).toLongLong();
    p.marketplaceFees = q.value(5).toLongLong();
    p.shippingCost = q.value(6).toLongLong();
    p.paymentFees = q.value(7).toLongLong();
    p.packaging = q.value(8).toLongLong();
    p.profit = q.value(9).toLongLong();
    const QJsonObject issues = QJsonDocument::fromJson(q.value(10).toString().toUtf8()).object();
    for (const QJsonValue &v : issues.value(u"problems"_s).toArray())
        p.problems << v.toString();
    for (const QJsonValue &v : issues.value(u"warnings"_s).toArray())
        p.warnings << v.toString();
    p.feesFromBilling = issues.value(u"billing"_s).toBool();
    p.computedAt = QDateTime::fromMSecsSinceEpoch(q.value(11).toLongLong(), Qt::UTC);
    return p;
}

// Allegro invoices its fees with Polish VAT; the billing entries do not carry the rate.
constexpr int kAllegroFeeVat = 23;

const QString kSelect =
    u"SELECT p.order_id, p.currency, p.revenue_gross, p.revenue_net, p.purchase_cost, "
    "p.marketplace_fees, p.shipping_cost, p.payment_fees, p.packaging, p.profit, p.issues, "
    "p.computed_at FROM order_profit p JOIN orders o ON o.id = p.order_id "
    "WHERE p.order_updated_at = o.updated_at AND p.settings_revision = ? "
    "AND p.billing_count = (SELECT COUNT(*) FROM marketplace_billing b WHERE b.order_id = p.order_id) "
    "AND p.billing_sum = (SELECT COALESCE(SUM(b.amount_minor), 0) FROM marketplace_billing b "
    "WHERE b.order_id = p.order_id) "_s;

} // namespace

ProfitService::ProfitService(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<ProfitService::Settings> ProfitService::settings()
{
    auto money = MoneySettings::load(*m_db);
    if (!money)
        return money.error();
    auto docs = documents::SettingsStore(m_db).settings();
    if (!docs)
        return docs.error();
    return Settings{*money, *docs};
}

Result<ProfitInputs> ProfitService::inputsFor(const domain::Order &order)
{
    ProfitInputs inputs;
    for (const domain::LineItem &item : order.items) {
        std::optional<domain::Money> cost;
        auto lookup = [&](const QString &sql, const QString &key) -> Result<void> {
            if (cost || key.isEmpty())
                return {};
            auto q = runSql(*m_db, sql, "profit purchase price", {key});
            if (!q)
                return q.error();
            if (q->next())
                cost = domain::Money(q->value(0).toLongLong(), q->value(1).toString());
            return {};
        };
        if (auto r = lookup(u"SELECT purchase_minor, currency FROM products WHERE sku = ?"_s, item.sku.trimmed()); !r)
            return r.error();
        const auto ean = domain::Ean::parse(item.ean);
        if (auto r = lookup(u"SELECT purchase_minor, currency FROM products WHERE ean = ? ORDER BY id"_s,
                            ean ? ean->code() : QString());
            !r)
            return r.error();
        inputs.unitCosts.append(cost);
    }
    if (order.id) {
        auto fees = billingFees(order.id);
        if (!fees)
            return fees.error();
        inputs.billing = *fees;
    }
    return inputs;
}

Result<ShippingFormula::Quote> ProfitService::shippingQuote(const domain::Order &order)
{
    auto s = MoneySettings::load(*m_db);
    if (!s)
        return s.error();
    ShippingFormula::Input in;
    in.quantity = std::max(1, order.itemCount());
    for (const domain::LineItem &item : order.items) {
        const auto ean = domain::Ean::parse(item.ean);
        auto q = runSql(*m_db,
                        u"SELECT weight_g FROM products WHERE (sku = ? AND sku <> '') OR (ean = ? AND ean <> '') "
                        "ORDER BY CASE WHEN sku = ? THEN 0 ELSE 1 END, id LIMIT 1"_s,
                        "shipping weight", {item.sku.trimmed(), ean ? ean->code() : QString(), item.sku.trimmed()});
        if (!q)
            return q.error();
        if (q->next())
            in.weightGrams += q->value(0).toInt() * item.quantity;
    }
    const domain::Address &a = order.delivery.address;
    in.country = a.countryCode.isEmpty() ? order.delivery.pickupPoint.address.countryCode : a.countryCode;
    in.paymentMethod = order.payment.method;
    in.deliveryMethod = order.delivery.methodName;
    qint64 goods = order.itemsTotal().minor();
    for (const domain::Adjustment &adj : order.adjustments)
        goods += adj.amount.minor();
    in.goodsValue = std::max<qint64>(goods, 0);
    return s->shipping.quote(in);
}

Result<Profit> ProfitService::compute(const domain::Order &order)
{
    auto s = settings();
    if (!s)
        return s.error();
    auto inputs = inputsFor(order);
    if (!inputs)
        return inputs.error();
    return Profit::compute(order, *inputs, s->money, s->documents);
}

Result<Profit> ProfitService::computeAndStore(qint64 orderId, const Settings &settings)
{
    storage::OrderStore orders(m_db);
    auto order = orders.load(orderId);
    if (!order)
        return order.error();
    auto inputs = inputsFor(*order);
    if (!inputs)
        return inputs.error();
    const Profit p = Profit::compute(*order, *inputs, settings.money, settings.documents);
    const QJsonObject issues{{u"problems"_s, QJsonArray::fromStringList(p.problems)},
                             {u"warnings"_s, QJsonArray::fromStringList(p.warnings)},
                             {u"billing"_s, p.feesFromBilling}};
    // The row's updated_at as stored (the loaded order's is the same instant, but read it where it is compared).
    auto at = runSql(*m_db, u"SELECT updated_at FROM orders WHERE id = ?"_s, "profit order time", {orderId});
    if (!at)
        return at.error();
    const qint64 updatedAt = at->next() ? at->value(0).toLongLong() : 0;
    qint64 billingSum = 0;
    for (const BillingFee &fee : inputs->billing)
        billingSum += fee.amount;
    if (auto r = runSql(
            *m_db,
            u"INSERT INTO order_profit (order_id, currency, revenue_gross, revenue_net, purchase_cost, "
            "marketplace_fees, shipping_cost, payment_fees, packaging, profit, issues, order_updated_at, "
            "settings_revision, billing_count, billing_sum, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, "
            "?, ?, ?) ON CONFLICT (order_id) "
            "DO UPDATE SET currency = excluded.currency, revenue_gross = excluded.revenue_gross, revenue_net = "
            "excluded.revenue_net, purchase_cost = excluded.purchase_cost, marketplace_fees = "
            "excluded.marketplace_fees, shipping_cost = excluded.shipping_cost, payment_fees = excluded.payment_fees, "
            "packaging = excluded.packaging, profit = excluded.profit, issues = excluded.issues, order_updated_at = "
            "excluded.order_updated_at, settings_revision = excluded.settings_revision, billing_count = "
            "excluded.billing_count, billing_sum = excluded.billing_sum, computed_at = excluded.computed_at"_s,
            "store profit",
            {orderId, p.currency, p.revenueGross, p.revenueNet, p.purchaseCost, p.marketplaceFees, p.shippingCost,
             p.paymentFees, p.packaging, p.profit,
             QString::fromUtf8(QJsonDocument(issues).toJson(QJsonDocument::Compact)), updatedAt,
             settings.money.revision, qint64(inputs->billing.size()), billingSum, p.computedAt.toMSecsSinceEpoch()});
        !r)
        return r.error();
    return p;
}

Result<Profit> ProfitService::profit(qint64 orderId)
{
    auto all = profits({orderId});
    if (!all)
        return all.error();
    return all->value(orderId);
}

Result<QHash<qint64, Profit>> ProfitService::profits(const QList<qint64> &orderIds)
{
    // Reading a profit needs "see profit" (the loss guard's compute() does not: it protects everyone's orders).
    if (auto r = access::require(access::Permission::SeeProfit); !r)
        return r.error();
    QHash<qint64, Profit> out;
    if (orderIds.isEmpty())
        return out;
    auto s = settings();
    if (!s)
        return s.error();
    QStringList ids;
    for (qint64 id : orderIds)
        ids << QString::number(id);
    auto q = runSql(*m_db, kSelect + u"AND p.order_id IN ("_s + ids.join(u',') + u')', "cached profits",
                    {s->money.revision});
    if (!q)
        return q.error();
    while (q->next()) {
        Profit p = fromRow(*q);
        out.insert(p.orderId, p);
    }
    storage::Transaction tx(*m_db, "recompute profits");
    if (!tx.started())
        return tx.started().error();
    for (qint64 id : orderIds) {
        if (out.contains(id))
            continue;
        auto p = computeAndStore(id, *s);
        if (!p)
            return p.error();
        out.insert(id, *p);
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return out;
}

Result<int> ProfitService::recomputeAll()
{
    auto s = settings();
    if (!s)
        return s.error();
    auto q = runSql(*m_db, u"SELECT id FROM orders ORDER BY id"_s, "orders to recompute");
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids << q->value(0).toLongLong();
    q->finish();
    storage::Transaction tx(*m_db, "recompute all profits");
    if (!tx.started())
        return tx.started().error();
    for (qint64 id : std::as_const(ids))
        if (auto p = computeAndStore(id, *s); !p)
            return p.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return int(ids.size());
}

Result<int> ProfitService::forgetProduct(storage::Database &db, const QString &sku, const QString &ean)
{
    auto q = runSql(db,
                    u"DELETE FROM order_profit WHERE order_id IN (SELECT order_id FROM order_items WHERE "
                    "(sku = ? AND sku <> '') OR (ean = ? AND ean <> ''))"_s,
                    "forget product profits", {sku.trimmed(), ean.trimmed()});
    if (!q)
        return q.error();
    return q->numRowsAffected();
}

Result<QList<BillingFee>> ProfitService::billingFees(qint64 orderId)
{
    auto q = runSql(*m_db,
                    u"SELECT entry_id, type_id, type_name, amount_minor, currency FROM marketplace_billing "
                    "WHERE order_id = ? ORDER BY occurred_at, entry_id"_s,
                    "billing fees", {orderId});
    if (!q)
        return q.error();
    QList<BillingFee> fees;
    while (q->next())
        fees.append({q->value(0).toString(), q->value(1).toString(), q->value(2).toString(), q->value(3).toLongLong(),
                     q->value(4).toString(), kAllegroFeeVat});
    return fees;
}

} // namespace sd::money
