#include "automation/backgroundservices.h"
#include "automation/dispatcher.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "documentfixtures.h"
#include "documents/documentpdf.h"
#include "documents/documentservice.h"
#include "money/moneysettings.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;
using namespace sd::documents;

namespace {

const storage::ChangeContext kUser{u"user:anna"_qs, u"test"_qs, 0};
const storage::ChangeContext kAuto{u"auto-documents"_qs, u"completion"_qs, 0};

Result<void> setStatus(storage::OrderStore &orders, qint64 id, const QString &status)
{
    auto r = orders.apply(storage::OrderChange::setStatus(id, status, kUser));
    if (!r)
        return r.error();
    return {};
}

// E4's loss guard judges completions by profit (costs are not set up here): not what these tests are about.
Result<void> withoutLossGuard(storage::Database &db)
{
    auto money = money::MoneySettings::load(db);
    if (!money)
        return money.error();
    money->lossGuard = false;
    return money->save(db);
}

QStringList numbersOf(DocumentService &service, qint64 orderId)
{
    QStringList numbers;
    auto list = service.store().list({std::nullopt, std::nullopt, orderId, {}, 20});
    for (const DocumentSummary &d : list.value_or(QList<DocumentSummary>()))
        numbers.append(d.number);
    numbers.sort();
    return numbers;
}

} // namespace

// D6: on completion, the transport slip (list przewozowy) and the warranty card (karta gwarancyjna) of the order,
// as documents of their own kinds and series, printable in Polish and English, once per order.
class TestCompletionDocuments : public QObject
{
    Q_OBJECT

private slots:
    void slipAndWarrantyCard()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_completion"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        DocumentService service(orders);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        auto order = test::companyOrder(u"C-1"_qs, {test::item(u"Kubek ceramiczny"_qs, 2, 2460, u"23"_qs)}, 1299);
        order.items[0].ean = u"5901234123457"_qs;
        auto created = orders.apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        const qint64 orderId = created->orderId;

        auto made = service.issueCompletionDocuments(orderId, kUser);
        SD_VERIFY_OK(made);
        QCOMPARE(made->size(), 2);
        const Document slip = made->at(0);
        const Document card = made->at(1);
        const QString year = QString::number(QDate::currentDate().year());
        QCOMPARE(slip.type, DocumentType::TransportSlip);
        QCOMPARE(slip.number, u"LP/1/"_qs + year);
        QCOMPARE(card.type, DocumentType::WarrantyCard);
        QCOMPARE(card.number, u"KG/1/"_qs + year);
        QCOMPARE(card.warrantyMonths, 24);
        QCOMPARE(slip.recipient.street, u"ul. Polna 1"_qs);
        QVERIFY(service.store().xml(slip.id).value_or({}).isEmpty()); // never FA(3) / KSeF

        // Once per order; the VAT series is untouched: the invoice is still FV/1.
        auto again = service.issueCompletionDocuments(orderId, kUser);
        SD_VERIFY_OK(again);
        QCOMPARE(again->at(0).id, slip.id);
        QCOMPARE(again->at(1).id, card.id);
        IssueRequest request;
        request.orderId = orderId;
        auto invoice = service.issueForOrder(request, kUser);
        SD_VERIFY_OK(invoice);
        QVERIFY2(invoice->number.startsWith(u"FV/1/"), qPrintable(invoice->number));
        auto all = service.store().list({std::nullopt, std::nullopt, orderId, {}, 10});
        QCOMPARE(all->size(), 3);
        // Their own event, not "document.issued" (which means an invoice to e-mail).
        int generated = 0;
        int issued = 0;
        auto events = orders.eventsAfter(0, 1000);
        SD_VERIFY_OK(events);
        for (const auto &e : *events) {
            generated += e.type == u"document.generated" ? 1 : 0;
            issued += e.type == u"document.issued" ? 1 : 0;
        }
        QCOMPARE(generated, 2);
        QCOMPARE(issued, 1);

        const QString slipText = test::pdfText(*renderPdf(slip));
        QVERIFY2(slipText.contains(u"List przewozowy (dokument dostawy)"), qPrintable(slipText));
        QVERIFY(slipText.contains(slip.number));
        QVERIFY(slipText.contains(u"Nadawca"));
        QVERIFY(slipText.contains(u"Sklep Testowy Sp. z o.o."));
        QVERIFY(slipText.contains(u"Odbiorca"));
        QVERIFY(slipText.contains(u"Jan Kowalski"));
        QVERIFY(slipText.contains(u"30-001 Kraków"));
        QVERIFY(slipText.contains(u"Allegro Paczkomaty InPost"));
        QVERIFY(slipText.contains(u"Kubek ceramiczny"));
        QVERIFY(slipText.contains(u"5901234123457"));
        QVERIFY2(slipText.contains(u"Razem sztuk 2"), qPrintable(slipText));
        QVERIFY(slipText.contains(u"Odebrał"));
        QVERIFY2(!slipText.contains(u"24,60") && !slipText.contains(u"12,99"), "a slip carries no prices");

        const QString cardText = test::pdfText(*renderPdf(card));
        QVERIFY2(cardText.contains(u"Karta gwarancyjna"), qPrintable(cardText));
        QVERIFY(cardText.contains(card.number));
        QVERIFY(cardText.contains(u"Okres gwarancji: 24 mies."));
        QVERIFY(cardText.contains(u"Kubek ceramiczny"));
        QVERIFY(cardText.contains(u"rękojmi"));
        QVERIFY(!cardText.contains(u"Allegro Paczkomaty")); // shipping is not goods

        // English for foreign buyers.
        Document english = card;
        english.language = u"en"_qs;
        const QString en = test::pdfText(*renderPdf(english));
        QVERIFY2(en.contains(u"Warranty card") && en.contains(u"Warranty period: 24 months"), qPrintable(en));
        english = slip;
        english.language = u"en"_qs;
        QVERIFY(test::pdfText(*renderPdf(english)).contains(u"Delivery note"));
    }

    void ruleActionMakesThemOnce()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_completion_rule"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        DocumentService service(orders);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        auto created = orders.apply(storage::OrderChange::create(
            test::companyOrder(u"C-2"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        automation::RuleStore rules(fresh->db);
        automation::Dispatcher dispatcher(orders, rules);
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "on completion",
            "trigger": {"type": "status.changed"},
            "actions": [{"type": "completionDocuments", "params": {}}]})");
        SD_VERIFY_OK(rule);
        auto saved = rules.save(*rule, u"user:anna"_qs);
        SD_VERIFY_OK(saved);
        automation::Executors executors = automation::Executors::withDefaults();
        automation::ExecutorEnv env{orders, rules, dispatcher};
        auto loaded = orders.load(created->orderId);
        for (int event = 1; event <= 2; ++event) {
            automation::ActionRun run{*saved, saved->actions.at(0), *loaded, u"job-%1"_qs.arg(event), 0, event};
            const automation::ActionOutcome outcome = executors.forAction(u"completionDocuments"_qs).run(run, env);
            QCOMPARE(int(outcome.kind), int(automation::ActionOutcome::Kind::Done));
            QVERIFY2(outcome.message.contains(u"LP/1/") && outcome.message.contains(u"KG/1/"),
                     qPrintable(outcome.message));
        }
        QCOMPARE(service.store().list({std::nullopt, std::nullopt, created->orderId, {}, 10})->size(), 2);
    }

    // D6 automatic: entering a status of the closed group makes the slip, the invoice (the buyer gave a NIP) and the
    // card, once; a move out and back in makes nothing new; the setting off makes nothing; history is left alone.
    void automaticOnCompletion_data() { test::addEngineRows(); }
    void automaticOnCompletion()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_completion_auto"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        DocumentService service(orders);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        SD_VERIFY_OK(withoutLossGuard(*fresh->db));
        QVERIFY(service.settings().settings()->completionDocuments); // on by default (the seed's D6)
        auto before = orders.apply(storage::OrderChange::create(
            test::companyOrder(u"A-0"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0), kUser));
        SD_VERIFY_OK(before);
        SD_VERIFY_OK(setStatus(orders, before->orderId, u"Closed"_qs)); // completed before the first pass

        auto first = service.completeClosedOrders(kAuto);
        SD_VERIFY_OK(first);
        QCOMPARE(first->orders, 0);
        QVERIFY(numbersOf(service, before->orderId).isEmpty());

        auto created = orders.apply(storage::OrderChange::create(
            test::companyOrder(u"A-1"_qs, {test::item(u"Kubek"_qs, 2, 2460, u"23"_qs)}, 1299), kUser));
        SD_VERIFY_OK(created);
        const qint64 id = created->orderId;
        SD_VERIFY_OK(setStatus(orders, id, u"To ship"_qs)); // not completed
        auto none = service.completeClosedOrders(kAuto);
        SD_VERIFY_OK(none);
        QCOMPARE(none->orders, 0);

        SD_VERIFY_OK(setStatus(orders, id, u"Closed"_qs));
        auto done = service.completeClosedOrders(kAuto);
        SD_VERIFY_OK(done);
        QCOMPARE(done->orders, 1);
        QCOMPARE(done->failed, 0);
        QCOMPARE(done->documents, 3);
        const QString year = QString::number(QDate::currentDate().year());
        const QStringList numbers = numbersOf(service, id);
        QCOMPARE(numbers.size(), 3);
        QCOMPARE(numbers.at(0), u"FV/1/%1/%2"_qs.arg(QDate::currentDate().toString(u"MM"_qs), year));
        QCOMPARE(numbers.at(1), u"KG/1/"_qs + year);
        QCOMPARE(numbers.at(2), u"LP/1/"_qs + year);

        // Once: the same pass again, and a move out of the group and back in, make nothing new.
        SD_VERIFY_OK(service.completeClosedOrders(kAuto));
        SD_VERIFY_OK(setStatus(orders, id, u"Shipped"_qs));
        SD_VERIFY_OK(setStatus(orders, id, u"Closed"_qs));
        auto again = service.completeClosedOrders(kAuto);
        SD_VERIFY_OK(again);
        QCOMPARE(again->orders, 1);
        QCOMPARE(numbersOf(service, id), numbers);

        // A buyer without a NIP who asked for no invoice: the slip and the card only.
        domain::Order privateOrder = test::companyOrder(u"A-2"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0);
        privateOrder.buyer.nip.clear();
        privateOrder.invoice = {};
        auto priv = orders.apply(storage::OrderChange::create(privateOrder, kUser));
        SD_VERIFY_OK(priv);
        SD_VERIFY_OK(setStatus(orders, priv->orderId, u"Closed"_qs));
        auto slipOnly = service.completeClosedOrders(kAuto);
        SD_VERIFY_OK(slipOnly);
        QCOMPARE(slipOnly->documents, 2);
        QCOMPARE(numbersOf(service, priv->orderId), QStringList({u"KG/2/"_qs + year, u"LP/2/"_qs + year}));

        // The setting off: nothing; switched on again, what was completed meanwhile is left alone.
        DocumentSettings settings = *service.settings().settings();
        settings.completionDocuments = false;
        SD_VERIFY_OK(service.settings().setSettings(settings));
        auto later = orders.apply(storage::OrderChange::create(
            test::companyOrder(u"A-3"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0), kUser));
        SD_VERIFY_OK(later);
        SD_VERIFY_OK(setStatus(orders, later->orderId, u"Closed"_qs));
        SD_VERIFY_OK(service.completeClosedOrders(kAuto));
        settings.completionDocuments = true;
        SD_VERIFY_OK(service.settings().setSettings(settings));
        SD_VERIFY_OK(service.completeClosedOrders(kAuto));
        QVERIFY(numbersOf(service, later->orderId).isEmpty());
    }

    // Without the seller's data nothing is made and nothing fails (a profile that does not use documents).
    void automaticWithoutCompanyDoesNothing()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_completion_nocompany"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        DocumentService service(orders);
        SD_VERIFY_OK(withoutLossGuard(*fresh->db));
        SD_VERIFY_OK(service.completeClosedOrders(kAuto));
        auto created = orders.apply(storage::OrderChange::create(
            test::companyOrder(u"N-1"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0), kUser));
        SD_VERIFY_OK(created);
        SD_VERIFY_OK(setStatus(orders, created->orderId, u"Closed"_qs));
        auto report = service.completeClosedOrders(kAuto);
        SD_VERIFY_OK(report);
        QCOMPARE(report->failed, 0);
        QVERIFY(numbersOf(service, created->orderId).isEmpty());
        auto events = orders.eventsAfter(0, 1000);
        SD_VERIFY_OK(events);
        for (const auto &e : *events)
            QVERIFY(e.type != u"document.failed");
    }

    // The window and `sellerdesk --headless` both run BackgroundServices, whose pass makes them with no one asking.
    void backgroundServicesMakeThem_data()
    {
        QTest::addColumn<QString>("role");
        QTest::newRow("headless") << u"headless"_qs;
        QTest::newRow("window") << u"window"_qs;
    }
    void backgroundServicesMakeThem()
    {
        QFETCH(QString, role);
        QTemporaryDir dir;
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_completion_bg_"_qs + role);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        DocumentService service(orders);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        auto created = orders.apply(storage::OrderChange::create(
            test::companyOrder(u"B-1"_qs, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0), kUser));
        SD_VERIFY_OK(created);
        SD_VERIFY_OK(withoutLossGuard(*fresh->db));
        automation::BackgroundServices background(fresh->db, {dir.path(), role, false, false});
        SD_VERIFY_OK(background.start());
        SD_VERIFY_OK(setStatus(orders, created->orderId, u"Closed"_qs));
        QTRY_COMPARE_WITH_TIMEOUT(numbersOf(service, created->orderId).size(), 3, 15000);
        QTest::qWait(2500); // another pass: still three
        QCOMPARE(numbersOf(service, created->orderId).size(), 3);
        QSignalSpy stopped(&background, &automation::BackgroundServices::stopped);
        background.shutdown();
        QTRY_VERIFY(stopped.size() == 1);
    }
};

QTEST_MAIN(TestCompletionDocuments)
#include "tst_completiondocuments.moc"
