#include "automation/executors.h"
#include "automation/rulestore.h"
#include "automation/scheduler.h"
#include "inventory/inventorystore.h"
#include "packingstation.h"
#include "scannerfilter.h"
#include "scannersettings.h"
#include "testsupport.h"
#include "trainingcourier.h"
#include "util/translations.h"

#include <QApplication>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>

using namespace sd;
using View = ui::PackingStation::View;

namespace {

// Counts every mouse event anywhere in the application: the packing flow must need none.
class MouseCounter : public QObject
{
public:
    int count = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        switch (event->type()) {
        case QEvent::MouseButtonPress:
        case QEvent::MouseButtonRelease:
        case QEvent::MouseButtonDblClick:
        case QEvent::Wheel:
            ++count;
            break;
        default:
            break;
        }
        return QObject::eventFilter(watched, event);
    }
};

// A USB scanner types into whatever has the focus: 3-9 ms between keys, then Enter.
void scan(const QString &code)
{
    static const int gaps[] = {4, 7, 3, 9, 5};
    int i = 0;
    for (QChar c : code) {
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        QTest::keyClick(focus, c.toLatin1(), Qt::NoModifier, gaps[i++ % 5]);
    }
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return, Qt::NoModifier, 4);
}

struct Profile
{
    test::TempDatabase fresh;
    std::unique_ptr<storage::OrderStore> store;
    qint64 orderId = 0;
};

std::unique_ptr<Profile> makeProfile()
{
    auto profile = std::make_unique<Profile>();
    auto fresh = test::openFresh(u"sqlite"_qs, {});
    if (!fresh)
        return {};
    profile->fresh = *fresh;
    profile->store = std::make_unique<storage::OrderStore>(fresh->db);
    inventory::InventoryStore inventory(*profile->store);
    inventory::Product mug;
    mug.sku = u"KUB-01"_qs;
    mug.ean = u"5901234123457"_qs;
    mug.name = u"Kubek ceramiczny"_qs;
    mug.location = u"A-03-2"_qs;
    inventory::Product phone;
    phone.sku = u"TEL-X"_qs;
    phone.ean = u"5900000000008"_qs;
    phone.name = u"Telefon X"_qs;
    phone.location = u"B-01-1"_qs;
    phone.requiresSerial = true;
    if (!inventory.addProduct(mug) || !inventory.addProduct(phone))
        return {};
    domain::Order order = test::sampleOrder(u"PACK-7781"_qs);
    order.delivery.address.phone = u"600700800"_qs; // InPost wants the receiver's phone
    order.items.clear();
    domain::LineItem line;
    line.name = u"Kubek ceramiczny"_qs;
    line.sku = u"KUB-01"_qs;
    line.quantity = 2;
    line.unitPrice = domain::Money(2999, u"PLN"_qs);
    line.originalPrice = line.unitPrice;
    order.items.append(line);
    line.name = u"Telefon X"_qs;
    line.sku = u"TEL-X"_qs;
    line.quantity = 1;
    line.unitPrice = domain::Money(99900, u"PLN"_qs);
    line.originalPrice = line.unitPrice;
    order.items.append(line);
    order.total = order.computedTotal();
    order.payment.paidAmount = order.total;
    auto created = profile->store->apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
    if (!created)
        return {};
    profile->orderId = created->orderId;
    return profile;
}

void screenshot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("SD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    widget.grab().save(
        QDir(dir).filePath(name + u'_' + qEnvironmentVariable("SD_SCREENSHOT_LANGUAGE", u"en"_qs) + u".png"_qs));
}

} // namespace

class TestPackingStation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
        QCoreApplication::setApplicationName(u"tst_packingstation"_qs);
        QSettings().clear();
        if (qEnvironmentVariableIsSet("SD_SCREENSHOT_LANGUAGE"))
            installTranslations(*qApp, qEnvironmentVariable("SD_SCREENSHOT_LANGUAGE"));
        ui::ScannerFilter::install();
        scanning::ScannerSettings settings;
        settings.sounds = false;
        // Real key events with real waits: a loaded test machine may stretch a 4 ms wait, so the threshold here is
        // wider than the 35 ms default (the decoder's own test checks that one with exact times).
        settings.maxGapMs = 80;
        settings.save();
        ui::ScannerFilter::active()->setSettings(settings);
    }

    // A whole order packed by scans alone, keys typed into the window with a scanner's timing and no mouse: the
    // order by its marketplace id, a wrong item refused, the units, the serial; then the rule on order.packed makes
    // the label (training ShipX) and sets the status.
    void wholeFlowByScansOnly()
    {
        auto profile = makeProfile();
        QVERIFY(profile);
        test::TrainingCourier courier;
        SD_VERIFY_OK(courier.start());
        automation::RuleStore rules(profile->fresh.db);
        auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "after packing",
            "trigger": {"type": "order.packed"},
            "actions": [{"type": "generateLabel", "params": {"courier": "inpost", "format": "PDF"}},
                        {"type": "setStatus", "params": {"status": "Shipped"}}]})");
        SD_VERIFY_OK(rule);
        SD_VERIFY_OK(rules.save(*rule, u"user:anna"_qs));

        MouseCounter mice;
        qApp->installEventFilter(&mice);
        ui::PackingStation station(profile->fresh.db, {u"user:packer"_qs, u"packing station"_qs, 0});
        station.resize(1280, 800);
        station.show();
        QVERIFY(QTest::qWaitForWindowExposed(&station));
        station.activateWindow();
        QTRY_VERIFY(station.entry()->hasFocus());
        QCOMPARE(station.view(), View::Waiting);
        screenshot(station, u"packing_waiting"_qs);

        scan(u"PACK-7781"_qs);
        QTRY_COMPARE(station.view(), View::InProgress);
        QVERIFY(station.entry()->text().isEmpty()); // the scan never landed in the field
        QCOMPARE(station.lines()->rowCount(), 2);
        QCOMPARE(station.lines()->item(0, 2)->text(), u"A-03-2"_qs);

        scan(u"5901234123457"_qs);
        QTRY_COMPARE(station.session()->unitsPacked(), 1);
        QCOMPARE(station.view(), View::InProgress);
        screenshot(station, u"packing_progress"_qs);

        scan(u"4006381333931"_qs); // not in this order
        QTRY_COMPARE(station.view(), View::Wrong);
        QVERIFY(station.message().contains(u"4006381333931"_qs));
        QCOMPARE(station.session()->unitsPacked(), 1);
        screenshot(station, u"packing_wrong"_qs);

        scan(u"KUB-01"_qs);
        QTRY_COMPARE(station.session()->unitsPacked(), 2);
        scan(u"KUB-01"_qs); // an extra unit
        QTRY_COMPARE(station.view(), View::Wrong);
        scan(u"TEL-X"_qs);
        QTRY_COMPARE(station.session()->awaitingSerial(), 1);
        scan(u"SN-77-0001"_qs);
        QTRY_COMPARE(station.view(), View::Complete);
        QCOMPARE(station.lines()->item(1, 4)->text(), u"SN-77-0001"_qs);
        QVERIFY(station.entry()->text().isEmpty());
        screenshot(station, u"packing_complete"_qs);

        automation::Scheduler scheduler(*profile->store, rules, automation::Executors::withDefaults(), u"ws-pack"_qs);
        SD_VERIFY_OK(scheduler.runUntilIdle());
        const domain::Order packed = *profile->store->load(profile->orderId);
        QCOMPARE(packed.status, u"Shipped"_qs);
        QCOMPARE(packed.shipments.size(), 1);
        QCOMPARE(courier.server().shipmentsCreated(), 1);
        QSqlQuery q(profile->fresh.db->connection());
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM events WHERE type = 'packing.refused'"_qs) && q.next());
        QCOMPARE(q.value(0).toInt(), 2);
        qApp->removeEventFilter(&mice);
        QCOMPARE(mice.count, 0);
    }

    // A person typing in the field is not a scanner: slow keys reach it, and a fast burst with no Enter too once the
    // threshold has passed.
    void typingStillReachesTheField()
    {
        auto profile = makeProfile();
        QVERIFY(profile);
        ui::PackingStation station(profile->fresh.db, {u"user:packer"_qs, {}, 0});
        station.show();
        QVERIFY(QTest::qWaitForWindowExposed(&station));
        station.activateWindow();
        QTRY_VERIFY(station.entry()->hasFocus());
        for (QChar c : u"pack"_qs)
            QTest::keyClick(station.entry(), c.toLatin1(), Qt::NoModifier, 200);
        QTRY_COMPARE(station.entry()->text(), u"pack"_qs);
        for (QChar c : u"-7781"_qs)
            QTest::keyClick(station.entry(), c.toLatin1(), Qt::NoModifier, 5);
        QTRY_COMPARE(station.entry()->text(), u"pack-7781"_qs);
        QCOMPARE(station.view(), View::Waiting);
        // Typed by hand + Enter: the field's code opens the order like a scan.
        station.entry()->setText(u"PACK-7781"_qs);
        QTest::qWait(200);
        QTest::keyClick(station.entry(), Qt::Key_Return);
        QTRY_COMPARE(station.view(), View::InProgress);
    }

    // F5 pauses (the progress stays), scanning the order again resumes it; F8 moves it to the status chosen with
    // the keyboard.
    void pauseResumeAndMissingByKeys()
    {
        auto profile = makeProfile();
        QVERIFY(profile);
        ui::PackingStation station(profile->fresh.db, {u"user:packer"_qs, {}, 0});
        station.show();
        QVERIFY(QTest::qWaitForWindowExposed(&station));
        station.activateWindow();
        QTRY_VERIFY(station.entry()->hasFocus());
        scan(QString::number(profile->orderId));
        QTRY_COMPARE(station.view(), View::InProgress);
        scan(u"KUB-01"_qs);
        QTRY_COMPARE(station.session()->unitsPacked(), 1);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_F5);
        QCOMPARE(station.view(), View::Waiting);
        QVERIFY(!station.session());
        scan(u"PACK-7781"_qs);
        QTRY_COMPARE(station.view(), View::InProgress);
        QCOMPARE(station.session()->unitsPacked(), 1);

        bool answered = false;
        QTimer::singleShot(200, this, [&answered] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            QWidget *focus = QApplication::focusWidget();
            QTest::keyClick(focus, Qt::Key_Down); // New -> To ship
            QTest::keyClick(focus, Qt::Key_Return);
            answered = true;
        });
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_F8);
        QVERIFY(answered);
        QCOMPARE(station.view(), View::Waiting);
        QCOMPARE(profile->store->load(profile->orderId)->status, u"To ship"_qs);
    }

    // The settings' test field shows what the filter recognised and what the code is.
    void scannerSettingsTestField()
    {
        auto profile = makeProfile();
        QVERIFY(profile);
        ui::ScannerSettings settings(profile->fresh.db);
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        settings.activateWindow();
        QTRY_VERIFY(settings.testField()->hasFocus());
        scan(u"5900000000008"_qs);
        QTRY_COMPARE(settings.testField()->text(), u"5900000000008"_qs);
        QVERIFY(settings.testResult()->text().contains(u"EAN"_qs));
        screenshot(settings, u"scanner_settings"_qs);
    }
};

QTEST_MAIN(TestPackingStation)
#include "tst_packingstation.moc"
