#include "devices/labels/pdflabels.h"
#include "devices/printing/printqueue.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QThread>
#include <QtTest>

using namespace sd;
using namespace sd::devices;
using namespace sd::devices::printing;

// A PDF label through a real CUPS with a cups-pdf queue (scripts/testenv/cups, started by scripts/test):
// the print queue renders it at the label size, lp hands it to CUPS, CUPS prints it to a PDF file, and the barcode in
// that file decodes to the tracking number.
class TestCupsPrint : public QObject
{
    Q_OBJECT

private slots:
    void pdfLabelThroughCupsDecodesToTheTrackingNumber()
    {
        const QString server = qEnvironmentVariable("CUPS_SERVER");
        const QString queueName = qEnvironmentVariable("SD_TEST_CUPS_QUEUE");
        const QString output = qEnvironmentVariable("SD_TEST_CUPS_OUTPUT");
        if (server.isEmpty() || queueName.isEmpty() || output.isEmpty()) {
            if (test::inCi())
                QFAIL("CUPS_SERVER, SD_TEST_CUPS_QUEUE and SD_TEST_CUPS_OUTPUT are not set: scripts/testenv/cups did "
                      "not run");
            QSKIP("no test CUPS (eval $(scripts/testenv/cups start) to run this test)");
        }
        QDir outDir(output);
        const QStringList before = outDir.entryList({u"*.pdf"_qs}, QDir::Files);

        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_cups"_qs);
        SD_VERIFY_OK(fresh);
        storage::ActionLedger ledger(fresh->db);
        PrintQueue queue(fresh->db, ledger, u"packing-1"_qs);
        const QString tracking = u"620000098765432101234567"_qs;
        auto label = labels::pdf::addressLabel(test::sampleOrder(u"cups-1"_qs), {}, tracking, u"InPost"_qs);
        SD_VERIFY_OK(label);
        PrintQueue::Request request;
        request.kind = u"label"_qs;
        request.documentKey = u"label:cups:"_qs + tracking;
        request.title = tracking;
        request.printer = u"cups:"_qs + queueName;
        request.document = {labels::LabelDocument::Format::Pdf, *label};
        request.actor = u"test"_qs;
        auto id = queue.submit(request);
        SD_VERIFY_OK(id);
        auto state = queue.process(*id);
        SD_VERIFY_OK(state);
        QVERIFY(*state == PrintQueue::State::Sent || *state == PrintQueue::State::Printed);
        auto job = queue.job(*id);
        SD_VERIFY_OK(job);
        QVERIFY2(job->externalId.startsWith(queueName + u'-'), qPrintable(job->externalId));

        // CUPS prints in the background: follow the job until CUPS says it is done, and its file is there.
        QElapsedTimer clock;
        clock.start();
        QString printed;
        while (clock.elapsed() < 60000) {
            state = queue.process(*id);
            SD_VERIFY_OK(state);
            const QStringList now = outDir.entryList({u"*.pdf"_qs}, QDir::Files);
            for (const QString &name : now)
                if (!before.contains(name))
                    printed = outDir.filePath(name);
            if (*state == PrintQueue::State::Printed && !printed.isEmpty())
                break;
            QThread::msleep(200);
        }
        QCOMPARE(*state, PrintQueue::State::Printed);
        QVERIFY2(!printed.isEmpty(), "cups-pdf wrote no file");
        QTRY_VERIFY_WITH_TIMEOUT(test::readFile(printed).trimmed().endsWith("%%EOF"), 10000);
        auto codes = test::decodePdfBarcodes(test::readFile(printed));
        SD_VERIFY_OK(codes);
        QCOMPARE(*codes, QStringList{tracking});
        job = queue.job(*id);
        SD_VERIFY_OK(job);
        QCOMPARE(job->timeline.constLast().state, PrintQueue::State::Printed);
    }
};

QTEST_MAIN(TestCupsPrint)
#include "tst_cupsprint.moc"
