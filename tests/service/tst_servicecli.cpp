#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;

// sellerdesk-cli service add|list|show|advance on a profile with demo orders: a case on an order line, one without
// an order, the state machine's refusal, filters, JSON, and translated messages for bad input.
class TestServiceCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    test::CliRun cli(const QStringList &args, const QString &language = {})
    {
        return test::runCli(QStringList{u"--profile"_qs, m_dir.path()} + args, language);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCOMPARE(cli({u"demo"_qs, u"--orders"_qs, u"5"_qs, u"--seed"_qs, u"3"_qs}).exitCode, 0);
    }

    void addAdvanceShow()
    {
        auto added = cli({u"service"_qs, u"add"_qs, u"--order"_qs, u"1"_qs, u"--line"_qs, u"1"_qs, u"--serial"_qs,
                          u"SN-77"_qs, u"--problem"_qs, u"Nie włącza się"_qs, u"--json"_qs});
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
        const QJsonObject c = QJsonDocument::fromJson(added.out.toUtf8()).object();
        QCOMPARE(c.value(u"state"_qs).toString(), u"registered"_qs);
        QCOMPARE(c.value(u"order"_qs).toInteger(), 1);
        QVERIFY(!c.value(u"product"_qs).toString().isEmpty());
        const QString id = QString::number(c.value(u"id"_qs).toInteger());

        auto wrong = cli({u"service"_qs, u"advance"_qs, id, u"returned"_qs});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(u"next: sent, rejected"_qs), qPrintable(wrong.err));
        auto unknown = cli({u"service"_qs, u"advance"_qs, id, u"lost"_qs});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(u"at-service"_qs));
        QCOMPARE(cli({u"service"_qs, u"advance"_qs, id, u"sent"_qs, u"--note"_qs, u"DPD"_qs}).exitCode, 0);
        auto at = cli({u"service"_qs, u"advance"_qs, id, u"at-service"_qs, u"--expected"_qs, u"2020-01-31"_qs});
        QVERIFY2(at.exitCode == 0, qPrintable(at.err));
        QVERIFY(at.out.contains(u"At service"_qs));

        auto show = cli({u"service"_qs, u"show"_qs, id});
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains(u"SN-77"_qs));
        QVERIFY(show.out.contains(u"overdue"_qs));
        QVERIFY(show.out.contains(u"DPD"_qs));
        QVERIFY2(show.out.contains(u"returned, replaced, rejected"_qs), qPrintable(show.out));

        // The order's history has the steps.
        auto history = cli({u"orders"_qs, u"history"_qs, u"1"_qs});
        QVERIFY(history.out.contains(u"service #"_qs + id));

        // Polish, with diacritics.
        auto pl = cli({u"service"_qs, u"show"_qs, id}, u"pl_PL.UTF-8"_qs);
        QVERIFY2(pl.out.contains(u"W serwisie"_qs), qPrintable(pl.out));
    }

    void withoutAnOrderAndFilters()
    {
        auto added = cli({u"service"_qs, u"add"_qs, u"--product"_qs, u"Ekspres"_qs, u"--buyer"_qs, u"Jan Nowak"_qs,
                          u"--email"_qs, u"jan@example.pl"_qs});
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
        auto bad = cli({u"service"_qs, u"add"_qs, u"--product"_qs, u"Ekspres"_qs});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(u"buyer"_qs));
        auto badDate = cli({u"service"_qs, u"add"_qs, u"--product"_qs, u"X"_qs, u"--buyer"_qs, u"Y"_qs,
                            u"--expected"_qs, u"31.01.2026"_qs});
        QCOMPARE(badDate.exitCode, 2);
        auto list = cli({u"service"_qs, u"list"_qs, u"--state"_qs, u"registered"_qs, u"--json"_qs});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray cases = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QCOMPARE(cases.size(), 1);
        QCOMPARE(cases.at(0).toObject().value(u"product"_qs).toString(), u"Ekspres"_qs);
        auto open = cli({u"service"_qs, u"list"_qs, u"--open"_qs});
        QCOMPARE(open.out.count(u'\n'), 2);
        QCOMPARE(cli({u"service"_qs, u"show"_qs, u"999"_qs}).exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestServiceCli)
#include "tst_servicecli.moc"
