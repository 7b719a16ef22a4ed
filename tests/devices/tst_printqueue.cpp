#include "devices/labels/pdflabels.h"
#include "devices/labels/zpltemplates.h"
#include "devices/printing/printerrouting.h"
#include "devices/printing/printqueue.h"
#include "testsupport.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <future>
#include <thread>

using namespace sd;
using namespace sd::devices;
using namespace sd::devices::printing;

namespace {

// A label printer's raw port on 127.0.0.1, on a thread of its own: accepts `connections` connections and returns
// the bytes of each, in order.
class RawPrinter
{
public:
    explicit RawPrinter(quint16 port, int connections = 1)
    {
        std::promise<quint16> bound;
        m_port = bound.get_future();
        m_thread = std::thread([this, port, connections, bound = std::move(bound)]() mutable {
            QTcpServer server;
            if (!server.listen(QHostAddress::LocalHost, port)) {
                bound.set_value(0);
                return;
            }
            bound.set_value(server.serverPort());
            for (int i = 0; i < connections; ++i) {
                // One wake-up can accept several connections at once: take the ones already pending first.
                if (!server.hasPendingConnections() && !server.waitForNewConnection(20000))
                    return;
                std::unique_ptr<QTcpSocket> socket(server.nextPendingConnection());
                QByteArray bytes;
                while (socket->state() == QAbstractSocket::ConnectedState || socket->bytesAvailable() > 0) {
                    if (socket->bytesAvailable() == 0 && !socket->waitForReadyRead(5000))
                        break;
                    bytes += socket->readAll();
                }
                bytes += socket->readAll();
                m_received.push_back(bytes);
            }
        });
    }
    ~RawPrinter()
    {
        if (m_thread.joinable())
            m_thread.join();
    }
    quint16 port() { return m_port.get(); }
    std::vector<QByteArray> received()
    {
        if (m_thread.joinable())
            m_thread.join();
        return m_received;
    }

private:
    std::shared_future<quint16> m_port;
    std::thread m_thread;
    std::vector<QByteArray> m_received;
};

// A port on 127.0.0.1 that nothing listens on (taken, then released).
quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

PrintQueue::Request zplRequest(const QString &documentKey, const QString &printer)
{
    PrintQueue::Request r;
    r.kind = u"label"_qs;
    r.documentKey = documentKey;
    r.title = documentKey;
    r.printer = printer;
    r.document.format = labels::LabelDocument::Format::Zpl;
    domain::Order order = test::sampleOrder(documentKey);
    r.document.data = labels::zpl::addressLabel(order, {}, u"620000012345678901234567"_qs);
    r.actor = u"user:anna"_qs;
    return r;
}

QStringList timelineOf(const PrintQueue::Job &job)
{
    QStringList states;
    for (const auto &entry : job.timeline)
        states << PrintQueue::stateKey(entry.state);
    return states;
}

} // namespace

// The print queue: ZPL over the raw port (bytes checked), offline jobs that wait and go when the printer is back, the
// duplicate guard and reprints with a reason, the ledger entry per send, PDF files, printer routing in QSettings.
class TestPrintQueue : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void zplGoesToTheRawPortByteForByte_data() { test::addEngineRows(); }
    void zplGoesToTheRawPortByteForByte()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_print_tcp"_qs);
        SD_VERIFY_OK(fresh);
        storage::ActionLedger ledger(fresh->db);
        PrintQueue queue(fresh->db, ledger, u"packing-1"_qs);
        RawPrinter printer(0);
        const QString address = u"tcp://127.0.0.1:"_qs + QString::number(printer.port());
        const PrintQueue::Request request = zplRequest(u"label:shipment:1"_qs, address);
        auto id = queue.submit(request);
        SD_VERIFY_OK(id);
        auto state = queue.process(*id);
        SD_VERIFY_OK(state);
        QCOMPARE(*state, PrintQueue::State::Printed);
        const auto received = printer.received();
        QCOMPARE(received.size(), size_t(1));
        QCOMPARE(received.front(), request.document.data);
        auto job = queue.job(*id);
        SD_VERIFY_OK(job);
        QCOMPARE(timelineOf(*job), (QStringList{u"created"_qs, u"rendered"_qs, u"sent"_qs, u"printed"_qs}));
        QCOMPARE(job->workstation, u"packing-1"_qs);
        QCOMPARE(job->createdBy, u"user:anna"_qs);
        auto entry = ledger.find(u"print/job:"_qs + QString::number(*id));
        SD_VERIFY_OK(entry);
        QVERIFY(entry->has_value());
        QCOMPARE((*entry)->state, storage::ActionLedger::State::Done);
        // Processing again sends nothing more.
        state = queue.process(*id);
        SD_VERIFY_OK(state);
        QCOMPARE(*state, PrintQueue::State::Printed);
    }

    // The printer is off: jobs wait, in order; when it is back, the next pass prints them, oldest first.
    void offlineJobsWaitAndGoWhenThePrinterIsBack_data() { test::addEngineRows(); }
    void offlineJobsWaitAndGoWhenThePrinterIsBack()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_print_offline"_qs);
        SD_VERIFY_OK(fresh);
        storage::ActionLedger ledger(fresh->db);
        PrintQueue queue(fresh->db, ledger, u"packing-1"_qs);
        PrintSender quick;
        quick.setTimeoutMs(1000);
        queue.setSender(quick);
        const quint16 port = freePort();
        const QString address = u"tcp://127.0.0.1:"_qs + QString::number(port);
        auto first = queue.submit(zplRequest(u"label:shipment:10"_qs, address));
        auto second = queue.submit(zplRequest(u"label:shipment:11"_qs, address));
        SD_VERIFY_OK(first);
        SD_VERIFY_OK(second);
        auto pass = queue.processPending();
        SD_VERIFY_OK(pass);
        QCOMPARE(pass->waiting, 2);
        QCOMPARE(pass->printed, 0);
        auto job = queue.job(*first);
        SD_VERIFY_OK(job);
        QCOMPARE(job->state, PrintQueue::State::Waiting);
        QVERIFY(job->lastError.contains(address));
        QCOMPARE(job->attempts, 1);
        job = queue.job(*second);
        SD_VERIFY_OK(job);
        QCOMPARE(job->state, PrintQueue::State::Created); // not tried: the printer was known to be away
        auto entry = ledger.find(u"print/job:"_qs + QString::number(*first));
        SD_VERIFY_OK(entry);
        QCOMPARE((*entry)->state, storage::ActionLedger::State::Failed);

        RawPrinter printer(port, 2);
        QCOMPARE(printer.port(), port);
        pass = queue.processPending();
        SD_VERIFY_OK(pass);
        QCOMPARE(pass->printed, 2);
        QCOMPARE(pass->waiting, 0);
        const auto received = printer.received();
        QCOMPARE(received.size(), size_t(2));
        QVERIFY(received.at(0).contains("label:shipment:10"));
        QVERIFY(received.at(1).contains("label:shipment:11"));
        job = queue.job(*first);
        SD_VERIFY_OK(job);
        QCOMPARE(timelineOf(*job),
                 (QStringList{u"created"_qs, u"rendered"_qs, u"waiting"_qs, u"sent"_qs, u"printed"_qs}));
        QCOMPARE(job->attempts, 2);
    }

    void duplicateGuardAndReprintWithReason()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_print_dup"_qs);
        SD_VERIFY_OK(fresh);
        storage::ActionLedger ledger(fresh->db);
        PrintQueue queue(fresh->db, ledger, u"packing-1"_qs);
        QTemporaryDir dir;
        const QString file = dir.filePath(u"label.pdf"_qs);
        PrintQueue::Request request;
        request.kind = u"document"_qs;
        request.documentKey = u"label:shipment:7"_qs;
        request.printer = u"pdf:"_qs + file;
        request.actor = u"user:anna"_qs;
        request.document.format = labels::LabelDocument::Format::Pdf;
        auto pdf = labels::pdf::testPage(u"pdf"_qs, u"packing-1"_qs, {100, 150});
        SD_VERIFY_OK(pdf);
        request.document.data = *pdf;
        auto id = queue.submit(request);
        SD_VERIFY_OK(id);
        auto state = queue.process(*id);
        SD_VERIFY_OK(state);
        QCOMPARE(*state, PrintQueue::State::Printed);
        QCOMPARE(test::readFile(file), *pdf);

        // The same document again is refused, naming the earlier job.
        auto twice = queue.submit(request);
        QVERIFY(!twice);
        QCOMPARE(twice.error().code, Error::Code::Conflict);
        QVERIFY(twice.error().userMessage.contains(QString::number(*id)));
        // A reprint needs a reason.
        auto noReason = queue.reprint(*id, u"  "_qs, u"user:anna"_qs);
        QVERIFY(!noReason);
        QCOMPARE(noReason.error().code, Error::Code::Invalid);
        QFile::remove(file);
        auto reprint = queue.reprint(*id, u"label torn"_qs, u"user:anna"_qs);
        SD_VERIFY_OK(reprint);
        state = queue.process(*reprint);
        SD_VERIFY_OK(state);
        QCOMPARE(*state, PrintQueue::State::Printed);
        QVERIFY(QFile::exists(file));
        auto job = queue.job(*reprint);
        SD_VERIFY_OK(job);
        QCOMPARE(job->reprintOf, *id);
        QCOMPARE(job->reason, u"label torn"_qs);
        QVERIFY(job->timeline.first().detail.contains(u"label torn"_qs));
        // A reprint of the reprint still points at the original.
        auto third = queue.reprint(*reprint, u"second copy"_qs, u"user:anna"_qs);
        SD_VERIFY_OK(third);
        job = queue.job(*third);
        SD_VERIFY_OK(job);
        QCOMPARE(job->reprintOf, *id);
        auto all = queue.jobs();
        SD_VERIFY_OK(all);
        QCOMPARE(all->size(), 3);
        QCOMPARE(all->first().id, *third); // newest first
    }

    // A document that can never go to that printer fails at once instead of waiting.
    void wrongFormatFailsForGood()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_print_wrong"_qs);
        SD_VERIFY_OK(fresh);
        storage::ActionLedger ledger(fresh->db);
        PrintQueue queue(fresh->db, ledger, u"packing-1"_qs);
        PrintQueue::Request request = zplRequest(u"label:shipment:20"_qs, u"tcp://127.0.0.1:9"_qs);
        request.kind = u"document"_qs;
        request.document.format = labels::LabelDocument::Format::Pdf;
        request.document.data = "%PDF-1.4 not really";
        auto id = queue.submit(request);
        SD_VERIFY_OK(id);
        auto state = queue.process(*id);
        SD_VERIFY_OK(state);
        QCOMPARE(*state, PrintQueue::State::Failed);
        auto bad = queue.submit(zplRequest(u"label:shipment:21"_qs, u"lpt1"_qs));
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, Error::Code::Invalid);
    }

    // A courier's PDF is rendered by QtPdf onto a page of the label's size, black and white, barcode intact.
    void pdfLabelRenderedAtLabelSize()
    {
        auto pdf = labels::pdf::addressLabel(test::sampleOrder(u"render-1"_qs), {}, u"A000K2H5W3"_qs);
        SD_VERIFY_OK(pdf);
        auto rendered = PrintSender::renderForLabel(*pdf, {100, 150});
        SD_VERIFY_OK(rendered);
        QVERIFY(rendered->startsWith("%PDF"));
        QVERIFY(*rendered != *pdf);
        auto codes = test::decodePdfBarcodes(*rendered);
        SD_VERIFY_OK(codes);
        QCOMPARE(*codes, QStringList{u"A000K2H5W3"_qs});
        QVERIFY(!PrintSender::renderForLabel("not a pdf", {100, 150}));
    }

    void routingIsPerWorkstation()
    {
        using Role = PrinterRouting::Role;
        SD_VERIFY_OK(PrinterRouting::setPrinter(Role::Label, u" tcp://192.0.2.10 "_qs));
        QCOMPARE(PrinterRouting::printer(Role::Label)->toString(), u"tcp://192.0.2.10:9100"_qs);
        SD_VERIFY_OK(PrinterRouting::setPrinter(Role::Document, u"cups:Biuro_A4"_qs));
        QCOMPARE(PrinterRouting::printer(Role::Document)->queue, u"Biuro_A4"_qs);
        QVERIFY(!PrinterRouting::setPrinter(Role::Label, u"cups:bad queue"_qs));
        QCOMPARE(PrinterRouting::text(Role::Label), u"tcp://192.0.2.10:9100"_qs); // unchanged by the bad one
        SD_VERIFY_OK(PrinterRouting::setPrinter(Role::Fiscal, u"serial:/dev/ttyUSB0"_qs));
        QCOMPARE(QSettings().value(u"printers/fiscal"_qs).toString(), u"serial:/dev/ttyUSB0"_qs);
        SD_VERIFY_OK(PrinterRouting::setPrinter(Role::Label, QString()));
        QVERIFY(!PrinterRouting::printer(Role::Label).has_value());
        PrinterRouting::setWorkstation(u"Pakowanie 2"_qs);
        QCOMPARE(PrinterRouting::workstation(), u"Pakowanie 2"_qs);
    }
};

QTEST_MAIN(TestPrintQueue)
#include "tst_printqueue.moc"
