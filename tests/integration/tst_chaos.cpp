#include "testsupport.h"

#include <QRegularExpression>
#include <QTest>

using namespace sd;

// Issue 13's crash proof, short: `sellerdesk-cli bench chaos` kills `sellerdesk --headless` with SIGKILL at random
// moments while the training marketplace sells and four rules issue invoices, print receipts to the fiscal printer
// simulator, send e-mails and call URLs; it counts what the simulator's journal, the mail server and the URL receiver
// got against the database. The longer run is the benchmark itself (`bench chaos --kills 100`).
class TestChaos : public QObject
{
    Q_OBJECT

    static int figure(const QString &text, const QString &pattern)
    {
        const auto m = QRegularExpression(pattern).match(text);
        return m.hasMatch() ? m.captured(1).toInt() : -1;
    }

private Q_SLOTS:
    void killsLoseNothingAndDoNothingTwice()
    {
        const auto run = test::runCli(
            {u"bench"_qs, u"chaos"_qs, u"--kills"_qs, u"6"_qs, u"--orders"_qs, u"10"_qs, u"--rate"_qs, u"60"_qs});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        const QString &out = run.out;
        QCOMPARE(figure(out, u"kills survived: (\\d+) of 6"_qs), 6);
        const int marketplace = figure(out, u"orders: (\\d+) on the marketplace"_qs);
        const int stored = figure(out, u"on the marketplace, (\\d+) stored"_qs);
        QVERIFY2(marketplace >= 10 && stored >= marketplace, qPrintable(out));
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
};

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_chaos.moc"
