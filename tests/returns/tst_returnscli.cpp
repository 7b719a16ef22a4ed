#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace sd;

// `returns ...` as a person types it: clear messages and exit codes for bad input, JSON for scripts.
class TestReturnsCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_profile;

    test::CliRun cli(const QStringList &args) { return test::runCli(QStringList{u"--profile"_qs, m_profile} + args); }

private Q_SLOTS:
    void initTestCase()
    {
        m_profile = m_dir.filePath(u"profile"_qs);
        const QString data = QFINDTESTDATA("../data/allegro/checkout-forms-array.json");
        QCOMPARE(cli({u"import-orders"_qs, data}).exitCode, 0);
    }

    void registerAdvanceAndRefuse()
    {
        const QString order = u"29738e61-7f6a-11e8-ac45-09db60ede9d6"_qs; // two units of its first item
        // The fixture's order was bought on 2026-11-20: a one-day term makes it late, ten years make it in time.
        QCOMPARE(cli({u"returns"_qs, u"settings"_qs, u"set"_qs, u"termDays"_qs, u"1"_qs}).exitCode, 0);
        auto late = cli({u"returns"_qs, u"add"_qs, order, u"--item"_qs, u"#1:1"_qs, u"--reason"_qs, u"Nie pasuje"_qs});
        QCOMPARE(late.exitCode, 1);
        QVERIFY2(late.err.contains(u"return term"), qPrintable(late.err));
        auto badTerm = cli({u"returns"_qs, u"settings"_qs, u"set"_qs, u"termDays"_qs, u"many"_qs});
        QCOMPARE(badTerm.exitCode, 1);
        QVERIFY(badTerm.err.contains(u"many"));
        QCOMPARE(cli({u"returns"_qs, u"settings"_qs, u"set"_qs, u"termDays"_qs, u"3650"_qs}).exitCode, 0);

        auto unknown = cli({u"returns"_qs, u"add"_qs, u"NOPE-1"_qs, u"--item"_qs, u"#1:1"_qs, u"--reason"_qs, u"x"_qs});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(u"NOPE-1"), qPrintable(unknown.err));
        auto tooMany = cli({u"returns"_qs, u"add"_qs, order, u"--item"_qs, u"#1:3"_qs, u"--reason"_qs, u"x"_qs});
        QCOMPARE(tooMany.exitCode, 1);
        QVERIFY2(tooMany.err.contains(u"were bought"), qPrintable(tooMany.err));
        auto noItem = cli({u"returns"_qs, u"add"_qs, order, u"--reason"_qs, u"x"_qs});
        QCOMPARE(noItem.exitCode, 2);
        auto badItem = cli({u"returns"_qs, u"add"_qs, order, u"--item"_qs, u"#1:two"_qs, u"--reason"_qs, u"x"_qs});
        QCOMPARE(badItem.exitCode, 2);
        QCOMPARE(QJsonDocument::fromJson(cli({u"returns"_qs, u"list"_qs, u"--json"_qs}).out.toUtf8()).array().size(),
                 0);

        auto added = cli({u"returns"_qs, u"add"_qs, order, u"--item"_qs, u"#1:1"_qs, u"--reason"_qs,
                          u"Odstąpienie od umowy"_qs, u"--json"_qs});
        QCOMPARE(added.exitCode, 0);
        const QJsonObject made = QJsonDocument::fromJson(added.out.toUtf8()).object();
        QCOMPARE(made.value(u"state").toString(), u"registered"_qs);
        QCOMPARE(made.value(u"reason").toString(), u"Odstąpienie od umowy"_qs);
        const QString id = QString::number(made.value(u"id").toInteger());

        auto wrong = cli({u"returns"_qs, u"advance"_qs, id, u"refunded"_qs});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(u"received"), qPrintable(wrong.err));
        auto noState = cli({u"returns"_qs, u"advance"_qs, id, u"lost"_qs});
        QCOMPARE(noState.exitCode, 2);
        auto noWarehouse = cli({u"returns"_qs, u"advance"_qs, id, u"received"_qs, u"--warehouse"_qs, u"XX"_qs});
        QCOMPARE(noWarehouse.exitCode, 1);
        QCOMPARE(cli({u"warehouses"_qs, u"add"_qs, u"ZWR"_qs, u"Zwroty"_qs}).exitCode, 0);
        auto received = cli({u"returns"_qs, u"advance"_qs, id, u"received"_qs, u"--warehouse"_qs, u"ZWR"_qs});
        QCOMPARE(received.exitCode, 0);
        auto shown = cli({u"returns"_qs, u"show"_qs, made.value(u"number").toString(), u"--json"_qs});
        QCOMPARE(shown.exitCode, 0);
        const QJsonObject now = QJsonDocument::fromJson(shown.out.toUtf8()).object();
        QCOMPARE(now.value(u"state").toString(), u"received"_qs);
        QCOMPARE(now.value(u"warehouse").toString(), u"ZWR"_qs);
        auto open = cli({u"returns"_qs, u"list"_qs, u"--state"_qs, u"received"_qs});
        QCOMPARE(open.exitCode, 0);
        QVERIFY(open.out.contains(made.value(u"number").toString()));
        QVERIFY(cli({u"--help"_qs}).out.contains(u"returns advance"));
    }
};

QTEST_GUILESS_MAIN(TestReturnsCli)
#include "tst_returnscli.moc"
