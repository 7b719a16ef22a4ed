#include "access/backup.h"
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;

// sellerdesk-cli with users: --user with the password from SD_PASSWORD or stdin, the auto-login per workstation,
// permissions refused for a packer, users/roles commands, backup while another process writes, selftest.
class TestAccessCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_profile;

    test::CliRun cli(const QStringList &args, const QHash<QString, QString> &environment = {},
                     const QByteArray &input = {})
    {
        test::CliRun run;
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"SD_WORKSTATION"_qs, u"desk-1"_qs);
        env.remove(u"SD_PASSWORD"_qs);
        env.remove(u"SD_NEW_PASSWORD"_qs);
        for (auto it = environment.begin(); it != environment.end(); ++it)
            env.insert(it.key(), it.value());
        process.setProcessEnvironment(env);
        process.start(qEnvironmentVariable("SD_CLI"), QStringList{u"--profile"_qs, m_profile} + args);
        if (!process.waitForStarted(10000))
            return run;
        process.write(input);
        process.closeWriteChannel();
        process.waitForFinished(120000);
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    void writeRule(const QString &path)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"format":"sellerdesk.rule/1","name":"Tag","trigger":{"type":"order.downloaded"},)"
                   R"("actions":[{"type":"addTag","params":{"tag":"x"}}]})");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_profile = m_dir.filePath(u"profile"_qs);
    }

    void packerRefusedAdministratorAllowed()
    {
        // A fresh profile needs no login (the implicit administrator).
        QCOMPARE(cli({u"demo"_qs, u"--orders"_qs, u"40"_qs, u"--seed"_qs, u"7"_qs}).exitCode, 0);
        QCOMPARE(
            cli({u"company"_qs, u"set"_qs, u"--name"_qs, u"Sklep Testowy"_qs, u"--nip"_qs, u"526-587-76-35"_qs,
                 u"--street"_qs, u"ul. Kwiatowa 1"_qs, u"--postcode"_qs, u"00-001"_qs, u"--city"_qs, u"Warszawa"_qs})
                .exitCode,
            0);
        QString number;
        for (int id = 1; id <= 40 && number.isEmpty(); ++id) {
            auto issued = cli({u"invoice"_qs, u"issue"_qs, QString::number(id)});
            if (issued.exitCode == 0)
                number = issued.out.section(u' ', 2, 2);
        }
        QVERIFY(!number.isEmpty());

        auto packerFirst = cli({u"users"_qs, u"add"_qs, u"piotr"_qs, u"--role"_qs, u"packer"_qs}, {}, "secret-piotr\n");
        QCOMPARE(packerFirst.exitCode, 1);
        QVERIFY(packerFirst.err.contains(u"administrator"));
        auto anna = cli({u"users"_qs, u"add"_qs, u"anna"_qs, u"--role"_qs, u"administrator"_qs},
                        {{u"SD_NEW_PASSWORD"_qs, u"secret-anna"_qs}});
        QVERIFY2(anna.exitCode == 0, qPrintable(anna.err));
        // desk-1 now logs in as anna by itself; piotr is added the same way, his password from stdin.
        auto piotr = cli({u"users"_qs, u"add"_qs, u"piotr"_qs, u"--role"_qs, u"packer"_qs}, {}, "secret-piotr\n");
        QVERIFY2(piotr.exitCode == 0, qPrintable(piotr.err));
        auto list = cli({u"users"_qs, u"list"_qs});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(u"anna\tadministrator"));
        QVERIFY(list.out.contains(u"piotr\tpacker"));
        auto roles = cli({u"roles"_qs, u"list"_qs});
        QVERIFY(roles.out.contains(u"packer\tchange-status,pack"));

        // Another workstation has no auto-login: it must name a user.
        auto elsewhere = cli({u"orders"_qs, u"list"_qs}, {{u"SD_WORKSTATION"_qs, u"desk-2"_qs}});
        QCOMPARE(elsewhere.exitCode, 1);
        QVERIFY2(elsewhere.err.contains(u"--user"), qPrintable(elsewhere.err));
        auto wrong = cli({u"--user"_qs, u"piotr"_qs, u"orders"_qs, u"list"_qs}, {{u"SD_PASSWORD"_qs, u"nope"_qs}});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY(wrong.err.contains(u"Wrong user name or password"));

        const QHash<QString, QString> asPiotr{{u"SD_PASSWORD"_qs, u"secret-piotr"_qs}};
        const QString ruleFile = m_dir.filePath(u"rule.json"_qs);
        writeRule(ruleFile);
        auto importRule = cli({u"--user"_qs, u"piotr"_qs, u"rules"_qs, u"import"_qs, ruleFile}, asPiotr);
        QCOMPARE(importRule.exitCode, 1);
        QVERIFY2(importRule.err.contains(u"Not allowed"), qPrintable(importRule.err));
        auto correct = cli(
            {u"--user"_qs, u"piotr"_qs, u"invoice"_qs, u"correct"_qs, number, u"--all"_qs, u"--reason"_qs, u"Zwrot"_qs},
            asPiotr);
        QCOMPARE(correct.exitCode, 1);
        QVERIFY2(correct.err.contains(u"Not allowed"), qPrintable(correct.err));
        auto addUser = cli({u"--user"_qs, u"piotr"_qs, u"users"_qs, u"add"_qs, u"ewa"_qs, u"--role"_qs, u"office"_qs},
                           {{u"SD_PASSWORD"_qs, u"secret-piotr"_qs}, {u"SD_NEW_PASSWORD"_qs, u"secret-ewa"_qs}});
        QCOMPARE(addUser.exitCode, 1);
        QVERIFY(addUser.err.contains(u"Not allowed"));
        // The packer may still do a packer's work: read orders, change a status.
        QCOMPARE(cli({u"--user"_qs, u"piotr"_qs, u"orders"_qs, u"list"_qs}, asPiotr).exitCode, 0);
        // No profit for a packer: refused per order, left out of the sales report, no settings changes.
        auto profit = cli({u"--user"_qs, u"piotr"_qs, u"profit"_qs, u"1"_qs}, asPiotr);
        QCOMPARE(profit.exitCode, 1);
        QVERIFY2(profit.err.contains(u"Not allowed: piotr may not see profit"), qPrintable(profit.err));
        const QString today = QDate::currentDate().toString(Qt::ISODate);
        auto sales = cli(
            {u"--user"_qs, u"piotr"_qs, u"report"_qs, u"sales"_qs, u"--from"_qs, u"2000-01-01"_qs, u"--to"_qs, today},
            asPiotr);
        QVERIFY2(sales.exitCode == 0, qPrintable(sales.err));
        QVERIFY(sales.out.contains(u"Profit is not shown"));
        QVERIFY(!sales.out.contains(u"gross, profit"));
        auto salesJson = cli({u"--user"_qs, u"piotr"_qs, u"report"_qs, u"sales"_qs, u"--from"_qs, u"2000-01-01"_qs,
                              u"--to"_qs, today, u"--json"_qs},
                             asPiotr);
        QVERIFY(!salesJson.out.contains(u"\"profit\""));
        auto money = cli({u"--user"_qs, u"piotr"_qs, u"money"_qs, u"set"_qs, u"packaging"_qs, u"1.00"_qs}, asPiotr);
        QCOMPARE(money.exitCode, 1);
        QVERIFY(money.err.contains(u"Not allowed"));
        QCOMPARE(
            cli({u"--user"_qs, u"piotr"_qs, u"orders"_qs, u"set-status"_qs, u"2"_qs, u"Shipped"_qs}, asPiotr).exitCode,
            0);
        // A role without "change status" cannot, from the CLI either.
        QCOMPARE(cli({u"roles"_qs, u"add"_qs, u"packing-only"_qs, u"--permissions"_qs, u"pack"_qs}).exitCode, 0);
        QCOMPARE(
            cli({u"users"_qs, u"add"_qs, u"olek"_qs, u"--role"_qs, u"packing-only"_qs}, {}, "secret-olek\n").exitCode,
            0);
        auto status = cli({u"--user"_qs, u"olek"_qs, u"orders"_qs, u"set-status"_qs, u"2"_qs, u"To ship"_qs},
                          {{u"SD_PASSWORD"_qs, u"secret-olek"_qs}});
        QCOMPARE(status.exitCode, 1);
        QVERIFY2(status.err.contains(u"Not allowed: olek may not change order status"), qPrintable(status.err));

        // The administrator, password on stdin this time, is allowed all of it.
        auto adminRule = cli({u"--user"_qs, u"anna"_qs, u"rules"_qs, u"import"_qs, ruleFile}, {}, "secret-anna\n");
        QVERIFY2(adminRule.exitCode == 0, qPrintable(adminRule.err));
        auto adminCorrect = cli(
            {u"--user"_qs, u"anna"_qs, u"invoice"_qs, u"correct"_qs, number, u"--all"_qs, u"--reason"_qs, u"Zwrot"_qs},
            {{u"SD_PASSWORD"_qs, u"secret-anna"_qs}});
        QVERIFY2(adminCorrect.exitCode == 0, qPrintable(adminCorrect.err));

        // The history names who did it and where.
        auto history = cli({u"--user"_qs, u"piotr"_qs, u"orders"_qs, u"history"_qs, u"1"_qs, u"--json"_qs}, asPiotr);
        QCOMPARE(history.exitCode, 0);
        QVERIFY2(history.out.contains(u"\"workstation\": \"desk-1\""), qPrintable(history.out.left(600)));
        QVERIFY(history.out.contains(u"\"user\": \""));
    }

    void backupWhileAnotherProcessWrites()
    {
        // Another process imports demo orders while the backup runs.
        QProcess writer;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"SD_WORKSTATION"_qs, u"desk-1"_qs);
        writer.setProcessEnvironment(env);
        writer.start(qEnvironmentVariable("SD_CLI"),
                     {u"--profile"_qs, m_profile, u"demo"_qs, u"--orders"_qs, u"3000"_qs, u"--seed"_qs, u"99"_qs});
        QVERIFY(writer.waitForStarted(10000));
        QTest::qWait(300);
        const QString backupFile = m_dir.filePath(u"copy.sqlite"_qs);
        auto backup = cli({u"backup"_qs, u"create"_qs, backupFile});
        QVERIFY2(backup.exitCode == 0, qPrintable(backup.err));
        QVERIFY(backup.out.contains(u"Backup written"));
        QVERIFY(writer.waitForFinished(120000));
        QCOMPARE(writer.exitCode(), 0);
        auto problem = access::quickCheck(backupFile);
        SD_VERIFY_OK(problem);
        QVERIFY2(problem->isEmpty(), qPrintable(*problem));

        // Restore it: the orders written after the backup are gone, the profile opens.
        auto before = cli({u"orders"_qs, u"list"_qs, u"--limit"_qs, u"100000"_qs, u"--json"_qs});
        auto restore = cli({u"backup"_qs, u"restore"_qs, backupFile});
        QVERIFY2(restore.exitCode == 0, qPrintable(restore.err));
        auto after = cli({u"orders"_qs, u"list"_qs, u"--limit"_qs, u"100000"_qs, u"--json"_qs});
        QCOMPARE(after.exitCode, 0);
        QVERIFY(after.out.count(u"\"externalId\"") <= before.out.count(u"\"externalId\""));
        QVERIFY(after.out.count(u"\"externalId\"") >= 40);

        auto missing = cli({u"backup"_qs, u"restore"_qs, m_dir.filePath(u"none.sqlite"_qs)});
        QCOMPARE(missing.exitCode, 1);
    }

    void selftestLines()
    {
        auto run =
            cli({u"selftest"_qs}, {{u"SD_SECRET_STORE"_qs, u"file"_qs}, {u"SD_SECRET_PASSPHRASE"_qs, u"pass-1234"_qs}});
        QVERIFY2(run.out.contains(u"OK  Database"), qPrintable(run.out + run.err));
        QVERIFY(run.out.contains(u"OK  Database integrity"));
        QVERIFY2(run.out.contains(u"OK  Keychain: encrypted file"), qPrintable(run.out));
        QVERIFY(run.out.contains(u"Printer: "));
        QCOMPARE(run.exitCode, run.out.contains(u"FAIL") ? 1 : 0);
        // A damaged file: the check says so and fails.
        QFile file(m_dir.filePath(u"profile/sellerdesk.sqlite"_qs));
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.seek(file.size() / 2 - (file.size() / 2) % 4096);
        file.write(QByteArray(4 * 4096, '\x33'));
        file.close();
        auto damaged = cli({u"selftest"_qs});
        QCOMPARE(damaged.exitCode, 1);
        QVERIFY2(damaged.out.contains(u"FAIL") && damaged.out.contains(u"damaged"), qPrintable(damaged.out));
    }
};

QTEST_GUILESS_MAIN(TestAccessCli)
#include "tst_accesscli.moc"
