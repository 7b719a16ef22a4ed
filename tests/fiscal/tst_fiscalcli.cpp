#include "testsupport.h"

#include "devices/fiscal/fiscalreceipts.h"
#include "storage/orderstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;

// `sellerdesk-cli fiscal ...` as a person or a script runs it, against `fiscal simulate` in its own process.
class TestFiscalCli : public QObject
{
    Q_OBJECT

    struct Simulator
    {
        std::unique_ptr<QProcess> process;
        QString address;
        ~Simulator()
        {
            if (process) {
                process->terminate();
                process->waitForFinished(5000);
            }
        }
    };

    static std::unique_ptr<Simulator> startSimulator(const QStringList &options)
    {
        auto sim = std::make_unique<Simulator>();
        sim->process = std::make_unique<QProcess>();
        sim->process->setProcessChannelMode(QProcess::SeparateChannels);
        sim->process->start(qEnvironmentVariable("SD_CLI"), QStringList{u"fiscal"_qs, u"simulate"_qs} + options);
        if (!sim->process->waitForStarted(10000))
            return nullptr;
        while (!sim->process->canReadLine())
            if (!sim->process->waitForReadyRead(10000))
                return nullptr;
        sim->address = QString::fromUtf8(sim->process->readLine()).trimmed();
        return sim;
    }

    static QJsonArray journal(const QString &file)
    {
        return QJsonDocument::fromJson(test::readFile(file)).object().value(u"journal").toArray();
    }

private Q_SLOTS:
    void initTestCase() { qputenv("SD_FISCAL_TIMEOUT_MS", "3000"); }

    void commands()
    {
        QTemporaryDir dir;
        auto sim = startSimulator(
            {u"--journal"_qs, dir.filePath(u"journal.json"_qs), u"--vat"_qs, u"A=23,B=8,C=5,D=0,G=zw"_qs});
        QVERIFY(sim);
        QVERIFY(sim->address.startsWith(u"tcp://127.0.0.1:"));
        const QString profile = dir.filePath(u"p"_qs);
        QCOMPARE(test::runCli({u"--profile"_qs, profile, u"demo"_qs, u"--orders"_qs, u"2"_qs}).exitCode, 0);

        auto status = test::runCli({u"fiscal"_qs, u"status"_qs, u"--printer"_qs, sim->address});
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains(u"Status: Ready."), qPrintable(status.out));
        QVERIFY(status.out.contains(u"VAT rates: A 23%, B 8%, C 5%, D 0%, G zw"));

        auto printed = test::runCli(
            {u"--profile"_qs, profile, u"fiscal"_qs, u"receipt"_qs, u"1"_qs, u"--printer"_qs, sim->address});
        QCOMPARE(printed.exitCode, 0);
        QCOMPARE(printed.out.trimmed(), u"Order 1: fiscal receipt printed, no. 1."_qs);
        auto again = test::runCli(
            {u"--profile"_qs, profile, u"fiscal"_qs, u"receipt"_qs, u"1"_qs, u"--printer"_qs, sim->address});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.out.trimmed(), u"Order 1: fiscal receipt printed, no. 1."_qs);
        QCOMPARE(journal(dir.filePath(u"journal.json"_qs)).size(), 1);

        auto listed = test::runCli({u"--profile"_qs, profile, u"fiscal"_qs, u"receipts"_qs, u"--order"_qs, u"1"_qs});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(listed.out.startsWith(u"1\tprinted\t1\t"_qs + sim->address));

        QCOMPARE(test::runCli({u"fiscal"_qs, u"report"_qs, u"daily"_qs, u"--printer"_qs, sim->address}).exitCode, 0);
        auto zero = test::runCli({u"fiscal"_qs, u"report"_qs, u"daily"_qs, u"--printer"_qs, sim->address});
        QCOMPARE(zero.exitCode, 1);
        QVERIFY(zero.err.contains(u"zero report"));
        // Polish, as the operator reads it.
        auto polish =
            test::runCli({u"fiscal"_qs, u"report"_qs, u"daily"_qs, u"--printer"_qs, sim->address}, u"pl_PL.UTF-8"_qs);
        QCOMPARE(polish.exitCode, 1);
        QVERIFY2(polish.err.contains(u"raport"), qPrintable(polish.err));

        auto bad = test::runCli({u"fiscal"_qs, u"status"_qs, u"--printer"_qs, u"lpt1"_qs});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(u"tcp://HOST:PORT"));
        QCOMPARE(test::runCli({u"fiscal"_qs, u"simulate"_qs, u"--faults"_qs, u"fire"_qs}).exitCode, 2);
        QCOMPARE(test::runCli({u"fiscal"_qs, u"frobnicate"_qs}).exitCode, 2);
    }

    // Never twice: the CLI is killed (SIGKILL) at random moments while printing, again and again, against a slow
    // printer; every order ends with exactly one receipt in the printer's journal, and every row says printed.
    void neverTwiceUnderKills()
    {
        QTemporaryDir dir;
        const QString journalFile = dir.filePath(u"journal.json"_qs);
        auto sim = startSimulator({u"--journal"_qs, journalFile, u"--faults"_qs, u"delay:25"_qs});
        QVERIFY(sim);
        const QString profile = dir.filePath(u"p"_qs);
        constexpr int kOrders = 5;
        QCOMPARE(test::runCli({u"--profile"_qs, profile, u"demo"_qs, u"--orders"_qs, u"30"_qs}).exitCode, 0);
        QList<qint64> ids; // receipts are in PLN: the demo's orders from Allegro.pl
        {
            auto db = storage::Database::openProfile(profile);
            QVERIFY(db.ok());
            storage::OrderStore store(*db);
            for (qint64 id = 1; id <= 30 && ids.size() < kOrders; ++id) {
                auto order = store.load(id);
                QVERIFY(order.ok());
                if (devices::fiscal::FiscalReceipts::fromOrder(*order).ok())
                    ids.append(id);
            }
        }
        QCOMPARE(ids.size(), kOrders);
        QRandomGenerator random(20261124);
        int kills = 0;
        for (qint64 id : ids) {
            bool done = false;
            for (int attempt = 0; attempt < 40 && !done; ++attempt) {
                QProcess cli;
                cli.start(qEnvironmentVariable("SD_CLI"), {u"--profile"_qs, profile, u"fiscal"_qs, u"receipt"_qs,
                                                           QString::number(id), u"--printer"_qs, sim->address});
                QVERIFY(cli.waitForStarted(10000));
                // The last attempts run to the end; the others are cut at a random moment of the receipt.
                const bool kill = attempt < 6;
                if (kill && !cli.waitForFinished(int(random.bounded(40, 400)))) {
                    cli.kill();
                    cli.waitForFinished(10000);
                    ++kills;
                    continue;
                }
                QVERIFY(cli.state() == QProcess::NotRunning || cli.waitForFinished(60000));
                const QString err = QString::fromUtf8(cli.readAllStandardError());
                QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0, qPrintable(err));
                done = true;
            }
            QVERIFY(done);
        }
        QVERIFY(kills >= kOrders);

        auto db = storage::Database::openProfile(profile);
        QVERIFY(db.ok());
        storage::OrderStore store(*db);
        QList<qint64> expected;
        for (qint64 id : ids) {
            auto order = store.load(id);
            QVERIFY(order.ok());
            expected.append(order->total.minor());
        }
        const QJsonArray entries = journal(journalFile);
        QList<qint64> printed;
        int cancelled = 0;
        for (const QJsonValue &entry : entries) {
            if (entry[u"type"].toString() == u"receipt")
                printed.append(entry[u"total"].toInteger());
            cancelled += entry[u"type"].toString() == u"cancelled";
        }
        std::sort(expected.begin(), expected.end());
        std::sort(printed.begin(), printed.end());
        QCOMPARE(printed, expected);
        devices::fiscal::FiscalReceipts receipts(*db);
        QSet<qint64> numbers;
        for (qint64 id : ids) {
            auto rows = receipts.forOrder(id);
            QVERIFY(rows.ok());
            QCOMPARE(rows->size(), 1);
            QCOMPARE(rows->first().state, u"printed"_qs);
            numbers.insert(rows->first().journalNumber.value_or(0));
        }
        QCOMPARE(numbers.size(), kOrders);
        qInfo("%d kills, %d receipts, %d cancelled mid-receipt", kills, int(printed.size()), cancelled);
    }
};

QTEST_GUILESS_MAIN(TestFiscalCli)
#include "tst_fiscalcli.moc"
