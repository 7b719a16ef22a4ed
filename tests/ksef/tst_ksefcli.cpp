#include "fakeksef.h"
#include "testsupport.h"

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
        const QString xml = QFINDTESTDATA("../data/ksef/official-sample-fa3.xml");
        auto run = cli({u"ksef"_qs, u"send"_qs, u"FV/9/11/2026"_qs, u"--xml"_qs, xml});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        QVERIFY2(run.out.contains(u"accepted"), qPrintable(run.out));
        QCOMPARE(m_fake->invoices().size(), 1);
        const QString number = m_fake->invoices().constFirst().ksefNumber;
        QVERIFY(run.out.contains(number));

        auto status = cli({u"ksef"_qs, u"status"_qs, u"FV/9/11/2026"_qs, u"--json"_qs});
        QCOMPARE(status.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(status.out.toUtf8()).object();
        QCOMPARE(json.value(u"state").toString(), u"accepted"_qs);
        QCOMPARE(json.value(u"ksefNumber").toString(), number);
        QVERIFY(json.value(u"upo").toString().contains(number));

        auto missing = cli({u"ksef"_qs, u"status"_qs, u"FV/none"_qs});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(u"FV/none"));
    }

    void downThenSentLater()
    {
        m_fake->setDown(test::FakeKsef::Down::Refuse);
        const QString xml = QFINDTESTDATA("../data/ksef/official-sample-fa3.xml");
        QByteArray other = test::readFile(xml).replace("FA/GRQMB-0001/05/2025", "FA/GRQMB-0002/05/2025");
        const QString otherPath = m_dir.filePath(u"other.xml"_qs);
        QFile f(otherPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(other);
        f.close();
        auto queued = cli({u"ksef"_qs, u"send"_qs, u"FV/10/11/2026"_qs, u"--xml"_qs, otherPath});
        QVERIFY2(queued.exitCode == 0, qPrintable(queued.err));
        QVERIFY2(queued.out.contains(u"offline-issued"), qPrintable(queued.out));
        const int before = m_fake->invoicePosts();

        m_fake->setDown(test::FakeKsef::Down::No);
        auto later = cli({u"ksef"_qs, u"send"_qs, u"FV/10/11/2026"_qs});
        QVERIFY2(later.exitCode == 0, qPrintable(later.err));
        QVERIFY2(later.out.contains(u"accepted"), qPrintable(later.out));
        QCOMPARE(m_fake->invoicePosts(), before + 1);
        QCOMPARE(m_fake->invoices().constLast().xml, other);
    }
};

QTEST_GUILESS_MAIN(TestKsefCli)
#include "tst_ksefcli.moc"
