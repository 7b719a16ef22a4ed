#include "documents/ksef/ksefnumber.h"
#include "documents/ksef/ksefqueue.h"
#include "documents/ksef/submissionobserver.h"
#include "fakeksef.h"
#include "openapivalidator.h"
#include "security/filesecretstore.h"
#include "storage/actionledger.h"
#include "storage/sqlquery.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>

using namespace sd;
using namespace sd::documents::ksef;

namespace {

constexpr auto kToken =
    "20251110-EC-1A2B3C4D5E-6F7A8B9C0D-E1|internalId-5265877635-12345|7f3e0c2d9b8a4c6e8d1f0a2b3c4d5e6f";
constexpr auto kNip = "5265877635";

struct Recorder : SubmissionObserver
{
    QStringList events;
    QList<Submission> last;
    void note(const char *what, const Submission &s)
    {
        events.append(QLatin1String(what) + u':' + s.documentRef);
        last.append(s);
    }
    void queued(const Submission &s) override { note("queued", s); }
    void offlineIssued(const Submission &s) override { note("offline", s); }
    void sent(const Submission &s) override { note("sent", s); }
    void accepted(const Submission &s) override { note("accepted", s); }
    void rejected(const Submission &s) override { note("rejected", s); }
};

// Everything logged while a test runs, to prove the token never reaches the log.
QStringList *s_log = nullptr;
std::mutex s_logMutex;
void captureLog(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    std::lock_guard lock(s_logMutex);
    if (s_log)
        s_log->append(QString::fromLatin1(context.category ? context.category : "") + u' ' + message);
}

} // namespace

class TestKsefFlow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TempDatabase m_db;
    std::unique_ptr<test::FakeKsef> m_fake;
    std::shared_ptr<security::SecretStore> m_secrets;
    Recorder m_recorder;
    QList<marketplace::HttpExchange> m_exchanges;
    QByteArray m_xml;

    Settings settings()
    {
        Settings s;
        s.environment = Settings::Environment::Custom;
        s.baseUrl = m_fake->baseUrl();
        s.nip = QString::fromLatin1(kNip);
        s.tokenRef = u"ksef/token/test"_qs;
        return s;
    }

    std::unique_ptr<KsefQueue> makeQueue(int timeoutMs = 3000)
    {
        KsefQueue::Options options;
        options.timeoutMs = timeoutMs;
        options.statusPollMs = 20;
        options.authPollMs = 10;
        options.retryBaseMs = 50;
        options.retryMaxMs = 200;
        options.abandonedAfterSeconds = 0;
        auto queue = std::make_unique<KsefQueue>(m_db.db, m_secrets, settings(), options);
        queue->setObserver(&m_recorder);
        queue->setExchangeObserver([this](const marketplace::HttpExchange &ex) { m_exchanges.append(ex); });
        return queue;
    }

    Submission latest(const QString &ref)
    {
        auto s = SubmissionStore(m_db.db).latest(ref);
        if (!s || !*s)
            return {};
        return **s;
    }

    void checkTrafficAgainstSpec()
    {
        auto spec = test::OpenApiValidator::load(QFINDTESTDATA("../data/ksef/ksef-api-v2-openapi.json"));
        SD_VERIFY_OK(spec);
        QStringList problems;
        for (const auto &ex : std::as_const(m_exchanges)) {
            // Every request names an operation of the spec (the check below would skip nothing silently).
            const QString path = ex.url.path().mid(m_fake->baseUrl().path().size());
            QVERIFY2(!(*spec)->operationPath(ex.method, path).isEmpty(), qPrintable(path));
            problems += (*spec)->checkExchange(ex, m_fake->baseUrl());
        }
        QVERIFY(m_exchanges.size() >= 9);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_xml = test::readFile(QFINDTESTDATA("../data/ksef/official-sample-fa3.xml"));
        QVERIFY(!m_xml.isEmpty());
    }

    void init()
    {
        const bool postgres = QByteArray(QTest::currentTestFunction()).startsWith("postgres");
        if (postgres)
            SD_REQUIRE_POSTGRES();
        auto db = test::openFresh(postgres ? u"postgres"_qs : u"sqlite"_qs, u"ksefflow"_qs);
        SD_VERIFY_OK(db);
        m_db = *db;
        m_fake = std::make_unique<test::FakeKsef>(QFINDTESTDATA("../data/ksef/schemy/schemat_FA(3)_v1-0E.local.xsd"));
        SD_VERIFY_OK(m_fake->start());
        m_fake->setToken(kToken, QString::fromLatin1(kNip));
        m_secrets = std::make_shared<security::FileSecretStore>(
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".enc"_qs), "passphrase", 1000);
        SD_VERIFY_OK(m_secrets->write(u"ksef/token/test"_qs, kToken));
        m_recorder = {};
        m_exchanges.clear();
    }

    void cleanup()
    {
        QVERIFY2(m_fake->problems().isEmpty(), qPrintable(m_fake->problems().join(u'\n')));
        m_fake.reset();
        m_db = {};
    }

    void acceptedStoresKsefNumberAndUpo()
    {
        auto queue = makeQueue();
        auto s = queue->submit(u"FV/1/11/2026"_qs, m_xml);
        SD_VERIFY_OK(s);
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"accepted:FV/1/11/2026"_qs), 10000);
        QCOMPARE(m_recorder.events,
                 QStringList({u"queued:FV/1/11/2026"_qs, u"sent:FV/1/11/2026"_qs, u"accepted:FV/1/11/2026"_qs}));

        const Submission done = latest(u"FV/1/11/2026"_qs);
        QCOMPARE(done.state, Submission::State::Accepted);
        QVERIFY2(ksefnumber::isValid(done.ksefNumber), qPrintable(done.ksefNumber));
        QVERIFY(done.ksefNumber.startsWith(QLatin1String(kNip)));
        QVERIFY(done.upo.contains(done.ksefNumber.toUtf8()));
        QVERIFY(done.upo.contains("<Potwierdzenie"));
        QVERIFY(!done.offline);
        QVERIFY(done.acceptedAt.isValid());
        // The fake decrypted exactly the bytes given, validated them against the XSD and accepted them.
        QCOMPARE(m_fake->invoices().size(), 1);
        QCOMPARE(m_fake->invoices().constFirst().xml, m_xml);
        QCOMPARE(m_fake->invoices().constFirst().code, 200);
        QCOMPARE(m_fake->sessionsOpened(), 1);
        QTRY_COMPARE(m_fake->sessionsClosed(), 1);

        auto entry = storage::ActionLedger(m_db.db).find(KsefQueue::ledgerKey(done.documentRef, done.contentHash));
        SD_VERIFY_OK(entry);
        QVERIFY(*entry);
        QCOMPARE((*entry)->state, storage::ActionLedger::State::Done);
        QCOMPARE((*entry)->result.value(u"invoiceRef").toString(), done.invoiceRef);

        // The same bytes for the same document again: nothing new is sent.
        QSignalSpy idle(queue.get(), &KsefQueue::idle);
        SD_VERIFY_OK(queue->submit(u"FV/1/11/2026"_qs, m_xml));
        QVERIFY(idle.wait(5000));
        QCOMPARE(m_fake->invoicePosts(), 1);
        checkTrafficAgainstSpec();
    }

    void rejectionStoresReason()
    {
        m_fake->setVerdict(test::FakeKsef::Verdict::Reject, 440, u"Duplikat faktury"_qs);
        auto queue = makeQueue();
        SD_VERIFY_OK(queue->submit(u"FV/2/11/2026"_qs, m_xml));
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"rejected:FV/2/11/2026"_qs), 10000);
        const Submission done = latest(u"FV/2/11/2026"_qs);
        QCOMPARE(done.state, Submission::State::Rejected);
        QCOMPARE(done.statusCode, 440);
        QCOMPARE(done.reason, u"Duplikat faktury"_qs);
        QVERIFY(done.ksefNumber.isEmpty());
        checkTrafficAgainstSpec();
    }

    void invalidInvoiceIsRejectedWithSchemaErrors()
    {
        QByteArray broken = m_xml;
        broken.replace("<P_2>", "<P_2_bad>").replace("</P_2>", "</P_2_bad>");
        auto queue = makeQueue();
        SD_VERIFY_OK(queue->submit(u"FV/3/11/2026"_qs, broken));
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"rejected:FV/3/11/2026"_qs), 10000);
        const Submission done = latest(u"FV/3/11/2026"_qs);
        QCOMPARE(done.statusCode, 450);
        QVERIFY2(done.reason.contains(u"P_2_bad"), qPrintable(done.reason));
    }

    void serviceDownThenBackSendsOnce_data()
    {
        QTest::addColumn<int>("down");
        QTest::newRow("refused") << int(test::FakeKsef::Down::Refuse);
        QTest::newRow("503") << int(test::FakeKsef::Down::ServerError);
    }

    void serviceDownThenBackSendsOnce()
    {
        QFETCH(int, down);
        m_fake->setDown(test::FakeKsef::Down(down));
        auto queue = makeQueue();
        SD_VERIFY_OK(queue->submit(u"FV/4/11/2026"_qs, m_xml));
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"offline:FV/4/11/2026"_qs), 10000);
        // Several attempts while it is down; the document stays queued and nothing arrives.
        QTRY_VERIFY_WITH_TIMEOUT(latest(u"FV/4/11/2026"_qs).attempts >= 3, 10000);
        Submission waiting = latest(u"FV/4/11/2026"_qs);
        QCOMPARE(waiting.state, Submission::State::Queued);
        QVERIFY(waiting.offline);
        QVERIFY(!waiting.lastError.isEmpty());
        QCOMPARE(m_fake->invoicePosts(), 0);

        m_fake->setDown(test::FakeKsef::Down::No);
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"accepted:FV/4/11/2026"_qs), 10000);
        QCOMPARE(m_fake->invoicePosts(), 1);
        QCOMPARE(m_recorder.events.count(u"offline:FV/4/11/2026"_qs), 1);
        const Submission done = latest(u"FV/4/11/2026"_qs);
        QVERIFY(done.offline);
        QVERIFY(ksefnumber::isValid(done.ksefNumber));
    }

    void crashBetweenSendAndRecordDoesNotSendTwice()
    {
        auto queue = makeQueue();
        // The process dies the moment KSeF has the invoice: before its answer is read and recorded.
        connect(m_fake.get(), &test::FakeKsef::invoiceReceived, this, [&queue] { queue.reset(); });
        SD_VERIFY_OK(queue->submit(u"FV/5/11/2026"_qs, m_xml));
        QTRY_VERIFY_WITH_TIMEOUT(!queue, 10000);
        disconnect(m_fake.get(), &test::FakeKsef::invoiceReceived, this, nullptr);
        const Submission interrupted = latest(u"FV/5/11/2026"_qs);
        QCOMPARE(interrupted.state, Submission::State::Sending);
        QVERIFY(!interrupted.sessionRef.isEmpty());
        QVERIFY(interrupted.invoiceRef.isEmpty());

        // A new process finds it "sending", looks it up in its session and goes on from there.
        auto restarted = makeQueue();
        restarted->kick();
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"accepted:FV/5/11/2026"_qs), 10000);
        QCOMPARE(m_fake->invoicePosts(), 1);
        QCOMPARE(m_fake->invoices().size(), 1);
        QCOMPARE(latest(u"FV/5/11/2026"_qs).invoiceRef, m_fake->invoices().constFirst().referenceNumber);
    }

    void lostAnswerIsLookedUpNotSentAgain()
    {
        m_fake->setDropInvoiceAnswers(true);
        auto queue = makeQueue(400);
        SD_VERIFY_OK(queue->submit(u"FV/11/11/2026"_qs, m_xml));
        // The invoice arrived, the answer did not: the outcome is unknown, so it stays "sending".
        QTRY_VERIFY_WITH_TIMEOUT(latest(u"FV/11/11/2026"_qs).attempts >= 1, 10000);
        QCOMPARE(latest(u"FV/11/11/2026"_qs).state, Submission::State::Sending);
        m_fake->setDropInvoiceAnswers(false);
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"accepted:FV/11/11/2026"_qs), 10000);
        QCOMPARE(m_fake->invoicePosts(), 1);
        QCOMPARE(latest(u"FV/11/11/2026"_qs).invoiceRef, m_fake->invoices().constFirst().referenceNumber);
    }

    // The same exactly-once path on PostgreSQL: the ledger claim and the submission rows on the shared server.
    void postgresCrashAndOutage()
    {
        m_fake->setDown(test::FakeKsef::Down::ServerError);
        auto queue = makeQueue();
        connect(m_fake.get(), &test::FakeKsef::invoiceReceived, this, [&queue] { queue.reset(); });
        SD_VERIFY_OK(queue->submit(u"FV/8/11/2026"_qs, m_xml));
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"offline:FV/8/11/2026"_qs), 10000);
        m_fake->setDown(test::FakeKsef::Down::No);
        QTRY_VERIFY_WITH_TIMEOUT(!queue, 10000);
        disconnect(m_fake.get(), &test::FakeKsef::invoiceReceived, this, nullptr);
        QCOMPARE(latest(u"FV/8/11/2026"_qs).state, Submission::State::Sending);

        auto restarted = makeQueue();
        restarted->kick();
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"accepted:FV/8/11/2026"_qs), 10000);
        QCOMPARE(m_fake->invoicePosts(), 1);
        const Submission done = latest(u"FV/8/11/2026"_qs);
        QVERIFY(done.offline);
        QVERIFY(ksefnumber::isValid(done.ksefNumber));
    }

    void wrongTokenIsNotAnOutage()
    {
        SD_VERIFY_OK(m_secrets->write(u"ksef/token/test"_qs, "not-the-token"));
        auto queue = makeQueue();
        SD_VERIFY_OK(queue->submit(u"FV/6/11/2026"_qs, m_xml));
        QTRY_VERIFY_WITH_TIMEOUT(latest(u"FV/6/11/2026"_qs).attempts >= 1, 10000);
        const Submission s = latest(u"FV/6/11/2026"_qs);
        QCOMPARE(s.state, Submission::State::Queued);
        QVERIFY(!s.offline);
        QVERIFY2(s.lastError.contains(u"token"), qPrintable(s.lastError));
        QCOMPARE(m_fake->invoicePosts(), 0);
        QVERIFY(!m_recorder.events.contains(u"offline:FV/6/11/2026"_qs));
    }

    void tokenNeverLoggedOrStored()
    {
        QStringList log;
        QLoggingCategory::setFilterRules(u"sd.*=true"_qs);
        {
            std::lock_guard lock(s_logMutex);
            s_log = &log;
        }
        const QtMessageHandler previous = qInstallMessageHandler(captureLog);
        auto queue = makeQueue();
        SD_VERIFY_OK(queue->submit(u"FV/7/11/2026"_qs, m_xml));
        QTRY_VERIFY_WITH_TIMEOUT(m_recorder.events.contains(u"accepted:FV/7/11/2026"_qs), 10000);
        qInstallMessageHandler(previous);
        {
            std::lock_guard lock(s_logMutex);
            s_log = nullptr;
        }
        QLoggingCategory::setFilterRules({});
        QVERIFY(log.join(u'\n').contains(u"sd.ksef"));

        const QString token = QString::fromLatin1(kToken);
        // Tokens the fake handed out: authentication ("auth-"), access ("access-") and refresh ("refresh-").
        const QStringList secrets{token, u"auth-"_qs, u"access-"_qs, u"refresh-"_qs};
        for (const QString &secret : secrets) {
            QVERIFY2(!log.join(u'\n').contains(secret), qPrintable(secret));
            for (const auto &ex : std::as_const(m_exchanges)) {
                QVERIFY(ex.requestHeader("Authorization").isEmpty());
                QVERIFY2(!ex.requestBody.contains(secret.toUtf8()), qPrintable(secret));
                QVERIFY2(!ex.responseBody.contains(secret.toUtf8()), qPrintable(ex.url.path()));
            }
        }
        QVERIFY(!m_exchanges.isEmpty());
        // Every text value in every table of the database.
        QSqlDatabase connection = m_db.db->connection();
        int cells = 0;
        for (const QString &table : connection.tables()) {
            QSqlQuery q(connection);
            QVERIFY(q.exec(u"SELECT * FROM "_qs + table));
            while (q.next()) {
                for (int i = 0; i < q.record().count(); ++i) {
                    const QString value = q.value(i).toString();
                    ++cells;
                    for (const QString &secret : secrets)
                        QVERIFY2(!value.contains(secret), qPrintable(table + u'.' + q.record().fieldName(i)));
                }
            }
        }
        QVERIFY(cells > 0);
    }
};

QTEST_GUILESS_MAIN(TestKsefFlow)
#include "tst_ksefflow.moc"
