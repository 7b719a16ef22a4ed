#include "automation/engine.h"
#include "automation/ruleinsights.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "durationpicker.h"
#include "executionlog.h"
#include "marketplace/accountstore.h"
#include "orderautomation.h"
#include "ruleeditor.h"
#include "rulelistmodel.h"
#include "rulescopeeditor.h"
#include "rulespage.h"
#include "ruletemplates.h"
#include "ruletestpanel.h"
#include "ruleversions.h"
#include "storage/orderstore.h"
#include "storage/sqlquery.h"
#include "testsupport.h"
#include "util/translations.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDropEvent>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QScopeGuard>
#include <QSpinBox>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QUndoStack>

using namespace sd;
using automation::Action;
using automation::Condition;
using automation::Rule;
using Path = ui::RuleEditor::Path;

namespace {

Rule newRule(const QString &name, const QString &trigger)
{
    Rule rule;
    rule.name = name;
    rule.trigger = trigger;
    return rule;
}

Condition testOf(const QString &field, const QString &op, const QJsonArray &values = {})
{
    Condition c;
    c.kind = Condition::Kind::Test;
    c.field = field;
    c.op = op;
    c.values = values;
    return c;
}

Condition groupOf(Condition::Kind kind, const QList<Condition> &children = {})
{
    Condition c;
    c.kind = kind;
    c.children = children;
    return c;
}

Action actionOf(const QString &type, const QJsonObject &params)
{
    Action a;
    a.type = type;
    a.params = params;
    return a;
}

Rule parse(const QByteArray &json)
{
    auto rule = Rule::fromText(json);
    if (!rule)
        qFatal("%s", qPrintable(rule.error().text()));
    return *rule;
}

// Every row of the tables a dry run must not touch, as text.
QString snapshot(storage::Database &db)
{
    QString out;
    for (const QString &table :
         {u"orders"_qs, u"order_items"_qs, u"order_tags"_qs, u"order_history"_qs, u"events"_qs, u"jobs"_qs,
          u"rule_traces"_qs, u"job_runs"_qs, u"rules"_qs, u"rule_versions"_qs, u"statuses"_qs}) {
        QSqlQuery q(db.connection());
        if (!q.exec(u"SELECT * FROM "_qs + table + u" ORDER BY 1"_qs))
            return u"cannot read "_qs + table;
        out += table + u'\n';
        while (q.next()) {
            for (int i = 0; i < q.record().count(); ++i)
                out += q.value(i).toString() + u'|';
            out += u'\n';
        }
    }
    return out;
}

// n orders: every third one cash on delivery and unpaid, every fifth to Germany.
void addOrders(storage::OrderStore &store, int n)
{
    for (int i = 0; i < n; ++i) {
        domain::Order order = test::sampleOrder(u"R-"_qs + QString::number(i));
        if (i % 3 == 0) {
            order.payment.method = u"CASH_ON_DELIVERY"_qs;
            order.payment.status = domain::PaymentStatus::Unpaid;
            order.payment.paidAmount = {};
        }
        if (i % 5 == 0)
            order.delivery.address.countryCode = u"DE"_qs;
        if (!store.apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0})))
            qFatal("cannot add an order");
    }
}

// Builds a condition through the editor's operations, node by node.
void buildCondition(ui::RuleEditor &editor, const Path &group, const Condition &c)
{
    Condition shell = c;
    shell.children.clear();
    const auto path = editor.addCondition(group, shell);
    QVERIFY(path);
    for (const Condition &child : c.children)
        buildCondition(editor, *path, child);
}

// The editor's operations for a whole rule, as a person would click them: never by loading its JSON.
void buildThroughEditor(ui::RuleEditor &editor, const Rule &rule)
{
    editor.setName(rule.name);
    editor.setGroup(rule.group);
    editor.setDescription(rule.description);
    editor.setOwner(rule.owner);
    editor.setRuleEnabled(rule.enabled);
    editor.setLimitPerOrder(rule.limitPerOrder);
    if (!rule.accounts.isEmpty() || !rule.couriers.isEmpty())
        editor.setScope(rule.accounts, rule.couriers);
    // The trigger through its picker.
    QComboBox *picker = editor.triggerPicker();
    const int index = picker->findData(rule.trigger);
    QVERIFY(index >= 0);
    picker->setCurrentIndex(index);
    Q_EMIT picker->activated(index);
    QCOMPARE(editor.rule().trigger, rule.trigger);
    for (auto it = rule.triggerParams.begin(); it != rule.triggerParams.end(); ++it)
        editor.setTriggerParam(it.key(), it.value());
    editor.setRootKind(rule.conditions.kind);
    for (const Condition &c : rule.conditions.children)
        buildCondition(editor, {}, c);
    for (int i = 0; i < rule.actions.size(); ++i) {
        const Action &a = rule.actions.at(i);
        const auto path = editor.addAction(a.type);
        QCOMPARE(path.index, i);
        for (auto it = a.params.begin(); it != a.params.end(); ++it)
            editor.setActionParam(path, it.key(), it.value());
        if (a.delayMinutes)
            editor.setActionDelay(path, a.delayMinutes);
        if (a.stopOnFailure)
            editor.setStopOnFailure(i, true);
        for (const Action &f : a.onFailure) {
            const auto failure = editor.addAction(f.type, i);
            for (auto it = f.params.begin(); it != f.params.end(); ++it)
                editor.setActionParam(failure, it.key(), it.value());
        }
    }
}

// A marketplace account of the training marketplace (added, not signed in).
marketplace::MarketplaceAccount trainingAccount(const QString &name)
{
    marketplace::MarketplaceAccount account;
    account.name = name;
    account.environment = marketplace::MarketplaceAccount::Environment::Training;
    account.apiBaseUrl = QUrl(u"http://127.0.0.1:8470"_qs);
    account.authBaseUrl = account.apiBaseUrl;
    account.clientId = u"training"_qs;
    return account;
}

// The editor's duration pickers for a place in the rule ("trigger.params.minutes"), once the old widgets of
// rebuilt forms are gone.
QList<ui::DurationPicker *> pickersAt(ui::RuleEditor &editor, const QString &place)
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QList<ui::DurationPicker *> list;
    for (ui::DurationPicker *p : editor.findChildren<ui::DurationPicker *>())
        if (p->place() == place)
            list.append(p);
    return list;
}

// Types into a spin box as a person does: select everything, type, and the box takes the text.
void typeInto(QSpinBox *spin, const QString &text)
{
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, text);
}

// Rule documents of the tests, outside the class body (moc 6.4 misreads raw strings there).
const char kJson1[] = R"({"format":"sellerdesk.rule/1","name":"COD","trigger":{"type":"order.downloaded"},
            "conditions":{"all":[{"field":"paymentMethod","op":"eq","value":"CASH_ON_DELIVERY"}]},
            "actions":[{"type":"setStatus","params":{"status":"To ship"}},
                       {"type":"callUrl","params":{"url":"https://example.com/?o={orderId}"}}]})";
const char kJson2[] = R"({"format":"sellerdesk.rule/1","name":"Paid","trigger":{"type":"payment.changed"},
            "actions":[{"type":"setStatus","params":{"status":"To ship"}}]})";
const char kJson3[] = R"({"format":"sellerdesk.rule/1","name":"A","trigger":{"type":"order.downloaded"},
            "conditions":{"all":[{"field":"invoiceWanted","op":"isTrue"}]},
            "actions":[{"type":"setStatus","params":{"status":"To ship"}}]})";
const char kJson4[] = R"({"format":"sellerdesk.rule/1","name":"B","trigger":{"type":"order.downloaded"},
            "conditions":{"all":[{"field":"paymentMethod","op":"eq","value":"ONLINE"}]},
            "actions":[{"type":"setStatus","params":{"status":"Closed"}}]})";
const char kJson5[] = R"({"format":"sellerdesk.rule/1","name":"C","trigger":{"type":"order.downloaded"},
            "conditions":{"all":[{"field":"paymentMethod","op":"eq","value":"CASH_ON_DELIVERY"}]},
            "actions":[{"type":"setStatus","params":{"status":"Shipped"}}]})";
const char kJson6[] = R"({"format":"sellerdesk.rule/1","name":"X","trigger":{"type":"status.changed",
            "params":{"to":"New"}},"actions":[{"type":"setStatus","params":{"status":"Cancelled"}}]})";
const char kJson7[] = R"({"format":"sellerdesk.rule/1","name":"Y","trigger":{"type":"status.changed",
            "params":{"to":"Cancelled"}},"actions":[{"type":"setStatus","params":{"status":"New"}}]})";
const char kJson8[] = R"({"format":"sellerdesk.rule/1","name":"Old","trigger":{"type":"order.cancelled"},
            "actions":[{"type":"addTag","params":{"tag":"x"}}]})";
const char kJson9[] = R"({"format":"sellerdesk.rule/1","name":"COD","trigger":{"type":"order.downloaded"},
            "conditions":{"all":[{"field":"paymentMethod","op":"eq","value":"CASH_ON_DELIVERY"}]},
            "actions":[{"type":"setStatus","params":{"status":"To ship"}},{"type":"runRule","params":{"rule":999}}]})";

} // namespace

class TestRuleEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
    }

    void everyTemplateBuiltThroughTheEditorEqualsItsJson()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        const QList<ui::RuleTemplate> templates = ui::ruleTemplates();
        QVERIFY(templates.size() >= 16);
        for (const ui::RuleTemplate &t : templates) {
            auto expected = Rule::fromJson(t.json);
            SD_VERIFY_OK(expected);
            QVERIFY2(!t.explanation.isEmpty(), qPrintable(t.key));
            ui::RuleEditor editor(fresh->db, Rule{});
            buildThroughEditor(editor, *expected);
            QVERIFY2(editor.problems().isEmpty(), qPrintable(t.key + u": "_qs + editor.problems().join(u"; ")));
            QVERIFY2(editor.json() == expected->toJson(),
                     qPrintable(t.key + u"\n"_qs + QString::fromUtf8(QJsonDocument(editor.json()).toJson()) + u"\n"_qs +
                                QString::fromUtf8(QJsonDocument(expected->toJson()).toJson())));
            QVERIFY(editor.saveButton()->isEnabled());
            QVERIFY(editor.save());
        }
        auto stored = automation::RuleStore(fresh->db).list();
        SD_VERIFY_OK(stored);
        QCOMPARE(stored->size(), templates.size());
    }

    void aTemplateBuiltWithTheWidgets()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::RuleTemplate cod;
        for (const ui::RuleTemplate &t : ui::ruleTemplates())
            if (t.key == u"cod-to-ship")
                cod = t;
        ui::RuleEditor editor(fresh->db, Rule{});
        editor.show();
        editor.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&editor));
        auto *name = editor.findChild<QLineEdit *>(u"name"_qs);
        QVERIFY(name);
        QTest::keyClicks(name, u"Cash on delivery"_qs); // QTest types ASCII only; the arrow follows
        QCOMPARE(editor.rule().name, u"Cash on delivery"_qs);
        editor.setName(cod.json.value(u"name").toString());
        editor.setGroup(cod.json.value(u"group").toString());
        editor.setDescription(cod.json.value(u"description").toString());
        // The event: typed into the picker's search and chosen.
        const int downloaded = editor.triggerPicker()->findData(u"order.downloaded"_qs);
        editor.triggerPicker()->setCurrentIndex(downloaded);
        Q_EMIT editor.triggerPicker()->activated(downloaded);
        // Insert in the condition tree adds a test; its form offers the field, operator and value pickers.
        editor.conditionTree()->setFocus();
        editor.selectCondition({});
        QTest::keyClick(editor.conditionTree(), Qt::Key_Insert);
        QCOMPARE(editor.rule().conditions.children.size(), 1);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // the previous form
        auto combos = editor.conditionForm()->findChildren<QComboBox *>();
        QVERIFY(combos.size() >= 3);
        QComboBox *field = combos.at(0);
        const int method = field->findData(u"paymentMethod"_qs);
        field->setCurrentIndex(method);
        Q_EMIT field->activated(method);
        QTRY_COMPARE(editor.rule().conditions.children.at(0).field, u"paymentMethod"_qs);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        combos = editor.conditionForm()->findChildren<QComboBox *>();
        QComboBox *value = combos.constLast();
        const int codIndex = value->findData(u"CASH_ON_DELIVERY"_qs);
        QVERIFY(codIndex >= 0);
        value->setCurrentIndex(codIndex);
        Q_EMIT value->activated(codIndex);
        // Insert in the action list adds the chosen action; its form is generated from the catalog.
        auto *newAction = editor.findChild<QComboBox *>();
        QVERIFY(newAction);
        for (QComboBox *c : editor.findChildren<QComboBox *>())
            if (c->accessibleName() == u"Action to add")
                newAction = c;
        newAction->setCurrentIndex(newAction->findData(u"setStatus"_qs));
        editor.actionTree()->setFocus();
        QTest::keyClick(editor.actionTree(), Qt::Key_Insert);
        QCOMPARE(editor.rule().actions.size(), 1);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        auto *status = editor.actionForm()->findChildren<QComboBox *>().value(0);
        QVERIFY(status);
        const int toShip = status->findData(u"To ship"_qs);
        QVERIFY(toShip >= 0);
        status->setCurrentIndex(toShip);
        Q_EMIT status->activated(toShip);
        QCOMPARE(editor.json(), Rule::fromJson(cod.json)->toJson());
    }

    void validationErrorsAreShownAndBlockTheSave()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::RuleEditor editor(fresh->db, newRule({}, u"order.downloaded"_qs));
        editor.show();
        QVERIFY(!editor.problems().isEmpty());
        QVERIFY(!editor.saveButton()->isEnabled());
        QVERIFY(editor.problemsLabel()->isVisible());
        QVERIFY(!editor.save());
        editor.setName(u"Paid"_qs);
        const auto action = editor.addAction(u"setStatus"_qs); // its status is required
        QVERIFY(!editor.saveButton()->isEnabled());
        QVERIFY(editor.problemsLabel()->text().contains(u"actions[0].params.status"_qs));
        QTreeWidgetItem *item = editor.actionTree()->topLevelItem(0);
        QVERIFY(!item->toolTip(0).isEmpty()); // the faulty action is marked where it is
        editor.setActionParam(action, u"status"_qs, u"To ship"_qs);
        // An empty NOT group cannot be saved either.
        const auto notGroup = editor.addCondition({}, groupOf(Condition::Kind::Not));
        QVERIFY(notGroup);
        QVERIFY(editor.problems().join(u'\n').contains(u"conditions.all[0]"_qs));
        QVERIFY(!editor.save());
        QCOMPARE(automation::RuleStore(fresh->db).list()->size(), 0);
        QVERIFY(editor.addCondition(*notGroup, testOf(u"nipGiven"_qs, u"isTrue"_qs)));
        QVERIFY(editor.problems().isEmpty());
        QVERIFY(editor.problemsLabel()->isHidden());
        QVERIFY(editor.saveButton()->isEnabled());
        QVERIFY(editor.save());
        QCOMPARE(automation::RuleStore(fresh->db).list()->size(), 1);
        QVERIFY(!editor.isModified());
    }

    void conditionsAndActionsMoveWithKeysAndDrops()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::RuleEditor editor(fresh->db, newRule(u"m"_qs, u"order.downloaded"_qs));
        editor.show();
        editor.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&editor));
        auto test = [](const QString &field) { return testOf(field, u"isTrue"_qs); };
        QVERIFY(editor.addCondition({}, test(u"invoiceWanted"_qs)));
        QVERIFY(editor.addCondition({}, test(u"nipGiven"_qs)));
        const auto orGroup = editor.addCondition({}, groupOf(Condition::Kind::Any));
        QVERIFY(orGroup);
        auto fields = [&] {
            QStringList list;
            for (const Condition &c : editor.rule().conditions.children)
                list.append(c.kind == Condition::Kind::Test ? c.field : u"any"_qs);
            return list;
        };
        QCOMPARE(fields(), (QStringList{u"invoiceWanted"_qs, u"nipGiven"_qs, u"any"_qs}));
        // Alt+Up on the tree moves the chosen condition.
        editor.selectCondition({1});
        editor.conditionTree()->setFocus();
        QTest::keyClick(editor.conditionTree(), Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(fields(), (QStringList{u"nipGiven"_qs, u"invoiceWanted"_qs, u"any"_qs}));
        QCOMPARE(editor.currentCondition(), (Path{0}));
        QTest::keyClick(editor.conditionTree(), Qt::Key_Down, Qt::AltModifier);
        QTest::keyClick(editor.conditionTree(), Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(fields(), (QStringList{u"invoiceWanted"_qs, u"any"_qs, u"nipGiven"_qs}));
        // A drop into the OR group (what the tree's drop handler calls).
        QVERIFY(editor.moveConditionTo({2}, {1}, 0));
        QCOMPARE(fields(), (QStringList{u"invoiceWanted"_qs, u"any"_qs}));
        QCOMPARE(editor.rule().conditions.children.at(1).children.at(0).field, u"nipGiven"_qs);
        QVERIFY(editor.moveConditionTo({0}, {1}, 1));
        QCOMPARE(editor.rule().conditions.children.size(), 1);
        QCOMPARE(editor.rule().conditions.children.at(0).children.size(), 2);
        QVERIFY(!editor.moveConditionTo({0}, {0}, 0)); // not into itself
        editor.undoStack()->undo();
        QCOMPARE(fields(), (QStringList{u"invoiceWanted"_qs, u"any"_qs}));

        editor.addAction(u"addTag"_qs);
        editor.addAction(u"removeTag"_qs);
        editor.addAction(u"notifyOperator"_qs);
        editor.selectAction({2, -1});
        editor.actionTree()->setFocus();
        QTest::keyClick(editor.actionTree(), Qt::Key_Up, Qt::AltModifier);
        QStringList types;
        for (const Action &a : editor.rule().actions)
            types.append(a.type);
        QCOMPARE(types, (QStringList{u"addTag"_qs, u"notifyOperator"_qs, u"removeTag"_qs}));
        QVERIFY(editor.moveAction({0, -1}, 2));
        QCOMPARE(editor.rule().actions.constLast().type, u"addTag"_qs);
        QVERIFY(!editor.moveAction({0, -1}, -1));
        editor.actionTree()->setFocus();
        editor.selectAction({0, -1});
        QTest::keyClick(editor.actionTree(), Qt::Key_Delete);
        QCOMPARE(editor.rule().actions.size(), 2);
    }

    void scopeRoundTripsAndTheEngineHonoursIt()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        marketplace::AccountStore accounts(fresh->db);
        QList<marketplace::MarketplaceAccount> added;
        for (const QString &name : {u"Shop A"_qs, u"Shop B"_qs}) {
            auto a = accounts.add(trainingAccount(name));
            SD_VERIFY_OK(a);
            SD_VERIFY_OK(accounts.setConnected(a->id, true));
            added.append(*a);
        }
        const QString keyA = added.at(0).orderAccountKey();
        const QString keyB = added.at(1).orderAccountKey();
        storage::OrderStore store(fresh->db);
        auto makeOrder = [&](const QString &id, const QString &account, const QString &courier) {
            domain::Order order = test::sampleOrder(id);
            order.account = account;
            order.delivery.methodName = courier;
            auto created = store.apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
            if (!created)
                qFatal("cannot add an order");
            return *store.load(created->orderId);
        };
        const domain::Order ofA = makeOrder(u"S-1"_qs, keyA, u"InPost Paczkomat"_qs);
        const domain::Order ofB = makeOrder(u"S-2"_qs, keyB, u"InPost Paczkomat"_qs);
        const domain::Order ofAByDpd = makeOrder(u"S-3"_qs, keyA, u"DPD"_qs);

        Rule rule = newRule(u"Only shop A"_qs, u"order.downloaded"_qs);
        rule.actions.append(actionOf(u"addTag"_qs, {{u"tag"_qs, u"A"_qs}}));
        // Another rule's group comes first in the group picker: opening the editor must not take it.
        Rule other = rule;
        other.group = u"Aaa"_qs;
        SD_VERIFY_OK(automation::RuleStore(fresh->db).save(other, u"anna"_qs));
        rule.group = u"Zzz"_qs;
        ui::RuleEditor editor(fresh->db, rule);
        QCOMPARE(editor.rule().group, u"Zzz"_qs);
        QCOMPARE(editor.undoStack()->count(), 0);
        ui::RuleScopeEditor *scope = editor.scopeEditor();
        QVERIFY(scope);
        QCOMPARE(scope->accountsButton()->text(), u"every account"_qs);
        // The accounts' menu offers the profile's accounts by name; the couriers' menu the orders' delivery methods.
        QStringList accountNames, courierNames;
        QAction *shopA = nullptr, *inpost = nullptr;
        for (QAction *a : scope->accountsButton()->menu()->actions()) {
            accountNames.append(a->text());
            if (a->data().toString() == keyA)
                shopA = a;
        }
        for (QAction *a : scope->couriersButton()->menu()->actions()) {
            if (!a->isCheckable())
                continue;
            courierNames.append(a->text());
            if (a->text() == u"InPost Paczkomat")
                inpost = a;
        }
        QCOMPARE(accountNames, (QStringList{u"Shop A"_qs, u"Shop B"_qs}));
        QCOMPARE(courierNames, (QStringList{u"DPD"_qs, u"InPost Paczkomat"_qs}));
        QVERIFY(shopA && inpost);
        shopA->trigger();
        // The menus are rebuilt from the rule after each choice: find the courier's entry anew.
        inpost = nullptr;
        for (QAction *a : scope->couriersButton()->menu()->actions())
            if (a->text() == u"InPost Paczkomat")
                inpost = a;
        QVERIFY(inpost && !inpost->isChecked());
        inpost->trigger();
        // A courier no order has used yet, typed into the menu's field.
        scope->otherCourier()->setText(u"Orlen Paczka"_qs);
        QTest::keyClick(scope->otherCourier(), Qt::Key_Return);
        QCOMPARE(editor.rule().accounts, QStringList{keyA});
        QCOMPARE(editor.rule().couriers, (QStringList{u"InPost Paczkomat"_qs, u"Orlen Paczka"_qs}));
        const QJsonObject json = editor.json().value(u"scope").toObject();
        QCOMPARE(json.value(u"accounts").toArray(), QJsonArray{keyA});
        QCOMPARE(json.value(u"couriers").toArray(), (QJsonArray{u"InPost Paczkomat"_qs, u"Orlen Paczka"_qs}));
        QVERIFY(scope->accountsButton()->text().contains(u"Shop A"_qs));
        // One undo step per choice.
        editor.undoStack()->undo();
        QCOMPARE(editor.rule().couriers, QStringList{u"InPost Paczkomat"_qs});
        editor.undoStack()->redo();
        QVERIFY(editor.save());

        // Stored and read back: the same scope, and a new editor shows it checked.
        auto stored = automation::RuleStore(fresh->db).get(editor.ruleId());
        SD_VERIFY_OK(stored);
        QCOMPARE(stored->accounts, QStringList{keyA});
        QCOMPARE(stored->couriers, (QStringList{u"InPost Paczkomat"_qs, u"Orlen Paczka"_qs}));
        QCOMPARE(Rule::fromJson(stored->toJson())->toJson(), editor.json());
        ui::RuleEditor again(fresh->db, *stored);
        QStringList checked;
        for (QAction *a : again.scopeEditor()->couriersButton()->menu()->actions())
            if (a->isChecked())
                checked.append(a->text());
        QCOMPARE(checked, (QStringList{u"InPost Paczkomat"_qs, u"Orlen Paczka"_qs}));

        // The engine acts on shop A's InPost order only.
        auto compiled = automation::CompiledRule::compile(*stored);
        SD_VERIFY_OK(compiled);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(compiled->matches(ofA, now));
        QVERIFY(!compiled->matches(ofB, now));
        QVERIFY(!compiled->matches(ofAByDpd, now));
        QVERIFY(compiled->trace(ofB, now).reason.contains(u"scope"));

        // The rules page shows the scope by the account's name.
        ui::RuleListModel model(fresh->db);
        SD_VERIFY_OK(model.reload());
        const QString shown = model.indexOf(stored->id, ui::RuleListModel::Scope).data().toString();
        QVERIFY2(shown.contains(u"Shop A"_qs) && shown.contains(u"Orlen Paczka"_qs), qPrintable(shown));
    }

    void durationPickersStoreTheCatalogUnitAndRejectBadInput()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        Rule rule = newRule(u"Reminder"_qs, u"time.after"_qs);
        rule.triggerParams = {{u"minutes"_qs, 2880}, {u"anchor"_qs, u"order-date"_qs}};
        rule.actions.append(actionOf(u"addTag"_qs, {{u"tag"_qs, u"late"_qs}}));
        ui::RuleEditor editor(fresh->db, rule);
        editor.show();
        editor.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&editor));
        QVERIFY(editor.problems().isEmpty());

        // The time trigger's minutes: shown as 2 days, stored in minutes.
        QList<ui::DurationPicker *> pickers = pickersAt(editor, u"trigger.params.minutes"_qs);
        QCOMPARE(pickers.size(), 1);
        ui::DurationPicker *after = pickers.at(0);
        QCOMPARE(after->amount()->value(), 2);
        QCOMPARE(after->unit()->currentData().toInt(), 1440);
        typeInto(after->amount(), u"3"_qs);
        QCOMPARE(editor.rule().triggerParams.value(u"minutes"_qs).toInt(), 3 * 1440);
        // The unit by keyboard: hours.
        after->unit()->setFocus();
        QTest::keyClick(after->unit(), Qt::Key_Up);
        QCOMPARE(after->unit()->currentData().toInt(), 60);
        QCOMPARE(editor.rule().triggerParams.value(u"minutes"_qs).toInt(), 3 * 60);
        // A negative amount: a message beside it and in the problems, nothing stored, saving blocked.
        typeInto(after->amount(), u"-5"_qs);
        QCOMPARE(after->amount()->value(), -5);
        QCOMPARE(after->problem(), u"A duration cannot be negative."_qs);
        QCOMPARE(editor.rule().triggerParams.value(u"minutes"_qs).toInt(), 3 * 60);
        QVERIFY(!editor.saveButton()->isEnabled());
        QVERIFY2(editor.problemsLabel()->text().contains(u"trigger.params.minutes: A duration cannot be negative."_qs),
                 qPrintable(editor.problemsLabel()->text()));
        QVERIFY(!editor.save());
        // More than a year.
        typeInto(after->amount(), u"9000"_qs);
        QVERIFY2(after->problem().startsWith(u"At most 365 day"_qs), qPrintable(after->problem()));
        QVERIFY(!editor.saveButton()->isEnabled());
        typeInto(after->amount(), u"36"_qs);
        QVERIFY(after->problem().isEmpty());
        QCOMPARE(editor.rule().triggerParams.value(u"minutes"_qs).toInt(), 36 * 60);
        QVERIFY(editor.saveButton()->isEnabled());

        // An action's delay, in minutes, at most a month.
        editor.selectAction({0, -1});
        pickers = pickersAt(editor, u"actions[0].delayMinutes"_qs);
        QCOMPARE(pickers.size(), 1);
        ui::DurationPicker *delay = pickers.at(0);
        QCOMPARE(delay->accessibleName(), u"Delay"_qs);
        delay->unit()->setCurrentIndex(delay->unit()->findData(60));
        typeInto(delay->amount(), u"2"_qs);
        QCOMPARE(editor.rule().actions.at(0).delayMinutes, 120);
        delay->unit()->setCurrentIndex(delay->unit()->findData(1440));
        typeInto(delay->amount(), u"45"_qs);
        QVERIFY2(delay->problem().startsWith(u"At most 30 day"_qs), qPrintable(delay->problem()));
        QCOMPARE(editor.rule().actions.at(0).delayMinutes, 4 * 1440); // the last valid amount typed: "4"
        QVERIFY(editor.problems().join(u'\n').contains(u"actions[0].delayMinutes"_qs));
        typeInto(delay->amount(), u"1"_qs);
        QCOMPARE(editor.rule().actions.at(0).delayMinutes, 1440);

        // The "since" fields count in their own unit: days since the order offers days only, hours since payment
        // hours and days and stores hours.
        const auto days = editor.addCondition({}, testOf(u"daysSinceOrder"_qs, u"gt"_qs, {1}));
        QVERIFY(days);
        pickers = pickersAt(editor, u"conditions.all[0].value"_qs);
        QCOMPARE(pickers.size(), 1);
        QCOMPARE(pickers.at(0)->unit()->count(), 1);
        QCOMPARE(pickers.at(0)->unit()->currentData().toInt(), 1440);
        typeInto(pickers.at(0)->amount(), u"4"_qs);
        QCOMPARE(editor.rule().conditions.children.at(0).values, QJsonArray{4});
        const auto hours = editor.addCondition({}, testOf(u"hoursSincePayment"_qs, u"between"_qs, {1, 2}));
        QVERIFY(hours);
        pickers = pickersAt(editor, u"conditions.all[1].value"_qs);
        QCOMPARE(pickers.size(), 2); // from and to
        QCOMPARE(pickers.at(1)->unit()->count(), 2);
        pickers.at(1)->unit()->setCurrentIndex(pickers.at(1)->unit()->findData(1440));
        typeInto(pickers.at(1)->amount(), u"2"_qs);
        QCOMPARE(editor.rule().conditions.children.at(1).values, (QJsonArray{1, 48}));
        QVERIFY(editor.problems().isEmpty());
        QVERIFY(editor.save());
        auto stored = automation::RuleStore(fresh->db).get(editor.ruleId());
        SD_VERIFY_OK(stored);
        QCOMPARE(stored->triggerParams.value(u"minutes"_qs).toInt(), 36 * 60);
        QCOMPARE(stored->actions.at(0).delayMinutes, 1440);
    }

    void conditionsReorderWithAMouseDrag()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::RuleEditor editor(fresh->db, newRule(u"drag"_qs, u"order.downloaded"_qs));
        editor.setCloseQuestion([] { return QMessageBox::Cancel; }); // a stray Escape must not open a question
        editor.addAction(u"addTag"_qs);
        QVERIFY(editor.addCondition({}, testOf(u"invoiceWanted"_qs, u"isTrue"_qs)));
        QVERIFY(editor.addCondition({}, testOf(u"nipGiven"_qs, u"isTrue"_qs)));
        QVERIFY(editor.addCondition({}, groupOf(Condition::Kind::Any)));
        editor.show();
        editor.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&editor));
        QTreeWidget *tree = editor.conditionTree();
        QWidget *viewport = tree->viewport();
        auto itemAt = [&](const Path &path) {
            QTreeWidgetItem *item = tree->topLevelItem(0);
            for (int i : path)
                item = item->child(i);
            return item;
        };
        auto fields = [&] {
            QStringList list;
            for (const Condition &c : editor.rule().conditions.children)
                list.append(c.kind == Condition::Kind::Test ? c.field : u"any"_qs);
            return list;
        };
        // Drags the item at `from` with the left button and drops it at `where` (0 top, 1 bottom) on the item at
        // `to`, as the mouse does: press, move past the drag distance (the view starts its drag), move over the
        // target, drop, release. The offscreen platform has no drag of its own (QDrag::exec returns at once), so
        // the test delivers the events a platform drag delivers to the view: enter, moves, drop, with the data the
        // view's drag carries.
        auto drag = [&](const Path &from, const Path &to, double where) {
            const QRect source = tree->visualItemRect(itemAt(from));
            const QRect target = tree->visualItemRect(itemAt(to));
            const QPoint start = source.center();
            const QPoint end(target.center().x(), target.top() + int(target.height() * where));
            QTest::mousePress(viewport, Qt::LeftButton, {}, start);
            QCOMPARE(editor.currentCondition(), from);
            QTest::mouseMove(viewport, start + QPoint(0, QApplication::startDragDistance() + 2));
            QTest::mouseMove(viewport, start + QPoint(0, 2 * QApplication::startDragDistance() + 4));
            std::unique_ptr<QMimeData> data(tree->model()->mimeData(tree->selectionModel()->selectedIndexes()));
            QVERIFY(data);
            const QPoint over = start + QPoint(0, 2 * QApplication::startDragDistance() + 4);
            QDragEnterEvent enter(over, Qt::MoveAction, data.get(), Qt::LeftButton, {});
            QCoreApplication::sendEvent(viewport, &enter);
            QVERIFY(enter.isAccepted());
            for (const QPoint &at : {end + QPoint(0, 1), end}) { // while dragging, the moves go to the drag
                QDragMoveEvent move(at, Qt::MoveAction, data.get(), Qt::LeftButton, {});
                QCoreApplication::sendEvent(viewport, &move);
                QVERIFY(move.isAccepted());
            }
            QDropEvent drop(end, Qt::MoveAction, data.get(), Qt::LeftButton, {});
            QCoreApplication::sendEvent(viewport, &drop);
            QTest::mouseRelease(viewport, Qt::LeftButton, {}, end);
        };
        // Data from elsewhere (another tree's items, another program) is not taken.
        {
            QMimeData foreign;
            foreign.setData(u"application/x-qabstractitemmodeldatalist"_qs, {});
            const QPoint at = tree->visualItemRect(itemAt({0})).center();
            QDragEnterEvent enter(at, Qt::MoveAction, &foreign, Qt::LeftButton, {});
            QCoreApplication::sendEvent(viewport, &enter);
            QVERIFY(!enter.isAccepted());
        }
        QCOMPARE(fields(), (QStringList{u"invoiceWanted"_qs, u"nipGiven"_qs, u"any"_qs}));
        // The NIP test dropped on the top edge of the invoice test: it goes above it.
        drag({1}, {0}, 0.1);
        QTRY_COMPARE(fields(), (QStringList{u"nipGiven"_qs, u"invoiceWanted"_qs, u"any"_qs}));
        // The invoice test dropped onto the middle of the OR group: it goes inside it.
        drag({1}, {2}, 0.5);
        QTRY_COMPARE(fields(), (QStringList{u"nipGiven"_qs, u"any"_qs}));
        QCOMPARE(editor.rule().conditions.children.at(1).children.at(0).field, u"invoiceWanted"_qs);
        // Each drop is one undoable step.
        editor.undoStack()->undo();
        QCOMPARE(fields(), (QStringList{u"nipGiven"_qs, u"invoiceWanted"_qs, u"any"_qs}));
    }

    void undoAndRedoWalkThroughTheEdits()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::RuleEditor editor(fresh->db, newRule({}, u"order.downloaded"_qs));
        editor.show();
        editor.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&editor));
        const QJsonObject empty = editor.json();
        // Typing a name is one step, not one per letter.
        auto *name = editor.findChild<QLineEdit *>(u"name"_qs);
        QTest::keyClicks(name, u"Paid"_qs);
        QCOMPARE(editor.rule().name, u"Paid"_qs);
        QCOMPARE(editor.undoStack()->count(), 1);
        const QJsonObject named = editor.json();
        editor.setTrigger(u"payment.changed"_qs);
        editor.setTriggerParam(u"to"_qs, u"paid"_qs);
        const auto a = editor.addAction(u"setStatus"_qs);
        editor.setActionParam(a, u"status"_qs, u"To ship"_qs);
        const QJsonObject done = editor.json();
        QCOMPARE(editor.undoStack()->count(), 5);
        editor.undoStack()->undo();
        editor.undoStack()->undo();
        QCOMPARE(editor.rule().actions.size(), 0);
        QCOMPARE(editor.rule().triggerParams.value(u"to"_qs).toString(), u"paid"_qs);
        QTest::keyClick(&editor, Qt::Key_Z, Qt::ControlModifier);
        QTest::keyClick(&editor, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(editor.json(), named);
        QCOMPARE(editor.triggerPicker()->currentData().toString(), u"order.downloaded"_qs);
        QCOMPARE(name->text(), u"Paid"_qs);
        editor.undoStack()->undo();
        QCOMPARE(editor.json(), empty);
        QCOMPARE(name->text(), QString());
        QTest::keyClick(&editor, Qt::Key_Y, Qt::ControlModifier);
        while (editor.undoStack()->canRedo())
            editor.undoStack()->redo();
        QCOMPARE(editor.json(), done);
        QCOMPARE(editor.actionTree()->topLevelItemCount(), 1);
    }

    void unsavedChangesAreGuarded()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::RuleEditor editor(fresh->db, newRule({}, u"order.downloaded"_qs));
        int asked = 0;
        QMessageBox::StandardButton answer = QMessageBox::Cancel;
        editor.setCloseQuestion([&] {
            ++asked;
            return answer;
        });
        editor.show();
        editor.reject();
        QCOMPARE(asked, 0); // nothing changed
        editor.show();
        editor.setName(u"x"_qs);
        editor.reject();
        QCOMPARE(asked, 1);
        QVERIFY(editor.isVisible());
        answer = QMessageBox::Save; // invalid: the save fails and the editor stays
        editor.reject();
        QVERIFY(editor.isVisible());
        answer = QMessageBox::Discard;
        editor.reject();
        QVERIFY(!editor.isVisible());
        QCOMPARE(automation::RuleStore(fresh->db).list()->size(), 0);
    }

    void testPanelShowsMatchesAndTracesAndTouchesNothing()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        addOrders(store, 30); // ids 1..30; ids 1, 4, 7, ... are cash on delivery
        const Rule cod = parse(kJson1);
        ui::RuleEditor editor(fresh->db, cod);
        const QString before = snapshot(*fresh->db);
        ui::RuleTestPanel *panel = editor.testPanel();
        panel->setPeriodDays(0);
        QVERIFY(panel->run());
        QCOMPARE(panel->tested(), 30);
        QCOMPARE(panel->matches(), 10);
        QCOMPARE(panel->results()->rowCount(), 10);
        QCOMPARE(panel->results()->item(0, 0)->text(), u"1"_qs);
        QVERIFY(panel->results()->item(0, 4)->text().contains(u"\"To ship\""_qs));
        QVERIFY(panel->results()->item(0, 4)->text().contains(u"https://example.com/?o=1"_qs));
        // The trace of the chosen order: the condition, its value and a green "holds".
        QTreeWidget *trace = panel->trace();
        QCOMPARE(trace->topLevelItemCount(), 1);
        QCOMPARE(trace->topLevelItem(0)->text(3), u"cash on delivery"_qs);
        QCOMPARE(trace->topLevelItem(0)->data(4, Qt::UserRole).toBool(), true);
        QCOMPARE(trace->topLevelItem(0)->background(4).color(), QColor(u"#d8f3dc"_qs));
        // Chosen orders, the non-matching ones shown too, in red.
        panel->setOrderIds({1, 2, 3});
        panel->setOnlyMatches(false);
        QVERIFY(panel->run());
        QCOMPARE(panel->tested(), 3);
        QCOMPARE(panel->matches(), 1);
        QCOMPARE(panel->results()->rowCount(), 3);
        panel->showTrace(1);
        QCOMPARE(trace->topLevelItem(0)->data(4, Qt::UserRole).toBool(), false);
        QCOMPARE(trace->topLevelItem(0)->background(4).color(), QColor(u"#fadbd8"_qs));
        // The rule as edited, unsaved, is what runs.
        editor.setCondition({0}, testOf(u"country"_qs, u"eq"_qs, {u"DE"_qs}));
        panel->setOrderIds({});
        panel->setOnlyMatches(true);
        QVERIFY(panel->run());
        QCOMPARE(panel->matches(), 6);
        QCOMPARE(snapshot(*fresh->db), before);
    }

    void rollbackRestoresAnOlderVersion()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        automation::RuleStore store(fresh->db);
        Rule rule = parse(kJson2);
        auto v1 = store.save(rule, u"anna"_qs);
        SD_VERIFY_OK(v1);
        ui::RuleEditor editor(fresh->db, *v1);
        editor.setActionParam({0, -1}, u"status"_qs, u"Shipped"_qs);
        editor.addAction(u"addTag"_qs);
        editor.setActionParam({1, -1}, u"tag"_qs, u"vip"_qs);
        QVERIFY(editor.save());
        QCOMPARE(editor.rule().version, 2);
        ui::RuleVersionsPanel *versions = editor.versionsPanel();
        QCOMPARE(versions->list()->rowCount(), 2);
        QCOMPARE(versions->selectedVersion(), 2);
        const QString diff = versions->diffText();
        // One line per part: the changed parameter is removed and added, the new action and its parameter added,
        // what stayed is kept unmarked.
        const QStringList lines = diff.split(u'\n');
        QVERIFY2(lines.contains(u"-       Status: To ship"_qs), qPrintable(diff));
        QVERIFY2(lines.contains(u"+       Status: Shipped"_qs), qPrintable(diff));
        QCOMPARE(lines.indexOf(u"+       Status: Shipped"_qs), lines.indexOf(u"-       Status: To ship"_qs) + 1);
        QVERIFY2(lines.contains(u"+   Action: Add tag"_qs), qPrintable(diff));
        QVERIFY2(lines.contains(u"+       Tag: vip"_qs), qPrintable(diff));
        QVERIFY2(lines.contains(u"    Action: Set status"_qs), qPrintable(diff));
        QVERIFY2(lines.contains(u"  Name: Paid"_qs), qPrintable(diff));
        QCOMPARE(lines.filter(QRegularExpression(u"^[-+] "_qs)).size(), 4);
        // Colour: added lines green, removed red.
        const QString html = versions->findChild<QTextBrowser *>()->toHtml();
        QVERIFY(html.contains(u"#1b5e20"_qs) && html.contains(u"#8e1b10"_qs));
        versions->selectVersion(1);
        QVERIFY(versions->rollBack(1));
        auto now = store.get(v1->id);
        SD_VERIFY_OK(now);
        QCOMPARE(now->version, 3);
        Rule expected = *v1;
        expected.version = 3;
        QCOMPARE(now->toJson(), expected.toJson());
        QCOMPARE(editor.rule().actions.size(), 1); // the editor shows the rolled-back rule
        QCOMPARE(editor.rule().actions.at(0).params.value(u"status"_qs).toString(), u"To ship"_qs);
        QCOMPARE(versions->list()->rowCount(), 3);
        QVERIFY(!editor.isModified());
    }

    void warningsForDeadConflictingAndLoopingRules()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        automation::RuleStore store(fresh->db);
        auto add = [&](const QByteArray &json) {
            auto saved = store.save(parse(json), u"test"_qs);
            if (!saved)
                qFatal("cannot save");
            return saved->id;
        };
        const qint64 a = add(kJson3);
        const qint64 b = add(kJson4);
        // Exclusive conditions: no conflict with B.
        const qint64 c = add(kJson5);
        const qint64 x = add(kJson6);
        const qint64 y = add(kJson7);
        const qint64 dead = add(kJson8);
        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"UPDATE rule_versions SET at = %1 WHERE rule_id = %2"_qs
                           .arg(QDateTime::currentMSecsSinceEpoch() - 200LL * 24 * 3600 * 1000)
                           .arg(dead)));

        ui::RulesPage page(fresh->db);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto kinds = [&](qint64 id) {
            QSet<int> set;
            for (const automation::RuleWarning &w : page.model()->warnings())
                if (w.ruleId == id)
                    set.insert(int(w.kind));
            return set;
        };
        using K = automation::RuleWarning::Kind;
        QCOMPARE(kinds(a), (QSet<int>{int(K::Conflict)}));
        QCOMPARE(kinds(b), (QSet<int>{int(K::Conflict)}));
        QVERIFY(kinds(c).contains(int(K::Conflict))); // with A: both can hold
        bool bAndC = false;
        for (const automation::RuleWarning &w : page.model()->warnings())
            bAndC = bAndC || (w.ruleId == b && w.otherRuleId == c);
        QVERIFY(!bAndC);
        QCOMPARE(kinds(x), (QSet<int>{int(K::Loop)}));
        QCOMPARE(kinds(y), (QSet<int>{int(K::Loop)}));
        QCOMPARE(kinds(dead), (QSet<int>{int(K::Dead)}));
        QStringList texts;
        for (int i = 0; i < page.warningList()->count(); ++i)
            texts.append(page.warningList()->item(i)->text());
        const QString all = texts.join(u'\n');
        QVERIFY2(all.contains(u"\"Old\" has not acted on any order in 90 days"_qs), qPrintable(all));
        QVERIFY(all.contains(u"\"A\" and \"B\""_qs));
        QVERIFY(all.contains(u"\"X\" → \"Y\" → \"X\""_qs));
        const QModelIndex warnCell = page.model()->indexOf(dead, ui::RuleListModel::Warnings);
        QVERIFY(warnCell.data().toString().contains(u"dead"_qs));

        // Switching a rule off ends its warnings.
        const QModelIndex enabled = page.model()->indexOf(y, ui::RuleListModel::Enabled);
        QVERIFY(page.model()->setData(enabled, Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!store.get(y)->enabled);
        QVERIFY(kinds(x).isEmpty());
    }

    void rulesPageListsSearchesDuplicatesDeletesImportsExports()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        QTemporaryDir dir;
        ui::RulesPage page(fresh->db);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QJsonArray list;
        for (const ui::RuleTemplate &t : ui::ruleTemplates())
            list.append(t.json);
        QFile file(dir.filePath(u"templates.json"_qs));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(list).toJson());
        file.close();
        QCOMPARE(page.importFile(file.fileName()), int(list.size()));
        QCOMPARE(page.model()->rules().size(), list.size());
        // Grouped by group.
        QStringList groups;
        for (int row = 0; row < page.model()->rowCount(); ++row)
            groups.append(page.model()->index(row, 0).data().toString());
        QVERIFY2(groups.contains(u"Payments (4)"_qs), qPrintable(groups.join(u", ")));
        QTest::keyClicks(page.search(), u"review"_qs);
        QCOMPARE(page.model()->rowCount(), 1);
        QCOMPARE(page.model()->rowCount(page.model()->index(0, 0)), 1);
        page.search()->clear();

        const qint64 first = page.model()->rules().at(0).id;
        const qint64 copy = page.duplicateRule(first);
        QVERIFY(copy);
        auto copied = automation::RuleStore(fresh->db).get(copy);
        SD_VERIFY_OK(copied);
        QVERIFY(copied->name.endsWith(u"(copy)"_qs));
        QVERIFY(!copied->enabled);
        QCOMPARE(page.currentRuleId(), copy);

        const QString exported = dir.filePath(u"out.json"_qs);
        QVERIFY(page.exportRules({first, copy}, exported));
        QVERIFY(page.deleteRule(copy, false));
        QVERIFY(!automation::RuleStore(fresh->db).get(copy));
        QCOMPARE(page.importFile(exported), 2);
        QCOMPARE(page.model()->rules().size(), list.size() + 2);
        QVERIFY2(page.message().startsWith(u"2 rule"_qs), qPrintable(page.message()));
    }

    void executionLogAndTheOrdersAutomationTab()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        automation::RuleStore rules(fresh->db);
        SD_VERIFY_OK(rules.save(parse(kJson9), u"test"_qs));
        storage::OrderStore store(fresh->db);
        addOrders(store, 4); // 1 and 4 are cash on delivery
        automation::Scheduler scheduler(store, rules, automation::Executors::withDefaults(), u"ws-test"_qs);
        SD_VERIFY_OK(scheduler.runDue());
        SD_VERIFY_OK(scheduler.runDue());

        ui::ExecutionLogDialog log(fresh->db);
        QAbstractItemModelTester tester(log.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(log.model()->rowCount(), 4); // two orders: status set, then the other rule fails
        log.setOutcomeFilter(u"failed"_qs);
        QCOMPARE(log.model()->rowCount(), 2);
        QCOMPARE(log.model()->index(0, ui::RunLogModel::Outcome).data().toString(), u"failed"_qs);
        log.setOutcomeFilter({});
        log.setOrderFilter(4);
        QCOMPARE(log.model()->rowCount(), 2);
        log.setOrderFilter(0);
        log.setOutcomeFilter(u"failed"_qs);
        const qint64 job = log.model()->run(0).jobId;
        QVERIFY(log.rerun(0));
        QCOMPARE(log.model()->rowCount(), 2); // the log keeps the failed run
        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"SELECT state FROM jobs WHERE id = %1"_qs.arg(job)) && q.next());
        QCOMPARE(q.value(0).toString(), u"pending"_qs);
        SD_VERIFY_OK(scheduler.runDue());
        log.reload();
        QCOMPARE(log.model()->rowCount(), 3); // it ran again (and failed again: rule 999 still does not exist)

        ui::OrderAutomationTab tab(fresh->db);
        tab.showOrder(1);
        // Newest first: the actions run, then the conditions that fired the rule.
        QVERIFY(tab.list()->rowCount() >= 3);
        QCOMPARE(tab.list()->item(tab.list()->rowCount() - 1, 3)->text(), u"fired"_qs);
        tab.list()->selectRow(tab.list()->rowCount() - 1);
        QCOMPARE(tab.trace()->topLevelItemCount(), 1);
        QCOMPARE(tab.trace()->topLevelItem(0)->data(4, Qt::UserRole).toBool(), true);
        tab.showOrder(2);
        QCOMPARE(tab.list()->item(0, 3)->text(), u"did not fire"_qs);
    }

    // Not a test: fills a demo profile with rules, traces and runs for the screenshots in docs/screenshots.
    void templatesSpeakTheInterfaceLanguage()
    {
        // English data in the Polish interface was the fault: the group, name, description and the texts inside
        // actions come in the interface language.
        installTranslations(*QCoreApplication::instance(), u"pl"_qs);
        auto restore = qScopeGuard([] { installTranslations(*QCoreApplication::instance(), u"en"_qs); });
        QHash<QString, ui::RuleTemplate> byKey;
        for (const ui::RuleTemplate &t : ui::ruleTemplates())
            byKey.insert(t.key, t);
        QCOMPARE(byKey.value(u"paid-to-ship"_qs).group, u"Płatności"_qs);
        QCOMPARE(byKey.value(u"paid-to-ship"_qs).json.value(u"group"_qs).toString(), u"Płatności"_qs);
        QCOMPARE(byKey.value(u"invoice-nip"_qs).json.value(u"group"_qs).toString(), u"Dokumenty"_qs);
        const QSet<QString> english = {u"Payments"_qs, u"Documents"_qs,    u"Shipping"_qs, u"After-sales"_qs,
                                       u"Team"_qs,     u"Integrations"_qs, u"Messages"_qs};
        for (const ui::RuleTemplate &t : std::as_const(byKey)) {
            QVERIFY2(!english.contains(t.group), qPrintable(t.key + u": "_qs + t.group));
            QCOMPARE(t.json.value(u"name"_qs).toString(), t.title);
            QVERIFY2(t.title != t.key, qPrintable(t.key));
        }
        QCOMPARE(byKey.value(u"paid-to-ship"_qs).title, u"Opłacone → „Do wysyłki”"_qs);
        const QJsonObject failure = byKey.value(u"cancelled-refund"_qs)
                                        .json.value(u"actions"_qs)
                                        .toArray()
                                        .at(0)
                                        .toObject()
                                        .value(u"onFailure"_qs)
                                        .toArray()
                                        .at(0)
                                        .toObject();
        QCOMPARE(failure.value(u"params"_qs).toObject().value(u"message"_qs).toString(),
                 u"Zwrot pieniędzy nie powiódł się"_qs);
        // The gallery says the group beside the explanation, and the rule made from it reads in Polish too.
        ui::RuleTemplatesDialog gallery;
        gallery.list()->setCurrentRow(0);
        const QList<QLabel *> labels = gallery.findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(),
                            [](const QLabel *l) { return l->text().startsWith(u"Płatności · "_qs); }));
        auto rule = Rule::fromJson(byKey.value(u"paid-to-ship"_qs).json);
        SD_VERIFY_OK(rule);
        QCOMPARE(rule->group, u"Płatności"_qs);
    }

    void fillScreenshotProfile()
    {
        const QString path = qEnvironmentVariable("SD_SHOT_PROFILE");
        if (path.isEmpty())
            QSKIP("set SD_SHOT_PROFILE to a demo profile to fill it for screenshots");
        if (!qEnvironmentVariable("SD_SHOT_LANGUAGE").isEmpty())
            installTranslations(*QCoreApplication::instance(), qEnvironmentVariable("SD_SHOT_LANGUAGE"));
        auto db = storage::Database::openProfile(path);
        SD_VERIFY_OK(db);
        automation::RuleStore rules(*db);
        for (const ui::RuleTemplate &t : ui::ruleTemplates()) {
            auto rule = Rule::fromJson(t.json);
            SD_VERIFY_OK(rule);
            SD_VERIFY_OK(rules.save(*rule, u"anna"_qs));
        }
        // A marketplace account for the scope (not connected: the screenshots need no sign-in).
        marketplace::AccountStore accounts(*db);
        auto shop = accounts.add(trainingAccount(u"Sklep główny"_qs));
        SD_VERIFY_OK(shop);
        // A second and third version of the payment reminder, for the version diff and the duration pickers.
        auto list = rules.list();
        SD_VERIFY_OK(list);
        qint64 reminderId = 0;
        for (const Rule &r : *list)
            if (r.trigger == u"time.after" && !reminderId)
                reminderId = r.id;
        auto reminder = rules.get(reminderId);
        SD_VERIFY_OK(reminder);
        reminder->accounts = {shop->orderAccountKey()};
        reminder->conditions.children.append(groupOf(
            Condition::Kind::Any, {testOf(u"total"_qs, u"le"_qs, {500}),
                                   groupOf(Condition::Kind::Not, {testOf(u"country"_qs, u"eq"_qs, {u"PL"_qs})})}));
        const bool polish = qEnvironmentVariable("SD_SHOT_LANGUAGE") == u"pl";
        reminder->actions.append(actionOf(u"addTag"_qs, {{u"tag"_qs, polish ? u"przypomniano"_qs : u"reminded"_qs}}));
        SD_VERIFY_OK(rules.save(*reminder, u"marek"_qs));
        reminder->triggerParams.insert(u"minutes"_qs, 2 * 1440);
        reminder->conditions.children.append(testOf(u"daysSinceOrder"_qs, u"le"_qs, {14}));
        reminder->actions.last().delayMinutes = 30;
        SD_VERIFY_OK(rules.save(*reminder, u"anna"_qs));
        storage::OrderStore store(*db);
        automation::Scheduler scheduler(store, rules, automation::Executors::withDefaults(), u"screenshot"_qs);
        for (int i = 0; i < 3; ++i)
            SD_VERIFY_OK(scheduler.runDue());
    }
};

QTEST_MAIN(TestRuleEditor)
#include "tst_ruleeditor.moc"
