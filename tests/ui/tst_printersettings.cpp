#include "devices/fiscal/fiscalsettings.h"
#include "devices/printing/printerrouting.h"
#include "printersdialog.h"
#include "simulatorharness.h"
#include "testsupport.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using Role = sd::ui::PrintersDialog::Role;

// The printer settings page: per-workstation addresses for the three printers, refused when wrong, and a test page
// per printer that goes through the print queue (the fiscal one asks the printer itself).
class TestPrinterSettings : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
        QCoreApplication::setApplicationName(u"tst_printersettings"_qs);
        QSettings().clear();
        qunsetenv("SD_FISCAL_PRINTER");
    }
    void cleanupTestCase() { QSettings().clear(); }

    void savesPerWorkstationAndReadsBack()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_printers_save"_qs);
        SD_VERIFY_OK(fresh);
        {
            ui::PrintersDialog dialog(fresh->db);
            auto *kind = dialog.findChild<QComboBox *>(u"labelKind"_qs);
            auto *target = dialog.findChild<QLineEdit *>(u"labelTarget"_qs);
            QVERIFY(kind && target);
            kind->setCurrentIndex(kind->findData(u"tcp://"_qs));
            target->setText(u"192.0.2.10:9100"_qs);
            dialog.setAddress(Role::Document, u"cups:Biuro_A4"_qs);
            auto *fiscalKind = dialog.findChild<QComboBox *>(u"fiscalKind"_qs);
            auto *protocol = dialog.findChild<QComboBox *>(u"fiscalProtocol"_qs);
            QVERIFY(fiscalKind && protocol);
            fiscalKind->setCurrentIndex(fiscalKind->findData(u"serial:"_qs));
            dialog.findChild<QLineEdit *>(u"fiscalTarget"_qs)->setText(u"/dev/ttyACM0"_qs);
            protocol->setCurrentIndex(protocol->findData(u"novitus"_qs));
            QVERIFY(dialog.save());
        }
        using devices::printing::PrinterRouting;
        QCOMPARE(PrinterRouting::text(PrinterRouting::Role::Label), u"tcp://192.0.2.10:9100"_qs);
        QCOMPARE(PrinterRouting::text(PrinterRouting::Role::Document), u"cups:Biuro_A4"_qs);
        QCOMPARE(devices::fiscal::configuredPrinter(), u"serial:/dev/ttyACM0?protocol=novitus"_qs);
        // Opened again, the page shows what is stored.
        ui::PrintersDialog again(fresh->db);
        QCOMPARE(again.address(Role::Label), u"tcp://192.0.2.10:9100"_qs);
        QCOMPARE(again.address(Role::Fiscal), u"serial:/dev/ttyACM0?protocol=novitus"_qs);
        QCOMPARE(again.findChild<QComboBox *>(u"fiscalProtocol"_qs)->currentData().toString(), u"novitus"_qs);

        // A wrong address: refused with the reason, nothing stored.
        again.setAddress(Role::Label, u"cups:bad queue"_qs);
        QVERIFY(!again.save());
        QVERIFY(!again.message().isEmpty());
        QCOMPARE(PrinterRouting::text(PrinterRouting::Role::Label), u"tcp://192.0.2.10:9100"_qs);
        again.setAddress(Role::Label, u"cups:Zebra"_qs);
        again.setAddress(Role::Fiscal, u"tcp://nohost"_qs);
        QVERIFY(!again.save());
        QCOMPARE(PrinterRouting::text(PrinterRouting::Role::Label), u"tcp://192.0.2.10:9100"_qs);
        QVERIFY(again.message().contains(u"tcp://HOST:PORT"));
    }

    // "Print test page" on the label printer: a job in the queue, printed to the PDF file.
    void testPageGoesThroughTheQueue()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_printers_test"_qs);
        SD_VERIFY_OK(fresh);
        ui::PrintersDialog dialog(fresh->db);
        const QString pdf = m_dir.filePath(u"test-label.pdf"_qs);
        dialog.setAddress(Role::Label, u"pdf:"_qs + pdf);
        auto *button = dialog.findChild<QPushButton *>(u"labelTest"_qs);
        QVERIFY(button && button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY2(dialog.message().contains(u"job 1"), qPrintable(dialog.message()));
        QVERIFY(QFileInfo(pdf).size() > 0);
        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"SELECT kind, state, printer FROM print_jobs"_qs));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), u"test"_qs);
        QCOMPARE(q.value(1).toString(), u"printed"_qs);
        QCOMPARE(q.value(2).toString(), u"pdf:"_qs + pdf);
        QVERIFY(!q.next());
        // No printer chosen: nothing to test.
        dialog.setAddress(Role::Document, QString());
        QVERIFY(!dialog.findChild<QPushButton *>(u"documentTest"_qs)->isEnabled());
    }

    // The fiscal printer's button asks the printer (here the Novitus simulator) for its state and rates.
    void fiscalCheckAsksThePrinter()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_printers_fiscal"_qs);
        SD_VERIFY_OK(fresh);
        devices::fiscal::SimulatorOptions options;
        options.protocol = devices::fiscal::SimulatorOptions::Protocol::Novitus;
        SimulatorHarness sim(options);
        ui::PrintersDialog dialog(fresh->db);
        dialog.setAddress(Role::Fiscal, sim.address());
        QCOMPARE(dialog.address(Role::Fiscal), sim.address());
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"fiscalTest"_qs), Qt::LeftButton);
        QVERIFY2(dialog.message().contains(u"A 23%, B 8%, C 5%, D 0%, G zw"), qPrintable(dialog.message()));
        QVERIFY(sim.simulator().framesReceived() > 0);
        sim.simulator().setPaperOut(true);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"fiscalTest"_qs), Qt::LeftButton);
        QVERIFY2(dialog.message().contains(u"out of paper"), qPrintable(dialog.message()));
    }
};

QTEST_MAIN(TestPrinterSettings)
#include "tst_printersettings.moc"
