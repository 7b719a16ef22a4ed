#include "inventory/inventorystore.h"
#include "registerreturndialog.h"
#include "returnspage.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableWidget>

using namespace sd;
using returns::ReturnState;

// The returns page and the registration dialog offscreen, on a real profile.
class TestReturnsPage : public QObject
{
    Q_OBJECT

    std::optional<test::TempDatabase> m_fresh;
    std::unique_ptr<storage::OrderStore> m_store;
    qint64 m_order = 0;

private Q_SLOTS:
    void init()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        m_fresh = *fresh;
        m_store = std::make_unique<storage::OrderStore>(m_fresh->db);
        inventory::InventoryStore inventory(*m_store);
        SD_VERIFY_OK(inventory.addWarehouse(u"MAG"_qs, u"Magazyn"_qs, true));
        SD_VERIFY_OK(inventory.addWarehouse(u"ZWR"_qs, u"Zwroty"_qs));
        inventory::Product kettle;
        kettle.sku = u"CZ-1"_qs;
        kettle.name = u"Czajnik"_qs;
        SD_VERIFY_OK(inventory.addProduct(kettle));
        domain::Order order = test::sampleOrder(u"P-1"_qs);
        order.createdAt = QDateTime::currentDateTimeUtc().addDays(-1);
        auto created = m_store->apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        m_order = created->orderId;
    }

    void registerKeepsInputOnRefusal()
    {
        returns::ReturnService service(*m_store);
        ui::RegisterReturnDialog dialog(service, m_order, {u"user:anna"_qs, {}, 0});
        QCOMPARE(dialog.items()->rowCount(), 1);
        auto *spin = qobject_cast<QSpinBox *>(dialog.items()->cellWidget(0, 3));
        QVERIFY(spin);
        QCOMPARE(spin->maximum(), 2);
        dialog.reason()->setText(u"Odstąpienie od umowy"_qs);
        QVERIFY(!dialog.submit()); // nothing chosen
        QVERIFY2(dialog.message().contains(u"at least one item"), qPrintable(dialog.message()));
        QCOMPARE(dialog.reason()->text(), u"Odstąpienie od umowy"_qs);
        spin->setValue(1);
        dialog.reason()->clear();
        QVERIFY(!dialog.submit()); // no reason
        QVERIFY2(dialog.message().contains(u"reason"), qPrintable(dialog.message()));
        QCOMPARE(spin->value(), 1);
        dialog.reason()->setText(u"Odstąpienie od umowy"_qs);
        QVERIFY(dialog.submit());
        QCOMPARE(dialog.registered().units(), 1);
    }

    void pageListsFiltersAndAdvances()
    {
        returns::ReturnService service(*m_store);
        returns::ReturnRequest request;
        request.orderId = m_order;
        request.items = {{u"CZ-1"_qs, 2}};
        request.reason = u"Uszkodzony"_qs;
        auto rma = service.registerReturn(request, {u"user:anna"_qs, {}, 0});
        SD_VERIFY_OK(rma);

        ui::ReturnsPage page(m_fresh->db, {});
        QCOMPARE(page.list()->rowCount(), 1);
        QCOMPARE(page.currentReturn(), rma->id);
        QCOMPARE(page.items()->rowCount(), 1);
        QCOMPARE(page.actionLabels(), (QStringList{u"Mark received"_qs, u"Mark rejected"_qs}));
        QCOMPARE(page.timeline()->rowCount(), 1);
        QVERIFY(page.warehouse()->isEnabled());
        QVERIFY(!page.refundBox()->isEnabled());

        page.warehouse()->setCurrentIndex(page.warehouse()->findData(u"ZWR"_qs));
        QVERIFY(page.advanceTo(ReturnState::Received));
        QVERIFY2(page.message().contains(u"received"), qPrintable(page.message()));
        QCOMPARE(page.timeline()->rowCount(), 2);
        inventory::InventoryStore inventory(*m_store);
        auto stock = inventory.stockOf(u"CZ-1"_qs);
        SD_VERIFY_OK(stock);
        QCOMPARE(stock->total, 2);

        // A wrong step shows the reason and changes nothing.
        QVERIFY(!page.advanceTo(ReturnState::Refunded));
        QVERIFY2(page.message().contains(u"inspected"), qPrintable(page.message()));
        QCOMPARE(service.store().load(rma->id)->state, ReturnState::Received);

        // The state filter.
        page.stateFilter()->setCurrentIndex(page.stateFilter()->findData(u"registered"_qs));
        QCOMPARE(page.list()->rowCount(), 0);
        page.stateFilter()->setCurrentIndex(page.stateFilter()->findData(u"received"_qs));
        QCOMPARE(page.list()->rowCount(), 1);

        auto order = m_store->load(m_order);
        SD_VERIFY_OK(order);
        const QString html = ui::ReturnsPage::orderSectionHtml(m_fresh->db, *order);
        QVERIFY(html.contains(u"sellerdesk:register-return?order="_qs + QString::number(m_order)));
        QVERIFY(html.contains(rma->number));
    }
};

QTEST_MAIN(TestReturnsPage)
#include "tst_returnspage.moc"
