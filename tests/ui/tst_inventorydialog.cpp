#include "inventory/inventorysettings.h"
#include "inventory/inventorystore.h"
#include "inventorydialog.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSqlQuery>
#include <QTableWidget>

using namespace sd;

// The stock and offers dialog offscreen: the product form keeps what was typed on a refusal, the offers' filters
// and the bulk sync action with its reason per offer.
class TestInventoryDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void productsAndOffers()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        auto db = fresh->db;
        storage::OrderStore orders(db);
        inventory::InventoryStore inv(orders);
        SD_VERIFY_OK(inv.addWarehouse(u"MAIN"_qs, u"Main"_qs));
        SD_VERIFY_OK(inv.addProduct({0, u"CZ-1"_qs, {}, u"Czajnik"_qs}));
        SD_VERIFY_OK(inv.receive(u"CZ-1"_qs, 4, {}, u"x"_qs));
        QSqlQuery q(db->connection());
        QVERIFY(
            q.exec(u"INSERT INTO marketplace_accounts (marketplace, name, environment, api_url, auth_url, "
                   "client_id, secret_ref, created_at) VALUES ('allegro', 'shop', 'training', '', '', '', '', 0)"_qs));
        QVERIFY(q.exec(u"INSERT INTO marketplace_offers (account_id, offer_id, name, external_id, status, available, "
                       "updated_at, format, product_id) VALUES (1, '111', 'Czajnik', 'CZ-1', 'ACTIVE', 4, 0, "
                       "'BUY_NOW', 1), (1, '222', 'Czajnik licytacja', 'CZ-1', 'ACTIVE', 1, 0, 'AUCTION', 1)"_qs));
        SD_VERIFY_OK(inventory::InventorySettings::set(*db, u"autoOrderDownload"_qs, u"on"_qs));
        SD_VERIFY_OK(inventory::InventorySettings::set(*db, u"autoInvoicing"_qs, u"on"_qs));

        ui::InventoryDialog dialog(db);
        QCOMPARE(dialog.productsTable()->rowCount(), 1);
        QCOMPARE(dialog.productsTable()->item(0, 5)->text(), u"4"_qs);
        auto *sku = dialog.findChild<QLineEdit *>(u"productSku"_qs);
        auto *name = dialog.findChild<QLineEdit *>(u"productName"_qs);
        auto *ean = dialog.findChild<QLineEdit *>(u"productEan"_qs);
        auto *message = dialog.findChild<QLabel *>(u"message"_qs);
        QVERIFY(sku && name && ean && message);
        sku->setText(u"CZ-2"_qs);
        name->setText(u"Czajnik 2"_qs);
        ean->setText(u"5901234123458"_qs);
        QTest::keyClick(ean, Qt::Key_Return);
        QCOMPARE(dialog.productsTable()->rowCount(), 1);
        QCOMPARE(sku->text(), u"CZ-2"_qs); // kept after the refusal
        QVERIFY2(message->text().contains(u"EAN"), qPrintable(message->text()));
        ean->setText(u"5901234123457"_qs);
        QTest::keyClick(ean, Qt::Key_Return);
        QCOMPARE(dialog.productsTable()->rowCount(), 2);
        QVERIFY(sku->text().isEmpty());

        // Bulk enable: the auction is refused with its reason, the other offer is synced.
        dialog.showTab(ui::InventoryDialog::Tab::Offers);
        QTableWidget *offers = dialog.offersTable();
        QCOMPARE(offers->rowCount(), 2);
        offers->selectAll();
        QPushButton *enable = nullptr;
        for (QPushButton *b : dialog.findChildren<QPushButton *>())
            if (b->text().contains(u"Enable"))
                enable = b;
        QVERIFY(enable);
        enable->click();
        QVERIFY2(message->text().contains(u"222: Stock sync cannot be switched on for an auction."),
                 qPrintable(message->text()));
        QCOMPARE(offers->item(0, 8)->text(), u"on"_qs);
        QCOMPARE(offers->item(1, 8)->text(), u"off"_qs);
        QCOMPARE(offers->item(1, 9)->text(), u"off (stock sync)"_qs); // the sibling lost auto end/resume
    }
};

QTEST_MAIN(TestInventoryDialog)
#include "tst_inventorydialog.moc"
