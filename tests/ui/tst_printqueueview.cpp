#include "devices/labels/zpltemplates.h"
#include "devices/printing/printqueue.h"
#include "printqueuedialog.h"
#include "testsupport.h"

#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using devices::printing::PrintQueue;

namespace {

PrintQueue::Request request(const QString &key, const QString &printer)
{
    PrintQueue::Request r;
    r.kind = u"label"_qs;
    r.documentKey = key;
    r.title = key;
    r.printer = printer;
    r.document.format = devices::labels::LabelDocument::Format::Zpl;
    r.document.data = devices::labels::zpl::addressLabel(test::sampleOrder(key), {}, u"620000012345678901234567"_qs);
    r.actor = u"user:anna"_qs;
    return r;
}

} // namespace

// The print-queue view: jobs with state and printer, the selected job's timeline, the state filter, a reprint that
// needs a reason, and a retry of a job waiting for its printer.
class TestPrintQueueView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
        QCoreApplication::setApplicationName(u"tst_printqueueview"_qs);
        QSettings().clear();
        QSettings().setValue(u"workstation/name"_qs, u"packing-1"_qs);
    }
    void cleanupTestCase() { QSettings().clear(); }

    void jobsTimelineFilterReprintRetry()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_print_view"_qs);
        SD_VERIFY_OK(fresh);
        QTemporaryDir dir;
        storage::ActionLedger ledger(fresh->db);
        PrintQueue queue(fresh->db, ledger, u"packing-1"_qs);
        // One job waiting for a printer that is away, one created and not yet sent.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const QString away = u"tcp://127.0.0.1:%1"_qs.arg(probe.serverPort());
        probe.close();
        auto waiting = queue.submit(request(u"label:shipment:1"_qs, away));
        SD_VERIFY_OK(waiting);
        SD_VERIFY_OK(queue.process(*waiting));
        QTcpServer printer;
        QVERIFY(printer.listen(QHostAddress::LocalHost));
        const QString here = u"tcp://127.0.0.1:%1"_qs.arg(printer.serverPort());
        auto created = queue.submit(request(u"label:shipment:2"_qs, here));
        SD_VERIFY_OK(created);

        ui::PrintQueueDialog view(fresh->db);
        QCOMPARE(view.rowCount(), 2);
        auto *table = view.findChild<QTableWidget *>(u"jobs"_qs);
        QVERIFY(table);
        QCOMPARE(table->item(0, 0)->text(), QString::number(*created)); // newest first
        QCOMPARE(table->item(1, 5)->text(), PrintQueue::stateName(PrintQueue::State::Waiting));
        QCOMPARE(table->item(1, 4)->text(), away);

        // The filter: only the waiting job; its timeline says it waits.
        view.setStateFilter(PrintQueue::stateKey(PrintQueue::State::Waiting));
        QCOMPARE(view.rowCount(), 1);
        QCOMPARE(view.selectedJob(), *waiting);
        const QStringList timeline = view.timeline();
        QVERIFY(timeline.size() >= 2);
        QVERIFY(timeline.constFirst().contains(PrintQueue::stateName(PrintQueue::State::Created)));
        QVERIFY(timeline.constLast().contains(PrintQueue::stateName(PrintQueue::State::Waiting)));
        auto *retry = view.findChild<QPushButton *>(u"retry"_qs);
        QVERIFY(retry && retry->isEnabled());
        // Still away: the retry keeps it waiting and says so.
        QVERIFY(view.retrySelected());
        QCOMPARE(view.rowCount(), 1);

        // A reprint needs a reason; with one it is a new job that names the original.
        view.setStateFilter(QString());
        QVERIFY(view.selectJob(*waiting));
        QVERIFY(!view.reprintSelected(u"  "_qs));
        QVERIFY(view.message().contains(u"reason"));
        QCOMPARE(view.rowCount(), 2);
        QVERIFY(view.reprintSelected(u"label torn"_qs));
        QCOMPARE(view.rowCount(), 3);
        QCOMPARE(table->item(0, 7)->text(), u"reprint of %1: label torn"_qs.arg(*waiting));
        auto jobs = queue.jobs();
        SD_VERIFY_OK(jobs);
        QCOMPARE(jobs->first().reprintOf, *waiting);
        QCOMPARE(jobs->first().reason, u"label torn"_qs);

        // A job not sent yet can be tried now; with nothing selected neither button works.
        view.setStateFilter(PrintQueue::stateKey(PrintQueue::State::Created));
        QCOMPARE(view.rowCount(), 1);
        QCOMPARE(view.selectedJob(), *created);
        QVERIFY(retry->isEnabled());
        view.setStateFilter(PrintQueue::stateKey(PrintQueue::State::Failed));
        QCOMPARE(view.rowCount(), 0);
        QVERIFY(!retry->isEnabled());
        QVERIFY(!view.findChild<QPushButton *>(u"reprint"_qs)->isEnabled());
    }
};

QTEST_MAIN(TestPrintQueueView)
#include "tst_printqueueview.moc"
