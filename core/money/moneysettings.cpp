#include "money/moneysettings.h"

#include "access/session.h"
#include "automation/sqlrun.h"
#include "domain/money.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sd::money {

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("sd::money", text);
}

} // namespace

Result<int> parsePercent(const QString &text)
{
    QString t = text.trimmed();
    if (t.endsWith(u'%'))
        t.chop(1);
    t.replace(u',', u'.');
    // Exact: a percentage with at most two decimals is a whole number of basis points.
    auto m = domain::Money::parse(t, u"PLN"_s);
    if (!m || m->minor() < 0 || m->minor() > 10000)
        return makeError(Error::Code::Invalid,
                         translate("\"%1\" is not a percentage from 0 to 100 with at most two decimals.").arg(text));
    return int(m->minor());
}

QString percentText(int basisPoints)
{
    QString s = domain::Money(basisPoints, u"PLN"_s).toDecimalString();
    if (s.endsWith(u".00"))
        s.chop(3);
    else if (s.endsWith(u'0'))
        s.chop(1);
    return s;
}

Result<PaymentFee> parseFee(const QString &text)
{
    PaymentFee fee;
    for (const QString &part : text.split(u'+', Qt::SkipEmptyParts)) {
        const QString p = part.trimmed();
        if (p.endsWith(u'%')) {
            auto bp = parsePercent(p);
            if (!bp)
                return bp.error();
            fee.basisPoints = *bp;
        } else {
            auto a = parseAmount(p);
            if (!a)
                return a.error();
            fee.fixed = *a;
        }
    }
    return fee;
}

QString feeText(const PaymentFee &fee)
{
    QStringList parts;
    if (fee.fixed || !fee.basisPoints)
        parts << domain::Money(fee.fixed, u"PLN"_s).toDecimalString();
    if (fee.basisPoints)
        parts << percentText(fee.basisPoints) + u'%';
    return parts.join(u'+');
}

qint64 MoneySettings::courierCostFor(const QString &methodId, const QString &methodName) const
{
    if (!methodId.isEmpty() && courierCosts.contains(methodId))
        return courierCosts.value(methodId);
    if (!methodName.isEmpty() && courierCosts.contains(methodName))
        return courierCosts.value(methodName);
    return defaultCourierCost;
}

QJsonObject MoneySettings::toJson() const
{
    QJsonObject commissions, fees, couriers;
    for (auto it = commissionBp.cbegin(); it != commissionBp.cend(); ++it)
        commissions.insert(it.key(), it.value());
    for (auto it = paymentFees.cbegin(); it != paymentFees.cend(); ++it)
        fees.insert(it.key(), QJsonObject{{u"fixed"_s, it->fixed}, {u"bp"_s, it->basisPoints}});
    for (auto it = courierCosts.cbegin(); it != courierCosts.cend(); ++it)
        couriers.insert(it.key(), it.value());
    return {{u"defaultCommissionBp"_s, defaultCommissionBp},
            {u"commissionBp"_s, commissions},
            {u"packaging"_s, packagingPerOrder},
            {u"paymentFees"_s, fees},
            {u"defaultCourierCost"_s, defaultCourierCost},
            {u"courierCosts"_s, couriers},
            {u"shipping"_s, shipping.toJson()},
            {u"lossGuard"_s, lossGuard},
            {u"minProfit"_s, minProfit},
            {u"adminEmail"_s, adminEmail}};
}

Result<MoneySettings> MoneySettings::fromJson(const QJsonObject &json)
{
    MoneySettings s;
    s.defaultCommissionBp = json.value(u"defaultCommissionBp"_s).toInt(0);
    const QJsonObject commissions = json.value(u"commissionBp"_s).toObject();
    for (auto it = commissions.constBegin(); it != commissions.constEnd(); ++it)
        s.commissionBp.insert(it.key(), it.value().toInt());
    s.packagingPerOrder = json.value(u"packaging"_s).toInteger(0);
    const QJsonObject fees = json.value(u"paymentFees"_s).toObject();
    for (auto it = fees.constBegin(); it != fees.constEnd(); ++it) {
        const QJsonObject f = it.value().toObject();
        s.paymentFees.insert(it.key(), {f.value(u"fixed"_s).toInteger(0), f.value(u"bp"_s).toInt(0)});
    }
    s.defaultCourierCost = json.value(u"defaultCourierCost"_s).toInteger(0);
    const QJsonObject couriers = json.value(u"courierCosts"_s).toObject();
    for (auto it = couriers.constBegin(); it != couriers.constEnd(); ++it)
        s.courierCosts.insert(it.key(), it.value().toInteger(0));
    auto formula = ShippingFormula::fromJson(json.value(u"shipping"_s).toObject());
    if (!formula)
        return formula.error();
    s.shipping = *formula;
    s.lossGuard = json.value(u"lossGuard"_s).toBool(true);
    s.minProfit = json.value(u"minProfit"_s).toInteger(0);
    s.adminEmail = json.value(u"adminEmail"_s).toString();
    return s;
}

Result<MoneySettings> MoneySettings::load(storage::Database &db)
{
    auto q = automation::runSql(db, u"SELECT key, value FROM money_settings"_qs, "load money settings");
    if (!q)
        return q.error();
    QJsonObject json;
    qint64 revision = 0;
    while (q->next()) {
        if (q->value(0).toString() == u"settings")
            json = QJsonDocument::fromJson(q->value(1).toString().toUtf8()).object();
        else if (q->value(0).toString() == u"revision")
            revision = q->value(1).toString().toLongLong();
    }
    auto s = fromJson(json);
    if (!s)
        return s.error();
    s->revision = revision;
    return s;
}

Result<void> MoneySettings::save(storage::Database &db)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    storage::Transaction tx(db, "save money settings");
    if (!tx.started())
        return tx.started().error();
    auto current = load(db);
    if (!current)
        return current.error();
    const qint64 next = current->revision + 1;
    const QString upsert = u"INSERT INTO money_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                           "SET value = excluded.value"_s;
    if (auto r = automation::runSql(
            db, upsert, "save money settings",
            {u"settings"_s, QString::fromUtf8(QJsonDocument(toJson()).toJson(QJsonDocument::Compact))});
        !r)
        return r.error();
    if (auto r = automation::runSql(db, upsert, "save money settings revision", {u"revision"_s, QString::number(next)});
        !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r;
    revision = next;
    return {};
}

Result<void> MoneySettings::set(const QString &key, const QString &value)
{
    auto amountInto = [&](qint64 &field) -> Result<void> {
        auto v = parseAmount(value);
        if (!v)
            return v.error();
        field = *v;
        return {};
    };
    if (key == u"commission.default") {
        auto bp = parsePercent(value);
        if (!bp)
            return bp.error();
        defaultCommissionBp = *bp;
        return {};
    }
    if (key.startsWith(u"commission.")) {
        const QString channel = key.mid(11);
        if (value.trimmed().isEmpty()) {
            commissionBp.remove(channel);
            return {};
        }
        auto bp = parsePercent(value);
        if (!bp)
            return bp.error();
        commissionBp.insert(channel, *bp);
        return {};
    }
    if (key == u"packaging")
        return amountInto(packagingPerOrder);
    if (key.startsWith(u"payment.")) {
        const QString method = key.mid(8);
        if (value.trimmed().isEmpty()) {
            paymentFees.remove(method);
            return {};
        }
        auto fee = parseFee(value);
        if (!fee)
            return fee.error();
        paymentFees.insert(method, *fee);
        return {};
    }
    if (key == u"courier.default")
        return amountInto(defaultCourierCost);
    if (key.startsWith(u"courier.")) {
        const QString method = key.mid(8);
        if (value.trimmed().isEmpty()) {
            courierCosts.remove(method);
            return {};
        }
        qint64 cost = 0;
        if (auto r = amountInto(cost); !r)
            return r;
        courierCosts.insert(method, cost);
        return {};
    }
    if (key == u"lossGuard") {
        const QString v = value.trimmed().toLower();
        if (v != u"on" && v != u"off")
            return makeError(Error::Code::Invalid, translate("The loss guard is \"on\" or \"off\"."));
        lossGuard = v == u"on";
        return {};
    }
    if (key == u"minProfit") {
        auto m = domain::Money::parse(value.trimmed(), u"PLN"_s);
        if (!m)
            return m.error();
        minProfit = m->minor();
        return {};
    }
    if (key == u"adminEmail") {
        adminEmail = value.trimmed();
        return {};
    }
    if (key.startsWith(u"shipping."))
        return shipping.set(key.mid(9), value);
    return makeError(Error::Code::Invalid, translate("There is no money setting \"%1\".").arg(key));
}

} // namespace sd::money
