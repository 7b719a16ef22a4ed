#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "devices/printing/printerrouting.h"
#include "documentfixtures.h"
#include "documents/documentservice.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QFile>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;

namespace {

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

// The "print the invoice" rule action (issues 9 and 10: the packing station's follow-ups print the invoice): the
// order's invoice as a PDF on the workstation's document printer through the print queue, once, whatever retries.
class TestPrintDocument : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
        QCoreApplication::setApplicationName(u"tst_printdocument"_qs);
        QSettings().clear();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void invoiceIsPrintedOnceOnTheDocumentPrinter()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_printdocument"_qs);
        SD_VERIFY_OK(fresh);
        storage::Database &db = *fresh->db;
        storage::OrderStore store(fresh->db);
        documents::DocumentService documents(store);
        SD_VERIFY_OK(documents.settings().setCompany(test::sampleCompany()));
        automation::RuleStore rules(fresh->db);
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "Print the invoice",
            "trigger": {"type": "manual"}, "actions": [{"type": "printDocument"}]})");
        SD_VERIFY_OK(rule);
        auto saved = rules.save(*rule, u"user:anna"_qs);
        SD_VERIFY_OK(saved);
        auto created = store.apply(storage::OrderChange::create(
            test::companyOrder(u"print-1"_qs, {test::item(u"Kubek"_qs, 2, 2460, u"23"_qs)}, 1299),
            {u"marketplace:allegro-pl"_qs, u"import"_qs, 0}));
        SD_VERIFY_OK(created);
        const qint64 id = created->orderId;
        automation::Dispatcher dispatcher(store, rules);
        automation::Scheduler scheduler(store, rules, automation::Executors::withDefaults(), u"ws-1"_qs);

        // No document printer: the action says so and prints nothing.
        SD_VERIFY_OK(dispatcher.requestManualRun(saved->id, id, {u"user:anna"_qs, {}, 0}));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM print_jobs"_qs), 0);

        // No invoice yet: refused with a reason, nothing printed.
        const QString pdf = m_dir.filePath(u"invoice.pdf"_qs);
        SD_VERIFY_OK(devices::printing::PrinterRouting::setPrinter(devices::printing::PrinterRouting::Role::Document,
                                                                   u"pdf:"_qs + pdf));
        SD_VERIFY_OK(dispatcher.requestManualRun(saved->id, id, {u"user:anna"_qs, {}, 0}));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM print_jobs"_qs), 0);
        QVERIFY(scalar(db, u"SELECT COUNT(*) FROM job_runs WHERE action = 'printDocument' AND outcome = 'failed'"_qs) >=
                1);

        // With the invoice issued, the action prints it: the PDF on the printer is that invoice.
        documents::IssueRequest request;
        request.orderId = id;
        auto invoice = documents.issueForOrder(request, {u"user:anna"_qs, {}, 0});
        SD_VERIFY_OK(invoice);
        SD_VERIFY_OK(dispatcher.requestManualRun(saved->id, id, {u"user:anna"_qs, {}, 0}));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM print_jobs WHERE state = 'printed' AND kind = 'document'"_qs), 1);
        QFile printed(pdf);
        QVERIFY(printed.open(QIODevice::ReadOnly));
        QVERIFY(test::pdfText(printed.readAll()).contains(invoice->number));

        // Run again (a double trigger, a second rule): the queue's duplicate guard keeps it to one print.
        SD_VERIFY_OK(dispatcher.requestManualRun(saved->id, id, {u"user:anna"_qs, {}, 0}));
        SD_VERIFY_OK(scheduler.runUntilIdle());
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM print_jobs"_qs), 1);
        SD_VERIFY_OK(devices::printing::PrinterRouting::setPrinter(devices::printing::PrinterRouting::Role::Document,
                                                                   QString()));
    }
};

QTEST_MAIN(TestPrintDocument)
#include "tst_printdocument.moc"
