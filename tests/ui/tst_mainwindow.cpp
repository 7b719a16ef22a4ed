#include "mainwindow.h"
#include "orderlistmodel.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QTableView>

using namespace sd;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelShowsOrdersAndPassesTheTester()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        domain::Order cod = test::sampleOrder(u"M-1"_qs);
        cod.payment.method = u"CASH_ON_DELIVERY"_qs;
        cod.payment.status = domain::PaymentStatus::Unpaid;
        cod.payment.paidAmount = {};
        SD_VERIFY_OK(store.apply(storage::OrderChange::create(cod, {u"test"_qs, {}, 0})));
        SD_VERIFY_OK(store.apply(storage::OrderChange::create(test::sampleOrder(u"M-2"_qs), {u"test"_qs, {}, 0})));

        ui::OrderListModel model(store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SD_VERIFY_OK(model.reload());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(ui::OrderListModel::ColumnCount));
        QCOMPARE(model.headerData(ui::OrderListModel::Buyer, Qt::Horizontal).toString(), u"Buyer"_qs);
        QStringList payments;
        for (int row = 0; row < 2; ++row)
            payments << model.index(row, ui::OrderListModel::Payment).data().toString();
        payments.sort();
        QCOMPARE(payments, (QStringList{u"COD · Unpaid"_qs, u"Paid"_qs}));
        QCOMPARE(model.index(0, ui::OrderListModel::Status).data().toString(), u"New"_qs);
        QVERIFY(model.index(0, ui::OrderListModel::Total).data().toString().contains(u"112"));
    }

    void windowRefreshesWhenOrdersChange()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::MainWindow window(fresh->db);
        window.show();
        auto *view = window.findChild<QTableView *>();
        QVERIFY(view);
        QCOMPARE(view->model()->rowCount(), 0);
        auto *store = window.findChild<storage::OrderStore *>();
        QVERIFY(store);
        SD_VERIFY_OK(store->apply(storage::OrderChange::create(test::sampleOrder(u"W-1"_qs), {u"test"_qs, {}, 0})));
        QCOMPARE(view->model()->rowCount(), 1);
        QVERIFY(!window.grab().isNull());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
