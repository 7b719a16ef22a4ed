#include "automation/dispatcher.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "documentfixtures.h"
#include "documents/documentpdf.h"
#include "documents/documentservice.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;
using namespace sd::documents;

namespace {

const storage::ChangeContext kUser{u"user:anna"_qs, u"test"_qs, 0};

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
};

QTEST_MAIN(TestCompletionDocuments)
#include "tst_completiondocuments.moc"
