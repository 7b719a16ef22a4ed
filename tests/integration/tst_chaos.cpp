#include "testsupport.h"

#include <QRegularExpression>
#include <QTest>

using namespace sd;

// Issue 13's crash proof, short: `sellerdesk-cli bench chaos` kills `sellerdesk --headless` with SIGKILL at random
// moments while the training marketplace sells and four rules issue invoices, print receipts to the fiscal printer
// simulator, send e-mails and call URLs; it counts what the simulator's journal, the mail server and the URL receiver
// got against the database. With a fault storm from the marketplace, and with three nodes on one PostgreSQL database.
// The longer runs are the benchmark itself (`bench chaos --kills 100 [--nodes 3 --postgres URL] [--faults SPEC]`).
class TestChaos : public QObject
{
    Q_OBJECT

    static int figure(const QString &text, const QString &pattern)
    {
        const auto m = QRegularExpression(pattern).match(text);
        return m.hasMatch() ? m.captured(1).toInt() : -1;
    }

    // The figures every run must show: every order stored once, every action once (or visibly left to the operator).
    static void verifyConsistent(const QString &out, int kills, int orders)
    {
        QCOMPARE(figure(out, u"kills survived: (\\d+) of %1"_qs.arg(kills)), kills);
        const int marketplace = figure(out, u"orders: (\\d+) on the marketplace"_qs);
        const int stored = figure(out, u"on the marketplace, (\\d+) stored"_qs);
        QVERIFY2(marketplace >= orders && stored >= marketplace, qPrintable(out));
        QCOMPARE(figure(out, u"stored twice: (\\d+)"_qs), 0);
        // Every order got its document: an invoice or a receipt (or a receipt left to the operator, visibly).
        const int invoices = figure(out, u"invoices: (\\d+)"_qs);
        const int printed = figure(out, u"receipts: (\\d+) printed"_qs);
        const int journal = figure(out, u"printed, (\\d+) in the printer's journal"_qs);
        const int unknown = figure(out, u"(\\d+) interrupted and left to the operator\\n"_qs);
        const int refused = figure(out, u"refused with a reason \\(in the execution log\\): (\\d+)"_qs);
        QVERIFY2(refused >= 0 && invoices + printed + qMax(unknown, 0) + refused >= marketplace, qPrintable(out));
        QVERIFY2(journal >= printed && journal <= printed + qMax(unknown, 0), qPrintable(out));
        const int sent = figure(out, u"e-mails: (\\d+) sent"_qs);
        const int received = figure(out, u"sent, (\\d+) received"_qs);
        const int mailsLeft = figure(out, u"twice: \\d+\\), (\\d+) interrupted"_qs);
        QVERIFY2(sent >= 1 && mailsLeft >= 0 && received >= sent && received <= sent + mailsLeft &&
                     sent + mailsLeft >= marketplace,
                 qPrintable(out));
        QCOMPARE(figure(out, u"same Message-ID twice: (\\d+)"_qs), 0);
        QVERIFY2(figure(out, u"URL calls: (\\d+) keys"_qs) >= marketplace, qPrintable(out));
        QVERIFY2(out.contains(u"lost = 0, duplicates = 0"), qPrintable(out));
    }

private Q_SLOTS:
    void killsLoseNothingAndDoNothingTwice()
    {
        const auto run = test::runCli(
            {u"bench"_qs, u"chaos"_qs, u"--kills"_qs, u"6"_qs, u"--orders"_qs, u"10"_qs, u"--rate"_qs, u"60"_qs});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        verifyConsistent(run.out, 6, 10);
    }

    // Issue 13's fault storm: the marketplace answers 503, 429, stalls, broken and cut JSON and repeats and reorders
    // its journal while the node is killed; once the storm is over everything is there once.
    void faultStormEndsConsistent()
    {
        const auto run = test::runCli({u"bench"_qs, u"chaos"_qs, u"--kills"_qs, u"4"_qs, u"--orders"_qs, u"10"_qs,
                                       u"--rate"_qs, u"60"_qs, u"--faults"_qs, u"storm=0.5:1500"_qs});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(u"faults: 503="), qPrintable(run.out));
        verifyConsistent(run.out, 4, 10);
    }

    // Issue 13's nodes: three `sellerdesk --headless` on one PostgreSQL database take the same stream and rules, one
    // of them killed at a time, under a light storm: no order and no action twice, none lost.
    void nodesOnPostgresShareTheWork()
    {
        SD_REQUIRE_POSTGRES();
        auto url = test::freshPostgresDatabase(u"sd_chaos_nodes"_qs);
        SD_VERIFY_OK(url);
        const auto run = test::runCli({u"bench"_qs, u"chaos"_qs, u"--nodes"_qs, u"3"_qs, u"--postgres"_qs, *url,
                                       u"--kills"_qs, u"6"_qs, u"--orders"_qs, u"10"_qs, u"--rate"_qs, u"60"_qs,
                                       u"--faults"_qs, u"storm=0.2:1000"_qs});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(u"3 sellerdesk --headless node(s) on PostgreSQL"), qPrintable(run.out));
        verifyConsistent(run.out, 6, 10);
        // A second run on the same database is refused: its orders would be counted as the new run's.
        const auto again = test::runCli({u"bench"_qs, u"chaos"_qs, u"--postgres"_qs, *url, u"--kills"_qs, u"1"_qs});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains(u"already holds orders"), qPrintable(again.err));
    }
};

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_chaos.moc"
