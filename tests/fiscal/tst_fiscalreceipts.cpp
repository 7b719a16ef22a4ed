#include "simulatorharness.h"
#include "testsupport.h"

#include "automation/dispatcher.h"
#include "automation/executors.h"
#include "automation/rulestore.h"
#include "devices/fiscal/fiscalreceipts.h"
#include "devices/fiscal/fiscalsettings.h"
#include "devices/fiscal/posnetprinter.h"
#include "storage/actionledger.h"
#include "storage/orderstore.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTest>

using namespace sd;
using namespace sd::devices::fiscal;

namespace {

constexpr int kTimeoutMs = 700; // the simulator's "timeout" faults cost this much each

int countOf(const QJsonArray &journal, const QString &type)
{
    int n = 0;
    for (const QJsonValue &entry : journal)
        n += entry[u"type"].toString() == type;
    return n;
}

// What a run that died while printing leaves behind: its row says "sending", with the printer's count before it.
bool insertSending(storage::Database &db, qint64 orderId, qint64 total)
{
    return QSqlQuery(db.connection())
        .exec(u"INSERT INTO fiscal_receipts (order_id, ledger_key, state, printer, total, baseline, attempts, "
              "created_at, updated_at) VALUES (%1, 'k', 'sending', '', %2, 0, 1, 0, 0)"_qs.arg(orderId)
                  .arg(total));
}

} // namespace

class TestFiscalReceipts : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        test::TempDatabase temp;
        std::unique_ptr<storage::OrderStore> store;
        domain::Order order;
    };

    std::unique_ptr<Fixture> fixture(const QString &engine = u"sqlite"_qs, domain::Order order = {})
    {
        auto temp = test::openFresh(engine, u"fiscal"_qs);
        if (!temp)
            return nullptr;
        auto f = std::make_unique<Fixture>();
        f->temp = *temp;
        f->store = std::make_unique<storage::OrderStore>(f->temp.db);
        if (order.items.isEmpty())
            order = test::sampleOrder(u"fiscal-1"_qs);
        auto created = f->store->apply(storage::OrderChange::create(order, {u"test"_qs, u"fiscal test"_qs, 0}));
        if (!created)
            return nullptr;
        auto loaded = f->store->load(created->orderId);
        if (!loaded)
            return nullptr;
        f->order = *loaded;
        return f;
    }

    static std::unique_ptr<FiscalPrinter> printer(const QString &address)
    {
        auto p = openPrinter(address, kTimeoutMs);
        return p ? std::move(*p) : nullptr;
    }

private Q_SLOTS:
    void printsOnce_data() { test::addEngineRows(); }
    void printsOnce()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        SimulatorHarness sim;
        auto f = fixture(engine);
        QVERIFY(f);
        auto p = printer(sim.address());
        FiscalReceipts receipts(f->temp.db);
        auto first = receipts.issue(f->order, u"test/receipt"_qs, *p);
        SD_VERIFY_OK(first);
        QCOMPARE(first->state, u"printed"_qs);
        QCOMPARE(first->journalNumber.value_or(-1), 1);
        QCOMPARE(first->attempts, 1);
        const QList<QJsonObject> printed = sim.simulator().receipts();
        QCOMPARE(printed.size(), 1);
        QCOMPARE(printed.first()[u"total"].toInteger(), f->order.total.minor());
        const QJsonArray lines = printed.first()[u"lines"].toArray();
        QCOMPARE(lines.size(), f->order.items.size() + 1);
        QCOMPARE(lines.last()[u"name"].toString(), u"Dostawa"_qs);
        QCOMPARE(printed.first()[u"payments"].toArray().first()[u"type"].toInt(), 8); // paid online: a transfer
        // Again under the same key: the row says printed, the printer is not asked to print.
        auto again = receipts.issue(f->order, u"test/receipt"_qs, *p);
        SD_VERIFY_OK(again);
        QCOMPARE(again->journalNumber.value_or(-1), 1);
        // Under another key (the CLI's): the order has its receipt already.
        auto other = receipts.issueOnce(f->order, *p, u"test"_qs);
        QVERIFY(!other.ok());
        QVERIFY(other.error().userMessage.contains(u"already has fiscal receipt no. 1"));
        QCOMPARE(sim.simulator().receipts().size(), 1);
    }

    void polishTextAndBuyerNip()
    {
        domain::Order order = test::sampleOrder(u"fiscal-pl"_qs);
        order.items[0].name = u"Żółta mąka — ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"_qs;
        order.invoice.wanted = true;
        order.invoice.nip = u"PL 123-456-32-18"_qs;
        SimulatorHarness sim;
        auto f = fixture(u"sqlite"_qs, order);
        QVERIFY(f);
        auto p = printer(sim.address());
        SD_VERIFY_OK(FiscalReceipts(f->temp.db).issue(f->order, u"k"_qs, *p));
        const QJsonObject printed = sim.simulator().receipts().value(0);
        QCOMPARE(printed[u"lines"].toArray().first()[u"name"].toString(), u"Żółta mąka — ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"_qs);
        QCOMPARE(printed[u"nip"].toString(), u"1234563218"_qs);
    }

    void vatTableMatchedByRate()
    {
        domain::Order order = test::sampleOrder(u"fiscal-vat"_qs);
        order.items[0].vatRate = domain::VatRate::percent(8);
        domain::LineItem coffee;
        coffee.name = u"Kawa ziarnista 1 kg"_qs;
        coffee.quantity = 1;
        coffee.unitPrice = domain::Money(6999, u"PLN"_qs);
        coffee.vatRate = domain::VatRate::percent(23);
        order.items.append(coffee);
        order.total = order.computedTotal();
        SimulatorOptions options;
        options.vat.rates = {800, VatTable::kInactive, 2300, 0, 500, VatTable::kInactive, VatTable::kExempt};
        SimulatorHarness sim(options);
        auto f = fixture(u"sqlite"_qs, order);
        QVERIFY(f);
        auto p = printer(sim.address());
        SD_VERIFY_OK(FiscalReceipts(f->temp.db).issue(f->order, u"k"_qs, *p));
        const QJsonArray lines = sim.simulator().receipts().value(0)[u"lines"].toArray();
        QCOMPARE(lines.at(0)[u"slot"].toString(), u"A"_qs); // 8% is in A on this printer
        QCOMPARE(lines.at(0)[u"rate"].toString(), u"8,00"_qs);
        QCOMPARE(lines.at(1)[u"slot"].toString(), u"C"_qs);  // 23% in C
        QCOMPARE(lines.last()[u"slot"].toString(), u"C"_qs); // delivery at the order's highest rate

        // A rate the printer lacks: refused before anything is sent, with a reason naming the rates it has.
        domain::Order book = test::sampleOrder(u"fiscal-vat-missing"_qs);
        book.items[0].vatRate = domain::VatRate::percent(5);
        options.vat.rates = {
            2300, 800, VatTable::kInactive, 0, VatTable::kInactive, VatTable::kInactive, VatTable::kExempt};
        SimulatorHarness other(options);
        auto g = fixture(u"sqlite"_qs, book);
        QVERIFY(g);
        auto q = printer(other.address());
        auto refused = FiscalReceipts(g->temp.db).issue(g->order, u"k"_qs, *q);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().userMessage.contains(u"5%"));
        QVERIFY(refused.error().userMessage.contains(u"A 23%, B 8%, D 0%, G zw"));
        QVERIFY(other.simulator().journal().isEmpty());
        auto row = FiscalReceipts(g->temp.db).find(u"k"_qs);
        QVERIFY(row.ok() && row->has_value());
        QCOMPARE((*row)->state, u"failed"_qs);
    }

    // Every injected fault: the receipt ends printed exactly once, or not printed with a clear reason.
    // Both protocols: in Novitus mode the simulator carries <item> out as trline, <receipt action="close"> as trend.
    void faults_data()
    {
        QTest::addColumn<bool>("novitus");
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("cancelled");
        QTest::addColumn<QString>("message");
        for (const bool novitus : {false, true}) {
            const char *p = novitus ? "novitus: " : "posnet: ";
            auto row = [&](const char *name) { return &QTest::newRow(QByteArray(QByteArray(p) + name).constData()); };
            *row("wrong CRC in trend's reply") << novitus << u"bad-crc:trend"_qs << u"printed"_qs << 0 << QString();
            *row("wrong CRC in trinit's reply") << novitus << u"bad-crc:trinit"_qs << u"printed"_qs << 1 << QString();
            *row("dropped after printing") << novitus << u"drop:trend"_qs << u"printed"_qs << 0 << QString();
            *row("dropped mid-receipt") << novitus << u"drop:trline#2"_qs << u"printed"_qs << 1 << QString();
            *row("no answer to trend") << novitus << u"timeout:trend"_qs << u"printed"_qs << 1 << QString();
            *row("no answer to a line") << novitus << u"timeout:trline"_qs << u"printed"_qs << 1 << QString();
            *row("no paper") << novitus << u"paper-out"_qs << u"failed"_qs << 0 << u"out of paper"_qs;
            *row("paper ends mid-receipt")
                << novitus << u"paper-out:trline#2"_qs << u"failed"_qs << 1 << u"out of paper"_qs;
            *row("cover open") << novitus << u"cover-open"_qs << u"failed"_qs << 0
                               << (novitus ? u"print mechanism"_qs : u"cover is open"_qs);
        }
    }
    void faults()
    {
        QFETCH(bool, novitus);
        QFETCH(QString, spec);
        QFETCH(QString, state);
        QFETCH(int, cancelled);
        QFETCH(QString, message);
        SimulatorOptions options;
        if (novitus)
            options.protocol = SimulatorOptions::Protocol::Novitus;
        auto faults = SimulatorFaults::parse(spec);
        QVERIFY(faults.ok());
        options.faults = *faults;
        SimulatorHarness sim(options);
        auto f = fixture();
        QVERIFY(f);
        auto p = printer(sim.address());
        QCOMPARE(p->protocol(), novitus ? u"novitus"_qs : u"posnet"_qs);
        FiscalReceipts receipts(f->temp.db);
        auto issued = receipts.issue(f->order, u"k"_qs, *p);
        auto row = receipts.find(u"k"_qs);
        QVERIFY(row.ok() && row->has_value());
        QCOMPARE((*row)->state, state);
        const QJsonArray journal = sim.simulator().journal();
        QCOMPARE(countOf(journal, u"cancelled"_qs), cancelled);
        if (state == u"printed") {
            SD_VERIFY_OK(issued);
            QCOMPARE(countOf(journal, u"receipt"_qs), 1);
            QCOMPARE((*row)->journalNumber.value_or(-1), 1);
            return;
        }
        QVERIFY(!issued.ok());
        QVERIFY2(issued.error().userMessage.contains(message), qPrintable(issued.error().userMessage));
        QCOMPARE((*row)->error, issued.error().userMessage);
        QCOMPARE(countOf(journal, u"receipt"_qs), 0);
        // The operator fixes the printer; the next attempt prints it, once.
        sim.simulator().setFaults({});
        auto retried = receipts.issue(f->order, u"k"_qs, *p);
        SD_VERIFY_OK(retried);
        QCOMPARE(retried->state, u"printed"_qs);
        QCOMPARE(countOf(sim.simulator().journal(), u"receipt"_qs), 1);
    }

    // A run that died after sending: the next run asks the printer and finds the receipt printed, or open and
    // unfinished (then cancels it and prints it once).
    void interruptedRunIsReconciled_data()
    {
        QTest::addColumn<bool>("closed");
        QTest::newRow("died after trend") << true;
        QTest::newRow("died mid-receipt") << false;
    }
    void interruptedRunIsReconciled()
    {
        QFETCH(bool, closed);
        SimulatorHarness sim;
        auto f = fixture();
        QVERIFY(f);
        auto p = printer(sim.address());
        auto receipt = FiscalReceipts::fromOrder(f->order);
        QVERIFY(receipt.ok());
        auto vat = p->vatTable();
        QVERIFY(vat.ok());
        QList<int> slotIndexes;
        for (const ReceiptLine &line : receipt->lines)
            slotIndexes.append(*vat->slotFor(line.rate));
        auto posnet = dynamic_cast<PosnetPrinter *>(p.get());
        QVERIFY(posnet);
        QVERIFY(insertSending(*f->temp.db, f->order.id, receipt->total()));
        if (closed) {
            SD_VERIFY_OK(p->printReceipt(*receipt, slotIndexes));
        } else {
            SD_VERIFY_OK(posnet->exec(PosnetFrame(u"trinit"_qs).add(u"bm"_qs, 1)));
            SD_VERIFY_OK(posnet->exec(PosnetFrame(u"trline"_qs)
                                          .add(u"na"_qs, receipt->lines.first().name)
                                          .add(u"vt"_qs, slotIndexes.first())
                                          .add(u"pr"_qs, receipt->lines.first().unitPrice)));
        }
        auto issued = FiscalReceipts(f->temp.db).issue(f->order, u"k"_qs, *printer(sim.address()));
        SD_VERIFY_OK(issued);
        QCOMPARE(issued->state, u"printed"_qs);
        QCOMPARE(issued->journalNumber.value_or(-1), 1);
        QCOMPARE(issued->attempts, closed ? 1 : 2);
        const QJsonArray journal = sim.simulator().journal();
        QCOMPARE(countOf(journal, u"receipt"_qs), 1);
        QCOMPARE(countOf(journal, u"cancelled"_qs), closed ? 0 : 1);
    }

    // The printer closed other receipts since: nobody can tell, so it is never printed on its own; the operator's
    // answer settles it.
    void unknownUntilTheOperatorAnswers()
    {
        SimulatorHarness sim;
        auto f = fixture();
        QVERIFY(f);
        auto p = printer(sim.address());
        auto receipt = FiscalReceipts::fromOrder(f->order);
        QVERIFY(receipt.ok());
        QVERIFY(insertSending(*f->temp.db, f->order.id, receipt->total()));
        Receipt someoneElse;
        someoneElse.lines.append({u"Kawa"_qs, 1500, 1, domain::VatRate::percent(23), 0, {}});
        SD_VERIFY_OK(p->printReceipt(someoneElse, {0}));
        SD_VERIFY_OK(p->printReceipt(someoneElse, {0}));
        FiscalReceipts receipts(f->temp.db);
        auto issued = receipts.issue(f->order, u"k"_qs, *p);
        QVERIFY(!issued.ok());
        QVERIFY(issued.error().userMessage.contains(u"unknown"));
        auto again = receipts.issue(f->order, u"k"_qs, *p);
        QVERIFY(!again.ok());
        QCOMPARE(sim.simulator().receipts().size(), 2);
        auto unknown = receipts.inState(u"unknown"_qs);
        QVERIFY(unknown.ok());
        QCOMPARE(unknown->size(), 1);
        auto resolved = receipts.resolve(u"k"_qs, true, 2);
        SD_VERIFY_OK(resolved);
        QCOMPARE(resolved->state, u"printed"_qs);
        QCOMPARE(resolved->journalNumber.value_or(-1), 2);
    }

    // A Novitus printer: the same receipt, the NIP on the closing packet, rates matched by letter from <taxrates>.
    void novitusReceipt()
    {
        domain::Order order = test::sampleOrder(u"fiscal-novitus"_qs);
        order.items[0].name = u"Mąka żytnia"_qs;
        order.invoice.wanted = true;
        order.invoice.nip = u"1234563218"_qs;
        SimulatorOptions options;
        options.protocol = SimulatorOptions::Protocol::Novitus;
        options.vat.rates = {800, VatTable::kInactive, 2300, 0, 500, VatTable::kInactive, VatTable::kExempt};
        SimulatorHarness sim(options);
        QVERIFY(sim.address().endsWith(u"?protocol=novitus"));
        auto f = fixture(u"sqlite"_qs, order);
        QVERIFY(f);
        auto p = printer(sim.address());
        auto vat = p->vatTable();
        SD_VERIFY_OK(vat);
        QCOMPARE(vat->describe(), u"A 8%, C 23%, D 0%, E 5%, G zw"_qs);
        FiscalReceipts receipts(f->temp.db);
        auto issued = receipts.issue(f->order, u"k"_qs, *p);
        SD_VERIFY_OK(issued);
        QCOMPARE(issued->state, u"printed"_qs);
        QCOMPARE(issued->journalNumber.value_or(-1), 1);
        QCOMPARE(issued->printer, sim.address());
        const QJsonObject printed = sim.simulator().receipts().value(0);
        QCOMPARE(printed[u"total"].toInteger(), f->order.total.minor());
        QCOMPARE(printed[u"nip"].toString(), u"1234563218"_qs);
        QCOMPARE(printed[u"lines"].toArray().first()[u"name"].toString(), u"Mąka żytnia"_qs);
        QCOMPARE(printed[u"lines"].toArray().first()[u"slot"].toString(), u"C"_qs); // 23% is C here
        QCOMPARE(printed[u"payments"].toArray().first()[u"type"].toInt(), 8);
        auto status = p->status();
        SD_VERIFY_OK(status);
        QVERIFY(status->ok());
        QVERIFY(status->fiscalMode);
        SD_VERIFY_OK(p->dailyReport(QDate::currentDate()));
        QCOMPARE(countOf(sim.simulator().journal(), u"daily-report"_qs), 1);
        // Nothing sold since: the printer refuses a zero report, and the refusal reaches the caller.
        auto zero = p->dailyReport(QDate::currentDate());
        QVERIFY(!zero.ok());
        QCOMPARE(zero.error().code, Error::Code::Conflict);
        QVERIFY(zero.error().detail.contains(u"382"));
        QCOMPARE(sim.simulator().framesReceived() > 0, true);
        QCOMPARE(sim.simulator().badFramesReceived(), 0);
    }

    // Discounts and surcharges: spread over the item lines as each line's discount or markup; the printer's own
    // totals (its journal) add up to the order's total, on both protocols.
    void discountsAndSurcharges_data()
    {
        QTest::addColumn<bool>("novitus");
        QTest::addColumn<qint64>("adjustment");
        QTest::newRow("posnet discount") << false << qint64(-1000);
        QTest::newRow("posnet surcharge") << false << qint64(350);
        QTest::newRow("novitus discount") << true << qint64(-1000);
        QTest::newRow("novitus surcharge") << true << qint64(350);
    }
    void discountsAndSurcharges()
    {
        QFETCH(bool, novitus);
        QFETCH(qint64, adjustment);
        domain::Order order = test::sampleOrder(u"fiscal-discount"_qs);
        domain::LineItem second;
        second.name = u"Kubek"_qs;
        second.quantity = 3;
        second.unitPrice = domain::Money(1999, u"PLN"_qs);
        second.vatRate = domain::VatRate::percent(8);
        order.items.append(second);
        order.adjustments.append({adjustment < 0 ? u"discount"_qs : u"surcharge"_qs,
                                  adjustment < 0 ? u"Kupon -10 zł"_qs : u"Opłata za pobranie"_qs,
                                  domain::Money(adjustment, u"PLN"_qs)});
        order.total = order.computedTotal();
        SimulatorOptions options;
        if (novitus)
            options.protocol = SimulatorOptions::Protocol::Novitus;
        SimulatorHarness sim(options);
        auto f = fixture(u"sqlite"_qs, order);
        QVERIFY(f);
        auto receipt = FiscalReceipts::fromOrder(f->order);
        SD_VERIFY_OK(receipt);
        qint64 spread = 0;
        for (const ReceiptLine &line : receipt->lines)
            spread += line.adjustment;
        QCOMPARE(spread, adjustment);
        QCOMPARE(receipt->lines.last().adjustment, 0); // delivery keeps its price
        auto issued = FiscalReceipts(f->temp.db).issue(f->order, u"k"_qs, *printer(sim.address()));
        SD_VERIFY_OK(issued);
        const QJsonObject printed = sim.simulator().receipts().value(0);
        QCOMPARE(printed[u"total"].toInteger(), f->order.total.minor());
        qint64 journalAdjustments = 0, journalValues = 0;
        for (const QJsonValue &line : printed[u"lines"].toArray()) {
            journalAdjustments += line[u"adjustment"].toInteger();
            journalValues += line[u"value"].toInteger();
            if (line[u"adjustment"].toInteger() != 0)
                QCOMPARE(line[u"adjustmentName"].toString(),
                         adjustment < 0 ? u"Kupon -10 zł"_qs : u"Opłata za pobranie"_qs);
        }
        QCOMPARE(journalAdjustments, adjustment);
        QCOMPARE(journalValues, f->order.total.minor());

        // A discount larger than the goods is refused before anything is sent.
        domain::Order tooMuch = test::sampleOrder(u"fiscal-discount-big"_qs);
        tooMuch.adjustments.append({u"discount"_qs, u"Gratis"_qs, tooMuch.itemsTotal() * -1});
        tooMuch.total = tooMuch.computedTotal();
        auto refused = FiscalReceipts::fromOrder(tooMuch);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().userMessage.contains(u"discounts"), qPrintable(refused.error().userMessage));
    }

    void unreachablePrinterKeepsTheStateKnown()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString address = u"tcp://127.0.0.1:%1"_qs.arg(closed.serverPort());
        closed.close();
        auto f = fixture();
        QVERIFY(f);
        QVERIFY(QSqlQuery(f->temp.db->connection())
                    .exec(u"INSERT INTO fiscal_receipts (order_id, ledger_key, state, printer, total, baseline, "
                          "attempts, created_at, updated_at) VALUES (%1, 'k', 'sending', '', 1, 0, 1, 0, 0)"_qs.arg(
                              f->order.id)));
        auto issued = FiscalReceipts(f->temp.db).issue(f->order, u"k"_qs, *printer(address));
        QVERIFY(!issued.ok());
        QCOMPARE(issued.error().code, Error::Code::Io);
        auto row = FiscalReceipts(f->temp.db).find(u"k"_qs);
        QVERIFY(row.ok() && row->has_value());
        QCOMPARE((*row)->state, u"sending"_qs); // still to be checked with the printer, never re-sent blindly
        QVERIFY(!(*row)->error.isEmpty());
    }

    void dailyReport()
    {
        SimulatorHarness sim;
        auto p = printer(sim.address());
        auto zero = p->dailyReport(QDate::currentDate());
        QVERIFY(!zero.ok());
        QVERIFY(zero.error().userMessage.contains(u"zero report"));
        Receipt sale;
        sale.lines.append({u"Kawa"_qs, 1500, 1, domain::VatRate::percent(23), 0, {}});
        SD_VERIFY_OK(p->printReceipt(sale, {0}));
        SD_VERIFY_OK(p->dailyReport(QDate(2026, 11, 24)));
        const QJsonArray journal = sim.simulator().journal();
        QCOMPARE(journal.last()[u"type"].toString(), u"daily-report"_qs);
        QCOMPARE(journal.last()[u"date"].toString(), u"2026-11-24"_qs);
        QCOMPARE(journal.last()[u"totals"][u"A"].toInteger(), 1500);
        auto status = p->status();
        SD_VERIFY_OK(status);
        QVERIFY(status->ok());
        sim.simulator().setPaperOut(true);
        status = p->status();
        SD_VERIFY_OK(status);
        QVERIFY(!status->ok());
        QVERIFY(status->message.contains(u"out of paper"));
    }

    // The simulator checks every frame: a damaged one is answered with frame error 5 and changes nothing.
    void simulatorRefusesDamagedFrames()
    {
        SimulatorHarness sim;
        auto transport = FiscalTransport::fromAddress(sim.address());
        QVERIFY(transport.ok());
        SD_VERIFY_OK((*transport)->open(kTimeoutMs));
        QByteArray frame = PosnetFrame(u"trinit"_qs).add(u"bm"_qs, 1).encode();
        frame[frame.size() - 2] = frame[frame.size() - 2] == '0' ? '1' : '0';
        SD_VERIFY_OK((*transport)->write(frame, kTimeoutMs));
        PosnetReader reader;
        QByteArray inner;
        for (int i = 0; i < 20 && inner.isEmpty(); ++i) {
            auto bytes = (*transport)->read(kTimeoutMs);
            QVERIFY(bytes.ok());
            reader.feed(*bytes);
            inner = reader.next().value_or(QByteArray());
        }
        auto reply = PosnetFrame::decode(inner);
        QVERIFY(reply.ok());
        QCOMPARE(reply->command, u"ERR"_qs);
        QCOMPARE(reply->errorCode().value_or(-1), 5);
        QCOMPARE(sim.simulator().badFramesReceived(), 1);
        auto p = printer(sim.address());
        auto last = p->lastReceipt();
        QVERIFY(last.ok());
        QVERIFY(!last->transactionOpen);
    }

    // The automation's "Print a fiscal receipt" on the workstation's printer (SD_FISCAL_PRINTER).
    void executor()
    {
        SimulatorHarness sim;
        auto f = fixture();
        QVERIFY(f);
        automation::RuleStore rules(f->temp.db);
        automation::Dispatcher dispatcher(*f->store, rules);
        automation::ExecutorEnv env{*f->store, rules, dispatcher};
        automation::Rule rule;
        automation::Action action;
        action.type = u"issueReceipt"_qs;
        automation::Executors executors = automation::Executors::withDefaults();
        automation::ActionExecutor &executor = executors.forAction(action.type);
        QVERIFY(!executor.internal());
        QVERIFY(executor.repeatable());
        qputenv("SD_FISCAL_PRINTER", "");
        automation::ActionOutcome none = executor.run({rule, action, f->order, u"rule:1/k"_qs}, env);
        if (configuredPrinter().isEmpty())
            QCOMPARE(none.kind, automation::ActionOutcome::Kind::NotConfigured);
        qputenv("SD_FISCAL_PRINTER", sim.address().toUtf8());
        automation::ActionOutcome done = executor.run({rule, action, f->order, u"rule:1/k"_qs}, env);
        QCOMPARE(done.kind, automation::ActionOutcome::Kind::Done);
        QCOMPARE(done.detail[u"number"].toInteger(), 1);
        // A second rule's run for the same order: the order has its receipt.
        automation::ActionOutcome second = executor.run({rule, action, f->order, u"rule:2/k"_qs}, env);
        QCOMPARE(second.kind, automation::ActionOutcome::Kind::Done);
        QVERIFY(second.message.contains(u"not printed again"));
        QCOMPARE(sim.simulator().receipts().size(), 1);
        qunsetenv("SD_FISCAL_PRINTER");
    }
};

QTEST_GUILESS_MAIN(TestFiscalReceipts)
#include "tst_fiscalreceipts.moc"
