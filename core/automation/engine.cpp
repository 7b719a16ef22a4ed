#include "automation/engine.h"

#include "automation/stocklevels.h"

#include <QCoreApplication>
#include <QUrl>

#include <cmath>

namespace sd::automation {

namespace {

constexpr qint64 kDayMs = 24 * 3600 * 1000;
constexpr qint64 kHourMs = 3600 * 1000;

qint64 minorOf(const QJsonValue &v)
{
    if (v.isDouble())
        return std::llround(v.toDouble() * 100.0);
    auto money = domain::Money::parse(v.toString(), u"PLN"_qs);
    return money ? money->minor() : 0;
}

bool textEquals(const QString &a, const QString &b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

bool nipGiven(const domain::Order &order)
{
    return !order.invoice.nip.trimmed().isEmpty() || !order.buyer.nip.trimmed().isEmpty();
}

const QString &textField(FieldId field, const domain::Order &o, const domain::LineItem *item)
{
    static const QString empty;
    switch (field) {
    case FieldId::Marketplace:
        return o.marketplace;
    case FieldId::Account:
        return o.account;
    case FieldId::Status:
        return o.status;
    case FieldId::MarketplaceStatus:
        return o.marketplaceStatus;
    case FieldId::FulfillmentStatus:
        return o.fulfillmentStatus;
    case FieldId::PaymentMethod:
        return o.payment.method;
    case FieldId::Country:
        return o.delivery.address.countryCode;
    case FieldId::Currency:
        return o.total.currency();
    case FieldId::BuyerComment:
        return o.buyerComment;
    case FieldId::BuyerLogin:
        return o.buyer.login;
    case FieldId::BuyerEmail:
        return o.buyer.email;
    case FieldId::DeliveryMethod:
        return o.delivery.methodName;
    case FieldId::ItemSku:
        return item ? item->sku : empty;
    case FieldId::ItemEan:
        return item ? item->ean : empty;
    case FieldId::ItemOfferId:
        return item ? item->offerId : empty;
    case FieldId::ItemName:
        return item ? item->name : empty;
    default:
        return empty;
    }
}

// An order whose status never changed has had it since it was made.
qint64 sinceStatusChange(const domain::Order &o, qint64 nowMs)
{
    const QDateTime &since = o.statusChangedAt.isValid() ? o.statusChangedAt : o.createdAt;
    return since.isValid() ? nowMs - since.toMSecsSinceEpoch() : 0;
}

qint64 numberField(FieldId field, const domain::Order &o, const domain::LineItem *item, qint64 nowMs)
{
    switch (field) {
    case FieldId::LineCount:
        return o.items.size();
    case FieldId::Quantity:
        return o.itemCount();
    case FieldId::Total:
        return o.total.minor();
    case FieldId::DaysSinceOrder:
        return o.createdAt.isValid() ? (nowMs - o.createdAt.toMSecsSinceEpoch()) / kDayMs : 0;
    case FieldId::HoursSincePayment:
        return o.payment.finishedAt.isValid() ? (nowMs - o.payment.finishedAt.toMSecsSinceEpoch()) / kHourMs : -1;
    case FieldId::DaysSinceStatusChange:
        return sinceStatusChange(o, nowMs) / kDayMs;
    case FieldId::HoursSinceStatusChange:
        return sinceStatusChange(o, nowMs) / kHourMs;
    case FieldId::DaysSinceShipment:
        return o.shippedAt.isValid() ? (nowMs - o.shippedAt.toMSecsSinceEpoch()) / kDayMs : -1;
    case FieldId::HoursSinceShipment:
        return o.shippedAt.isValid() ? (nowMs - o.shippedAt.toMSecsSinceEpoch()) / kHourMs : -1;
    case FieldId::ItemQuantity:
        return item ? item->quantity : 0;
    case FieldId::ItemUnitPrice:
        return item ? item->unitPrice.minor() : 0;
    case FieldId::ItemStock:
        return item ? StockScope::of(item->sku) : -1;
    default:
        return 0;
    }
}

bool boolField(FieldId field, const domain::Order &o)
{
    return field == FieldId::InvoiceWanted ? o.invoice.wanted : nipGiven(o);
}

QString moneyText(qint64 minor)
{
    return QString::number(minor / 100) + u'.' + QString::number(std::llabs(minor % 100)).rightJustified(2, u'0');
}

} // namespace

QString fieldText(FieldId field, const domain::Order &order, const domain::LineItem *item, qint64 nowMs)
{
    switch (Catalog::instance().field(field).type) {
    case FieldType::Text:
        return textField(field, order, item);
    case FieldType::Enum:
        return field == FieldId::PaymentStatus ? domain::paymentStatusKey(order.payment.status)
                                               : textField(field, order, item);
    case FieldType::Number:
        return QString::number(numberField(field, order, item, nowMs));
    case FieldType::Money:
        return moneyText(numberField(field, order, item, nowMs));
    case FieldType::Bool:
        return boolField(field, order) ? QCoreApplication::translate("sd::automation::Engine", "yes")
                                       : QCoreApplication::translate("sd::automation::Engine", "no");
    case FieldType::Tags:
        return order.tags.join(u", ");
    }
    return {};
}

QJsonObject Trace::toJson() const
{
    QJsonArray list;
    for (const TraceEntry &e : conditions)
        list.append(QJsonObject{{u"path"_qs, e.path},
                                {u"field"_qs, e.field},
                                {u"op"_qs, e.op},
                                {u"expected"_qs, e.expected},
                                {u"actual"_qs, e.actual},
                                {u"result"_qs, e.result}});
    return {{u"matched"_qs, matched}, {u"reason"_qs, reason}, {u"conditions"_qs, list}};
}

Result<CompiledRule> CompiledRule::compile(Rule rule)
{
    const QStringList problems = rule.problems();
    if (!problems.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::automation::Rule", "The rule \"%1\" is not valid: %2")
                             .arg(rule.name, problems.join(u"; ")));
    CompiledRule compiled;
    compiled.m_rule = std::move(rule);
    compiled.add(compiled.m_rule.conditions, u"conditions"_qs);
    return compiled;
}

int CompiledRule::add(const Condition &c, const QString &path)
{
    const int index = int(m_nodes.size());
    m_nodes.emplace_back();
    Node node;
    node.kind = c.kind;
    node.quantifier = c.quantifier;
    node.path = path;
    std::vector<int> children;
    switch (c.kind) {
    case Condition::Kind::All:
    case Condition::Kind::Any: {
        const QString key = c.kind == Condition::Kind::All ? u"all"_qs : u"any"_qs;
        for (qsizetype i = 0; i < c.children.size(); ++i)
            children.push_back(add(c.children.at(i), u"%1.%2[%3]"_qs.arg(path, key).arg(i)));
        break;
    }
    case Condition::Kind::Not:
        children.push_back(add(c.children.constFirst(), path + u".not"_qs));
        break;
    case Condition::Kind::Items:
        children.push_back(add(c.children.constFirst(), path + u".where"_qs));
        break;
    case Condition::Kind::Test: {
        const FieldDef &field = *Catalog::instance().field(c.field);
        node.field = field.id;
        node.op = Catalog::instance().op(c.op)->op;
        node.fieldKey = c.field;
        node.opKey = c.op;
        node.values = c.values;
        const bool numeric = field.type == FieldType::Number || field.type == FieldType::Money;
        auto number = [&](const QJsonValue &v) {
            return field.type == FieldType::Money ? minorOf(v) : qint64(v.toDouble());
        };
        if (!c.values.isEmpty()) {
            if (numeric) {
                node.a = number(c.values.at(0));
                if (c.values.size() > 1)
                    node.b = number(c.values.at(1));
            } else {
                node.text = c.values.at(0).toString();
            }
            for (const QJsonValue &v : c.values)
                node.list.append(v.toString());
        }
        if (node.op == Op::Matches)
            node.pattern = QRegularExpression(node.text, QRegularExpression::CaseInsensitiveOption |
                                                             QRegularExpression::UseUnicodePropertiesOption);
        break;
    }
    }
    node.children = std::move(children);
    m_nodes[index] = std::move(node);
    return index;
}

bool CompiledRule::inScope(const domain::Order &order) const
{
    if (!m_rule.accounts.isEmpty() && !m_rule.accounts.contains(order.account))
        return false;
    if (!m_rule.couriers.isEmpty() && !m_rule.couriers.contains(order.delivery.methodName) &&
        !m_rule.couriers.contains(order.delivery.methodId))
        return false;
    return true;
}

bool CompiledRule::test(const Node &n, const domain::Order &order, const domain::LineItem *item, qint64 nowMs) const
{
    const FieldDef &field = Catalog::instance().field(n.field);
    switch (field.type) {
    case FieldType::Bool: {
        const bool value = boolField(n.field, order);
        return n.op == Op::IsTrue ? value : !value;
    }
    case FieldType::Number:
    case FieldType::Money: {
        const qint64 v = numberField(n.field, order, item, nowMs);
        switch (n.op) {
        case Op::Eq:
            return v == n.a;
        case Op::Ne:
            return v != n.a;
        case Op::Lt:
            return v < n.a;
        case Op::Le:
            return v <= n.a;
        case Op::Gt:
            return v > n.a;
        case Op::Ge:
            return v >= n.a;
        case Op::Between:
            return v >= n.a && v <= n.b;
        default:
            return false;
        }
    }
    case FieldType::Tags: {
        const QStringList &tags = order.tags;
        switch (n.op) {
        case Op::IsEmpty:
            return tags.isEmpty();
        case Op::NotEmpty:
            return !tags.isEmpty();
        case Op::Has:
            return tags.contains(n.text, Qt::CaseInsensitive);
        case Op::HasNot:
            return !tags.contains(n.text, Qt::CaseInsensitive);
        case Op::HasAny:
            for (const QString &t : n.list)
                if (tags.contains(t, Qt::CaseInsensitive))
                    return true;
            return false;
        case Op::HasAll:
            for (const QString &t : n.list)
                if (!tags.contains(t, Qt::CaseInsensitive))
                    return false;
            return true;
        default:
            return false;
        }
    }
    case FieldType::Enum:
        if (n.field == FieldId::PaymentStatus) {
            const QString key = domain::paymentStatusKey(order.payment.status);
            switch (n.op) {
            case Op::Eq:
                return key == n.text;
            case Op::Ne:
                return key != n.text;
            case Op::In:
                return n.list.contains(key);
            case Op::NotIn:
                return !n.list.contains(key);
            default:
                return false;
            }
        }
        [[fallthrough]];
    case FieldType::Text: {
        const QString &v = textField(n.field, order, item);
        switch (n.op) {
        case Op::Eq:
            return textEquals(v, n.text);
        case Op::Ne:
            return !textEquals(v, n.text);
        case Op::In:
            for (const QString &t : n.list)
                if (textEquals(v, t))
                    return true;
            return false;
        case Op::NotIn:
            for (const QString &t : n.list)
                if (textEquals(v, t))
                    return false;
            return true;
        case Op::Contains:
            return v.contains(n.text, Qt::CaseInsensitive);
        case Op::NotContains:
            return !v.contains(n.text, Qt::CaseInsensitive);
        case Op::StartsWith:
            return v.startsWith(n.text, Qt::CaseInsensitive);
        case Op::Matches:
            return n.pattern.match(v).hasMatch();
        case Op::IsEmpty:
            return v.trimmed().isEmpty();
        case Op::NotEmpty:
            return !v.trimmed().isEmpty();
        default:
            return false;
        }
    }
    }
    return false;
}

bool CompiledRule::eval(int index, const domain::Order &order, const domain::LineItem *item, qint64 nowMs) const
{
    const Node &n = m_nodes[size_t(index)];
    switch (n.kind) {
    case Condition::Kind::All:
        for (int child : n.children)
            if (!eval(child, order, item, nowMs))
                return false;
        return true;
    case Condition::Kind::Any:
        for (int child : n.children)
            if (eval(child, order, item, nowMs))
                return true;
        return n.children.empty();
    case Condition::Kind::Not:
        return !eval(n.children.front(), order, item, nowMs);
    case Condition::Kind::Items: {
        const int where = n.children.front();
        switch (n.quantifier) {
        case Condition::Quantifier::Any:
            for (const domain::LineItem &line : order.items)
                if (eval(where, order, &line, nowMs))
                    return true;
            return false;
        case Condition::Quantifier::All:
            for (const domain::LineItem &line : order.items)
                if (!eval(where, order, &line, nowMs))
                    return false;
            return !order.items.isEmpty();
        case Condition::Quantifier::None:
            for (const domain::LineItem &line : order.items)
                if (eval(where, order, &line, nowMs))
                    return false;
            return true;
        }
        return false;
    }
    case Condition::Kind::Test:
        return test(n, order, item, nowMs);
    }
    return false;
}

bool CompiledRule::matches(const domain::Order &order, qint64 nowMs) const
{
    return inScope(order) && eval(0, order, nullptr, nowMs);
}

// Evaluates every child (no short cut), so the trace shows each condition's value.
bool CompiledRule::evalTraced(int index, const domain::Order &order, const domain::LineItem *item, qint64 nowMs,
                              const QString &suffix, QList<TraceEntry> &out) const
{
    const Node &n = m_nodes[size_t(index)];
    switch (n.kind) {
    case Condition::Kind::All: {
        bool all = true;
        for (int child : n.children)
            all = evalTraced(child, order, item, nowMs, suffix, out) && all;
        return all;
    }
    case Condition::Kind::Any: {
        bool any = n.children.empty();
        for (int child : n.children)
            any = evalTraced(child, order, item, nowMs, suffix, out) || any;
        return any;
    }
    case Condition::Kind::Not:
        return !evalTraced(n.children.front(), order, item, nowMs, suffix, out);
    case Condition::Kind::Items: {
        int hits = 0;
        for (qsizetype i = 0; i < order.items.size(); ++i)
            if (evalTraced(n.children.front(), order, &order.items.at(i), nowMs, u" @line %1"_qs.arg(i + 1), out))
                ++hits;
        bool result = false;
        switch (n.quantifier) {
        case Condition::Quantifier::Any:
            result = hits > 0;
            break;
        case Condition::Quantifier::All:
            result = !order.items.isEmpty() && hits == order.items.size();
            break;
        case Condition::Quantifier::None:
            result = hits == 0;
            break;
        }
        TraceEntry e;
        e.path = n.path;
        e.field = u"items"_qs;
        e.op = n.quantifier == Condition::Quantifier::Any   ? u"any"_qs
               : n.quantifier == Condition::Quantifier::All ? u"all"_qs
                                                            : u"none"_qs;
        e.actual = QCoreApplication::translate("sd::automation::Engine", "%1 of %2 lines match")
                       .arg(hits)
                       .arg(order.items.size());
        e.result = result;
        out.append(e);
        return result;
    }
    case Condition::Kind::Test: {
        TraceEntry e;
        e.path = n.path + suffix;
        e.field = n.fieldKey;
        e.op = n.opKey;
        e.expected = n.values;
        e.actual = fieldText(n.field, order, item, nowMs);
        e.result = test(n, order, item, nowMs);
        out.append(e);
        return e.result;
    }
    }
    return false;
}

Trace CompiledRule::trace(const domain::Order &order, qint64 nowMs) const
{
    Trace t;
    if (!inScope(order)) {
        t.reason = QCoreApplication::translate(
            "sd::automation::Engine", "Not fired: the order's account or courier is outside the rule's scope.");
        return t;
    }
    t.matched = evalTraced(0, order, nullptr, nowMs, {}, t.conditions);
    if (t.matched) {
        t.reason = QCoreApplication::translate("sd::automation::Engine", "Fired: every condition holds.");
    } else {
        QStringList failed;
        for (const TraceEntry &e : t.conditions)
            if (!e.result)
                failed.append(e.path);
        t.reason = QCoreApplication::translate("sd::automation::Engine", "Not fired: these conditions do not hold: %1.")
                       .arg(failed.join(u", "));
    }
    return t;
}

QString expandPlaceholders(const QString &url, const domain::Order &order)
{
    const QList<QPair<QString, QString>> values = {
        {u"{orderId}"_qs, QString::number(order.id)},
        {u"{orderIdExternal}"_qs, order.externalId},
        {u"{orderDate}"_qs, order.createdAt.toUTC().toString(Qt::ISODate)},
        {u"{salesChannel}"_qs, order.marketplace},
        {u"{orderStatus}"_qs, order.status},
        {u"{paymentStatus}"_qs, domain::paymentStatusKey(order.payment.status)},
        {u"{paymentMethod}"_qs, order.payment.method},
    };
    QString result = url;
    for (const auto &[name, value] : values)
        result.replace(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    return result;
}

QJsonObject planAction(const Action &action, const domain::Order &order)
{
    const ActionDef *def = Catalog::instance().action(action.type);
    QJsonObject plan{{u"action"_qs, action.type}};
    if (!def)
        return plan;
    plan.insert(u"label"_qs, Catalog::label(def->label));
    plan.insert(u"configured"_qs, def->configured);
    if (action.delayMinutes > 0)
        plan.insert(u"delayMinutes"_qs, action.delayMinutes);
    auto param = [&](const char *key) { return Rule::param(action.params, def->params, key); };
    QString text;
    if (action.type == u"setStatus") {
        const QString to = param("status").toString();
        plan.insert(u"status"_qs, to);
        plan.insert(u"informCustomer"_qs, param("informCustomer").toBool());
        text = order.status == to ? QCoreApplication::translate("sd::automation::Engine", "status stays \"%1\"").arg(to)
                                  : QCoreApplication::translate("sd::automation::Engine", "status \"%1\" -> \"%2\"")
                                        .arg(order.status, to);
        if (param("informCustomer").toBool())
            text += u", "_qs + QCoreApplication::translate("sd::automation::Engine", "the customer is informed");
    } else if (action.type == u"addTag" || action.type == u"removeTag") {
        const QString tag = param("tag").toString();
        plan.insert(u"tag"_qs, tag);
        const bool add = action.type == u"addTag";
        const bool has = order.tags.contains(tag, Qt::CaseInsensitive);
        text =
            add ? (has ? QCoreApplication::translate("sd::automation::Engine", "tag \"%1\" is there already").arg(tag)
                       : QCoreApplication::translate("sd::automation::Engine", "tag \"%1\" is added").arg(tag))
                : (has ? QCoreApplication::translate("sd::automation::Engine", "tag \"%1\" is removed").arg(tag)
                       : QCoreApplication::translate("sd::automation::Engine", "tag \"%1\" is not there").arg(tag));
    } else if (action.type == u"callUrl") {
        const QString url = expandPlaceholders(param("url").toString(), order);
        const QString method = param("method").toString();
        plan.insert(u"url"_qs, url);
        plan.insert(u"method"_qs, method);
        text = QCoreApplication::translate("sd::automation::Engine", "%1 %2").arg(method, url);
    } else if (action.type == u"runRule") {
        plan.insert(u"rule"_qs, param("rule").toInteger());
        text = QCoreApplication::translate("sd::automation::Engine", "runs rule %1").arg(param("rule").toInteger());
    } else if (action.type == u"notifyOperator") {
        text = QCoreApplication::translate("sd::automation::Engine", "operator is told: %1")
                   .arg(param("message").toString());
    } else if (action.type == u"markShipped") {
        text = QCoreApplication::translate("sd::automation::Engine",
                                           "marked as sent on the marketplace with %n tracking number(s)", nullptr,
                                           int(order.shipments.size()));
    } else if (action.type == u"refundPayment") {
        plan.insert(u"amount"_qs, order.payment.paidAmount.toDecimalString());
        text = QCoreApplication::translate("sd::automation::Engine", "the payment of %1 is refunded")
                   .arg(order.payment.paidAmount.toDisplayString());
    } else if (action.type == u"commissionClaim") {
        text =
            QCoreApplication::translate("sd::automation::Engine", "the commission is claimed back for %n line item(s)",
                                        nullptr, int(order.items.size()));
    } else if (action.type == u"issueInvoice") {
        const QString series = param("series").toString();
        if (!series.isEmpty())
            plan.insert(u"series"_qs, series);
        text =
            series.isEmpty()
                ? QCoreApplication::translate("sd::automation::Engine", "an invoice is issued")
                : QCoreApplication::translate("sd::automation::Engine", "an invoice is issued (series %1)").arg(series);
    } else if (!def->configured) {
        text = QCoreApplication::translate("sd::automation::Engine", "not configured: %1 arrives with a later version")
                   .arg(Catalog::label(def->label));
    }
    plan.insert(u"plan"_qs, text);
    return plan;
}

} // namespace sd::automation
