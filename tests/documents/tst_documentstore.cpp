#include "automation/dispatcher.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "automation/sqlrun.h"
#include "documentfixtures.h"
#include "documents/documentservice.h"
#include "documents/fa3xml.h"
#include "documents/ksefdocuments.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QSet>

#include <atomic>
#include <future>

using namespace sd;
using namespace sd::documents;
using storage::ChangeContext;
using storage::OrderChange;
using storage::OrderStore;

namespace {

const ChangeContext kUser{u"user:anna"_qs, u"test"_qs, 0};

struct Fixture
{
    test::TempDatabase fresh;
    std::unique_ptr<OrderStore> store;
    std::unique_ptr<DocumentService> service;

    qint64 addOrder(domain::Order order)
    {
        auto r = store->apply(OrderChange::create(std::move(order), {u"marketplace:allegro-pl"_qs, u"import"_qs, 0}));
        return r ? r->orderId : 0;
    }
    qint64 count(const QString &sql)
    {
        auto q = automation::runSql(*fresh.db, sql, "test count");
        return q && q->next() ? q->value(0).toLongLong() : -1;
    }
};

std::unique_ptr<Fixture> open(const QString &engine, const QString &name)
{
    auto fresh = test::openFresh(engine, name);
    if (!fresh)
        return nullptr;
    auto f = std::make_unique<Fixture>();
    f->fresh = *fresh;
    f->store = std::make_unique<OrderStore>(f->fresh.db);
    f->service = std::make_unique<DocumentService>(*f->store);
    if (!f->service->settings().setCompany(test::sampleCompany()))
        return nullptr;
    return f;
}

domain::Order order(const QString &id, qint64 unitMinor = 2460)
{
    return test::companyOrder(id, {test::item(u"Kubek"_qs, 1, unitMinor, u"23"_qs)}, 0);
}

IssueRequest forOrder(qint64 orderId)
{
    IssueRequest request;
    request.orderId = orderId;
    return request;
}

QStringList eventTypes(OrderStore &store, qint64 orderId)
{
    QStringList types;
    auto events = store.eventsAfter(0, 10000);
    for (const auto &e : *events) {
        if (e.orderId == orderId && !e.type.startsWith(u"order."))
            types.append(e.type);
    }
    return types;
}

class RefuseEmptyStock : public StockGate
{
public:
    Verdict check(const domain::Order &order) override
    {
        for (const auto &item : order.items) {
            if (item.sku == u"OUT")
                return {false, item.name + u": 0"_qs};
        }
        return {};
    }
};

} // namespace

class TestDocumentStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newProfileHasReadySeries_data() { test::addEngineRows(); }
    void newProfileHasReadySeries()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_doc_series"_qs);
        QVERIFY(f);
        auto fv = f->service->series().defaultFor(DocumentType::Vat);
        SD_VERIFY_OK(fv);
        QCOMPARE(fv->name, u"FV"_qs);
        QCOMPARE(fv->pattern, u"FV/{n}/{MM}/{YYYY}"_qs);
        for (DocumentType t :
             {DocumentType::Private, DocumentType::Simplified, DocumentType::Correction, DocumentType::Proforma})
            SD_VERIFY_OK(f->service->series().defaultFor(t));

        // A series of one's own, chosen by name; a bad pattern or a taken name is refused.
        Series shop{0, u"ALG"_qs, DocumentType::Vat, u"ALG/{YYYY}/{n:4}"_qs, Series::Reset::Yearly, false};
        SD_VERIFY_OK(f->service->series().add(shop));
        QCOMPARE(f->service->series().find(u"ALG"_qs)->pattern, u"ALG/{YYYY}/{n:4}"_qs);
        QCOMPARE(f->service->series().defaultFor(DocumentType::Vat)->name, u"FV"_qs);
        QCOMPARE(f->service->series().add(shop).error().code, Error::Code::Conflict);
        shop.name = u"BAD"_qs;
        shop.pattern = u"BAD/{n}"_qs;
        QCOMPARE(f->service->series().add(shop).error().code, Error::Code::Invalid);

        const qint64 id = f->addOrder(order(u"S-1"_qs));
        IssueRequest request;
        request.orderId = id;
        request.series = u"ALG"_qs;
        request.issueDate = QDate(2026, 11, 24);
        auto doc = f->service->issueForOrder(request, kUser);
        SD_VERIFY_OK(doc);
        QCOMPARE(doc->number, u"ALG/2026/0001"_qs);
    }

    // Two writers issue invoices at once, each on its own connection: every number from 1 to N exactly once. A failure
    // after the number was taken (an invoice the schema refuses) gives the number back.
    void numbersAreGaplessWithConcurrentWriters_data() { test::addEngineRows(); }
    void numbersAreGaplessWithConcurrentWriters()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_doc_numbers"_qs);
        QVERIFY(f);
        constexpr int kPerWriter = 15;
        QList<qint64> ids[2];
        for (int w = 0; w < 2; ++w) {
            for (int i = 0; i < kPerWriter; ++i) {
                domain::Order o = order(u"N-%1-%2"_qs.arg(w).arg(i));
                // Every fifth buyer's name is longer than FA(3) allows (512), so its issue fails after the number
                // was drawn.
                if (i % 5 == 4)
                    o.invoice.companyName = QString(600, u'x');
                ids[w].append(f->addOrder(o));
            }
        }
        auto db = f->fresh.db;
        std::atomic<int> issued = 0;
        std::atomic<int> refused = 0;
        std::atomic<int> errors = 0;
        std::vector<std::future<void>> writers;
        for (int w = 0; w < 2; ++w) {
            writers.push_back(std::async(std::launch::async, [db, w, &ids, &issued, &refused, &errors] {
                OrderStore store(db);
                DocumentService service(store);
                for (qint64 id : ids[w]) {
                    IssueRequest request;
                    request.orderId = id;
                    request.issueDate = QDate(2026, 11, 24);
                    auto doc = service.issueForOrder(request, {u"ws-"_qs + QString::number(w), {}, 0});
                    if (doc)
                        ++issued;
                    else if (doc.error().code == Error::Code::Invalid)
                        ++refused;
                    else
                        ++errors;
                }
                db->closeThreadConnection();
            }));
        }
        for (auto &writer : writers)
            writer.get();
        QCOMPARE(errors.load(), 0);
        QCOMPARE(refused.load(), 6);
        QCOMPARE(issued.load(), 2 * kPerWriter - 6);
        auto all = f->service->store().list({DocumentType::Vat, std::nullopt, 0, {}, 1000});
        SD_VERIFY_OK(all);
        QSet<QString> numbers;
        for (const auto &s : *all)
            numbers.insert(s.number);
        QCOMPARE(numbers.size(), issued.load());
        for (int n = 1; n <= issued.load(); ++n)
            QVERIFY2(numbers.contains(u"FV/%1/11/2026"_qs.arg(n)), qPrintable(u"missing FV/%1/11/2026"_qs.arg(n)));
        // The refused ones say why, as a document.failed event of their order.
        QCOMPARE(f->count(u"SELECT COUNT(*) FROM events WHERE type = 'document.failed'"_qs), 6);
        QCOMPARE(f->count(u"SELECT COUNT(*) FROM events WHERE type = 'document.issued'"_qs), issued.load());
    }

    void neverTwoInvoicesForOneOrder_data() { test::addEngineRows(); }
    void neverTwoInvoicesForOneOrder()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_doc_once"_qs);
        QVERIFY(f);
        const qint64 id = f->addOrder(order(u"O-1"_qs));
        IssueRequest request;
        request.orderId = id;
        request.ledgerKey = u"rule:1/issueInvoice/order:"_qs + QString::number(id);
        auto first = f->service->issueForOrder(request, kUser);
        SD_VERIFY_OK(first);
        auto again = f->service->issueForOrder(request, kUser);
        SD_VERIFY_OK(again);
        QCOMPARE(again->id, first->id); // the ledger answers with the invoice it made
        request.ledgerKey = u"rule:2/issueInvoice/order:"_qs + QString::number(id);
        auto other = f->service->issueForOrder(request, kUser);
        QVERIFY(!other.ok());
        QCOMPARE(other.error().code, Error::Code::Conflict); // one live invoice per order, whoever asks
        QCOMPARE(f->count(u"SELECT COUNT(*) FROM documents"_qs), 1);

        // The same through the automation executor, fired twice by different events of one rule.
        automation::RuleStore rules(f->fresh.db);
        automation::Dispatcher dispatcher(*f->store, rules);
        const qint64 second = f->addOrder(order(u"O-2"_qs));
        auto loaded = f->store->load(second);
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "invoice",
            "trigger": {"type": "order.downloaded"},
            "actions": [{"type": "issueInvoice", "params": {"series": "FV"}}]})");
        SD_VERIFY_OK(rule);
        auto saved = rules.save(*rule, u"user:anna"_qs);
        SD_VERIFY_OK(saved);
        automation::Executors executors = automation::Executors::withDefaults();
        automation::ExecutorEnv env{*f->store, rules, dispatcher};
        for (int event = 1; event <= 2; ++event) {
            automation::ActionRun run{*saved, saved->actions.at(0), *loaded, u"job-%1"_qs.arg(event), 0, event};
            const automation::ActionOutcome outcome = executors.forAction(u"issueInvoice"_qs).run(run, env);
            QCOMPARE(int(outcome.kind), int(automation::ActionOutcome::Kind::Done));
            QVERIFY(outcome.detail.value(u"number").toString().startsWith(u"FV/2/"));
        }
        QCOMPARE(f->count(u"SELECT COUNT(*) FROM documents WHERE order_id = "_qs + QString::number(second)), 1);
    }

    void ruleIssuesThroughTheScheduler()
    {
        auto f = open(u"sqlite"_qs, u"sd_doc_rule"_qs);
        QVERIFY(f);
        automation::RuleStore rules(f->fresh.db);
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "invoice on download",
            "trigger": {"type": "order.downloaded"},
            "actions": [{"type": "issueInvoice", "params": {}}]})");
        SD_VERIFY_OK(rules.save(*rule, u"user:anna"_qs));
        const qint64 id = f->addOrder(order(u"R-1"_qs));
        automation::Scheduler scheduler(*f->store, rules, automation::Executors::withDefaults(), u"ws-test"_qs);
        auto ran = scheduler.runDue();
        SD_VERIFY_OK(ran);
        QCOMPARE(*ran, 1);
        auto docs = f->service->store().list({std::nullopt, std::nullopt, id, {}, 10});
        QCOMPARE(docs->size(), 1);
        QCOMPARE(docs->at(0).state, DocumentState::Issued);
        QVERIFY(eventTypes(*f->store, id).contains(u"document.issued"_qs));
    }

    void stateMachineAndKsefInterface_data() { test::addEngineRows(); }
    void stateMachineAndKsefInterface()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_doc_states"_qs);
        QVERIFY(f);
        const qint64 a = f->addOrder(order(u"K-1"_qs));
        const qint64 b = f->addOrder(order(u"K-2"_qs));
        const qint64 c = f->addOrder(order(u"K-3"_qs));
        auto docA = f->service->issueForOrder(forOrder(a), kUser);
        auto docB = f->service->issueForOrder(forOrder(b), kUser);
        IssueRequest offline = forOrder(c);
        offline.offline = true;
        auto docC = f->service->issueForOrder(offline, kUser);
        SD_VERIFY_OK(docA);
        SD_VERIFY_OK(docB);
        SD_VERIFY_OK(docC);
        QCOMPARE(docC->state, DocumentState::OfflineIssued);

        KsefDocuments ksef(f->service->store());
        auto waiting = ksef.waiting();
        QCOMPARE(*waiting, (QList<qint64>{docA->id, docB->id, docC->id}));
        auto xml = ksef.xmlToSend(docA->id);
        SD_VERIFY_OK(xml);
        SD_VERIFY_OK(validateFa3(*xml));
        QVERIFY(xml->contains(docA->number.toUtf8()));

        const ChangeContext bot{u"ksef"_qs, {}, 0};
        // Accepted: the KSeF number and the UPO are kept.
        SD_VERIFY_OK(ksef.markQueued(docA->id, bot));
        SD_VERIFY_OK(ksef.markSent(docA->id, u"20261124-EE-1234567890-AB"_qs, bot));
        QVERIFY(!ksef.markAccepted(docA->id, u"not-a-number"_qs, {}, bot).ok());
        auto accepted = ksef.markAccepted(docA->id, u"5265877635-20250826-0100001AF629-AF"_qs, u"<UPO/>"_qs, bot);
        SD_VERIFY_OK(accepted);
        QCOMPARE(accepted->state, DocumentState::Accepted);
        QCOMPARE(f->service->store().load(docA->id)->ksefNumber, u"5265877635-20250826-0100001AF629-AF"_qs);
        QCOMPARE(*f->service->store().upo(docA->id), u"<UPO/>"_qs);
        // KSeF has it: no cancelling, only a correction.
        QCOMPARE(f->service->cancel(docA->id, u"mistake"_qs, kUser).error().code, Error::Code::Conflict);
        QCOMPARE(eventTypes(*f->store, a),
                 (QStringList{u"document.issued"_qs, u"document.queued"_qs, u"document.sent"_qs, u"ksef.accepted"_qs}));

        // Rejected with a reason; sent again later.
        SD_VERIFY_OK(ksef.markQueued(docB->id, bot));
        SD_VERIFY_OK(ksef.markSent(docB->id, u"ref-b"_qs, bot));
        auto rejected = ksef.markRejected(docB->id, u"450: semantic error"_qs, bot);
        SD_VERIFY_OK(rejected);
        auto list = f->service->store().list({std::nullopt, DocumentState::Rejected, 0, {}, 10});
        QCOMPARE(list->size(), 1);
        QCOMPARE(list->at(0).reason, u"450: semantic error"_qs);
        QVERIFY(eventTypes(*f->store, b).contains(u"ksef.rejected"_qs));
        SD_VERIFY_OK(ksef.markQueued(docB->id, bot));

        // Offline-issued: queued and sent later (or sent straight from offline by the queue). Skipping to accepted
        // is refused.
        QCOMPARE(ksef.markAccepted(docC->id, u"5265877635-20250826-0100001AF629-AF"_qs, {}, bot).error().code,
                 Error::Code::Conflict);
        SD_VERIFY_OK(ksef.markQueued(docC->id, bot));
        SD_VERIFY_OK(ksef.markSent(docC->id, u"ref-c"_qs, bot));
        auto log = f->service->store().log(docC->id);
        QCOMPARE(log->size(), 3);
        QCOMPARE(log->at(0).to, u"offline"_qs);
        QCOMPARE(log->at(2).to, u"sent"_qs);
        QCOMPARE(log->at(2).actor, u"ksef"_qs);

        QVERIFY(canMove(DocumentState::Issued, DocumentState::Cancelled));
        QVERIFY(!canMove(DocumentState::Sent, DocumentState::Cancelled));
        QVERIFY(!canMove(DocumentState::Cancelled, DocumentState::Issued));
        QVERIFY(!canMove(DocumentState::Draft, DocumentState::Accepted));
    }

    void correctionOfAnInvoice_data() { test::addEngineRows(); }
    void correctionOfAnInvoice()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto f = open(engine, u"sd_doc_correction"_qs);
        QVERIFY(f);
        const qint64 id = f->addOrder(test::companyOrder(
            u"C-1"_qs, {test::item(u"Kubek"_qs, 3, 2460, u"23"_qs), test::item(u"Książka"_qs, 1, 4200, u"5"_qs)},
            1299));
        auto invoice = f->service->issueForOrder(forOrder(id), kUser);
        SD_VERIFY_OK(invoice);

        CorrectionRequest request;
        request.documentId = invoice->id;
        QVERIFY(!f->service->correct(request, kUser).ok()); // no reason
        request.reason = u"Zwrot jednego kubka"_qs;
        QVERIFY(!f->service->correct(request, kUser).ok()); // changes nothing
        request.changes = {{9, 1, std::nullopt}};
        QVERIFY(!f->service->correct(request, kUser).ok()); // no such line
        request.changes = {{1, 2, std::nullopt}};
        auto correction = f->service->correct(request, kUser);
        SD_VERIFY_OK(correction);
        QCOMPARE(correction->type, DocumentType::Correction);
        QVERIFY(correction->number.startsWith(u"KOR/1/"));
        QCOMPARE(correction->correctedNumber, invoice->number);
        QCOMPARE(correction->totals().gross.minor(), -2460);
        QCOMPARE(correction->totals().find(u"23"_qs)->vat.minor(), -460);
        QCOMPARE(correction->totals().find(u"5"_qs)->gross.minor(), 0);
        QCOMPARE(f->service->store().load(invoice->id)->state, DocumentState::Corrected);
        auto xml = f->service->store().xml(correction->id);
        SD_VERIFY_OK(xml);
        QVERIFY(xml->contains("<RodzajFaktury>KOR</RodzajFaktury>"));
        QVERIFY(xml->contains("<StanPrzed>1</StanPrzed>"));
        QVERIFY(eventTypes(*f->store, id).contains(u"document.corrected"_qs));

        // A second correction starts from the first one's lines: returning everything else.
        CorrectionRequest all;
        all.documentId = invoice->id;
        all.reason = u"Zwrot całości"_qs;
        all.returnAll = true;
        auto second = f->service->correct(all, kUser);
        SD_VERIFY_OK(second);
        QCOMPARE(second->linesBefore.at(0).quantity, 2);
        QCOMPARE(second->totals().gross.minor(), -(2 * 2460 + 4200 + 1299));
    }

    void autoInvoicingOfDownloadedOrders()
    {
        auto f = open(u"sqlite"_qs, u"sd_doc_auto"_qs);
        QVERIFY(f);
        // Off by default: nothing happens.
        f->addOrder(order(u"A-0"_qs));
        QCOMPARE(f->service->autoInvoiceDownloaded(kUser)->issued, 0);
        DocumentSettings settings = *f->service->settings().settings();
        settings.autoInvoice = true;
        SD_VERIFY_OK(f->service->settings().setSettings(settings));
        // The first run after switching on starts from now: the order downloaded before is not invoiced.
        QCOMPARE(f->service->autoInvoiceDownloaded(kUser)->issued, 0);

        f->service->setStockGate(std::make_shared<RefuseEmptyStock>());
        const qint64 good = f->addOrder(order(u"A-1"_qs));
        domain::Order empty = order(u"A-2"_qs);
        empty.items[0].sku = u"OUT"_qs;
        const qint64 out = f->addOrder(empty);
        domain::Order noNip = order(u"A-3"_qs);
        noNip.invoice = {};
        const qint64 receipt = f->addOrder(noNip);
        domain::Order notReady = order(u"A-4"_qs);
        notReady.marketplaceStatus = u"BOUGHT"_qs;
        f->addOrder(notReady);

        auto report = f->service->autoInvoiceDownloaded(kUser);
        SD_VERIFY_OK(report);
        QCOMPARE(report->issued, 1);
        QCOMPARE(report->flagged, 1);
        QCOMPARE(report->skipped, 2);
        QCOMPARE(report->failed, 0);
        QCOMPARE(f->service->store().list({std::nullopt, std::nullopt, good, {}, 10})->size(), 1);
        QCOMPARE(f->service->store().list({std::nullopt, std::nullopt, out, {}, 10})->size(), 0);
        QCOMPARE(f->service->store().list({std::nullopt, std::nullopt, receipt, {}, 10})->size(), 0);
        QVERIFY(eventTypes(*f->store, out).contains(u"document.failed"_qs));
        // Nothing twice: a second run finds nothing new, and the same orders again are left alone.
        QCOMPARE(f->service->autoInvoiceDownloaded(kUser)->issued, 0);
        QCOMPARE(f->service->autoInvoice({good}, kUser)->issued, 0);
        QCOMPARE(f->count(u"SELECT COUNT(*) FROM documents"_qs), 1);
    }

    void companyDataIsChecked()
    {
        auto f = open(u"sqlite"_qs, u"sd_doc_company"_qs);
        QVERIFY(f);
        Party p = test::sampleCompany();
        QCOMPARE(f->service->settings().company()->nip, p.nip);
        p.nip = u"123"_qs;
        QVERIFY(!f->service->settings().setCompany(p).ok());
        p = test::sampleCompany();
        p.bankAccount = u"PL 12 3456"_qs;
        QVERIFY(!f->service->settings().setCompany(p).ok());
        p.bankAccount = u"PL73 1111 1111 1111 1111 1111 1111"_qs;
        SD_VERIFY_OK(f->service->settings().setCompany(p));
        QCOMPARE(f->service->settings().company()->bankAccount, p.bankAccount);
    }
};

QTEST_GUILESS_MAIN(TestDocumentStore)
#include "tst_documentstore.moc"
