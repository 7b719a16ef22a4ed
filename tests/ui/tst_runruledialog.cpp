#include "automation/dispatcher.h"
#include "automation/rulestore.h"
#include "runruledialog.h"
#include "testsupport.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSqlQuery>
#include <QTest>

using namespace sd;

// "Run rule…": only enabled manual rules are offered, and running one records a rule.manual event per order.
class TestRunRuleDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offersOnlyManualRulesAndRecordsTheRun()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        automation::RuleStore rules(fresh->db);
        auto save = [&](const char *json) {
            auto rule = automation::Rule::fromText(QByteArray(json));
            if (!rule)
                return qint64(0);
            auto saved = rules.save(*rule, u"user:anna"_qs);
            return saved ? saved->id : 0;
        };
        const qint64 manual = save(R"({"format": "sellerdesk.rule/1", "name": "Pack as gift",
            "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "gift"}}]})");
        QVERIFY(save(R"({"format": "sellerdesk.rule/1", "name": "Off", "enabled": false,
            "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "off"}}]})"));
        QVERIFY(save(R"({"format": "sellerdesk.rule/1", "name": "On download",
            "trigger": {"type": "order.downloaded"}, "actions": [{"type": "addTag", "params": {"tag": "new"}}]})"));
        QVERIFY(manual);
        auto a = store.apply(storage::OrderChange::create(test::sampleOrder(u"run-a"_qs), {u"test"_qs, {}, 0}));
        auto b = store.apply(storage::OrderChange::create(test::sampleOrder(u"run-b"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(a);
        SD_VERIFY_OK(b);

        ui::RunRuleDialog dialog(store, {a->orderId, b->orderId}, {u"user:anna"_qs, u"run by hand"_qs, 0});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.rules()->count(), 1);
        QCOMPARE(dialog.rules()->item(0)->text(), u"Pack as gift"_qs);
        QCOMPARE(dialog.rules()->currentRow(), 0);
        QVERIFY(dialog.rules()->hasFocus());
        QTest::keyClick(dialog.rules(), Qt::Key_Return);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.message().contains(u"Pack as gift"_qs));

        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"SELECT order_id, payload, actor FROM events WHERE type = 'rule.manual' ORDER BY id"_qs));
        QList<qint64> orders;
        while (q.next()) {
            orders.append(q.value(0).toLongLong());
            QVERIFY(q.value(1).toString().contains(u"\"rule\":%1"_qs.arg(manual)));
            QCOMPARE(q.value(2).toString(), u"user:anna"_qs);
        }
        QCOMPARE(orders, (QList<qint64>{a->orderId, b->orderId}));
        const QPixmap shot = dialog.grab();
        QVERIFY(!shot.isNull());
    }

    void saysWhenNoRuleRunsByHand()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        auto a = store.apply(storage::OrderChange::create(test::sampleOrder(u"run-c"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(a);
        ui::RunRuleDialog dialog(store, {a->orderId}, {u"user:anna"_qs, {}, 0});
        QCOMPARE(dialog.rules()->count(), 0);
        QVERIFY(!dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
        bool said = false;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            said = said || label->text().startsWith(u"No rule runs by hand"_qs);
        QVERIFY(said);
    }
};

QTEST_MAIN(TestRunRuleDialog)
#include "tst_runruledialog.moc"
