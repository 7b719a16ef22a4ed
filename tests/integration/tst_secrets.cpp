#include "fakeksef.h"
#include "smsgatewayfake.h"
#include "smtpsink.h"
#include "testsupport.h"
#include "trainingharness.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>

using namespace sd;

namespace {

// Every secret a full run uses. None may appear, in any usual encoding, in what the run leaves behind.
constexpr auto kPassphrase = "Passphrase-of-the-secret-file-7Qm2";
constexpr auto kMailPassword = "Mail-password-Zx81-kq";
constexpr auto kSmsToken = "sms-token-0f4c9b2e77a1d3";
constexpr auto kKsefToken = "20251110-EC-0A1B2C3D4E-5F6A7B8C9D-01|nip-5265877635|secretscan0123456789abcdef01";
// Every token the training marketplace issues is a JWT with this header (base64url of {"alg":"RS256","typ":"JWT"}):
// whatever value it has, its start is recognisable.
constexpr auto kJwtHeader = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";

struct Leak
{
    QString where;
    QString secret;
    QString form;
};

// The forms a secret could take in a file or an output: as is, base64, URL-encoded, and percent-encoded in a form.
QList<QPair<QString, QByteArray>> formsOf(const QByteArray &secret)
{
    QList<QPair<QString, QByteArray>> forms = {{u"raw"_qs, secret}};
    if (secret != kJwtHeader) {
        forms.append({u"base64"_qs, secret.toBase64(QByteArray::OmitTrailingEquals)});
        const QByteArray url = secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        if (url != forms.constLast().second)
            forms.append({u"base64url"_qs, url});
        const QByteArray encoded = QUrl::toPercentEncoding(QString::fromUtf8(secret));
        if (encoded != secret)
            forms.append({u"url-encoded"_qs, encoded});
    }
    return forms;
}

QList<Leak> scan(const QString &where, const QByteArray &data, const QList<QByteArray> &secrets)
{
    QList<Leak> leaks;
    for (const QByteArray &secret : secrets)
        for (const auto &[form, bytes] : formsOf(secret))
            if (data.contains(bytes))
                leaks.append({where, QString::fromUtf8(secret.left(12)) + u"…"_qs, form});
    return leaks;
}

QList<Leak> scanTree(const QString &root, const QList<QByteArray> &secrets)
{
    QList<Leak> leaks;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        leaks += scan(path, test::readFile(path), secrets);
    }
    return leaks;
}

QString describe(const QList<Leak> &leaks)
{
    QStringList lines;
    for (const Leak &leak : leaks)
        lines << leak.secret + u" ("_qs + leak.form + u") in "_qs + leak.where;
    return lines.join(u'\n');
}

// The ports this process (or any) listens on, with the local address, from /proc/net/tcp and tcp6.
QStringList listenersOn(quint16 port)
{
    QStringList found;
    for (const char *file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        const QList<QByteArray> lines = test::readFile(QString::fromLatin1(file)).split('\n');
        for (const QByteArray &line : lines.mid(1)) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() < 4 || fields.at(3) != "0A") // 0A: LISTEN
                continue;
            const QList<QByteArray> local = fields.at(1).split(':');
            if (local.size() == 2 && local.at(1).toUInt(nullptr, 16) == port)
                found << QString::fromLatin1(local.at(0));
        }
    }
    return found;
}

bool isLoopback(const QString &hexAddress)
{
    // IPv4 in /proc is little-endian hex: 0100007F is 127.0.0.1. IPv6 ::1 and ::ffff:127.0.0.1 likewise.
    return hexAddress == u"0100007F" || hexAddress == u"00000000000000000000000001000000" ||
           hexAddress == u"0000000000000000FFFF00000100007F";
}

} // namespace

// Issue 13: a full run with every kind of secret (marketplace tokens, mail password, SMS token, KSeF token, the
// secret file's passphrase) leaves none of them in the database, the logs, the traces, the exports, the command
// outputs (also with --verbose failures) or a crashed node's output. And the training services listen on loopback
// only.
class TestSecrets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QStringList m_outputs; // every command's stdout and stderr, for the scan
    QString profile() const { return m_dir.filePath(u"profile"_qs); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"SD_SECRET_STORE"_qs, u"file"_qs);
        env.insert(u"SD_SECRET_PASSPHRASE"_qs, QString::fromLatin1(kPassphrase));
        return env;
    }

    // The CLI in its own process while this one's event loop serves the fakes that live in it.
    test::CliRun cli(const QStringList &arguments, const QByteArray &input = {})
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.setWorkingDirectory(m_dir.path());
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(qEnvironmentVariable("SD_CLI"), QStringList{u"--profile"_qs, profile()} + arguments);
        p.write(input);
        p.closeWriteChannel();
        test::CliRun run;
        if (!finished.wait(90000)) {
            p.kill();
            p.waitForFinished(2000);
            run.err = u"timed out: "_qs + arguments.join(u' ');
            return run;
        }
        run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        run.out = QString::fromUtf8(p.readAllStandardOutput());
        run.err = QString::fromUtf8(p.readAllStandardError());
        m_outputs << run.out << run.err;
        return run;
    }

    QList<QByteArray> secrets() const { return {kPassphrase, kMailPassword, kSmsToken, kKsefToken, kJwtHeader}; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(!qEnvironmentVariable("SD_CLI").isEmpty());
    }

    void theScanFindsWhatIsThere()
    {
        // The scan itself can fail: a planted secret, in each form, is found.
        QTemporaryDir dir;
        QFile planted(dir.filePath(u"planted.log"_qs));
        QVERIFY(planted.open(QIODevice::WriteOnly));
        planted.write("x" + QByteArray(kSmsToken).toBase64() + "y\nAuthorization: Bearer " + kJwtHeader + ".e30.sig\n" +
                      QUrl::toPercentEncoding(QString::fromLatin1(kKsefToken)));
        planted.close();
        const auto leaks = scanTree(dir.path(), secrets());
        QCOMPARE(leaks.size(), 3);
        QVERIFY(describe(leaks).contains(u"base64"));
        QVERIFY(describe(leaks).contains(u"url-encoded"));
        QVERIFY(scanTree(dir.path(), {kMailPassword}).isEmpty());
    }

    void aFullRunLeavesNoSecretBehind()
    {
        sd::marketplace::training::TrainingOptions options;
        options.autoApprove = true;
        options.orders = 6;
        TrainingHarness shop(options);
        QVERIFY2(shop.error().isEmpty(), qPrintable(shop.error()));
        const QString shopUrl = shop.url().toString();

        test::SmtpSink smtp;
        test::SmtpSink::Options smtpOptions;
        smtpOptions.user = u"shop"_qs;
        smtpOptions.password = QString::fromLatin1(kMailPassword);
        if (!smtp.start(smtpOptions))
            QFAIL(qPrintable(smtp.error()));
        test::SmsGatewayFake sms(kSmsToken);
        const quint16 smsPort = sms.start();
        QVERIFY(smsPort);
        test::FakeKsef ksef(QFINDTESTDATA("../data/ksef/schemy/schemat_FA(3)_v1-0E.local.xsd"));
        SD_VERIFY_OK(ksef.start());
        ksef.setToken(kKsefToken, u"5265877635"_qs);

        // Sign-ins and settings: every secret goes in through standard input or the device flow.
        auto connected = cli({u"allegro"_qs, u"connect"_qs, u"--url"_qs, shopUrl, u"--name"_qs, u"shop"_qs});
        QVERIFY2(connected.exitCode == 0, qPrintable(connected.err));
        auto synced = cli({u"allegro"_qs, u"sync"_qs});
        QVERIFY2(synced.exitCode == 0, qPrintable(synced.err + synced.out));
        auto mail = cli({u"mail"_qs, u"account"_qs, u"add"_qs, u"--host"_qs, u"127.0.0.1"_qs, u"--port"_qs,
                         QString::number(smtp.port()), u"--security"_qs, u"none"_qs, u"--from"_qs,
                         u"shop@example.com"_qs, u"--user"_qs, u"shop"_qs, u"--password-stdin"_qs},
                        QByteArray(kMailPassword) + '\n');
        QVERIFY2(mail.exitCode == 0, qPrintable(mail.err));
        auto smsAccount = cli({u"sms"_qs, u"account"_qs, u"add"_qs, u"--url"_qs, u"http://127.0.0.1:%1"_qs.arg(smsPort),
                               u"--token-stdin"_qs},
                              QByteArray(kSmsToken) + '\n');
        QVERIFY2(smsAccount.exitCode == 0, qPrintable(smsAccount.err));
        auto ksefSettings = cli({u"ksef"_qs, u"settings"_qs, u"--environment"_qs, ksef.baseUrl().toString(),
                                 u"--nip"_qs, u"5265877635"_qs, u"--token-stdin"_qs, u"--on"_qs},
                                QByteArray(kKsefToken) + '\n');
        QVERIFY2(ksefSettings.exitCode == 0, qPrintable(ksefSettings.err));

        // Using them: an e-mail, an SMS, an invoice sent to KSeF.
        auto test = cli({u"mail"_qs, u"test"_qs, u"--to"_qs, u"owner@example.com"_qs});
        QVERIFY2(test.exitCode == 0, qPrintable(test.err + test.out));
        QTRY_COMPARE_WITH_TIMEOUT(smtp.messages().size(), 1, 10000);
        QVERIFY(smtp.messages().constFirst().value(u"authenticated"_qs).toBool());
        auto orders = cli({u"orders"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(orders.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(orders.out.toUtf8()).array();
        QVERIFY(list.size() >= 6);
        const QString order = QString::number(list.at(0).toObject().value(u"id"_qs).toInteger());
        auto texted =
            cli({u"sms"_qs, u"send"_qs, order, u"--template"_qs, u"statusChanged"_qs, u"--to"_qs, u"+48600100200"_qs});
        QVERIFY2(texted.exitCode == 0, qPrintable(texted.err + texted.out));
        QCOMPARE(sms.received.size(), 1);
        auto company =
            cli({u"company"_qs, u"set"_qs, u"--name"_qs, u"Sklep Testowy sp. z o.o."_qs, u"--nip"_qs, u"5265877635"_qs,
                 u"--street"_qs, u"Prosta 1"_qs, u"--postcode"_qs, u"00-001"_qs, u"--city"_qs, u"Warszawa"_qs});
        QVERIFY2(company.exitCode == 0, qPrintable(company.err));
        QVERIFY(QDir(m_dir.path()).mkpath(u"export"_qs));
        QCOMPARE(cli({u"documents"_qs, u"settings"_qs, u"--private-persons"_qs, u"on"_qs}).exitCode, 0);
        auto invoice = cli({u"invoice"_qs, u"issue"_qs, order, u"--xml"_qs, m_dir.filePath(u"export/fa3.xml"_qs),
                            u"--pdf"_qs, m_dir.filePath(u"export/invoice.pdf"_qs)});
        QVERIFY2(invoice.exitCode == 0, qPrintable(invoice.err + invoice.out));
        auto documents = cli({u"documents"_qs, u"list"_qs, u"--json"_qs});
        const QJsonArray docs = QJsonDocument::fromJson(documents.out.toUtf8()).array();
        QCOMPARE(docs.size(), 1);
        auto sent =
            cli({u"ksef"_qs, u"send"_qs, docs.at(0).toObject().value(u"number"_qs).toString(), u"--wait"_qs, u"20"_qs});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.err + sent.out));
        QTRY_COMPARE_WITH_TIMEOUT(ksef.invoices().size(), 1, 20000);

        // Exports and views of what happened.
        for (const QStringList &command :
             {QStringList{u"orders"_qs, u"show"_qs, order, u"--json"_qs},
              QStringList{u"orders"_qs, u"history"_qs, order, u"--json"_qs},
              QStringList{u"messages"_qs, u"list"_qs, u"--json"_qs}, QStringList{u"jobs"_qs, u"list"_qs, u"--json"_qs},
              QStringList{u"rules"_qs, u"trace"_qs, order, u"--json"_qs}, QStringList{u"allegro"_qs, u"accounts"_qs},
              QStringList{u"mail"_qs, u"account"_qs, u"list"_qs},
              QStringList{u"ksef"_qs, u"status"_qs, docs.at(0).toObject().value(u"number"_qs).toString(), u"--json"_qs},
              QStringList{u"documents"_qs, u"show"_qs, docs.at(0).toObject().value(u"number"_qs).toString(),
                          u"--json"_qs}})
            QVERIFY2(cli(command).exitCode == 0, qPrintable(command.join(u' ')));

        // Failures with technical details: a revoked marketplace token and a mail server that refuses the password.
        shop.run([](sd::marketplace::training::TrainingServer &server) { server.revokeTokens(); });
        auto refused = cli({u"--verbose"_qs, u"allegro"_qs, u"sync"_qs});
        QVERIFY(refused.exitCode != 0 || refused.out.contains(u"sign"_qs, Qt::CaseInsensitive) ||
                !refused.err.isEmpty());
        smtp.stop();
        auto down = cli({u"--verbose"_qs, u"mail"_qs, u"test"_qs, u"--to"_qs, u"owner@example.com"_qs});
        QVERIFY(down.exitCode != 0);

        // A headless node that runs, logs, and then crashes: its log and its dying words hold no secret either.
        QProcess node;
        node.setProcessEnvironment(environment());
        node.setWorkingDirectory(m_dir.path());
        node.start(qEnvironmentVariable("SD_APP"), {u"--headless"_qs, u"--profile"_qs, profile()});
        QVERIFY2(node.waitForStarted(10000), "cannot start sellerdesk --headless");
        const QString log = profile() + u"/logs/sellerdesk-headless.log"_qs;
        QTRY_VERIFY_WITH_TIMEOUT(test::readFile(log).contains("headless scheduler started"), 20000);
        QTest::qWait(1500);
        ::kill(pid_t(node.processId()), SIGABRT);
        QVERIFY(node.waitForFinished(10000));
        QCOMPARE(node.exitStatus(), QProcess::CrashExit);
        m_outputs << QString::fromUtf8(node.readAllStandardOutput()) << QString::fromUtf8(node.readAllStandardError());

        // The scan: the whole profile (database, WAL, logs, the encrypted secret file), the exports, the working
        // directory (a core file would be there) and every output.
        QVERIFY(QFile::exists(profile() + u"/secrets.enc"_qs));
        QVERIFY(test::readFile(m_dir.filePath(u"export/fa3.xml"_qs)).contains("5265877635"));
        QList<Leak> leaks = scanTree(m_dir.path(), secrets());
        leaks += scan(u"command output"_qs, m_outputs.join(u'\n').toUtf8(), secrets());
        QVERIFY2(leaks.isEmpty(), qPrintable(describe(leaks)));
    }

    void trainingServicesListenOnLoopbackOnly()
    {
        struct Service
        {
            QStringList arguments;
            QRegularExpression port;
        };
        const QList<Service> services = {
            {{u"training"_qs, u"serve"_qs, u"--port"_qs, u"0"_qs},
             QRegularExpression(u"^http://127\\.0\\.0\\.1:(\\d+)"_qs)},
            {{u"fiscal"_qs, u"simulate"_qs, u"--port"_qs, u"0"_qs, u"--journal"_qs, m_dir.filePath(u"journal.json"_qs)},
             QRegularExpression(u"^tcp://127\\.0\\.0\\.1:(\\d+)"_qs)},
            {{u"label"_qs, u"training-shipx"_qs, u"--port"_qs, u"0"_qs},
             QRegularExpression(u"http://127\\.0\\.0\\.1:(\\d+)"_qs)},
        };
        for (const Service &service : services) {
            QProcess p;
            p.start(qEnvironmentVariable("SD_CLI"), service.arguments);
            QVERIFY(p.waitForStarted(10000));
            QString line;
            for (int i = 0; i < 100 && line.isEmpty(); ++i) {
                p.waitForReadyRead(200);
                if (p.canReadLine())
                    line = QString::fromUtf8(p.readLine()).trimmed();
            }
            const auto match = service.port.match(line);
            QVERIFY2(match.hasMatch(), qPrintable(service.arguments.join(u' ') + u": "_qs + line));
            const QStringList listeners = listenersOn(quint16(match.captured(1).toUInt()));
            QVERIFY2(!listeners.isEmpty(), qPrintable(line));
            for (const QString &address : listeners)
                QVERIFY2(isLoopback(address), qPrintable(service.arguments.join(u' ') + u" listens on "_qs + address));
            // And a host other than loopback cannot be asked for.
            p.terminate();
            if (!p.waitForFinished(5000))
                p.kill();
        }
        auto wide = test::runCli({u"training"_qs, u"serve"_qs, u"--host"_qs, u"0.0.0.0"_qs});
        QCOMPARE(wide.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
