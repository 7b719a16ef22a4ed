#include "../documents/documentfixtures.h"
#include "automation/backgroundservices.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "automation/sqlrun.h"
#include "documents/documentpdf.h"
#include "documents/documentservice.h"
#include "documents/ksef/ksefnumber.h"
#include "documents/ksef/ksefsettings.h"
#include "documents/ksef/ksefsubmissionstore.h"
#include "documents/ksefdocuments.h"
#include "documents/ksefservice.h"
#include "fakeksef.h"
#include "security/filesecretstore.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;
using namespace sd::documents;

namespace {

constexpr auto kToken =
    "20251110-EC-1A2B3C4D5E-6F7A8B9C0D-E1|internalId-5265877635-12345|7f3e0c2d9b8a4c6e8d1f0a2b3c4d5e6f";
const storage::ChangeContext kUser{u"user:anna"_qs, u"test"_qs, 0};

} // namespace

// KSeF joined to the documents: issue -> queued -> sent -> accepted / rejected / offline-issued -> sent later,
// against the fake KSeF on loopback, with the events the automation hears.
class TestKsefDocuments : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TempDatabase m_db;
    std::unique_ptr<storage::OrderStore> m_orders;
    std::unique_ptr<DocumentService> m_service;
    std::unique_ptr<test::FakeKsef> m_fake;
    std::shared_ptr<security::SecretStore> m_secrets;

    qint64 addOrder(const QString &id)
    {
        auto r = m_orders->apply(
            storage::OrderChange::create(test::companyOrder(id, {test::item(u"Kubek"_qs, 2, 2460, u"23"_qs)}, 1299),
                                         {u"marketplace:allegro-pl"_qs, u"import"_qs, 0}));
        return r ? r->orderId : 0;
    }

    Document issue(qint64 orderId)
    {
        IssueRequest request;
        request.orderId = orderId;
        auto doc = m_service->issueForOrder(request, kUser);
        if (!doc)
            qWarning() << doc.error().text();
        return doc ? *doc : Document{};
    }

    Document load(qint64 id)
    {
        auto doc = m_service->store().load(id);
        return doc ? *doc : Document{};
    }

    QStringList documentEvents(qint64 orderId)
    {
        QStringList types;
        auto events = m_orders->eventsAfter(0, 10000);
        for (const auto &e : *events)
            if (e.orderId == orderId && !e.type.startsWith(u"order."))
                types.append(e.type);
        return types;
    }

    std::unique_ptr<KsefService> makeService()
    {
        auto service = std::make_unique<KsefService>(*m_orders);
        ksef::KsefQueue::Options options;
        options.timeoutMs = 3000;
        options.statusPollMs = 20;
        options.authPollMs = 10;
        options.retryBaseMs = 50;
        options.retryMaxMs = 200;
        options.abandonedAfterSeconds = 0;
        service->setQueueOptions(options);
        service->setSecrets(m_secrets);
        return service;
    }

    void enableKsef(bool on)
    {
        auto settings = m_service->settings().settings();
        QVERIFY(settings);
        settings->ksefEnabled = on;
        SD_VERIFY_OK(m_service->settings().setSettings(*settings));
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto db = test::openFresh(u"sqlite"_qs, u"ksefdocuments"_qs);
        SD_VERIFY_OK(db);
        m_db = *db;
        m_orders = std::make_unique<storage::OrderStore>(m_db.db);
        m_service = std::make_unique<DocumentService>(*m_orders);
        SD_VERIFY_OK(m_service->settings().setCompany(test::sampleCompany()));
        m_fake = std::make_unique<test::FakeKsef>(QFINDTESTDATA("../data/ksef/schemy/schemat_FA(3)_v1-0E.local.xsd"));
        SD_VERIFY_OK(m_fake->start());
        m_fake->setToken(kToken, test::sampleCompany().nip);
        m_secrets = std::make_shared<security::FileSecretStore>(
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".enc"_qs), "passphrase", 1000);
        ksef::Settings settings;
        settings.environment = ksef::Settings::Environment::Custom;
        settings.baseUrl = m_fake->baseUrl();
        settings.nip = test::sampleCompany().nip;
        settings.tokenRef = u"ksef/token/test"_qs;
        SD_VERIFY_OK(ksef::SettingsStore(m_db.db).save(settings));
        SD_VERIFY_OK(m_secrets->write(settings.tokenRef, kToken));
        enableKsef(true);
    }

    void cleanup()
    {
        QVERIFY2(m_fake->problems().isEmpty(), qPrintable(m_fake->problems().join(u'\n')));
        m_fake.reset();
        m_service.reset();
        m_orders.reset();
        m_db = {};
    }

    void issuedInvoiceIsAcceptedWithNumberUpoAndEvents()
    {
        automation::RuleStore rules(m_db.db);
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "KSeF ok",
            "trigger": {"type": "ksef.accepted"},
            "actions": [{"type": "addTag", "params": {"tag": "ksef-ok"}}]})");
        SD_VERIFY_OK(rule);
        SD_VERIFY_OK(rules.save(*rule, u"user:anna"_qs));

        const qint64 orderId = addOrder(u"K-1"_qs);
        const Document issued = issue(orderId);
        QVERIFY(issued.id);
        // Issuing with KSeF on queues the FA(3) at once.
        QCOMPARE(issued.state, DocumentState::Queued);
        auto submission = ksef::SubmissionStore(m_db.db).latest(issued.number);
        SD_VERIFY_OK(submission);
        QVERIFY(*submission);
        QCOMPARE((*submission)->xml, *m_service->store().xml(issued.id));

        auto service = makeService();
        SD_VERIFY_OK(service->pass());
        QTRY_COMPARE_WITH_TIMEOUT(load(issued.id).state, DocumentState::Accepted, 10000);
        const Document done = load(issued.id);
        QVERIFY2(ksef::ksefnumber::isValid(done.ksefNumber), qPrintable(done.ksefNumber));
        auto upo = m_service->store().upo(issued.id);
        SD_VERIFY_OK(upo);
        QVERIFY(upo->contains(done.ksefNumber));
        QCOMPARE(m_fake->invoices().size(), 1);
        QCOMPARE(m_fake->invoices().constFirst().xml, *m_service->store().xml(issued.id));
        // From now on the PDF carries KOD I with the KSeF number.
        auto pdf = renderPdf(done, {*m_service->store().xml(issued.id)});
        SD_VERIFY_OK(pdf);
        const QString text = test::pdfText(*pdf);
        QVERIFY2(text.contains(done.ksefNumber), qPrintable(text));
        QCOMPARE(documentEvents(orderId),
                 QStringList({u"document.issued"_qs, u"document.queued"_qs, u"document.sent"_qs, u"ksef.accepted"_qs}));

        // The automation hears it: the rule on "KSeF accepted the invoice" runs.
        automation::Scheduler scheduler(*m_orders, rules, automation::Executors::withDefaults(), u"ws-test"_qs);
        auto ran = scheduler.runDue();
        SD_VERIFY_OK(ran);
        QVERIFY(*ran >= 1);
        QVERIFY(m_orders->load(orderId)->tags.contains(u"ksef-ok"_qs));

        // Never sent twice: more passes, a new service and issuing under the same ledger key change nothing.
        SD_VERIFY_OK(service->pass());
        auto second = makeService();
        QSignalSpy idle(second.get(), &KsefService::idle);
        SD_VERIFY_OK(second->pass());
        QVERIFY(idle.wait(5000));
        SD_VERIFY_OK(second->sendNow(issued.id));
        QTest::qWait(200);
        QCOMPARE(m_fake->invoicePosts(), 1);
        QCOMPARE(load(issued.id).state, DocumentState::Accepted);
    }

    void rejectionStoresTheReason()
    {
        m_fake->setVerdict(test::FakeKsef::Verdict::Reject, 440, u"Duplikat faktury"_qs);
        const qint64 orderId = addOrder(u"K-2"_qs);
        const Document issued = issue(orderId);
        auto service = makeService();
        SD_VERIFY_OK(service->pass());
        QTRY_COMPARE_WITH_TIMEOUT(load(issued.id).state, DocumentState::Rejected, 10000);
        const Document done = load(issued.id);
        QVERIFY2(done.rejectionReason.contains(u"Duplikat faktury"), qPrintable(done.rejectionReason));
        QVERIFY(done.rejectionReason.contains(u"440"));
        QVERIFY(done.ksefNumber.isEmpty());
        QVERIFY(documentEvents(orderId).contains(u"ksef.rejected"_qs));
        auto list = m_service->store().list({std::nullopt, DocumentState::Rejected, orderId, {}, 10});
        SD_VERIFY_OK(list);
        QCOMPARE(list->size(), 1);
        QVERIFY(list->constFirst().reason.contains(u"Duplikat faktury"));
    }

    void serviceDownGoesOfflineAndTheBackgroundServicesSendItLater()
    {
        m_fake->setDown(test::FakeKsef::Down::Refuse);
        const qint64 orderId = addOrder(u"K-3"_qs);
        const Document issued = issue(orderId);
        {
            auto service = makeService();
            SD_VERIFY_OK(service->pass());
            QTRY_COMPARE_WITH_TIMEOUT(load(issued.id).state, DocumentState::OfflineIssued, 10000);
        }
        const Document offline = load(issued.id);
        QVERIFY(offline.offline);
        QVERIFY(offline.ksefNumber.isEmpty());
        QCOMPARE(m_fake->invoicePosts(), 0);
        QCOMPARE(documentEvents(orderId),
                 QStringList({u"document.issued"_qs, u"document.queued"_qs, u"document.offline"_qs}));

        // KSeF is back; the background services (what the window and --headless run) send it with their pass.
        m_fake->setDown(test::FakeKsef::Down::No);
        {
            // The backoff time has passed.
            auto s = ksef::SubmissionStore(m_db.db).latest(issued.number);
            QVERIFY(s && *s);
            ksef::Submission due = **s;
            due.nextAttemptAt = QDateTime::currentDateTimeUtc();
            SD_VERIFY_OK(ksef::SubmissionStore(m_db.db).update(due));
        }
        automation::BackgroundServices background(m_db.db, {m_dir.path(), u"headless"_qs, false, false});
        background.setSecrets(m_secrets);
        SD_VERIFY_OK(background.start());
        QTRY_COMPARE_WITH_TIMEOUT(load(issued.id).state, DocumentState::Accepted, 15000);
        QVERIFY(load(issued.id).offline);
        QCOMPARE(m_fake->invoicePosts(), 1);
        QCOMPARE(documentEvents(orderId).mid(3), QStringList({u"document.sent"_qs, u"ksef.accepted"_qs}));
        QSignalSpy stopped(&background, &automation::BackgroundServices::stopped);
        background.shutdown();
        QTRY_VERIFY(stopped.size() == 1);
    }

    void issuedWhileOffWaitsAndIsQueuedWhenSwitchedOn()
    {
        enableKsef(false);
        const qint64 orderId = addOrder(u"K-4"_qs);
        const Document issued = issue(orderId);
        QCOMPARE(issued.state, DocumentState::Issued);
        auto service = makeService();
        auto none = service->pass();
        SD_VERIFY_OK(none);
        QCOMPARE(*none, 0);
        QCOMPARE(load(issued.id).state, DocumentState::Issued);

        enableKsef(true);
        auto queued = service->pass();
        SD_VERIFY_OK(queued);
        QCOMPARE(*queued, 1);
        QTRY_COMPARE_WITH_TIMEOUT(load(issued.id).state, DocumentState::Accepted, 10000);
    }

    void proformaNeverGoesToKsef()
    {
        const qint64 orderId = addOrder(u"K-5"_qs);
        IssueRequest request;
        request.orderId = orderId;
        request.type = DocumentType::Proforma;
        auto doc = m_service->issueForOrder(request, kUser);
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->state, DocumentState::Issued);
        auto service = makeService();
        SD_VERIFY_OK(service->pass());
        QTest::qWait(100);
        QCOMPARE(load(doc->id).state, DocumentState::Issued);
        QCOMPARE(m_fake->invoicePosts(), 0);
    }

    void withoutSecretsThePassSaysWhy()
    {
        auto service = std::make_unique<KsefService>(*m_orders);
        auto r = service->pass();
        QVERIFY(!r);
        QVERIFY(!r.error().userMessage.isEmpty());
    }
};

QTEST_MAIN(TestKsefDocuments)
#include "tst_ksefdocuments.moc"
