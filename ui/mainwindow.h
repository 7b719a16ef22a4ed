#pragma once

#include "storage/bulkactions.h"
#include "storage/catalogstore.h"
#include "storage/orderquery.h"
#include "storage/statuschange.h"

#include <QMainWindow>

class QLabel;
class QLineEdit;
class QSplitter;
class QSystemTrayIcon;
class QThread;
class QTableView;
class QTimer;
class QToolButton;

namespace sd::automation {
class BackgroundServices;
}

namespace sd::ui {

class ConnectorController;
class FilterPanel;
class OrderListModel;
class OrderView;
class OrderWindow;
class StatusTabs;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Moves to the next (+1) or previous (-1) order of the list, loading more rows when needed.
    void stepOrder(int direction);
    QList<qint64> selectedOrderIds() const;
    // Sets the status of the orders, with a progress dialog for many; informBuyer queues a notification each.
    storage::StatusChangeReport changeStatus(const QList<qint64> &orderIds, const QString &status, bool informBuyer);
    // Asks for the status (F2) and applies it to the selected orders.
    void changeStatusOfSelection();
    // Runs this profile's automation in the window's process (scheduler, timers, delayed actions, e-mails, labels,
    // receipts, the print pass) on a worker thread; the status bar says when another process (a headless node or
    // a second window on the same SQLite profile) runs it instead. main() calls it after show().
    void startAutomation(const QString &profileDir);
    // Empty before startAutomation(); then the status bar's text: running, or why not.
    QString automationState() const { return m_automationState; }
    storage::BulkReport changeTags(const QList<qint64> &orderIds, const QStringList &add, const QStringList &remove);
    // Writes the selected orders to a CSV file; a stopped or failed export leaves no half file.
    storage::BulkReport exportSelection(const QString &path);
    bool setNotes(qint64 orderId, const QString &notes);
    // Keeps the current filter (status, search, filter panel) as a named view tab.
    Result<storage::OrderQuery::SavedView> saveCurrentView(const QString &name);
    storage::OrderQuery::Filter currentFilter() const;
    // The marketplace connection: accounts, the background download, the connector log.
    ConnectorController *connector() const { return m_connector; }
    // The profile's folder (training shop files, printouts); the default profile's unless told otherwise.
    void setProfileDir(const QString &dir) { m_profileDir = dir; }
    // Opens the current order in its own window (Enter, a double click, Orders > Open in a window).
    void openOrderWindow();
    // Scan anywhere: an order's code opens it, a product's shows its stock, a command barcode runs its rule on the
    // chosen orders.
    void handleScan(const QString &code);
    OrderWindow *orderWindow() const { return m_orderWindow; }

public Q_SLOTS:
    // Reads the statuses again after they were edited (tabs, counts, list).
    void reloadStatuses();
    // Opens a page by name ("statuses", "new-order", "shortcuts", "order": the current order's window,
    // "accounts", "log"), as from the menu.
    void openPage(const QString &page);
    // Shows the TRAINING banner while training mode is on (sd::training).
    void updateTrainingBanner();
    // The first-run guide (FirstRunWizard); "connect my Allegro account" opens the accounts window after it.
    // startPage: one of FirstRunWizard::pageNames() (first-run:company opens at the company page).
    void runFirstRunWizard(const QString &startPage = {});

Q_SIGNALS:
    // Another language was chosen (Settings > Language, the first-run guide): the window host builds the window
    // again in it, opening `openPage` there. Without a host the change waits for the next start.
    void languageChanged(const QString &language, const QString &openPage = {});
    // The first-run guide set up a training shop.
    void trainingShopReady();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void applyFilter();
    // Counts the orders per status for the filter without its status part (the tab numbers).
    void recount(const storage::OrderQuery::Filter &withoutStatus);
    void showView(const storage::OrderQuery::SavedView &view);
    void askForTag(bool add);
    void editOrder(qint64 orderId);
    void showShortcuts();
    storage::ChangeContext userContext(const QString &reason) const;
    // "Run rule…" (Ctrl+R): a manual rule on these orders, chosen in a dialog.
    void runRuleOn(const QList<qint64> &orderIds);
    void showOrderWindow(qint64 orderId);
    // Runs work(progress) with a cancellable progress dialog when there are many orders.
    template<typename Work>
    auto withProgress(const QString &label, int count, Work work);
    void askToSaveView();
    void refresh();
    void showError(const QString &message);
    void issueInvoiceForCurrent();
    // A7 from the Orders menu, on the selected order: ask for (again), or confirm by hand / as the buyer's reply said.
    enum class ConfirmationStep { Request, ByHand, ByReply };
    void confirmationAction(ConfirmationStep step);
    // E3: the background services raised alerts for passed deadlines.
    void notifyDeadlines(int count);
    void currentRowChanged();
    void restoreLayout();
    void saveLayout() const;
    void setAutomationState(bool running, const QString &text);
    void wakeAutomation();
    void handSecretsToAutomation();
    void stopAutomation();

    std::shared_ptr<storage::Database> m_db;
    QThread *m_automationThread = nullptr;
    automation::BackgroundServices *m_services = nullptr; // lives in m_automationThread
    QSystemTrayIcon *m_tray = nullptr;                    // made on the first desktop notification
    QLabel *m_automationLabel = nullptr;
    QString m_automationState;
    storage::OrderStore *m_store = nullptr;
    storage::CatalogStore m_catalog;
    QString m_profileDir;
    OrderListModel *m_model = nullptr;
    StatusTabs *m_tabs = nullptr;
    QLineEdit *m_search = nullptr;
    FilterPanel *m_filters = nullptr;
    QToolButton *m_filtersButton = nullptr;
    QTimer *m_searchDelay = nullptr;
    QTableView *m_view = nullptr;
    OrderView *m_orderView = nullptr;
    OrderWindow *m_orderWindow = nullptr; // made when first opened
    QSplitter *m_splitter = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_trainingBanner = nullptr;
    QLabel *m_count = nullptr;
    ConnectorController *m_connector = nullptr;
    QHash<qint64, qint64> m_counts;                          // orders per status for m_countedFor
    std::optional<storage::OrderQuery::Filter> m_countedFor; // the filter (without status) they were counted for
    QTimer *m_refreshSoon = nullptr;
};

} // namespace sd::ui
