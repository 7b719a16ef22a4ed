#include "inventory/inventorysettings.h"
#include "inventory/inventorystore.h"
#include "inventory/reservations.h"
#include "inventorydialog.h"
#include "orderview.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextBrowser>

using namespace sd;

namespace {

// A profile with the warehouse MAIN, the product CZ-1 (4 in stock), the account "shop" and its offers (the VALUES
// of marketplace_offers (account_id, offer_id, name, external_id, status, available, updated_at, format,
// product_id, sync_enabled)).
bool shop(const std::shared_ptr<storage::Database> &db, const QString &offers)
{
    storage::OrderStore orders(db);
    inventory::InventoryStore inv(orders);
    if (!inv.addWarehouse(u"MAIN"_qs, u"Main"_qs) || !inv.addProduct({0, u"CZ-1"_qs, {}, u"Czajnik"_qs}) ||
        !inv.receive(u"CZ-1"_qs, 4, {}, u"x"_qs))
        return false;
    QSqlQuery q(db->connection());
    return q.exec(u"INSERT INTO marketplace_accounts (marketplace, name, environment, api_url, auth_url, client_id, "
                  "secret_ref, created_at) VALUES ('allegro', 'shop', 'training', '', '', '', '', 0)"_qs) &&
           q.exec(u"INSERT INTO marketplace_offers (account_id, offer_id, name, external_id, status, available, "
                  "updated_at, format, product_id, sync_enabled) VALUES "_qs +
                  offers);
}

} // namespace

// The stock and offers dialog offscreen: the product form keeps what was typed on a refusal, the offers' filters
// and the bulk sync action with its reason per offer; the stock sync page (held list, conflicts, C6 warning); the
// order view's stock per line.
class TestInventoryDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void productsAndOffers()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        auto db = fresh->db;
        QVERIFY(shop(db, u"(1, '111', 'Czajnik', 'CZ-1', 'ACTIVE', 4, 0, 'BUY_NOW', 1, 0), (1, '222', 'Czajnik "
                         "licytacja', 'CZ-1', 'ACTIVE', 1, 0, 'AUCTION', 1, 0)"_qs));
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

    void syncPageHeldListConflictsAndPause()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        auto db = fresh->db;
        QVERIFY(shop(db, u"(1, '111', 'Czajnik', 'CZ-1', 'ACTIVE', 9, 0, 'BUY_NOW', 1, 1)"_qs));
        storage::OrderStore orders(db);
        inventory::InventoryStore inv(orders);
        QSqlQuery q(db->connection());
        const QString plan =
            u"[{\"account\":1,\"offer\":\"111\",\"sku\":\"CZ-1\",\"from\":9,\"to\":0,\"action\":\"end\"}]"_qs;
        auto hold = [&] {
            QSqlQuery h(db->connection());
            h.prepare(u"INSERT INTO stock_sync_runs (account_id, at, state, ended, plan, message) VALUES (1, 0, "
                      "'held', 1, ?, 'This sync would end 1 offer(s).')"_qs);
            h.addBindValue(plan);
            return h.exec();
        };
        QVERIFY(hold());
        SD_VERIFY_OK(inventory::InventorySettings::set(*db, u"autoOrderDownload"_qs, u"on"_qs));

        ui::InventoryDialog dialog(db);
        dialog.showTab(ui::InventoryDialog::Tab::Sync);
        // C6: automatic invoicing is off, the page says the sync is paused.
        QVERIFY(!dialog.syncWarning()->isHidden());
        QVERIFY2(dialog.syncWarning()->text().contains(u"paused"), qPrintable(dialog.syncWarning()->text()));
        SD_VERIFY_OK(inventory::InventorySettings::set(*db, u"autoInvoicing"_qs, u"on"_qs));
        dialog.reload();
        QVERIFY(dialog.syncWarning()->isHidden());

        // The held list with what it would do; released, the runner's next job sends it.
        QCOMPARE(dialog.heldTable()->rowCount(), 1);
        QCOMPARE(dialog.heldTable()->item(0, 1)->text(), u"111"_qs);
        QCOMPARE(dialog.heldTable()->item(0, 3)->text(), u"9"_qs);
        QCOMPARE(dialog.heldTable()->item(0, 4)->text(), u"ended (0)"_qs);
        dialog.releaseHeld();
        QCOMPARE(dialog.heldTable()->rowCount(), 0);
        auto count = [&](const QString &sql) {
            QSqlQuery c(db->connection());
            return c.exec(sql) && c.next() ? c.value(0).toInt() : -1;
        };
        QCOMPARE(count(u"SELECT COUNT(*) FROM stock_sync_runs WHERE state = 'approved'"_qs), 1);
        QVERIFY(count(u"SELECT COUNT(*) FROM jobs WHERE kind = 'stock.sync' AND state = 'pending'"_qs) >= 1);
        dialog.releaseHeld(); // nothing held any more: said, nothing changes
        QVERIFY(dialog.message()->text().contains(u"No stock sync is waiting"));
        QVERIFY(hold());
        dialog.reload();
        dialog.dismissHeld();
        QCOMPARE(count(u"SELECT COUNT(*) FROM stock_sync_runs WHERE state = 'dismissed'"_qs), 1);
        QCOMPARE(dialog.heldTable()->rowCount(), 0);

        // The conflict: local 4, marketplace 9. Taking the marketplace's figure posts a stock-taking document.
        QTableWidget *conflicts = dialog.conflictsTable();
        QCOMPARE(conflicts->rowCount(), 1);
        QCOMPARE(conflicts->item(0, 4)->text(), u"4"_qs);
        QCOMPARE(conflicts->item(0, 5)->text(), u"9"_qs);
        dialog.takeMarketplace();
        QVERIFY(dialog.message()->text().contains(u"Select"));
        conflicts->selectRow(0);
        dialog.takeMarketplace();
        QVERIFY2(dialog.message()->text().contains(u"INW/"), qPrintable(dialog.message()->text()));
        QCOMPARE(conflicts->rowCount(), 0);
        QCOMPARE(inv.totalStock(1).value_or(-1), 9);
        // Stock changed behind the marketplace's back: take local queues the sync (and forgets earlier failures).
        SD_VERIFY_OK(inv.issue(u"CZ-1"_qs, 2, {}, u"x"_qs));
        QVERIFY(q.exec(u"UPDATE marketplace_offers SET sync_state = 'failed', sync_attempts = 5"_qs));
        QVERIFY(q.exec(u"DELETE FROM jobs"_qs));
        dialog.reload();
        QCOMPARE(conflicts->rowCount(), 1);
        QCOMPARE(conflicts->item(0, 4)->text(), u"7"_qs);
        conflicts->selectRow(0);
        dialog.takeLocal();
        QVERIFY2(dialog.message()->text().contains(u"in a moment"), qPrintable(dialog.message()->text()));
        QCOMPARE(count(u"SELECT sync_attempts FROM marketplace_offers"_qs), 0);
        QCOMPARE(count(u"SELECT COUNT(*) FROM jobs WHERE kind = 'stock.sync' AND state = 'pending'"_qs), 1);
    }

    void orderViewShowsStockInLines()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        auto db = fresh->db;
        storage::OrderStore orders(db);
        inventory::InventoryStore inv(orders);
        SD_VERIFY_OK(inv.addWarehouse(u"MAIN"_qs, u"Main"_qs));
        SD_VERIFY_OK(inv.addWarehouse(u"SHOP"_qs, u"Shop"_qs));
        SD_VERIFY_OK(inv.addProduct({0, u"CZ-1"_qs, {}, u"Czajnik"_qs}));
        SD_VERIFY_OK(inv.receive(u"CZ-1"_qs, 4, u"MAIN"_qs, u"x"_qs));
        SD_VERIFY_OK(inv.receive(u"CZ-1"_qs, 1, u"SHOP"_qs, u"x"_qs));
        domain::Order order = test::sampleOrder(u"view-1"_qs);
        order.items[0].sku = u"CZ-1"_qs;
        order.items[0].quantity = 2;
        domain::LineItem other = order.items[0];
        other.sku = u"NOT-A-PRODUCT"_qs;
        other.offerId.clear();
        other.ean.clear();
        order.items.append(other);
        order.total = order.computedTotal();
        order.payment.paidAmount = order.total;
        auto created = orders.apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        inventory::Reservations reservations(inv);
        SD_VERIFY_OK(reservations.follow());

        ui::OrderView view(orders);
        view.showOrder(created->orderId);
        auto *details = view.findChild<QTextBrowser *>();
        QVERIFY(details);
        const QString text = details->toPlainText();
        QVERIFY2(text.contains(u"5 / 2 / 3"), qPrintable(text)); // on hand / reserved / available
        QVERIFY(text.contains(u"Stock"));
        // Hovering the figure lists the warehouses.
        QString tip;
        for (QTextBlock block = details->document()->begin(); block.isValid(); block = block.next())
            for (auto it = block.begin(); !it.atEnd(); ++it)
                if (it.fragment().text().contains(u"5 / 2 / 3"))
                    tip = it.fragment().charFormat().toolTip();
        QVERIFY2(tip.contains(u"MAIN: 4") && tip.contains(u"SHOP: 1"), qPrintable(tip));
        QVERIFY(tip.contains(u"available 3"));

        // An order of no product shows no stock column.
        domain::Order none = test::sampleOrder(u"view-2"_qs);
        for (domain::LineItem &item : none.items) {
            item.sku = u"NONE"_qs;
            item.ean.clear();
            item.offerId.clear();
        }
        auto plain = orders.apply(storage::OrderChange::create(none, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(plain);
        view.showOrder(plain->orderId);
        QVERIFY(!details->toPlainText().contains(u"Stock"));
    }
};

QTEST_MAIN(TestInventoryDialog)
#include "tst_inventorydialog.moc"
