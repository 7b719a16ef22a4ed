#include "mainwindow.h"

#include "access/session.h"
#include "accesspages.h"
#include "automation/backgroundservices.h"

#include "connectorcontroller.h"
#include "documents/documentservice.h"
#include "documentsettingsdialog.h"
#include "documentspage.h"
#include "inventory/invoicestockgate.h"
#include "messagesdialog.h"
#include "messaging/orderconfirmation.h"
#include "messagingsettingsdialog.h"
#include "moneysettingsdialog.h"
#include "reportspage.h"
#include "returnspage.h"
#include "servicecasespage.h"
#include "templateseditor.h"

#include "automation/dispatcher.h"
#include "automation/rulestore.h"
#include "changestatusdialog.h"
#include "filterpanel.h"
#include "firstrunwizard.h"
#include "helpbrowser.h"
#include "inventory/inventorystore.h"
#include "inventorydialog.h"
#include "orderautomation.h"
#include "orderdevicestab.h"
#include "ordereditor.h"
#include "orderlistmodel.h"
#include "orderview.h"
#include "orderwindow.h"
#include "packingstation.h"
#include "picklistdialog.h"
#include "printersdialog.h"
#include "printqueuedialog.h"
#include "rulespage.h"
#include "runruledialog.h"
#include "scannerfilter.h"
#include "scannersettings.h"
#include "scanning/codeclassifier.h"
#include "statussettings.h"
#include "statustabs.h"
#include "storage/orderchangelistener.h"
#include "util/trainingmode.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMetaMethod>
#include <QProgressDialog>
#include <QSaveFile>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace sd::ui {

template<typename Work>
auto MainWindow::withProgress(const QString &label, int count, Work work)
{
    std::unique_ptr<QProgressDialog> progress;
    if (count > 20) {
        progress = std::make_unique<QProgressDialog>(label, tr("Stop"), 0, count, this);
        progress->setWindowModality(Qt::WindowModal);
        progress->setMinimumDuration(300);
    }
    return work([&progress](int done) {
        if (!progress)
            return true;
        progress->setValue(done);
        return !progress->wasCanceled();
    });
}

MainWindow::MainWindow(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QMainWindow(parent)
    , m_db(std::move(db))
    , m_store(new storage::OrderStore(m_db, this))
    , m_catalog(m_db)
    , m_profileDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/default"_qs)
{
    setWindowTitle(tr("SellerDesk — %1").arg(m_db->describe()));
    m_model = new OrderListModel(m_db, this);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    m_message = new QLabel(central);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(u"QLabel { background: #fdecea; color: #611a15; padding: 6px; }"_qs);
    m_message->hide();
    m_trainingBanner = new QLabel(central);
    m_trainingBanner->setObjectName(u"trainingBanner"_qs);
    m_trainingBanner->setAlignment(Qt::AlignCenter);
    m_trainingBanner->setWordWrap(true);
    m_trainingBanner->setStyleSheet(
        u"QLabel { background: #c62828; color: white; font-weight: bold; padding: 6px; border-radius: 3px; }"_qs);
    m_trainingBanner->setText(tr("TRAINING — a training shop with simulated printers: nothing here is real and "
                                 "nothing leaves this computer."));
    m_trainingBanner->setToolTip(tr("This profile works with the training marketplace and the simulators. Every "
                                    "printout is marked TRAINING. Create a new profile for real work."));
    m_trainingBanner->setVisible(sd::training::active());

    m_search = new QLineEdit(central);
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(
        tr("Search: number, marketplace id, buyer, e-mail, item, SKU, EAN or tracking number (Ctrl+F)"));
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(250);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &MainWindow::applyFilter);

    m_filters = new FilterPanel(central);
    m_filters->hide();
    connect(m_filters, &FilterPanel::changed, this, &MainWindow::applyFilter);
    connect(m_filters, &FilterPanel::saveViewRequested, this, &MainWindow::askToSaveView);
    auto *filtersButton = m_filtersButton = new QToolButton(central);
    filtersButton->setText(tr("Filters"));
    filtersButton->setCheckable(true);
    filtersButton->setToolTip(tr("Show the filter panel (Ctrl+Shift+F)"));
    filtersButton->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    connect(filtersButton, &QToolButton::toggled, this, [this](bool on) {
        if (on) {
            storage::OrderQuery query(m_db);
            QHash<QString, QStringList> choices;
            for (const QString &column : {u"delivery_method"_qs, u"marketplace"_qs, u"account"_qs,
                                          u"delivery_country"_qs, u"tags"_qs, u"referrers"_qs})
                choices.insert(column, query.distinctValues(column).value_or(QStringList{}));
            m_filters->setChoices(choices, m_connector->accounts().namesByOrderKey().value_or({}));
        }
        m_filters->setVisible(on);
    });

    m_tabs = new StatusTabs(central);
    connect(m_tabs, &StatusTabs::statusChosen, this, &MainWindow::applyFilter);
    connect(m_tabs, &StatusTabs::viewChosen, this, &MainWindow::showView);

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_view = new QTableView(m_splitter);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionsMovable(true);
    m_view->horizontalHeader()->setSortIndicator(OrderListModel::Date, Qt::DescendingOrder);
    m_view->setSortingEnabled(true);
    m_orderView = new OrderView(*m_store, m_splitter);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_orderView);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    layout->addWidget(m_trainingBanner);
    layout->addWidget(m_message);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(filtersButton);
    layout->addLayout(searchRow);
    layout->addWidget(m_filters);
    layout->addWidget(m_tabs);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    auto *find = new QAction(tr("Find"), this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    auto *next = new QAction(tr("Next order"), this);
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    connect(next, &QAction::triggered, this, [this] { stepOrder(+1); });
    auto *previous = new QAction(tr("Previous order"), this);
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    connect(previous, &QAction::triggered, this, [this] { stepOrder(-1); });
    auto *changeStatus = new QAction(tr("Change status…"), this);
    changeStatus->setShortcut(QKeySequence(Qt::Key_F2));
    connect(changeStatus, &QAction::triggered, this, &MainWindow::changeStatusOfSelection);
    auto *addTag = new QAction(tr("Add tag…"), this);
    addTag->setShortcut(QKeySequence(Qt::Key_F3));
    connect(addTag, &QAction::triggered, this, [this] { askForTag(true); });
    auto *removeTag = new QAction(tr("Remove tag…"), this);
    removeTag->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    connect(removeTag, &QAction::triggered, this, [this] { askForTag(false); });
    auto *exportCsv = new QAction(tr("Export to CSV…"), this);
    exportCsv->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportCsv, &QAction::triggered, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export orders"), u"orders.csv"_qs, tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportSelection(path);
    });
    auto *shortcuts = new QAction(tr("Keyboard shortcuts"), this);
    shortcuts->setShortcut(QKeySequence(Qt::Key_Question));
    auto *guide = new QAction(tr("User guide"), this);
    guide->setShortcut(QKeySequence(Qt::Key_F1));
    guide->setToolTip(tr("Opens the user guide at the chapter about the window you are in (F1 works in every "
                         "window)."));
    connect(guide, &QAction::triggered, this, [this] { HelpBrowser::showFor(focusWidget() ? focusWidget() : this); });
    auto *firstRun = new QAction(tr("First-run guide…"), this);
    connect(firstRun, &QAction::triggered, this, [this] { runFirstRunWizard(); });
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    auto *statuses = new QAction(tr("Order statuses…"), this);
    statuses->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(statuses, &QAction::triggered, this, [this] { openPage(u"statuses"_qs); });
    auto *rules = new QAction(tr("Automation rules…"), this);
    rules->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    connect(rules, &QAction::triggered, this, [this] { openPage(u"rules"_qs); });
    auto *documentsAction = new QAction(tr("Documents…"), this);
    documentsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    connect(documentsAction, &QAction::triggered, this, [this] { openPage(u"documents"_qs); });
    auto *documentSettings = new QAction(tr("Company and documents…"), this);
    connect(documentSettings, &QAction::triggered, this, [this] { openPage(u"document-settings"_qs); });
    auto *moneySettings = new QAction(tr("Profit, shipping and loss guard…"), this);
    connect(moneySettings, &QAction::triggered, this, [this] { openPage(u"profit-settings"_qs); });
    auto *reports = new QAction(tr("Sales and profit reports…"), this);
    reports->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    connect(reports, &QAction::triggered, this, [this] { openPage(u"reports"_qs); });
    // Returns (G1): the returns page, and a return of the current order.
    auto *returnsAction = new QAction(tr("Returns…"), this);
    returnsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    connect(returnsAction, &QAction::triggered, this, [this] { openPage(u"returns"_qs); });
    auto *registerReturn = new QAction(tr("Register return…"), this);
    connect(registerReturn, &QAction::triggered, this, [this] { openPage(u"register-return"_qs); });
    auto *serviceCases = new QAction(tr("Service cases (warranty)…"), this);
    serviceCases->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    connect(serviceCases, &QAction::triggered, this, [this] { openPage(u"service"_qs); });
    auto *issueInvoice = new QAction(tr("Issue invoice"), this);
    issueInvoice->setShortcut(QKeySequence(Qt::Key_F7));
    connect(issueInvoice, &QAction::triggered, this, [this] { issueInvoiceForCurrent(); });
    // Messaging (issue 11): settings, templates, the messages, and the order confirmation (A7).
    auto *messagingSettings = new QAction(tr("Messaging…"), this);
    connect(messagingSettings, &QAction::triggered, this, [this] { openPage(u"messaging-settings"_qs); });
    auto *templates = new QAction(tr("Message templates…"), this);
    connect(templates, &QAction::triggered, this, [this] { openPage(u"templates"_qs); });
    auto *messages = new QAction(tr("Messages…"), this);
    messages->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(messages, &QAction::triggered, this, [this] { openPage(u"messages"_qs); });
    auto *orderMessages = new QAction(tr("Messages of the order…"), this);
    connect(orderMessages, &QAction::triggered, this, [this] { openPage(u"order-messages"_qs); });
    auto *requestConfirmation = new QAction(tr("Request confirmation (again)"), this);
    connect(requestConfirmation, &QAction::triggered, this, [this] { confirmationAction(ConfirmationStep::Request); });
    auto *confirmByHand = new QAction(tr("Confirm by hand"), this);
    connect(confirmByHand, &QAction::triggered, this, [this] { confirmationAction(ConfirmationStep::ByHand); });
    // The buyer answered the request (by e-mail or in Message Center): the operator reads it and records it so.
    auto *confirmByReply = new QAction(tr("Confirmed by the buyer's reply"), this);
    connect(confirmByReply, &QAction::triggered, this, [this] { confirmationAction(ConfirmationStep::ByReply); });
    auto *stock = new QAction(tr("Stock and offers…"), this);
    stock->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    connect(stock, &QAction::triggered, this, [this] { openPage(u"products"_qs); });
    auto *printers = new QAction(tr("Printers…"), this);
    printers->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_P));
    connect(printers, &QAction::triggered, this, [this] { openPage(u"printers"_qs); });
    auto *printQueue = new QAction(tr("Print queue…"), this);
    printQueue->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    connect(printQueue, &QAction::triggered, this, [this] { openPage(u"print-queue"_qs); });
    auto *receiptLabel = new QAction(tr("Receipt and label…"), this);
    receiptLabel->setShortcut(QKeySequence(Qt::Key_F8));
    connect(receiptLabel, &QAction::triggered, this, [this] { openPage(u"order-receipt-label"_qs); });
    auto *packing = new QAction(tr("Packing station"), this);
    packing->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    connect(packing, &QAction::triggered, this, [this] { openPage(u"packing"_qs); });
    auto *pickList = new QAction(tr("Pick list…"), this);
    pickList->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    connect(pickList, &QAction::triggered, this, [this] { openPage(u"pick-list"_qs); });
    auto *scanner = new QAction(tr("Barcode scanner…"), this);
    connect(scanner, &QAction::triggered, this, [this] { openPage(u"scanner-settings"_qs); });
    auto *newOrder = new QAction(tr("New order…"), this);
    newOrder->setShortcut(QKeySequence::New);
    connect(newOrder, &QAction::triggered, this, [this] { editOrder(0); });
    auto *editCurrent = new QAction(tr("Edit order…"), this);
    editCurrent->setShortcut(QKeySequence(Qt::Key_F4));
    connect(editCurrent, &QAction::triggered, this,
            [this] { editOrder(m_model->orderId(m_view->currentIndex().row())); });
    auto *notes = new QAction(tr("Edit notes…"), this);
    notes->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(notes, &QAction::triggered, this, [this] {
        const qint64 id = m_model->orderId(m_view->currentIndex().row());
        auto order = id ? m_store->load(id) : Result<domain::Order>(Error{});
        if (!id || !order)
            return;
        bool ok = false;
        const QString text =
            QInputDialog::getMultiLineText(this, tr("Notes of order %1").arg(id),
                                           tr("Notes for the team (not shown to the buyer):"), order->notes, &ok);
        if (ok)
            setNotes(id, text);
    });
    auto *runRule = new QAction(tr("Run rule…"), this);
    runRule->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(runRule, &QAction::triggered, this, [this] { runRuleOn(selectedOrderIds()); });
    auto *openWindow = new QAction(tr("Open in a window"), this);
    openWindow->setShortcut(QKeySequence(Qt::Key_Return));
    openWindow->setShortcutContext(Qt::WidgetShortcut); // Enter in the list, not in the search box or a dialog
    connect(openWindow, &QAction::triggered, this, &MainWindow::openOrderWindow);
    connect(m_view, &QAbstractItemView::doubleClicked, this, &MainWindow::openOrderWindow);
    m_connector = new ConnectorController(m_db, this);
    // Adding or removing a training account makes or unmakes a training profile: the banner, the marks on printouts
    // and the loopback-only guard follow at once.
    connect(&m_connector->accounts(), &marketplace::AccountStore::accountsChanged, this, [this] {
        if (auto training = marketplace::AccountStore(m_db).isTrainingProfile())
            sd::training::setActive(*training);
        updateTrainingBanner();
    });
    if (ScannerFilter *filter = ScannerFilter::active())
        filter->addConsumer(this, [this](const QString &code) { handleScan(code); });
    addActions({find,
                next,
                previous,
                changeStatus,
                addTag,
                removeTag,
                exportCsv,
                shortcuts,
                guide,
                statuses,
                newOrder,
                editCurrent,
                notes,
                runRule,
                openWindow,
                rules,
                m_connector->downloadNowAction(),
                m_connector->accountsAction(),
                m_connector->logAction(),
                documentsAction,
                issueInvoice,
                printers,
                printQueue,
                receiptLabel,
                packing,
                pickList,
                reports,
                serviceCases});
    m_view->addActions({openWindow, editCurrent});
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({changeStatus, addTag, removeTag, runRule, exportCsv});

    QMenu *ordersMenu = menuBar()->addMenu(tr("&Orders"));
    ordersMenu->addAction(openWindow);
    ordersMenu->addSeparator();
    ordersMenu->addActions({newOrder, editCurrent});
    ordersMenu->addSeparator();
    ordersMenu->addActions({changeStatus, addTag, removeTag, notes, runRule});
    ordersMenu->addSeparator();
    ordersMenu->addActions({issueInvoice, documentsAction, reports});
    ordersMenu->addActions({returnsAction, registerReturn, serviceCases});
    ordersMenu->addActions({receiptLabel, printQueue});
    ordersMenu->addSeparator();
    ordersMenu->addActions({packing, pickList});
    ordersMenu->addSeparator();
    ordersMenu->addActions({messages, orderMessages, requestConfirmation, confirmByHand, confirmByReply});
    ordersMenu->addSeparator();
    ordersMenu->addAction(exportCsv);
    ordersMenu->addSeparator();
    ordersMenu->addAction(m_connector->downloadNowAction());
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addActions({find, next, previous});
    viewMenu->addAction(m_connector->logAction());
    auto *filtersAction = viewMenu->addAction(tr("Filters"));
    filtersAction->setCheckable(true);
    connect(filtersAction, &QAction::toggled, filtersButton, &QToolButton::setChecked);
    connect(filtersButton, &QToolButton::toggled, filtersAction, &QAction::setChecked);
    // The columns of the list: each can be hidden; order them by dragging the headers.
    QMenu *columnsMenu = viewMenu->addMenu(tr("Columns"));
    const bool seesProfit = access::Session::current().can(access::Permission::SeeProfit);
    for (int column = 0; column < OrderListModel::ColumnCount; ++column) {
        // A role without "see profit" has no profit column (the core refuses the figures too).
        if (column == OrderListModel::Profit && !seesProfit) {
            m_view->setColumnHidden(column, true);
            continue;
        }
        QAction *toggle = columnsMenu->addAction(m_model->headerData(column, Qt::Horizontal).toString());
        toggle->setCheckable(true);
        toggle->setChecked(true);
        connect(toggle, &QAction::toggled, this, [this, column](bool on) { m_view->setColumnHidden(column, !on); });
        connect(columnsMenu, &QMenu::aboutToShow, toggle,
                [this, toggle, column] { toggle->setChecked(!m_view->isColumnHidden(column)); });
    }
    QMenu *settingsMenu = menuBar()->addMenu(tr("&Settings"));
    settingsMenu->addAction(statuses);
    settingsMenu->addAction(rules);
    settingsMenu->addAction(documentSettings);
    settingsMenu->addAction(moneySettings);
    settingsMenu->addActions({messagingSettings, templates});
    settingsMenu->addAction(stock);
    settingsMenu->addAction(printers);
    settingsMenu->addAction(scanner);
    settingsMenu->addAction(m_connector->accountsAction());
    AccessPages::addActions(settingsMenu, m_db, this);
    QMenu *languageMenu = settingsMenu->addMenu(tr("Language"));
    auto *languages = new QActionGroup(this);
    const QString chosen = QSettings().value(u"language"_qs).toString();
    for (const auto &[code, name] : {std::pair{QString(), tr("As the system")}, std::pair{u"pl"_qs, u"Polski"_qs},
                                     std::pair{u"en"_qs, u"English"_qs}}) {
        QAction *choice = languageMenu->addAction(name);
        choice->setCheckable(true);
        choice->setChecked(code == chosen);
        languages->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, code = code] {
            QSettings().setValue(u"language"_qs, code);
            // The window host (WindowHost) builds the window again in the new language at once.
            if (isSignalConnected(QMetaMethod::fromSignal(&MainWindow::languageChanged)))
                Q_EMIT languageChanged(code);
            else
                statusBar()->showMessage(tr("The language changes when SellerDesk starts again."), 8000);
        });
    }
    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(guide);
    helpMenu->addAction(shortcuts);
    helpMenu->addAction(firstRun);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::currentRowChanged);
    connect(m_model, &OrderListModel::failed, this, &MainWindow::showError);
    // Many changes in a row (a bulk action, an import) refresh the list once, when the event loop is free.
    m_refreshSoon = new QTimer(this);
    m_refreshSoon->setSingleShot(true);
    m_refreshSoon->setInterval(0);
    connect(m_refreshSoon, &QTimer::timeout, this, &MainWindow::refresh);
    connect(m_store, &storage::OrderStore::ordersChanged, m_refreshSoon, qOverload<>(&QTimer::start));
    // Changes made at other workstations (PostgreSQL LISTEN/NOTIFY) refresh the list like a local change.
    auto *elsewhere = new storage::OrderChangeListener(m_db, this);
    if (auto r = elsewhere->start(); !r)
        showError(r.error().userMessage);
    connect(elsewhere, &storage::OrderChangeListener::changedElsewhere, m_refreshSoon, qOverload<>(&QTimer::start));
    m_count = new QLabel(this);
    statusBar()->addPermanentWidget(m_connector->statusButton());
    statusBar()->addPermanentWidget(m_count);
    // Orders downloaded in the background were written by the sync's own store: refresh like after a local change.
    connect(m_connector, &ConnectorController::ordersDownloaded, m_refreshSoon, qOverload<>(&QTimer::start));
    // D1: invoices for what was downloaded, when automatic invoicing is on.
    connect(m_connector, &ConnectorController::ordersDownloaded, this, [this] {
        auto report = inventory::autoInvoiceDownloaded(*m_store);
        if (!report)
            showError(report.error().userMessage);
        else if (report->issued + report->flagged + report->failed > 0)
            statusBar()->showMessage(tr("Invoices: %1 issued, %2 left for manual invoicing, %3 failed")
                                         .arg(report->issued)
                                         .arg(report->flagged)
                                         .arg(report->failed),
                                     10000);
    });
    QTimer::singleShot(0, m_connector, &ConnectorController::start);

    reloadStatuses();
    if (auto views = storage::OrderQuery(m_db).savedViews())
        m_tabs->setSavedViews(*views);
    resize(1366, 768);
    restoreLayout();
    applyFilter();
    m_view->resizeColumnsToContents();
    m_view->setColumnWidth(OrderListModel::Buyer, qMin(m_view->columnWidth(OrderListModel::Buyer), 260));
}

MainWindow::~MainWindow()
{
    stopAutomation();
}

void MainWindow::runFirstRunWizard(const QString &startPage)
{
    const FirstRunWizard::Outcome outcome = FirstRunWizard::run(m_db, m_profileDir, this, startPage);
    if (outcome.accepted) {
        updateTrainingBanner();
        reloadStatuses();
        refresh();
        if (outcome.training) {
            statusBar()->showMessage(
                tr("The training shop is ready: %n order(s) to try everything on.", nullptr, outcome.trainingOrders),
                15000);
            Q_EMIT trainingShopReady();
        } else if (outcome.languageChangedTo.isEmpty()) {
            m_connector->showAccounts(); // connect the Allegro account (device flow)
        }
    }
    // The guide already speaks the new language; the window is built again in it (the accounts window for a real
    // Allegro account opens from the new window's first-run follow-up).
    if (!outcome.languageChangedTo.isEmpty() &&
        isSignalConnected(QMetaMethod::fromSignal(&MainWindow::languageChanged)))
        Q_EMIT languageChanged(outcome.languageChangedTo,
                               outcome.accepted && !outcome.training ? u"accounts"_qs : QString());
}

void MainWindow::updateTrainingBanner()
{
    m_trainingBanner->setVisible(sd::training::active());
}

void MainWindow::showError(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

bool MainWindow::setNotes(qint64 orderId, const QString &notes)
{
    auto result = m_store->apply(storage::OrderChange::update(
        orderId,
        [notes](domain::Order &order) -> Result<void> {
            order.notes = notes.trimmed();
            return {};
        },
        userContext(tr("notes edited"))));
    if (!result) {
        showError(result.error().userMessage);
        return false;
    }
    return true;
}

void MainWindow::editOrder(qint64 orderId)
{
    if (orderId) {
        auto order = m_store->load(orderId);
        if (!order) {
            showError(order.error().userMessage);
            return;
        }
        if (order->marketplace != u"manual") {
            showError(tr("Order %1 comes from %2: its data is the marketplace's. Only manual orders are edited here.")
                          .arg(orderId)
                          .arg(order->marketplace));
            return;
        }
    }
    OrderEditor editor(*m_store, orderId, this);
    if (editor.exec() == QDialog::Accepted && editor.savedOrderId()) {
        const int row = m_model->rowOf(editor.savedOrderId());
        if (row >= 0)
            m_view->setCurrentIndex(m_model->index(row, 0));
    }
}

void MainWindow::openPage(const QString &page)
{
    if (page == u"statuses") {
        StatusSettings settings(m_db, this);
        connect(&settings, &StatusSettings::statusesChanged, this, &MainWindow::reloadStatuses);
        settings.exec();
    } else if (page == u"new-order") {
        editOrder(0);
    } else if (page == u"shortcuts") {
        showShortcuts();
    } else if (page == u"help") {
        HelpBrowser::showFor(this);
    } else if (page == u"first-run" || page.startsWith(u"first-run:")) {
        runFirstRunWizard(page.section(u':', 1));
    } else if (page == u"accounts") {
        m_connector->showAccounts();
    } else if (page == u"log") {
        m_connector->showLog();
    } else if (page == u"order") {
        openOrderWindow();
    } else if (page == u"run-rule") {
        runRuleOn(selectedOrderIds());
    } else if (page == u"order-items") {
        openOrderWindow();
        if (m_orderWindow)
            m_orderWindow->view()->showSection(u"items"_qs);
    } else if (page == u"order-automation") {
        openOrderWindow();
        if (m_orderWindow)
            m_orderWindow->view()->tabs()->setCurrentWidget(m_orderWindow->view()->automationTab());
    } else if (page == u"order-receipt-label") {
        openOrderWindow();
        if (m_orderWindow)
            m_orderWindow->view()->tabs()->setCurrentWidget(m_orderWindow->view()->devicesTab());
    } else if (page == u"printers") {
        PrintersDialog printers(m_db, this);
        printers.exec();
    } else if (page == u"print-queue") {
        PrintQueueDialog queue(m_db, this);
        queue.exec();
    } else if (page == u"documents") {
        DocumentsPage documents(m_db, this);
        documents.exec();
    } else if (page == u"document-settings" || page == u"ksef-settings" || page == u"exchange-rates") {
        DocumentSettingsDialog settings(m_db, this);
        settings.setSecrets(m_connector->secrets());
        if (page == u"ksef-settings")
            settings.showKsef();
        else if (page == u"exchange-rates")
            settings.showRates();
        settings.exec();
    } else if (page == u"packing") {
        PackingStation station(m_db, userContext(tr("packing station")), this);
        station.setWindowState(Qt::WindowFullScreen);
        station.exec();
    } else if (page == u"scanner-settings") {
        ScannerSettings settings(m_db, this);
        settings.exec();
    } else if (page == u"pick-list") {
        PickListDialog pickList(m_db, selectedOrderIds(), this);
        pickList.exec();
    } else if (page == u"profit-settings") {
        MoneySettingsDialog settings(m_db, this);
        settings.exec();
        if (auto r = m_model->reload(); !r) // the profit column follows the new settings
            showError(r.error().userMessage);
    } else if (page == u"reports") {
        ReportsPage reports(m_db, this);
        reports.exec();
    } else if (page == u"returns" || page == u"register-return") {
        ReturnsPage returnsPage(m_db, m_connector->secrets(), this);
        const QList<qint64> selected = selectedOrderIds();
        if (page == u"register-return") {
            if (selected.isEmpty()) {
                showError(tr("Choose the order whose items come back."));
                return;
            }
            returnsPage.setOrder(selected.first());
            if (!returnsPage.registerReturn())
                return;
        }
        returnsPage.exec();
    } else if (page == u"service") {
        ServiceCasesPage cases(m_db, userContext({}).actor, this);
        cases.exec();
    } else if (page == u"messaging-settings") {
        MessagingSettingsDialog settings(m_db, m_connector->secrets(), this);
        settings.exec();
    } else if (page == u"templates") {
        TemplatesEditor editor(m_db, this);
        editor.exec();
    } else if (page == u"messages" || page == u"order-messages") {
        const QList<qint64> selected = selectedOrderIds();
        MessagesDialog dialog(m_db, page == u"order-messages" && !selected.isEmpty() ? selected.first() : 0, this);
        dialog.exec();
    } else if (AccessPages::openPage(page, m_db, this)) {
        return;
    } else if (!InventoryDialog::openPage(page, m_db, this)) {
        RulesPage::openPage(page, m_db, this);
    }
}

void MainWindow::issueInvoiceForCurrent()
{
    const qint64 orderId = m_model->orderId(m_view->currentIndex().row());
    if (!orderId)
        return;
    documents::DocumentService service(*m_store);
    documents::IssueRequest request;
    request.orderId = orderId;
    const QString user = qEnvironmentVariable("USER");
    auto doc = service.issueForOrder(request, {user.isEmpty() ? u"user"_qs : u"user:"_qs + user, tr("invoice"), 0});
    if (!doc) {
        showError(doc.error().userMessage);
        return;
    }
    statusBar()->showMessage(tr("%1 issued for order %2.").arg(doc->number).arg(orderId), 8000);
    DocumentsPage documents(m_db, this);
    documents.selectDocument(doc->id);
    documents.exec();
}

void MainWindow::reloadStatuses()
{
    auto statuses = m_catalog.statuses();
    if (!statuses) {
        showError(statuses.error().userMessage);
        return;
    }
    m_store->forgetStatuses(); // names may have changed: look them up again
    m_tabs->setStatuses(*statuses, m_counts);
    if (m_model->rowCount() || m_model->totalCount())
        refresh();
}

storage::OrderQuery::Filter MainWindow::currentFilter() const
{
    storage::OrderQuery::Filter filter;
    filter.sort = m_model->filter().sort;
    filter.ascending = m_model->filter().ascending;
    filter.statusId = m_tabs->currentStatusId();
    filter.search = m_search->text();
    m_filters->applyTo(filter);
    return filter;
}

void MainWindow::showView(const storage::OrderQuery::SavedView &view)
{
    const QSignalBlocker blockSearch(m_search);
    m_search->setText(view.filter.search);
    m_filters->showFilter(view.filter);
    applyFilter();
}

void MainWindow::askToSaveView()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save view"), tr("Name of the view (it becomes a tab):"),
                                               QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return;
    if (auto saved = saveCurrentView(name); !saved)
        showError(saved.error().userMessage);
}

Result<storage::OrderQuery::SavedView> MainWindow::saveCurrentView(const QString &name)
{
    storage::OrderQuery query(m_db);
    auto saved = query.saveView(name, currentFilter());
    if (!saved)
        return saved.error();
    auto views = query.savedViews();
    if (!views)
        return views.error();
    m_tabs->setSavedViews(*views);
    const QSignalBlocker block(m_tabs);
    m_tabs->setCurrentView(saved->id);
    return saved;
}

void MainWindow::recount(const storage::OrderQuery::Filter &withoutStatus)
{
    auto counts = storage::OrderQuery(m_db).countsByStatus(withoutStatus);
    if (!counts) {
        m_countedFor.reset();
        return;
    }
    m_counts = *counts;
    m_countedFor = withoutStatus;
    m_tabs->setCounts(m_counts);
}

void MainWindow::applyFilter()
{
    const storage::OrderQuery::Filter filter = currentFilter();
    // The tab counts depend on everything but the status: a tab switch reuses them, and the count of the
    // chosen tab is one of them, so switching tabs reads only the first page.
    storage::OrderQuery::Filter withoutStatus = filter;
    withoutStatus.statusId = 0;
    if (!m_countedFor || *m_countedFor != withoutStatus)
        recount(withoutStatus);
    std::optional<qint64> total;
    if (m_countedFor && filter.statusGroup.isEmpty()) {
        qint64 all = 0;
        for (qint64 n : std::as_const(m_counts))
            all += n;
        total = filter.statusId ? m_counts.value(filter.statusId) : all;
    }
    if (auto r = m_model->setFilter(filter, total); !r)
        return;
    showError({});
    m_count->setText(tr("%n order(s)", nullptr, int(m_model->totalCount())));
    if (m_model->rowCount() > 0 && !m_view->currentIndex().isValid())
        m_view->setCurrentIndex(m_model->index(0, 0));
    currentRowChanged();
}

void MainWindow::refresh()
{
    // Keep what the person was looking at: the current order and the selection, by order id.
    const qint64 current = m_model->orderId(m_view->currentIndex().row());
    QList<qint64> selected;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        selected << m_model->orderId(index.row());
    const int scroll = m_view->verticalScrollBar()->value();

    if (auto r = m_model->reload(); !r)
        return;
    storage::OrderQuery::Filter withoutStatus = m_model->filter();
    withoutStatus.statusId = 0;
    recount(withoutStatus);
    m_count->setText(tr("%n order(s)", nullptr, int(m_model->totalCount())));

    QItemSelection selection;
    for (qint64 id : selected) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            selection.select(m_model->index(row, 0), m_model->index(row, OrderListModel::ColumnCount - 1));
    }
    const int currentRow = m_model->rowOf(current);
    if (currentRow >= 0)
        m_view->selectionModel()->setCurrentIndex(m_model->index(currentRow, 0), QItemSelectionModel::NoUpdate);
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    m_view->verticalScrollBar()->setValue(scroll);
    m_orderView->refresh();
    if (m_orderWindow)
        m_orderWindow->refresh();
}

void MainWindow::openOrderWindow()
{
    showOrderWindow(m_model->orderId(m_view->currentIndex().row()));
}

void MainWindow::handleScan(const QString &code)
{
    scanning::CodeClassifier classifier(m_db);
    auto target = classifier.classify(code);
    if (!target) {
        showError(target.error().userMessage);
        return;
    }
    switch (target->kind) {
    case scanning::ScanTarget::Kind::Order: {
        const int row = m_model->rowOf(target->orderId);
        if (row >= 0)
            m_view->setCurrentIndex(m_model->index(row, 0));
        showOrderWindow(target->orderId);
        statusBar()->showMessage(tr("Scanned %1: order %2.").arg(target->describe()).arg(target->orderId), 8000);
        return;
    }
    case scanning::ScanTarget::Kind::Product: {
        inventory::InventoryStore inventory(*m_store);
        auto stock = inventory.stock(target->productId);
        if (!stock) {
            showError(stock.error().userMessage);
            return;
        }
        QStringList perWarehouse;
        for (const auto &w : stock->warehouses)
            perWarehouse.append(tr("%1: %2").arg(w.warehouse).arg(w.quantity));
        QMessageBox box(QMessageBox::Information, tr("Product"),
                        tr("%1\nSKU %2 · EAN %3 · location %4\nIn stock: %5 (reserved %6)\n%7")
                            .arg(stock->product.name, stock->product.sku, stock->product.ean,
                                 stock->product.location.isEmpty() ? tr("not set") : stock->product.location)
                            .arg(stock->total)
                            .arg(stock->reserved)
                            .arg(perWarehouse.join(u"\n"_qs)),
                        QMessageBox::Close, this);
        box.exec();
        return;
    }
    case scanning::ScanTarget::Kind::Command: {
        const QList<qint64> ids = selectedOrderIds();
        if (ids.isEmpty()) {
            showError(tr("Choose an order before scanning a command barcode."));
            return;
        }
        automation::RuleStore rules(m_db);
        automation::Dispatcher dispatcher(*m_store, rules);
        for (qint64 id : ids) {
            if (auto r = dispatcher.requestManualRun(target->ruleId, id, userContext(tr("command barcode"))); !r) {
                showError(r.error().userMessage);
                return;
            }
        }
        statusBar()->showMessage(tr("Command barcode: the rule runs on %n order(s).", nullptr, int(ids.size())), 8000);
        return;
    }
    case scanning::ScanTarget::Kind::Unknown:
        break;
    }
    showError(tr("Nothing is known by the scanned code %1.").arg(code));
}

void MainWindow::showOrderWindow(qint64 id)
{
    if (!id)
        return;
    if (!m_orderWindow) {
        m_orderWindow = new OrderWindow(*m_store, this);
        auto *runRule = new QAction(tr("Run rule…"), m_orderWindow);
        runRule->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
        connect(runRule, &QAction::triggered, this, [this] { runRuleOn({m_orderWindow->orderId()}); });
        m_orderWindow->addAction(runRule);
        // Next/previous move the list, so the side panel and the window show the same order.
        connect(m_orderWindow, &OrderWindow::stepRequested, this, [this](int direction) {
            stepOrder(direction);
            m_orderWindow->showOrder(m_model->orderId(m_view->currentIndex().row()));
        });
    }
    m_orderWindow->showOrder(id);
    m_orderWindow->show();
    m_orderWindow->raise();
    m_orderWindow->activateWindow();
}

void MainWindow::currentRowChanged()
{
    m_orderView->showOrder(m_model->orderId(m_view->currentIndex().row()));
}

void MainWindow::stepOrder(int direction)
{
    int row = m_view->currentIndex().row() + direction;
    if (row >= m_model->rowCount() && m_model->canFetchMore({}))
        m_model->fetchMore({});
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_view->setCurrentIndex(m_model->index(row, 0));
    m_view->scrollTo(m_view->currentIndex());
}

QList<qint64> MainWindow::selectedOrderIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids << m_model->orderId(index.row());
    if (ids.isEmpty() && m_view->currentIndex().isValid())
        ids << m_model->orderId(m_view->currentIndex().row());
    return ids;
}

void MainWindow::changeStatusOfSelection()
{
    const QList<qint64> ids = selectedOrderIds();
    if (ids.isEmpty())
        return;
    auto statuses = m_catalog.statuses();
    if (!statuses) {
        showError(statuses.error().userMessage);
        return;
    }
    const QString current = m_model->index(m_view->currentIndex().row(), OrderListModel::Status).data().toString();
    ChangeStatusDialog dialog(*statuses, current, int(ids.size()), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    changeStatus(ids, dialog.status(), dialog.informBuyer());
}

storage::StatusChangeReport MainWindow::changeStatus(const QList<qint64> &orderIds, const QString &status,
                                                     bool informBuyer)
{
    const storage::StatusChangeReport report =
        withProgress(tr("Changing the status of %n order(s)…", nullptr, int(orderIds.size())), int(orderIds.size()),
                     [&](const auto &progress) {
                         return storage::changeStatus(*m_store, orderIds, status, informBuyer,
                                                      userContext(tr("changed by hand")), progress);
                     });
    if (!report.failed.isEmpty())
        showError(tr("The status of %n order(s) could not be changed: %1", nullptr, int(report.failed.size()))
                      .arg(report.failed.constFirst().second));
    else
        statusBar()->showMessage(
            informBuyer
                ? tr("Status set to %1 for %n order(s); the buyers will be told.", nullptr, report.changed).arg(status)
                : tr("Status set to %1 for %n order(s), silently.", nullptr, report.changed).arg(status),
            8000);
    return report;
}

void MainWindow::runRuleOn(const QList<qint64> &orderIds)
{
    if (orderIds.isEmpty() || (orderIds.size() == 1 && !orderIds.constFirst()))
        return;
    RunRuleDialog dialog(*m_store, orderIds, userContext(tr("run by hand")), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    statusBar()->showMessage(dialog.message(), 8000);
    wakeAutomation(); // the runs are events on the store: the scheduler takes them now
}

storage::ChangeContext MainWindow::userContext(const QString &reason) const
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return {user.isEmpty() ? u"user"_qs : u"user:" + user, reason, 0};
}

void MainWindow::askForTag(bool add)
{
    const QList<qint64> ids = selectedOrderIds();
    if (ids.isEmpty())
        return;
    QStringList known;
    if (auto tags = m_catalog.tags())
        for (const storage::Tag &tag : *tags)
            known << tag.name;
    bool ok = false;
    const QString tag = QInputDialog::getItem(this, add ? tr("Add tag") : tr("Remove tag"),
                                              tr("Tag for %n order(s):", nullptr, int(ids.size())), known, 0, add, &ok);
    if (ok && !tag.simplified().isEmpty())
        changeTags(ids, add ? QStringList{tag} : QStringList{}, add ? QStringList{} : QStringList{tag});
}

storage::BulkReport MainWindow::changeTags(const QList<qint64> &orderIds, const QStringList &add,
                                           const QStringList &remove)
{
    const storage::BulkReport report =
        withProgress(tr("Changing tags of %n order(s)…", nullptr, int(orderIds.size())), int(orderIds.size()),
                     [&](const auto &progress) {
                         return storage::changeTags(*m_store, orderIds, add, remove,
                                                    userContext(tr("tags changed by hand")), progress);
                     });
    if (!report.failed.isEmpty())
        showError(tr("The tags of %n order(s) could not be changed: %1", nullptr, int(report.failed.size()))
                      .arg(report.failed.constFirst().second));
    return report;
}

storage::BulkReport MainWindow::exportSelection(const QString &path)
{
    const QList<qint64> ids = selectedOrderIds();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        showError(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return {};
    }
    storage::BulkReport report =
        withProgress(tr("Exporting %n order(s)…", nullptr, int(ids.size())), int(ids.size()),
                     [&](const auto &progress) { return storage::exportCsv(*m_store, ids, file, progress); });
    if (report.stopped || !report.failed.isEmpty()) {
        file.cancelWriting(); // no half file: the previous one, if any, stays as it was
        if (!report.failed.isEmpty())
            showError(tr("The export failed: %1").arg(report.failed.constFirst().second));
        return report;
    }
    if (!file.commit()) {
        showError(tr("Cannot write %1: %2").arg(path, file.errorString()));
        report.failed.append({0, file.errorString()});
        return report;
    }
    statusBar()->showMessage(
        tr("%n order(s) exported to %1", nullptr, report.changed).arg(QDir::toNativeSeparators(path)), 8000);
    return report;
}

void MainWindow::showShortcuts()
{
    QString html = u"<table cellpadding='4'>"_qs;
    for (const QAction *action : actions()) {
        if (action->shortcut().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence &key : action->shortcuts())
            keys << key.toString(QKeySequence::NativeText);
        html += u"<tr><td><b>" + keys.join(u", ").toHtmlEscaped() + u"</b></td><td>" +
                action->text().remove(u'&').toHtmlEscaped() + u"</td></tr>";
    }
    html += u"<tr><td><b>" + tr("Ctrl+Shift+F").toHtmlEscaped() + u"</b></td><td>" + tr("Filters").toHtmlEscaped() +
            u"</td></tr></table>";
    QMessageBox box(QMessageBox::NoIcon, tr("Keyboard shortcuts"), html, QMessageBox::Close, this);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (settings.contains(u"window/geometry"))
        restoreGeometry(settings.value(u"window/geometry"_qs).toByteArray());
    if (settings.contains(u"window/splitter"))
        m_splitter->restoreState(settings.value(u"window/splitter"_qs).toByteArray());
    if (settings.contains(u"window/columns"))
        m_view->horizontalHeader()->restoreState(settings.value(u"window/columns"_qs).toByteArray());
    m_tabs->setCurrentStatusId(settings.value(u"window/statusTab"_qs).toLongLong());
    m_filtersButton->setChecked(settings.value(u"window/filtersVisible"_qs, false).toBool());
    m_orderView->tabs()->setCurrentIndex(settings.value(u"window/orderTab"_qs, 0).toInt());
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(u"window/geometry"_qs, saveGeometry());
    settings.setValue(u"window/splitter"_qs, m_splitter->saveState());
    settings.setValue(u"window/columns"_qs, m_view->horizontalHeader()->saveState());
    settings.setValue(u"window/statusTab"_qs, m_tabs->currentStatusId());
    settings.setValue(u"window/filtersVisible"_qs, m_filtersButton->isChecked());
    settings.setValue(u"window/orderTab"_qs, m_orderView->tabs()->currentIndex());
}

void MainWindow::startAutomation(const QString &profileDir)
{
    if (m_automationThread)
        return;
    m_automationLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_automationLabel);
    setAutomationState(false, tr("Automation: starting…"));
    m_automationThread = new QThread(this);
    m_automationThread->setObjectName(u"automation"_qs);
    m_services = new automation::BackgroundServices(m_db, {profileDir, u"window"_qs, /*download=*/false,
                                                           /*openSecrets=*/false});
    m_services->moveToThread(m_automationThread);
    connect(m_automationThread, &QThread::finished, m_services, &QObject::deleteLater);
    // Rules change orders on the worker's own connection: the list refreshes like after a local change.
    connect(m_services, &automation::BackgroundServices::jobFinished, m_refreshSoon, qOverload<>(&QTimer::start));
    // E3: passed deadlines raise operator alerts in the background; the desktop says so.
    connect(m_services, &automation::BackgroundServices::deadlineAlertsRaised, this, &MainWindow::notifyDeadlines);
    m_automationThread->start();
    QMetaObject::invokeMethod(m_services, [this, services = m_services] {
        auto started = services->start();
        const QString problem = started ? QString() : started.error().userMessage;
        QMetaObject::invokeMethod(this, [this, problem] {
            if (problem.isEmpty()) {
                setAutomationState(true, tr("Automation: running"));
                handSecretsToAutomation();
            } else {
                setAutomationState(false, tr("Automation: not running here"));
                m_automationLabel->setToolTip(problem);
                statusBar()->showMessage(problem, 15000);
            }
        });
    });
    // The window's own changes (a status set by hand, a new order, a download) may trigger rules: the scheduler
    // sleeps until its next due job, so it is woken. Events written on other connections (other windows, the CLI)
    // are seen by the services' own two-second look (BackgroundServices).
    connect(m_store, &storage::OrderStore::ordersChanged, this, &MainWindow::wakeAutomation);
    connect(m_connector, &ConnectorController::ordersDownloaded, this, &MainWindow::wakeAutomation);
    connect(m_connector, &ConnectorController::secretsReady, this, &MainWindow::handSecretsToAutomation);
}

void MainWindow::setAutomationState(bool running, const QString &text)
{
    m_automationState = running ? u"running"_qs : text;
    if (m_automationLabel)
        m_automationLabel->setText(text);
}

void MainWindow::handSecretsToAutomation()
{
    // The keychain is opened by the connector on its own thread; the services use the same store on theirs.
    if (m_services && m_connector->secrets())
        QMetaObject::invokeMethod(m_services,
                                  [services = m_services, s = m_connector->secrets()] { services->setSecrets(s); });
}

void MainWindow::wakeAutomation()
{
    if (m_services)
        QMetaObject::invokeMethod(m_services, &automation::BackgroundServices::wake);
}

void MainWindow::stopAutomation()
{
    if (!m_automationThread)
        return;
    // The job being run finishes and is recorded; then the worker's loop ends and the services are deleted in it.
    QMetaObject::invokeMethod(m_services, [services = m_services] { services->shutdown(/*quitThread=*/true); });
    if (!m_automationThread->wait(60000))
        qWarning("the automation thread did not stop in time");
    m_automationThread = nullptr;
    m_services = nullptr;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    stopAutomation();
    QMainWindow::closeEvent(event);
}

} // namespace sd::ui

namespace sd::ui {

void MainWindow::confirmationAction(ConfirmationStep step)
{
    const QList<qint64> selected = selectedOrderIds();
    if (selected.isEmpty())
        return;
    storage::OrderStore store(m_db);
    messaging::OrderConfirmations confirmations(store);
    const QString actor = u"user"_qs;
    if (step != ConfirmationStep::Request) {
        const auto by = step == ConfirmationStep::ByReply ? messaging::OrderConfirmations::By::Reply
                                                          : messaging::OrderConfirmations::By::Operator;
        if (auto r = confirmations.confirm(selected.first(), by, actor); !r)
            return statusBar()->showMessage(r.error().userMessage, 8000);
        statusBar()->showMessage(tr("Order %1 confirmed.").arg(selected.first()), 8000);
    } else {
        auto sent = confirmations.request(selected.first(), actor);
        if (!sent)
            return statusBar()->showMessage(sent.error().userMessage, 8000);
        statusBar()->showMessage(tr("Confirmation request queued for %1.").arg(sent->recipient), 8000);
    }
    if (m_services)
        QMetaObject::invokeMethod(m_services, &automation::BackgroundServices::wake);
}

void MainWindow::notifyDeadlines(int count)
{
    const QString text = tr("%n order(s) passed a payment or dispatch deadline.", nullptr, count);
    statusBar()->showMessage(text, 15000);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(windowTitle());
    }
    m_tray->show();
    m_tray->showMessage(tr("SellerDesk: deadlines"), text, QSystemTrayIcon::Warning, 15000);
}

} // namespace sd::ui
