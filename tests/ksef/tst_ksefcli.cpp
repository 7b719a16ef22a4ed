#include "fakeksef.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;

namespace {

constexpr auto kToken = "20251110-EC-0A1B2C3D4E-5F6A7B8C9D-01|nip-5265877635|cli0123456789abcdef0123456789ab";

} // namespace

// sellerdesk-cli ksef settings / send / status against the fake KSeF, the CLI in its own process.
class TestKsefCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<test::FakeKsef> m_fake;
    QStringList m_numbers;

    // The fake lives in this process, so the CLI runs without blocking its event loop.
    test::CliRun cli(const QStringList &arguments, const QByteArray &input = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"SD_SECRET_STORE"_qs, u"file"_qs);
        env.insert(u"SD_SECRET_PASSPHRASE"_qs, u"cli passphrase"_qs);
        p.setProcessEnvironment(env);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(qEnvironmentVariable("SD_CLI"),
                QStringList{u"--profile"_qs, m_dir.filePath(u"profile"_qs)} + arguments);
        p.write(input);
        p.closeWriteChannel();
        test::CliRun run;
        if (!finished.wait(60000))
            return run;
        run.exitCode = p.exitCode();
        run.out = QString::fromUtf8(p.readAllStandardOutput());
        run.err = QString::fromUtf8(p.readAllStandardError());
        return run;
    }

    // Invoices issued from demo orders (the first ones with a buyer's NIP).
    QStringList issueInvoices(int count)
    {
        QStringList numbers;
        for (int id = 1; id <= 40 && numbers.size() < count; ++id) {
            auto issued = cli({u"invoice"_qs, u"issue"_qs, QString::number(id)});
            if (issued.exitCode == 0)
                numbers.append(issued.out.section(u' ', 2, 2));
        }
        return numbers;
    }

    // With SD_KEEP_PROFILE=DIR the profile is copied there once the newest invoice was accepted (the fake KSeF's
    // number, UPO and KOD I): the screenshots docs/screenshots/document_ksef_*.png are taken of it.
    void keepProfile()
    {
        const QString keep = qEnvironmentVariable("SD_KEEP_PROFILE");
        if (keep.isEmpty())
            return;
        const QDir from(m_dir.filePath(u"profile"_qs));
        QVERIFY(QDir().mkpath(keep));
        for (const QString &name : from.entryList(QDir::Files)) {
            QFile::remove(QDir(keep).filePath(name));
            QVERIFY(QFile::copy(from.filePath(name), QDir(keep).filePath(name)));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(!qEnvironmentVariable("SD_CLI").isEmpty());
        m_fake = std::make_unique<test::FakeKsef>(QFINDTESTDATA("../data/ksef/schemy/schemat_FA(3)_v1-0E.local.xsd"));
        SD_VERIFY_OK(m_fake->start());
        m_fake->setToken(kToken, u"5265877635"_qs);
    }

    void settings()
    {
        auto bad = cli({u"ksef"_qs, u"settings"_qs, u"--environment"_qs, u"prod"_qs});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"test, production"), qPrintable(bad.err));
        auto badNip = cli({u"ksef"_qs, u"settings"_qs, u"--nip"_qs, u"12345"_qs});
        QCOMPARE(badNip.exitCode, 2);

        auto run = cli({u"ksef"_qs, u"settings"_qs, u"--environment"_qs, m_fake->baseUrl().toString(), u"--nip"_qs,
                        u"526-587-76-35"_qs, u"--token-stdin"_qs},
                       QByteArray(kToken) + '\n');
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(u"5265877635"));
        QVERIFY(run.out.contains(m_fake->baseUrl().toString()));
        QVERIFY(run.out.contains(u"stored in the secret store"));
        QVERIFY(!run.out.contains(QString::fromLatin1(kToken)));
        // The profile's database never holds the token.
        QVERIFY(!test::readFile(m_dir.filePath(u"profile/sellerdesk.sqlite"_qs)).contains(kToken));
    }

    void sendAndStatus()
    {
        QCOMPARE(cli({u"demo"_qs, u"--orders"_qs, u"40"_qs, u"--seed"_qs, u"7"_qs}).exitCode, 0);
        auto company =
            cli({u"company"_qs, u"set"_qs, u"--name"_qs, u"Sklep Testowy Sp. z o.o."_qs, u"--nip"_qs, u"5265877635"_qs,
                 u"--street"_qs, u"ul. Kwiatowa 1"_qs, u"--postcode"_qs, u"00-001"_qs, u"--city"_qs, u"Warszawa"_qs});
        QCOMPARE(company.exitCode, 0);
        m_numbers = issueInvoices(2);
        QCOMPARE(m_numbers.size(), 2);
        const QString first = m_numbers.constFirst();
        // KSeF is off in the settings: issuing did not queue it; `ksef send` sends it when asked.
        auto before = cli({u"ksef"_qs, u"status"_qs, first, u"--json"_qs});
        QCOMPARE(QJsonDocument::fromJson(before.out.toUtf8()).object().value(u"state").toString(), u"issued"_qs);

        auto run = cli({u"ksef"_qs, u"send"_qs, first});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        QVERIFY2(run.out.contains(u"accepted"), qPrintable(run.out));
        QCOMPARE(m_fake->invoices().size(), 1);
        const QString number = m_fake->invoices().constFirst().ksefNumber;
        QVERIFY(run.out.contains(number));
        QVERIFY(m_fake->invoices().constFirst().xml.contains(first.toUtf8()));

        auto status = cli({u"ksef"_qs, u"status"_qs, first, u"--json"_qs});
        QCOMPARE(status.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(status.out.toUtf8()).object();
        QCOMPARE(json.value(u"state").toString(), u"accepted"_qs);
        QCOMPARE(json.value(u"ksefNumber").toString(), number);
        QVERIFY(json.value(u"upo").toString().contains(number));
        QCOMPARE(json.value(u"queue").toObject().value(u"state").toString(), u"accepted"_qs);

        // Asked again: nothing is sent twice.
        auto again = cli({u"ksef"_qs, u"send"_qs, first});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(m_fake->invoicePosts(), 1);

        auto missing = cli({u"ksef"_qs, u"status"_qs, u"FV/none"_qs});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(u"FV/none"));
    }

    void downThenSentLater()
    {
        QCOMPARE(m_numbers.size(), 2);
        const QString second = m_numbers.constLast();
        m_fake->setDown(test::FakeKsef::Down::Refuse);
        auto queued = cli({u"ksef"_qs, u"send"_qs, second});
        QVERIFY2(queued.exitCode == 0, qPrintable(queued.err));
        QVERIFY2(queued.out.contains(u"offline-issued"), qPrintable(queued.out));
        QVERIFY2(queued.out.contains(u"issued offline"), qPrintable(queued.out));
        const int before = m_fake->invoicePosts();

        m_fake->setDown(test::FakeKsef::Down::No);
        auto later = cli({u"ksef"_qs, u"send"_qs, second});
        QVERIFY2(later.exitCode == 0, qPrintable(later.err));
        QVERIFY2(later.out.contains(u"accepted"), qPrintable(later.out));
        QCOMPARE(m_fake->invoicePosts(), before + 1);
        QVERIFY(m_fake->invoices().constLast().xml.contains(second.toUtf8()));
        keepProfile();
    }

    void switchedOnInTheSettings()
    {
        auto on = cli({u"ksef"_qs, u"settings"_qs, u"--on"_qs});
        QVERIFY2(on.exitCode == 0, qPrintable(on.err));
        QVERIFY2(on.out.contains(u"KSeF: on"), qPrintable(on.out));
        // An invoice issued now is queued at once.
        const QStringList numbers = issueInvoices(1);
        QCOMPARE(numbers.size(), 1);
        auto status = cli({u"ksef"_qs, u"status"_qs, numbers.constFirst(), u"--json"_qs});
        QCOMPARE(QJsonDocument::fromJson(status.out.toUtf8()).object().value(u"state").toString(), u"queued"_qs);
        QVERIFY(cli({u"ksef"_qs, u"settings"_qs, u"--off"_qs}).out.contains(u"KSeF: off"));
    }
};

QTEST_GUILESS_MAIN(TestKsefCli)
#include "tst_ksefcli.moc"
