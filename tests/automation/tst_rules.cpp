#include "automation/catalog.h"
#include "automation/dryrun.h"
#include "automation/engine.h"
#include "automation/rule.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QSet>

using namespace sd;
using namespace sd::automation;

namespace {

const qint64 kNow = QDateTime(QDate(2026, 11, 25), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch();

domain::Order order()
{
    domain::Order o = test::sampleOrder(u"ext-1"_qs);
    o.id = 7;
    o.status = u"New"_qs;
    o.buyerComment = u"Proszę o fakturę, dzwonić przed"_qs;
    o.tags = {u"VIP"_qs, u"gabaryt"_qs};
    o.payment.finishedAt = QDateTime::fromMSecsSinceEpoch(kNow - 5 * 3600 * 1000, Qt::UTC);
    o.statusChangedAt = QDateTime::fromMSecsSinceEpoch(kNow - 50 * 3600 * 1000, Qt::UTC);
    o.shippedAt = QDateTime::fromMSecsSinceEpoch(kNow - 26 * 3600 * 1000, Qt::UTC);
    domain::LineItem cup;
    cup.name = u"Kubek"_qs;
    cup.sku = u"KB-2"_qs;
    cup.ean = u"5901234123457"_qs;
    cup.offerId = u"offer-9"_qs;
    cup.quantity = 5;
    cup.unitPrice = domain::Money(1000, u"PLN"_qs);
    o.items.append(cup);
    o.total = o.computedTotal(); // 2 x 49.99 + 5 x 10.00 + 12.99 delivery = 162.97
    return o;
}

Rule ruleWith(const QJsonObject &conditions)
{
    Rule rule;
    rule.name = u"test"_qs;
    rule.trigger = u"order.downloaded"_qs;
    auto parsed = Rule::fromJson(QJsonObject{
        {u"format"_qs, u"sellerdesk.rule/1"_qs},
        {u"name"_qs, u"test"_qs},
        {u"trigger"_qs, QJsonObject{{u"type"_qs, u"order.downloaded"_qs}}},
        {u"conditions"_qs, conditions},
        {u"actions"_qs,
         QJsonArray{QJsonObject{{u"type"_qs, u"addTag"_qs}, {u"params"_qs, QJsonObject{{u"tag"_qs, u"x"_qs}}}}}}});
    if (!parsed)
        qWarning() << parsed.error().userMessage;
    return parsed ? *parsed : rule;
}

QJsonObject cond(const char *field, const char *op, QJsonArray values = {})
{
    QJsonObject o{{u"field"_qs, QString::fromLatin1(field)}, {u"op"_qs, QString::fromLatin1(op)}};
    if (values.size() == 1)
        o.insert(u"value"_qs, values.at(0));
    else if (!values.isEmpty())
        o.insert(u"values"_qs, values);
    return o;
}

} // namespace

class TestRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void operators_data();
    void operators();
    void everyOperatorIsTested();
    void catalogLookupsFollowTheEnums();
    void schemaIsGeneratedFromTheCatalog();
    void jsonRoundTrip();
    void badRulesAreExplained_data();
    void badRulesAreExplained();
    void traceShowsEveryConditionAndWhy();
    void scopeLimitsTheRule();
    void plansAndPlaceholders();
    void dryRunInMemory();
    void sinceFieldsWithoutTheirTime();
};

void TestRules::operators_data()
{
    QTest::addColumn<QJsonObject>("condition");
    QTest::addColumn<bool>("expected");
    auto row = [](const char *name, const QJsonObject &c, bool expected) { QTest::newRow(name) << c << expected; };
    row("text eq (case-insensitive)", cond("deliveryMethod", "eq", {u"allegro kurier dpd"_qs}), true);
    row("text eq false", cond("deliveryMethod", "eq", {u"InPost"_qs}), false);
    row("text ne", cond("country", "ne", {u"DE"_qs}), true);
    row("text in", cond("country", "in", {u"DE"_qs, u"PL"_qs}), true);
    row("text in false", cond("country", "in", {u"DE"_qs, u"CZ"_qs}), false);
    row("text notIn", cond("country", "notIn", {u"DE"_qs, u"CZ"_qs}), true);
    row("text contains", cond("buyerComment", "contains", {u"FAKTURĘ"_qs}), true);
    row("text notContains", cond("buyerComment", "notContains", {u"pilne"_qs}), true);
    row("text startsWith", cond("buyerLogin", "startsWith", {u"ania"_qs}), true);
    row("text matches", cond("buyerEmail", "matches", {u"^[a-z]+@example\\.com$"_qs}), true);
    row("text matches false", cond("buyerEmail", "matches", {u"@gmail"_qs}), false);
    row("text isEmpty", cond("account", "isEmpty"), false);
    row("text notEmpty", cond("account", "notEmpty"), true);
    row("enum eq", cond("paymentStatus", "eq", {u"paid"_qs}), true);
    row("enum ne", cond("paymentStatus", "ne", {u"paid"_qs}), false);
    row("enum in", cond("paymentMethod", "in", {u"ONLINE"_qs, u"CASH_ON_DELIVERY"_qs}), true);
    row("enum notIn", cond("paymentMethod", "notIn", {u"CASH_ON_DELIVERY"_qs}), true);
    row("number eq", cond("lineCount", "eq", {2}), true);
    row("number ne", cond("lineCount", "ne", {2}), false);
    row("number lt", cond("quantity", "lt", {7}), false);
    row("number le", cond("quantity", "le", {7}), true);
    row("number gt", cond("quantity", "gt", {6}), true);
    row("number ge", cond("quantity", "ge", {8}), false);
    row("number between", cond("lineCount", "between", {1, 3}), true);
    row("number between outside", cond("lineCount", "between", {3, 9}), false);
    row("money gt decimal text", cond("total", "gt", {u"162.96"_qs}), true);
    row("money ge number", cond("total", "ge", {162.97}), true);
    row("money lt", cond("total", "lt", {100}), false);
    row("days since order", cond("daysSinceOrder", "ge", {5}), true);
    row("hours since payment", cond("hoursSincePayment", "eq", {5}), true);
    row("days since status change", cond("daysSinceStatusChange", "eq", {2}), true);
    row("hours since status change", cond("hoursSinceStatusChange", "between", {49, 51}), true);
    row("days since shipment", cond("daysSinceShipment", "ge", {2}), false);
    row("hours since shipment", cond("hoursSinceShipment", "eq", {26}), true);
    row("bool isTrue", cond("invoiceWanted", "isTrue"), false);
    row("bool isFalse", cond("nipGiven", "isFalse"), true);
    row("tags has", cond("tags", "has", {u"vip"_qs}), true);
    row("tags hasNot", cond("tags", "hasNot", {u"VIP"_qs}), false);
    row("tags hasAny", cond("tags", "hasAny", {u"x"_qs, u"gabaryt"_qs}), true);
    row("tags hasAll", cond("tags", "hasAll", {u"VIP"_qs, u"x"_qs}), false);
    row("tags isEmpty", cond("tags", "isEmpty"), false);
    row("tags notEmpty", cond("tags", "notEmpty"), true);
    const QJsonObject sku = cond("item.sku", "eq", {u"KB-2"_qs});
    row("items any", QJsonObject{{u"items"_qs, u"any"_qs}, {u"where"_qs, sku}}, true);
    row("items all", QJsonObject{{u"items"_qs, u"all"_qs}, {u"where"_qs, sku}}, false);
    row("items none", QJsonObject{{u"items"_qs, u"none"_qs}, {u"where"_qs, sku}}, false);
    row("items all quantity", QJsonObject{{u"items"_qs, u"all"_qs}, {u"where"_qs, cond("item.quantity", "ge", {2})}},
        true);
    row("items any price + ean",
        QJsonObject{{u"items"_qs, u"any"_qs},
                    {u"where"_qs, QJsonObject{{u"all"_qs, QJsonArray{cond("item.unitPrice", "lt", {u"20"_qs}),
                                                                     cond("item.ean", "startsWith", {u"590"_qs}),
                                                                     cond("item.offerId", "eq", {u"offer-9"_qs}),
                                                                     cond("item.name", "contains", {u"kub"_qs})}}}}},
        true);
    row("and", QJsonObject{{u"all"_qs, QJsonArray{cond("country", "eq", {u"PL"_qs}), cond("lineCount", "eq", {3})}}},
        false);
    row("or", QJsonObject{{u"any"_qs, QJsonArray{cond("country", "eq", {u"DE"_qs}), cond("lineCount", "eq", {2})}}},
        true);
    row("not", QJsonObject{{u"not"_qs, cond("country", "eq", {u"PL"_qs})}}, false);
    row("empty group matches", QJsonObject{{u"all"_qs, QJsonArray{}}}, true);
}

void TestRules::operators()
{
    QFETCH(QJsonObject, condition);
    QFETCH(bool, expected);
    const Rule rule = ruleWith(condition);
    QVERIFY2(!rule.actions.isEmpty(), "the rule did not parse");
    auto compiled = CompiledRule::compile(rule);
    SD_VERIFY_OK(compiled);
    const domain::Order o = order();
    QCOMPARE(compiled->matches(o, kNow), expected);
    // The traced path agrees with the fast one.
    QCOMPARE(compiled->trace(o, kNow).matched, expected);
}

void TestRules::everyOperatorIsTested()
{
    // Keeps operators_data honest: a new operator in the catalog needs a row above.
    QSet<QString> used;
    operators_data();
    const QStringList ops = {
        u"eq"_qs,      u"ne"_qs,      u"in"_qs,       u"notIn"_qs, u"contains"_qs, u"notContains"_qs, u"startsWith"_qs,
        u"matches"_qs, u"isEmpty"_qs, u"notEmpty"_qs, u"lt"_qs,    u"le"_qs,       u"gt"_qs,          u"ge"_qs,
        u"between"_qs, u"isTrue"_qs,  u"isFalse"_qs,  u"has"_qs,   u"hasNot"_qs,   u"hasAny"_qs,      u"hasAll"_qs};
    QStringList catalogOps;
    for (const OperatorDef &op : Catalog::instance().operators())
        catalogOps.append(QString::fromLatin1(op.key));
    QCOMPARE(catalogOps, ops);
}

void TestRules::catalogLookupsFollowTheEnums()
{
    const Catalog &c = Catalog::instance();
    for (int i = 0; i < c.fields().size(); ++i)
        QCOMPARE(int(c.fields().at(i).id), i);
    for (int i = 0; i < c.operators().size(); ++i)
        QCOMPARE(int(c.operators().at(i).op), i);
    for (const FieldDef &f : c.fields()) {
        bool someOperator = false;
        for (const OperatorDef &op : c.operators())
            someOperator = someOperator || op.types.contains(f.type);
        QVERIFY2(someOperator, f.key);
    }
}

void TestRules::schemaIsGeneratedFromTheCatalog()
{
    const QJsonObject schema = Catalog::instance().jsonSchema();
    const QJsonObject defs = schema.value(u"$defs").toObject();
    const QByteArray text = QJsonDocument(schema).toJson(QJsonDocument::Compact);
    for (const FieldDef &f : Catalog::instance().fields())
        QVERIFY2(text.contains(QByteArray(QByteArray("\"") + f.key + "\"")), f.key);
    QStringList triggers;
    for (const QJsonValue &v :
         schema.value(u"properties").toObject().value(u"trigger").toObject().value(u"oneOf").toArray())
        triggers.append(
            v.toObject().value(u"properties").toObject().value(u"type").toObject().value(u"const").toString());
    QCOMPARE(triggers.size(), Catalog::instance().triggers().size());
    for (const TriggerDef &t : Catalog::instance().triggers())
        QVERIFY(triggers.contains(QString::fromLatin1(t.key)));
    QStringList actions;
    for (const QJsonValue &v : defs.value(u"action").toObject().value(u"oneOf").toArray())
        actions.append(
            v.toObject().value(u"properties").toObject().value(u"type").toObject().value(u"const").toString());
    QCOMPARE(actions.size(), Catalog::instance().actions().size());
    for (const ActionDef &a : Catalog::instance().actions())
        QVERIFY(actions.contains(QString::fromLatin1(a.key)));
    // setStatus requires its status parameter in the schema too.
    for (const QJsonValue &v : defs.value(u"action").toObject().value(u"oneOf").toArray()) {
        const QJsonObject props = v.toObject().value(u"properties").toObject();
        if (props.value(u"type").toObject().value(u"const").toString() == u"setStatus")
            QCOMPARE(props.value(u"params").toObject().value(u"required").toArray(), QJsonArray{u"status"_qs});
    }
}

void TestRules::jsonRoundTrip()
{
    const QByteArray text = R"({
      "format": "sellerdesk.rule/1", "name": "COD to ship", "group": "payments", "description": "d",
      "owner": "anna", "enabled": false, "limitPerOrder": 1,
      "scope": {"accounts": ["shop-a"], "couriers": ["InPost"]},
      "trigger": {"type": "status.changed", "params": {"to": "New"}},
      "conditions": {"all": [{"field": "paymentMethod", "op": "eq", "value": "CASH_ON_DELIVERY"},
                             {"not": {"field": "tags", "op": "has", "value": "hold"}},
                             {"items": "none", "where": {"field": "item.sku", "op": "startsWith", "value": "GAB"}}]},
      "actions": [{"type": "setStatus", "params": {"status": "To ship", "informCustomer": true},
                   "delayMinutes": 5, "stopOnFailure": true,
                   "onFailure": [{"type": "notifyOperator", "params": {"message": "failed"}}]},
                  {"type": "callUrl", "params": {"url": "https:\/\/example.com/{orderId}", "method": "POST"}}]
    })";
    auto rule = Rule::fromText(text);
    SD_VERIFY_OK(rule);
    QCOMPARE(rule->enabled, false);
    QCOMPARE(rule->couriers, QStringList{u"InPost"_qs});
    QCOMPARE(rule->actions.at(0).delayMinutes, 5);
    QCOMPARE(rule->actions.at(0).onFailure.size(), 1);
    QCOMPARE(rule->conditions.children.size(), 3);
    auto again = Rule::fromJson(rule->toJson());
    SD_VERIFY_OK(again);
    QCOMPARE(*again, *rule);
    QCOMPARE(again->toJson(), rule->toJson());
}

void TestRules::badRulesAreExplained_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("expected");
    const QByteArray head = R"("format": "sellerdesk.rule/1", "name": "r", "trigger": {"type": "order.downloaded"}, )";
    const QByteArray okAction = R"("actions": [{"type": "addTag", "params": {"tag": "a"}}])";
    QTest::newRow("not json") << QByteArray("{") << QStringList{u"not valid JSON"_qs};
    QTest::newRow("unknown field") << ("{" + head +
                                       R"("conditions": {"all": [{"field": "colour", "op": "eq", "value": "red"}]}, )" +
                                       okAction + "}")
                                   << QStringList{u"conditions.all[0]: unknown field \"colour\""_qs};
    QTest::newRow("operator for another type")
        << ("{" + head + R"("conditions": {"field": "country", "op": "gt", "value": 3}, )" + okAction + "}")
        << QStringList{u"conditions: the operator \"gt\" does not apply to Delivery country (text)"_qs};
    QTest::newRow("enum value") << ("{" + head +
                                    R"("conditions": {"field": "paymentStatus", "op": "eq", "value": "PAID!"}, )" +
                                    okAction + "}")
                                << QStringList{u"conditions.value: Payment status must be one of: unpaid, paid"_qs};
    QTest::newRow("between needs two") << ("{" + head +
                                           R"("conditions": {"field": "total", "op": "between", "values": [1]}, )" +
                                           okAction + "}")
                                       << QStringList{u"needs two values"_qs};
    // Found by fuzz_rule: a number beyond 64 bits is refused (its conversion used to be undefined behaviour).
    QTest::newRow("number beyond 64 bits")
        << ("{" + head + R"("conditions": {"field": "lineCount", "op": "gt", "value": 8.8e119}, )" + okAction + "}")
        << QStringList{u"conditions.value: Number of line items needs a whole number"_qs};
    QTest::newRow("item field outside items")
        << ("{" + head + R"("conditions": {"field": "item.sku", "op": "eq", "value": "A"}, )" + okAction + "}")
        << QStringList{u"is a line item field"_qs};
    QTest::newRow("bad pattern") << ("{" + head +
                                     R"("conditions": {"field": "buyerComment", "op": "matches", "value": "("}, )" +
                                     okAction + "}")
                                 << QStringList{u"the pattern is not valid"_qs};
    QTest::newRow("unknown action and missing param")
        << ("{" + head + R"("actions": [{"type": "fly"}, {"type": "setStatus"}]})")
        << QStringList{u"actions[0]: unknown action \"fly\""_qs, u"actions[1].params.status: Status is required"_qs};
    QTest::newRow("no actions, bad trigger param")
        << QByteArray(
               R"({"format": "sellerdesk.rule/1", "name": "r", "trigger": {"type": "time.after", "params": {"minutes": 0}}, "actions": []})")
        << QStringList{u"trigger.params.minutes: Time after must be a whole number from 1 to 525600"_qs,
                       u"actions: a rule needs at least one action"_qs};
    QTest::newRow("url scheme")
        << ("{" + head + R"("actions": [{"type": "callUrl", "params": {"url": "ftp:\/\/x", "method": "PUT"}}]})")
        << QStringList{u"must start with http:// or https://"_qs, u"Method must be one of: GET, POST"_qs};
    QTest::newRow("unknown key and format")
        << QByteArray(
               R"({"format": "x", "name": "r", "colour": 1, "trigger": {"type": "manual"}, "actions": [{"type": "issueReceipt"}]})")
        << QStringList{u"format: must be \"sellerdesk.rule/1\""_qs, u"rule: unknown key \"colour\""_qs};
}

void TestRules::badRulesAreExplained()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, expected);
    auto rule = Rule::fromText(text);
    QVERIFY(!rule.ok());
    QCOMPARE(rule.error().code, Error::Code::Invalid);
    for (const QString &part : expected)
        QVERIFY2(rule.error().userMessage.contains(part), qPrintable(rule.error().userMessage));
}

void TestRules::traceShowsEveryConditionAndWhy()
{
    const Rule rule = ruleWith(QJsonObject{
        {u"all"_qs,
         QJsonArray{cond("paymentMethod", "eq", {u"CASH_ON_DELIVERY"_qs}), cond("country", "eq", {u"PL"_qs}),
                    QJsonObject{{u"items"_qs, u"any"_qs}, {u"where"_qs, cond("item.quantity", "ge", {5})}}}}});
    auto compiled = CompiledRule::compile(rule);
    SD_VERIFY_OK(compiled);
    const Trace trace = compiled->trace(order(), kNow);
    QVERIFY(!trace.matched);
    QCOMPARE(trace.conditions.size(), 5); // two tests, one per line item, the items group
    QCOMPARE(trace.conditions.at(0).path, u"conditions.all[0]"_qs);
    QCOMPARE(trace.conditions.at(0).actual, u"ONLINE"_qs);
    QCOMPARE(trace.conditions.at(0).result, false);
    QCOMPARE(trace.conditions.at(1).actual, u"PL"_qs);
    QCOMPARE(trace.conditions.at(1).result, true);
    QCOMPARE(trace.conditions.at(2).path, u"conditions.all[2].where @line 1"_qs);
    QCOMPARE(trace.conditions.at(2).actual, u"2"_qs);
    QCOMPARE(trace.conditions.at(3).actual, u"5"_qs);
    QCOMPARE(trace.conditions.at(3).result, true);
    QCOMPARE(trace.conditions.at(4).actual, u"1 of 2 lines match"_qs);
    QVERIFY2(trace.reason.contains(u"conditions.all[0]"), qPrintable(trace.reason));
    QVERIFY(!trace.reason.contains(u"conditions.all[1]"));
    const QJsonObject json = trace.toJson();
    QCOMPARE(json.value(u"conditions").toArray().size(), 5);
    QCOMPARE(json.value(u"conditions").toArray().at(0).toObject().value(u"expected").toArray(),
             QJsonArray{u"CASH_ON_DELIVERY"_qs});
}

void TestRules::scopeLimitsTheRule()
{
    Rule rule = ruleWith(QJsonObject{{u"all"_qs, QJsonArray{}}});
    rule.accounts = {u"other-seller"_qs};
    auto compiled = CompiledRule::compile(rule);
    SD_VERIFY_OK(compiled);
    QVERIFY(!compiled->matches(order(), kNow));
    QVERIFY(compiled->trace(order(), kNow).reason.contains(u"scope"));
    rule.accounts = {u"test-seller"_qs};
    rule.couriers = {u"Allegro Kurier DPD"_qs};
    QVERIFY(CompiledRule::compile(rule)->matches(order(), kNow));
}

void TestRules::plansAndPlaceholders()
{
    domain::Order o = order();
    o.externalId = u"a b/ć"_qs;
    Action call{
        u"callUrl"_qs,
        {{u"url"_qs,
          u"https://hooks.example/o?id={orderId}&ext={orderIdExternal}&s={orderStatus}&p={paymentStatus}&m={paymentMethod}&c={salesChannel}&d={orderDate}"_qs}},
        0,
        false,
        {}};
    const QJsonObject plan = planAction(call, o);
    QCOMPARE(
        plan.value(u"url").toString(),
        u"https://hooks.example/o?id=7&ext=a%20b%2F%C4%87&s=New&p=paid&m=ONLINE&c=allegro-pl&d=2026-11-20T10%3A00%3A00Z"_qs);
    QCOMPARE(plan.value(u"method").toString(), u"GET"_qs);
    const QJsonObject status = planAction({u"setStatus"_qs, {{u"status"_qs, u"To ship"_qs}}, 0, false, {}}, o);
    QCOMPARE(status.value(u"plan").toString(), u"status \"New\" -> \"To ship\""_qs);
    const QJsonObject invoice = planAction({u"issueInvoice"_qs, {{u"series"_qs, u"FV/B2B"_qs}}, 0, false, {}}, o);
    QCOMPARE(invoice.value(u"configured").toBool(), true);
    QCOMPARE(invoice.value(u"series").toString(), u"FV/B2B"_qs);
    QCOMPARE(invoice.value(u"plan").toString(), u"an invoice is issued (series FV/B2B)"_qs);
    const QJsonObject claim = planAction({u"autoresponder"_qs, {{u"template"_qs, u"t"_qs}}, 0, false, {}}, o);
    QCOMPARE(claim.value(u"configured").toBool(), true); // the autoresponder action has its executor now
    QVERIFY(!claim.value(u"plan").toString().startsWith(u"not configured"));
}

void TestRules::dryRunInMemory()
{
    auto a = CompiledRule::compile(ruleWith(cond("country", "eq", {u"PL"_qs})));
    auto b = CompiledRule::compile(ruleWith(cond("country", "eq", {u"DE"_qs})));
    SD_VERIFY_OK(a);
    SD_VERIFY_OK(b);
    const DryRunReport report = dryRunOrders({*a, *b}, {order(), order()}, kNow, false);
    QCOMPARE(report.orders, 2);
    QCOMPARE(report.matches, 2);
    QCOMPARE(report.results.size(), 2);
    QCOMPARE(report.results.at(0).toObject().value(u"rules").toArray().size(), 1);
}

void TestRules::sinceFieldsWithoutTheirTime()
{
    // An order never changed since it came has had its status since then; one never shipped has no "since".
    domain::Order o = order();
    o.statusChangedAt = {};
    o.shippedAt = {};
    const qint64 created = o.createdAt.toMSecsSinceEpoch();
    QCOMPARE(fieldText(FieldId::DaysSinceStatusChange, o, nullptr, kNow),
             QString::number((kNow - created) / (24 * 3600 * 1000)));
    QCOMPARE(fieldText(FieldId::HoursSinceShipment, o, nullptr, kNow), u"-1"_qs);
    auto compiled = CompiledRule::compile(ruleWith(cond("daysSinceShipment", "ge", {0})));
    SD_VERIFY_OK(compiled);
    QVERIFY(!compiled->matches(o, kNow));
}

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"
