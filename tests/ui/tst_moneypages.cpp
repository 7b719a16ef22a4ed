#include "access/session.h"
#include "inventory/inventorystore.h"
#include "money/lossguard.h"
#include "money/profitservice.h"
#include "moneysettingsdialog.h"
#include "orderlistmodel.h"
#include "orderview.h"
#include "reportspage.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QBarSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLineEdit>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>

using namespace sd;

namespace {

// Two orders: one at a profit, one sold below its purchase price.
struct Shop
{
    test::TempDatabase fresh;
    std::unique_ptr<storage::OrderStore> orders;
    qint64 good = 0;
    qint64 loss = 0;

    bool open()
    {
        auto f = test::openFresh(u"sqlite"_qs, {});
        if (!f)
            return false;
        fresh = *f;
        orders = std::make_unique<storage::OrderStore>(fresh.db);
        inventory::InventoryStore inv(*orders);
        inventory::Product cheap{0, u"CZ-1"_qs, {}, u"Czajnik"_qs};
        cheap.purchasePrice = domain::Money(1500, u"PLN"_qs);
        inventory::Product dear{0, u"CZ-9"_qs, {}, u"Czajnik drogi"_qs};
        dear.purchasePrice = domain::Money(9000, u"PLN"_qs);
        if (!inv.addProduct(cheap) || !inv.addProduct(dear))
            return false;
        domain::Order a = test::sampleOrder(u"G-1"_qs);
        domain::Order b = test::sampleOrder(u"L-1"_qs);
        b.items[0].sku = u"CZ-9"_qs;
        b.createdAt = a.createdAt.addDays(1);
        auto ca = orders->apply(storage::OrderChange::create(a, {u"test"_qs, {}, 0}));
        auto cb = orders->apply(storage::OrderChange::create(b, {u"test"_qs, {}, 0}));
        if (!ca || !cb)
            return false;
        good = ca->orderId;
        loss = cb->orderId;
        return true;
    }
};

} // namespace

class TestMoneyPages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void settingsDialogKeepsInputAndPreviews()
    {
        Shop shop;
        QVERIFY(shop.open());
        ui::MoneySettingsDialog dialog(shop.fresh.db);
        dialog.defaultCommission()->setText(u"abc"_qs);
        QVERIFY(!dialog.save());
        QVERIFY2(dialog.message().contains(u"Default commission"_qs), qPrintable(dialog.message()));
        QCOMPARE(dialog.defaultCommission()->text(), u"abc"_qs); // nothing typed is lost
        dialog.defaultCommission()->setText(u"12,5"_qs);
        QTableWidget *commissions = dialog.commissionTable();
        commissions->setItem(0, 0, new QTableWidgetItem(u"allegro-pl"_qs));
        commissions->setItem(0, 1, new QTableWidgetItem(u"9"_qs));
        dialog.shippingField(u"base"_qs)->setText(u"10"_qs);
        dialog.shippingField(u"perKg"_qs)->setText(u"2"_qs);
        dialog.shippingField(u"cod"_qs)->setText(u"5"_qs);
        dialog.previewWeight()->setText(u"1500"_qs);
        dialog.previewPayment()->setCurrentIndex(dialog.previewPayment()->findData(u"CASH_ON_DELIVERY"_qs));
        dialog.previewValue()->setText(u"50"_qs);

        money::ShippingFormula expected;
        expected.base = 1000;
        expected.perKg = 200;
        expected.codSurcharge = 500;
        money::ShippingFormula::Input in;
        in.weightGrams = 1500;
        in.quantity = 2;
        in.country = u"PL"_qs;
        in.paymentMethod = u"CASH_ON_DELIVERY"_qs;
        in.goodsValue = 5000;
        auto quote = expected.quote(in);
        SD_VERIFY_OK(quote);
        QCOMPARE(quote->total, 1000 + 2 * 200 + 500);
        QCOMPARE(dialog.previewText(), quote->explanation.join(u'\n'));

        QVERIFY2(dialog.save(), qPrintable(dialog.message()));
        auto saved = money::MoneySettings::load(*shop.fresh.db);
        SD_VERIFY_OK(saved);
        QCOMPARE(saved->defaultCommissionBp, 1250);
        QCOMPARE(saved->commissionFor(u"allegro-pl"_qs), 900);
        QCOMPARE(saved->shipping.codSurcharge, 500);
        QCOMPARE(saved->revision, 1);
    }

    void releaseFromTheDialog()
    {
        Shop shop;
        QVERIFY(shop.open());
        QVERIFY(!shop.orders->apply(storage::OrderChange::setStatus(shop.loss, u"Closed"_qs, {u"user:ola"_qs, {}, 0})));
        ui::MoneySettingsDialog dialog(shop.fresh.db);
        dialog.tabs()->setCurrentIndex(2);
        QCOMPARE(dialog.holdsTable()->rowCount(), 1);
        dialog.holdsTable()->selectRow(0);
        QVERIFY(!dialog.releaseSelected()); // a reason is required
        QVERIFY(!dialog.message().isEmpty());
        dialog.releaseReason()->setText(u"Wyprzedaż"_qs);
        QVERIFY2(dialog.releaseSelected(), qPrintable(dialog.message()));
        QCOMPARE(money::LossGuard(shop.fresh.db).holds(shop.loss, true)->size(), 0);
        SD_VERIFY_OK(
            shop.orders->apply(storage::OrderChange::setStatus(shop.loss, u"Closed"_qs, {u"user:ola"_qs, {}, 0})));
    }

    void profitInTheListAndTheOrderView()
    {
        Shop shop;
        QVERIFY(shop.open());
        ui::OrderListModel model(shop.fresh.db);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SD_VERIFY_OK(model.setFilter({}));
        QCOMPARE(model.rowCount(), 2);
        money::ProfitService service(shop.fresh.db);
        for (int row = 0; row < model.rowCount(); ++row) {
            auto p = service.profit(model.orderId(row));
            SD_VERIFY_OK(p);
            QCOMPARE(model.data(model.index(row, ui::OrderListModel::Profit)).toString(), p->display(p->profit));
            QCOMPARE(model.data(model.index(row, ui::OrderListModel::Profit), Qt::ForegroundRole).isValid(),
                     p->profit < 0);
        }
        QCOMPARE(model.headerData(ui::OrderListModel::Profit, Qt::Horizontal).toString(), u"Profit"_qs);

        QVERIFY(!shop.orders->apply(storage::OrderChange::setStatus(shop.loss, u"Closed"_qs, {u"user:ola"_qs, {}, 0})));
        ui::OrderView view(*shop.orders);
        view.showOrder(shop.loss);
        auto *details = view.findChild<QTextBrowser *>();
        const QString text = details->toPlainText();
        QVERIFY(text.contains(u"Purchase cost"_qs));
        QVERIFY(text.contains(u"Held by the loss guard"_qs));
        QVERIFY(details->toHtml().contains(u"release-loss-hold"_qs));
    }

    void cleanup() { access::Session::setCurrent(access::Session::implicitAdministrator()); }

    void aPackerSeesNoProfitInThePages()
    {
        Shop shop;
        QVERIFY(shop.open());
        access::Session::setCurrent(access::Session::forRole(u"piotr"_qs, access::builtinRoles().at(0)));
        ui::OrderListModel model(shop.fresh.db);
        SD_VERIFY_OK(model.setFilter({}));
        QVERIFY(!model.data(model.index(0, ui::OrderListModel::Profit)).isValid());
        ui::OrderView view(*shop.orders);
        view.showOrder(shop.good);
        const QString text = view.findChild<QTextBrowser *>()->toPlainText();
        QVERIFY(!text.contains(u"Purchase cost"_qs));
        ui::ReportsPage page(shop.fresh.db);
        page.setRange(QDate(2026, 11, 19), QDate(2026, 11, 22));
        QVERIFY(page.report().profitHidden);
        QCOMPARE(page.report().total.orders, 2);
        QCOMPARE(page.table(0)->columnCount(), 4);
        auto *bars = qobject_cast<QBarSeries *>(page.chart(0)->chart()->series().at(0));
        QVERIFY(bars);
        QCOMPARE(bars->count(), 1);
    }

    void reportsPageShowsAndExports()
    {
        Shop shop;
        QVERIFY(shop.open());
        ui::ReportsPage page(shop.fresh.db);
        page.setRange(QDate(2026, 11, 19), QDate(2026, 11, 22));
        const money::SalesReport &r = page.report();
        QCOMPARE(r.total.orders, 2);
        QCOMPARE(page.table(0)->rowCount(), int(r.byPeriod.size()));
        QCOMPARE(page.table(1)->rowCount(), 1);
        QCOMPARE(page.table(2)->rowCount(), 2);
        for (int tab = 0; tab < 4; ++tab)
            QCOMPARE(page.chart(tab)->chart()->series().size(), 1);
        auto profits = money::ProfitService(shop.fresh.db).profits({shop.good, shop.loss});
        SD_VERIFY_OK(profits);
        QCOMPARE(r.total.profit, profits->value(shop.good).profit + profits->value(shop.loss).profit);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"r.csv"_qs);
        QVERIFY(page.exportCsv(path));
        QCOMPARE(test::readFile(path), r.toCsv());
        QVERIFY(!page.exportCsv(dir.filePath(u"missing/r.csv"_qs)));
        QVERIFY(!page.message().isEmpty());
    }
};

QTEST_MAIN(TestMoneyPages)
#include "tst_moneypages.moc"
