#include "scanning/codeclassifier.h"

#include "automation/sqlrun.h"
#include "domain/ean.h"
#include "storage/sqlquery.h"

#include <QDateTime>

namespace sd::scanning {

QString ScanTarget::describe() const
{
    switch (match) {
    case Match::OrderId:
        return QCoreApplication::translate("sd::scanning", "order number");
    case Match::ExternalId:
        return QCoreApplication::translate("sd::scanning", "marketplace order id");
    case Match::TrackingNumber:
        return QCoreApplication::translate("sd::scanning", "tracking number");
    case Match::LabelBarcode:
        return QCoreApplication::translate("sd::scanning", "courier label barcode");
    case Match::Ean:
        return QCoreApplication::translate("sd::scanning", "product EAN");
    case Match::Sku:
        return QCoreApplication::translate("sd::scanning", "product SKU");
    case Match::Command:
        return QCoreApplication::translate("sd::scanning", "command barcode");
    case Match::None:
        break;
    }
    return QCoreApplication::translate("sd::scanning", "unknown code");
}

CodeClassifier::CodeClassifier(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<std::optional<qint64>> CodeClassifier::first(const char *key, const QString &sql, const QVariant &value)
{
    auto q = m_db->cached(key, sql);
    if (!q)
        return q.error();
    (*q)->addBindValue(value);
    if (auto r = storage::exec(**q, key); !r)
        return r.error();
    std::optional<qint64> id;
    if ((*q)->next())
        id = (*q)->value(0).toLongLong();
    (*q)->finish();
    return id;
}

Result<ScanTarget> CodeClassifier::classify(const QString &scanned)
{
    ScanTarget target;
    target.code = scanned.trimmed();
    if (target.code.isEmpty())
        return target;
    const QString &code = target.code;
    auto found = [&](ScanTarget::Kind kind, ScanTarget::Match match, qint64 id) {
        target.kind = kind;
        target.match = match;
        if (kind == ScanTarget::Kind::Order)
            target.orderId = id;
        else if (kind == ScanTarget::Kind::Product)
            target.productId = id;
        else
            target.ruleId = id;
        return target;
    };

    auto command = first("scan command", u"SELECT rule_id FROM scan_commands WHERE code = ?"_qs, code);
    if (!command)
        return command.error();
    if (*command)
        return found(ScanTarget::Kind::Command, ScanTarget::Match::Command, **command);

    // Couriers print waybills in capitals; a scanner in lower-case mode must still find them.
    const QString upper = code.toUpper();
    auto label = first("scan label barcode",
                       u"SELECT order_id FROM order_shipments WHERE label_barcode = ? AND label_barcode <> '' "
                       "ORDER BY id DESC"_qs,
                       upper);
    if (!label)
        return label.error();
    if (*label)
        return found(ScanTarget::Kind::Order, ScanTarget::Match::LabelBarcode, **label);
    auto waybill =
        first("scan waybill", u"SELECT order_id FROM order_shipments WHERE waybill = ? ORDER BY id DESC"_qs, upper);
    if (!waybill)
        return waybill.error();
    if (*waybill)
        return found(ScanTarget::Kind::Order, ScanTarget::Match::TrackingNumber, **waybill);

    if (auto ean = domain::Ean::parse(code); ean) {
        auto product = first("scan ean", u"SELECT id FROM products WHERE ean = ? ORDER BY id"_qs, ean->code());
        if (!product)
            return product.error();
        if (*product)
            return found(ScanTarget::Kind::Product, ScanTarget::Match::Ean, **product);
    }
    auto sku = first("scan sku", u"SELECT id FROM products WHERE sku = ?"_qs, code);
    if (!sku)
        return sku.error();
    if (*sku)
        return found(ScanTarget::Kind::Product, ScanTarget::Match::Sku, **sku);

    auto external = first("scan external id", u"SELECT id FROM orders WHERE external_id = ? ORDER BY id DESC"_qs, code);
    if (!external)
        return external.error();
    if (*external)
        return found(ScanTarget::Kind::Order, ScanTarget::Match::ExternalId, **external);

    QString digits = code;
    if (digits.startsWith(u'#'))
        digits.remove(0, 1);
    bool numeric = false;
    const qint64 number = digits.toLongLong(&numeric);
    if (numeric && number > 0) {
        auto order = first("scan order id", u"SELECT id FROM orders WHERE id = ?"_qs, number);
        if (!order)
            return order.error();
        if (*order)
            return found(ScanTarget::Kind::Order, ScanTarget::Match::OrderId, **order);
    }
    return target;
}

Result<void> CodeClassifier::addCommand(const QString &code, qint64 ruleId)
{
    const QString text = code.trimmed();
    if (text.isEmpty())
        return makeError(Error::Code::Invalid, tr("A command barcode cannot be empty."));
    auto rule = automation::runSql(*m_db, u"SELECT id FROM rules WHERE id = ?"_qs, "command rule", {ruleId});
    if (!rule)
        return rule.error();
    if (!rule->next())
        return makeError(Error::Code::NotFound, tr("There is no rule %1.").arg(ruleId));
    auto existing = classify(text);
    if (!existing)
        return existing.error();
    if (existing->kind != ScanTarget::Kind::Unknown && existing->kind != ScanTarget::Kind::Command)
        return makeError(Error::Code::Conflict,
                         tr("The code %1 is already a %2; a command barcode must not open anything else.")
                             .arg(text, existing->describe()));
    if (auto r = automation::runSql(*m_db,
                                    u"INSERT INTO scan_commands (code, rule_id, created_at) VALUES (?, ?, ?) "
                                    "ON CONFLICT (code) DO UPDATE SET rule_id = excluded.rule_id"_qs,
                                    "add command barcode", {text, ruleId, QDateTime::currentMSecsSinceEpoch()});
        !r)
        return r.error();
    return {};
}

Result<void> CodeClassifier::removeCommand(const QString &code)
{
    if (auto r = automation::runSql(*m_db, u"DELETE FROM scan_commands WHERE code = ?"_qs, "remove command barcode",
                                    {code.trimmed()});
        !r)
        return r.error();
    return {};
}

Result<QList<ScanCommand>> CodeClassifier::commands()
{
    auto q = automation::runSql(
        *m_db,
        u"SELECT c.code, c.rule_id, r.name FROM scan_commands c JOIN rules r ON r.id = c.rule_id ORDER BY c.code"_qs,
        "list command barcodes");
    if (!q)
        return q.error();
    QList<ScanCommand> list;
    while (q->next())
        list.append({q->value(0).toString(), q->value(1).toLongLong(), q->value(2).toString()});
    return list;
}

} // namespace sd::scanning
