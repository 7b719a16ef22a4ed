#pragma once

#include "storage/database.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace sd::storage {
class OrderStore;
}
namespace sd::inventory {
class InventoryStore;
class OfferCatalog;
} // namespace sd::inventory

namespace sd::ui {

// Stock and offers: products, warehouses, stock documents (with a form to post one), the offers with their link,
// format, publication and stock sync, filtered, with bulk enable/disable of sync (refusals shown per offer), and the
// stock sync page: the list the anomaly guard holds (release or dismiss), the conflicts between local and
// marketplace quantities (take local / take marketplace) and the C6 pause warning. Sending is left to the scheduler
// that runs the sync jobs (this window's or a headless node's): the dialog never waits for the marketplace.
class InventoryDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Tab { Products, Warehouses, Documents, Offers, Sync };
    InventoryDialog(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);
    ~InventoryDialog() override;

    void showTab(Tab tab);
    void reload();
    QTableWidget *offersTable() const { return m_offers; }
    QTableWidget *productsTable() const { return m_products; }
    QTableWidget *heldTable() const { return m_held; }
    QTableWidget *conflictsTable() const { return m_conflicts; }
    QLabel *syncWarning() const { return m_syncWarning; }
    QLabel *message() const { return m_message; }
    void releaseHeld();
    void dismissHeld();
    // For the selected conflicts.
    void takeLocal();
    void takeMarketplace();

    // --open pages: products, warehouses, stock-documents, offers, stock-sync. False for any other page.
    static bool openPage(const QString &page, std::shared_ptr<storage::Database> db, QWidget *parent);

private:
    QWidget *productsTab();
    QWidget *warehousesTab();
    QWidget *documentsTab();
    QWidget *offersTab();
    QWidget *syncTab();
    void reloadSync();
    // The account of the held run in the selected row (the first held run when none is selected); 0 when none.
    qint64 heldAccount() const;
    void addProduct();
    void addWarehouse();
    void postDocument();
    void setSync(bool enable);
    void say(const QString &text, bool error);

    std::shared_ptr<storage::Database> m_db;
    std::unique_ptr<storage::OrderStore> m_orders;
    std::unique_ptr<inventory::InventoryStore> m_inventory;
    std::unique_ptr<inventory::OfferCatalog> m_catalog;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_message = nullptr;
    QTableWidget *m_products = nullptr;
    QTableWidget *m_warehouses = nullptr;
    QTableWidget *m_documents = nullptr;
    QTableWidget *m_offers = nullptr;
    QTableWidget *m_held = nullptr;
    QTableWidget *m_conflicts = nullptr;
    QLabel *m_syncWarning = nullptr;
    QLabel *m_heldReason = nullptr;
    QLineEdit *m_sku = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_ean = nullptr;
    QLineEdit *m_warehouseCode = nullptr;
    QLineEdit *m_warehouseName = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_docSku = nullptr;
    QSpinBox *m_docQuantity = nullptr;
    QComboBox *m_docWarehouse = nullptr;
    QComboBox *m_docTarget = nullptr;
    QComboBox *m_linked = nullptr;
    QComboBox *m_sync = nullptr;
    QComboBox *m_format = nullptr;
    QComboBox *m_status = nullptr;
};

} // namespace sd::ui
