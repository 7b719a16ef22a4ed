#include "automation/rulestore.h"
#include "connectorcontroller.h"
#include "filterpanel.h"
#include "mainwindow.h"
#include "ordereditor.h"
#include "orderlistmodel.h"
#include "orderview.h"
#include "orderwindow.h"
#include "runruledialog.h"
#include "statussettings.h"
#include "statustabs.h"
#include "storage/jobqueue.h"
#include "storage/orderstore.h"
#include "testsupport.h"
#include "util/trainingmode.h"
#include "util/translations.h"
#include "windowhost.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>

using namespace sd;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    // n orders, one minute apart, newest last; every third one cash on delivery and unpaid.
    static void addOrders(storage::OrderStore &store, int n, const QString &prefix = u"M-"_qs)
    {
        SD_VERIFY_OK(store.database().begin("test orders"));
        for (int i = 0; i < n; ++i) {
            domain::Order order = test::sampleOrder(prefix + QString::number(i));
            order.createdAt = order.createdAt.addSecs(60 * i);
            order.buyer.login = u"buyer"_qs + QString::number(i);
            if (i % 3 == 0) {
                order.payment.method = u"CASH_ON_DELIVERY"_qs;
                order.payment.status = domain::PaymentStatus::Unpaid;
                order.payment.paidAmount = {};
            }
            SD_VERIFY_OK(store.apply(storage::OrderChange::create(order, {u"test"_qs, {}, 0})));
        }
        SD_VERIFY_OK(store.database().commit("test orders"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
    }

    void modelPagesThroughOrdersUnderTheTester()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        addOrders(store, 450);

        ui::OrderListModel model(fresh->db);
        SD_VERIFY_OK(model.setFilter({}));
        QCOMPARE(model.totalCount(), 450);
        QCOMPARE(model.rowCount(), ui::OrderListModel::kPageSize);
        QCOMPARE(model.index(0, ui::OrderListModel::Id).data().toLongLong(), 450); // newest first
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 400);
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 450);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.index(449, ui::OrderListModel::Id).data().toLongLong(), 1);
        QSet<qint64> ids;
        for (int row = 0; row < model.rowCount(); ++row)
            ids.insert(model.orderId(row));
        QCOMPARE(ids.size(), 450);
        QCOMPARE(model.headerData(ui::OrderListModel::Buyer, Qt::Horizontal).toString(), u"Buyer"_qs);
        QCOMPARE(model.index(0, ui::OrderListModel::Payment).data().toString(), u"Paid"_qs);
        QCOMPARE(model.index(2, ui::OrderListModel::Payment).data().toString(), u"COD · Unpaid"_qs);
        QCOMPARE(model.index(0, ui::OrderListModel::Status).data().toString(), u"New"_qs);
        const QColor tint = model.index(0, ui::OrderListModel::Buyer).data(Qt::BackgroundRole).value<QColor>();
        QCOMPARE(tint.rgb(), QColor(u"#3d8bfd"_qs).rgb()); // the colour of "New", lightly
        QVERIFY(tint.alpha() < 80);

        // The tester fetches more by itself; from here on every change of the model is checked by it.
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        storage::OrderQuery::Filter cod;
        cod.paymentMethod = u"CASH_ON_DELIVERY"_qs;
        SD_VERIFY_OK(model.setFilter(cod));
        QCOMPARE(model.totalCount(), 150);
        storage::OrderQuery::Filter search;
        search.search = u"buyer44"_qs;
        SD_VERIFY_OK(model.setFilter(search));
        QCOMPARE(model.totalCount(), 11); // buyer44 and buyer440..449

        // Sorting happens in the database, page by page, with no order lost or repeated at page boundaries.
        SD_VERIFY_OK(model.setFilter({}));
        model.sort(ui::OrderListModel::Buyer, Qt::AscendingOrder);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 450);
        QSet<qint64> sortedIds;
        for (int row = 0; row < model.rowCount(); ++row) {
            sortedIds.insert(model.orderId(row));
            if (row > 0)
                QVERIFY(model.index(row - 1, ui::OrderListModel::Buyer).data().toString() <=
                        model.index(row, ui::OrderListModel::Buyer).data().toString());
        }
        QCOMPARE(sortedIds.size(), 450);
        model.sort(ui::OrderListModel::Id, Qt::AscendingOrder);
        QCOMPARE(model.orderId(0), 1);
        model.sort(ui::OrderListModel::Date, Qt::DescendingOrder);
        QCOMPARE(model.orderId(0), 450);
        SD_VERIFY_OK(model.setFilter(search));

        // Orders arriving later show up on reload, checked by the tester as inserts and changes.
        addOrders(store, 45, u"LATE-"_qs);
        SD_VERIFY_OK(model.reload());
        QCOMPARE(model.totalCount(), 12); // and the new buyer44
        QCOMPARE(model.rowCount(), 12);
        SD_VERIFY_OK(model.setFilter({}));
        QCOMPARE(model.totalCount(), 495);
    }

    void tabsCountSearchAndBackgroundRefreshKeepsTheSelection()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        {
            storage::OrderStore seed(fresh->db);
            addOrders(seed, 30);
        }
        ui::MainWindow window(fresh->db);
        window.show();
        auto *view = window.findChild<QTableView *>();
        auto *tabs = window.findChild<ui::StatusTabs *>();
        auto *store = window.findChild<storage::OrderStore *>();
        auto *search = window.findChild<QLineEdit *>();
        auto *orderView = window.findChild<ui::OrderView *>();
        QVERIFY(view && tabs && store && search && orderView);
        QCOMPARE(view->model()->rowCount(), 30);
        QCOMPARE(tabs->count(), 6);
        QCOMPARE(tabs->tabText(0), u"All (30)"_qs);
        QCOMPARE(tabs->tabText(1), u"New (30)"_qs);
        QCOMPARE(tabs->tabText(2), u"To ship (0)"_qs);

        // The person selects order 20 and looks at it.
        const auto *model = static_cast<const ui::OrderListModel *>(view->model());
        const int row20 = model->rowOf(20);
        view->setCurrentIndex(view->model()->index(row20, 0));
        QCOMPARE(orderView->orderId(), 20);

        // Meanwhile a new order arrives and another one changes status in the background.
        addOrders(*store, 1, u"LATE-"_qs);
        SD_VERIFY_OK(store->apply(storage::OrderChange::setStatus(5, u"To ship"_qs, {u"user:ola"_qs, {}, 0})));
        QTRY_COMPARE(view->model()->rowCount(), 31);
        QCOMPARE(model->orderId(view->currentIndex().row()), 20);
        QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(model->orderId(view->selectionModel()->selectedRows().at(0).row()), 20);
        QCOMPARE(tabs->tabText(0), u"All (31)"_qs);
        QCOMPARE(tabs->tabText(2), u"To ship (1)"_qs);

        // Next and previous move through the list without leaving the order view.
        window.stepOrder(+1);
        QCOMPARE(orderView->orderId(), 19);
        window.stepOrder(-1);
        window.stepOrder(-1);
        QCOMPARE(orderView->orderId(), 21);

        // A status tab shows only its orders; the search narrows further.
        tabs->setCurrentIndex(2);
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(model->orderId(0), 5);
        tabs->setCurrentIndex(0);
        search->setText(u"buyer2"_qs);
        QTRY_COMPARE(view->model()->rowCount(), 11); // buyer2 and buyer20..29
        QCOMPARE(tabs->tabText(0), u"All (11)"_qs);
        QVERIFY(!window.grab().isNull());
    }

    void statusChangeInformsTheBuyerOnlyWhenAsked()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        {
            storage::OrderStore seed(fresh->db);
            addOrders(seed, 30);
        }
        ui::MainWindow window(fresh->db);
        window.show();
        auto *view = window.findChild<QTableView *>();
        auto *tabs = window.findChild<ui::StatusTabs *>();
        const auto *model = static_cast<const ui::OrderListModel *>(view->model());
        storage::JobQueue jobs(fresh->db);

        // Two orders selected, buyer informed: one waiting notification each, tied to the change.
        view->clearSelection();
        view->selectionModel()->select(view->model()->index(model->rowOf(7), 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        view->selectionModel()->select(view->model()->index(model->rowOf(8), 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(window.selectedOrderIds().size(), 2);
        auto informed = window.changeStatus(window.selectedOrderIds(), u"Shipped"_qs, true);
        QCOMPARE(informed.changed, 2);
        QCOMPARE(informed.notificationsQueued, 2);
        auto queued = jobs.forOrder(7);
        SD_VERIFY_OK(queued);
        QCOMPARE(queued->size(), 1);
        QCOMPARE(queued->at(0).kind, u"notify.status"_qs);
        QCOMPARE(queued->at(0).state, storage::JobQueue::State::Waiting);
        QCOMPARE(queued->at(0).lastError, u"No mail account is configured yet"_qs);
        QCOMPARE(queued->at(0).payload.value(u"status").toString(), u"Shipped"_qs);
        QTRY_COMPARE(tabs->tabText(3), u"Shipped (2)"_qs);

        // Silently: the status changes, nothing is queued.
        auto silent = window.changeStatus({9}, u"Shipped"_qs, false);
        QCOMPARE(silent.changed, 1);
        QCOMPARE(silent.notificationsQueued, 0);
        QCOMPARE(jobs.forOrder(9)->size(), 0);
        // The same status again changes nothing and tells nobody.
        auto again = window.changeStatus({7}, u"Shipped"_qs, true);
        QCOMPARE(again.unchanged, 1);
        QCOMPARE(jobs.forOrder(7)->size(), 1);
        // A bulk change over many orders goes through the progress path.
        QList<qint64> many;
        for (qint64 id = 10; id <= 30; ++id)
            many << id;
        auto bulk = window.changeStatus(many, u"Closed"_qs, false);
        QCOMPARE(bulk.changed, 21);
        QTRY_COMPARE(tabs->tabText(4), u"Closed (21)"_qs);
        // An unknown status is refused for each order, and nothing is queued.
        auto refused = window.changeStatus({1}, u"Nie ma"_qs, true);
        QCOMPARE(refused.failed.size(), 1);
        QCOMPARE(jobs.forOrder(1)->size(), 0);
    }

    void filtersAndSavedViews()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        {
            storage::OrderStore seed(fresh->db);
            addOrders(seed, 30);
        }
        auto window = std::make_unique<ui::MainWindow>(fresh->db);
        window->show();
        auto *view = window->findChild<QTableView *>();
        auto *tabs = window->findChild<ui::StatusTabs *>();
        auto *filters = window->findChild<ui::FilterPanel *>();
        QVERIFY(view && tabs && filters);

        filters->paymentMethod()->setCurrentIndex(filters->paymentMethod()->findData(u"CASH_ON_DELIVERY"_qs));
        QCOMPARE(view->model()->rowCount(), 10);
        QCOMPARE(tabs->tabText(0), u"All (10)"_qs);
        filters->paymentStatus()->setCurrentIndex(filters->paymentStatus()->findData(u"paid"_qs));
        QCOMPARE(view->model()->rowCount(), 0); // cash on delivery is not paid yet
        filters->paymentStatus()->setCurrentIndex(0);

        // Kept as a view: a tab of its own that brings the filter back.
        auto saved = window->saveCurrentView(u"  Pobrania  "_qs);
        SD_VERIFY_OK(saved);
        QCOMPARE(saved->name, u"Pobrania"_qs);
        QCOMPARE(tabs->count(), 7);
        QCOMPARE(tabs->tabText(6), u"Pobrania"_qs);
        QVERIFY(!window->saveCurrentView(u"   "_qs).ok());

        tabs->setCurrentIndex(0);
        filters->clear();
        Q_EMIT filters->changed();
        QCOMPARE(view->model()->rowCount(), 30);
        tabs->setCurrentIndex(6);
        QCOMPARE(view->model()->rowCount(), 10);
        QCOMPARE(filters->paymentMethod()->currentData().toString(), u"CASH_ON_DELIVERY"_qs);

        // Views live in the database: the next start (or another workstation) has them.
        window.reset();
        ui::MainWindow again(fresh->db);
        auto *tabsAgain = again.findChild<ui::StatusTabs *>();
        QCOMPARE(tabsAgain->tabText(6), u"Pobrania"_qs);
    }

    void filterPanelCoversEveryOrderField()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        {
            storage::OrderStore seed(fresh->db);
            addOrders(seed, 12);
            SD_VERIFY_OK(seed.apply(storage::OrderChange::update(4,
                                                                 [](domain::Order &o) -> Result<void> {
                                                                     o.delivery.address.countryCode = u"CZ"_qs;
                                                                     o.delivery.address.postCode = u"110 00"_qs;
                                                                     o.buyerComment = u"Zabalit jako dárek"_qs;
                                                                     o.tags = {u"VIP"_qs};
                                                                     o.referrers = {u"Newsletter"_qs};
                                                                     o.account = u"drugi-sklep"_qs;
                                                                     return {};
                                                                 },
                                                                 {u"test"_qs, {}, 0})));
        }
        ui::MainWindow window(fresh->db);
        window.show();
        auto *view = window.findChild<QTableView *>();
        auto *filters = window.findChild<ui::FilterPanel *>();
        auto *tabs = window.findChild<ui::StatusTabs *>();
        QToolButton *button = nullptr;
        for (QToolButton *b : window.findChildren<QToolButton *>())
            if (b->text() == u"Filters")
                button = b;
        QVERIFY(view && filters && tabs && button);
        button->setChecked(true); // opening the panel reads the choices
        QVERIFY(filters->isVisible());
        const auto *model = static_cast<const ui::OrderListModel *>(view->model());
        auto choose = [&](const char *column, const QVariant &value) {
            QComboBox *box = filters->box(QString::fromLatin1(column));
            QVERIFY2(box, column);
            const int index = box->findData(value);
            QVERIFY2(index >= 0, column);
            box->setCurrentIndex(index);
        };
        auto onlyOrder4 = [&] {
            QCOMPARE(view->model()->rowCount(), 1);
            QCOMPARE(model->orderId(0), 4);
            QCOMPARE(tabs->tabText(0), u"All (1)"_qs);
        };
        auto clear = [&] {
            filters->clear();
            Q_EMIT filters->changed();
            QCOMPARE(view->model()->rowCount(), 12);
        };
        for (const auto &[column, value] :
             {std::pair{"delivery_country", QVariant(u"CZ"_qs)}, std::pair{"tags", QVariant(u"VIP"_qs)},
              std::pair{"referrers", QVariant(u"Newsletter"_qs)}, std::pair{"account", QVariant(u"drugi-sklep"_qs)},
              std::pair{"buyer_comment", QVariant(true)}}) {
            choose(column, value);
            onlyOrder4();
            clear();
        }
        choose("buyer_comment", false);
        QCOMPARE(view->model()->rowCount(), 11);
        choose("marketplace_status", u"CANCELLED"_qs);
        QCOMPARE(view->model()->rowCount(), 0);
        clear();
        // The sample order costs 112.97 PLN.
        filters->totalFrom()->setValue(112.97);
        filters->totalTo()->setValue(112.97);
        QCOMPARE(view->model()->rowCount(), 12);
        filters->totalFrom()->setValue(113);
        QCOMPARE(view->model()->rowCount(), 0);
        filters->totalFrom()->setValue(0);
        filters->totalTo()->setValue(0);
        QCOMPARE(view->model()->rowCount(), 12);

        // A saved view brings the new fields back.
        choose("delivery_country", u"CZ"_qs);
        filters->totalFrom()->setValue(100);
        SD_VERIFY_OK(window.saveCurrentView(u"Czechy"_qs));
        tabs->setCurrentIndex(0);
        clear();
        tabs->setCurrentIndex(tabs->count() - 1);
        onlyOrder4();
        QCOMPARE(filters->box(u"delivery_country"_qs)->currentData().toString(), u"CZ"_qs);
        QCOMPARE(filters->totalFrom()->value(), 100.0);
    }

    void orderWindowStepsThroughTheListAndRefreshes()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        {
            storage::OrderStore seed(fresh->db);
            addOrders(seed, 30);
        }
        QSettings().remove(u"orderWindow"_qs);
        auto window = std::make_unique<ui::MainWindow>(fresh->db);
        window->show();
        auto *view = window->findChild<QTableView *>();
        auto *store = window->findChild<storage::OrderStore *>();
        const auto *model = static_cast<const ui::OrderListModel *>(view->model());
        view->setCurrentIndex(view->model()->index(model->rowOf(20), 0));
        QVERIFY(!window->orderWindow());

        QAction *open = nullptr;
        for (QAction *action : window->actions())
            if (action->text() == u"Open in a window")
                open = action;
        QVERIFY(open);
        QCOMPARE(open->shortcut(), QKeySequence(Qt::Key_Return));
        open->trigger();
        ui::OrderWindow *orderWindow = window->orderWindow();
        QVERIFY(orderWindow && orderWindow->isVisible());
        QVERIFY(orderWindow->isWindow());
        QCOMPARE(orderWindow->orderId(), 20);
        QVERIFY(orderWindow->windowTitle().contains(u"20"));

        auto trigger = [&](const QKeySequence &key) {
            for (QAction *action : orderWindow->actions())
                if (action->shortcut() == key) {
                    action->trigger();
                    return true;
                }
            return false;
        };
        QVERIFY(trigger(QKeySequence(Qt::CTRL | Qt::Key_PageDown)));
        QCOMPARE(orderWindow->orderId(), 19);
        QCOMPARE(model->orderId(view->currentIndex().row()), 19); // the list follows
        QVERIFY(trigger(QKeySequence(Qt::CTRL | Qt::Key_PageUp)));
        QVERIFY(trigger(QKeySequence(Qt::CTRL | Qt::Key_PageUp)));
        QCOMPARE(orderWindow->orderId(), 21);

        // A change made elsewhere shows in the open window.
        auto *title = orderWindow->view()->findChild<QLabel *>();
        QVERIFY(!title->text().contains(u"Shipped"));
        SD_VERIFY_OK(store->apply(storage::OrderChange::setStatus(21, u"Shipped"_qs, {u"user:ola"_qs, {}, 0})));
        QTRY_VERIFY(title->text().contains(u"Shipped"));

        // A double click on another row opens that one in the same window.
        const QModelIndex row5 = view->model()->index(model->rowOf(5), 1);
        view->setCurrentIndex(row5);
        Q_EMIT view->doubleClicked(row5);
        QCOMPARE(window->orderWindow(), orderWindow);
        QCOMPARE(orderWindow->orderId(), 5);

        // Its size and place are remembered for the next time.
        orderWindow->resize(640, 500);
        orderWindow->close();
        QVERIFY(QSettings().contains(u"orderWindow/geometry"_qs));
        window.reset();
        ui::MainWindow again(fresh->db);
        again.show();
        again.openOrderWindow();
        QVERIFY(again.orderWindow());
        QCOMPARE(again.orderWindow()->size(), QSize(640, 500));
    }

    void bulkTagsAndCsvExport()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        {
            storage::OrderStore seed(fresh->db);
            addOrders(seed, 30);
            SD_VERIFY_OK(seed.apply(storage::OrderChange::update(3,
                                                                 [](domain::Order &o) -> Result<void> {
                                                                     o.notes = u"Zadzwonić; \"pilne\"\nprzed 15"_qs;
                                                                     return {};
                                                                 },
                                                                 {u"test"_qs, {}, 0})));
        }
        ui::MainWindow window(fresh->db);
        window.show();
        auto *view = window.findChild<QTableView *>();
        const auto *model = static_cast<const ui::OrderListModel *>(view->model());
        storage::OrderStore &store = *window.findChild<storage::OrderStore *>();

        auto tagged = window.changeTags({1, 2, 3}, {u"VIP"_qs}, {});
        QCOMPARE(tagged.changed, 3);
        QCOMPARE(store.load(2)->tags, QStringList{u"VIP"_qs});
        auto again = window.changeTags({1, 2, 3}, {u"VIP"_qs}, {});
        QCOMPARE(again.unchanged, 3); // nothing twice
        auto removed = window.changeTags({2}, {}, {u"VIP"_qs});
        QCOMPARE(removed.changed, 1);
        QCOMPARE(store.load(2)->tags, QStringList());
        QCOMPARE(store.history(2)->last().field, u"tags"_qs);
        QList<qint64> all;
        for (qint64 id = 1; id <= 30; ++id)
            all << id;
        QCOMPARE(window.changeTags(all, {u"Wyprzedaż"_qs}, {}).changed, 30); // the progress path

        view->clearSelection();
        for (qint64 id : {1, 3})
            view->selectionModel()->select(view->model()->index(model->rowOf(id), 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"orders.csv"_qs);
        auto exported = window.exportSelection(path);
        QCOMPARE(exported.changed, 2);
        const QByteArray csv = test::readFile(path);
        QVERIFY(csv.startsWith("\xEF\xBB\xBF"));
        const QStringList lines = QString::fromUtf8(csv.mid(3)).split(u"\r\n"_qs, Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(0).startsWith(u"Number;Marketplace;Marketplace number;"));
        QVERIFY(std::any_of(lines.begin(), lines.end(), [](const QString &line) {
            return line.startsWith(u"3;allegro-pl;M-2;") && line.contains(u";112.97;PLN;") &&
                   line.endsWith(u";\"Zadzwonić; \"\"pilne\"\"\nprzed 15\"");
        }));
        QVERIFY(lines.at(1).contains(u"VIP, Wyprzedaż") || lines.at(2).contains(u"VIP, Wyprzedaż"));
        // An export to a place that cannot be written says so and leaves nothing behind.
        auto failed = window.exportSelection(dir.filePath(u"missing/orders.csv"_qs));
        QCOMPARE(failed.changed, 0);
        QVERIFY(!QFile::exists(dir.filePath(u"missing/orders.csv"_qs)));
    }

    void theWindowRunsTheAutomation()
    {
        // A single seller has no headless node: the window runs the rules itself, on its own thread, and a second
        // window on the same SQLite profile says that the first one does.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"profile"_qs);
        auto db = storage::Database::openProfile(path);
        SD_VERIFY_OK(db);
        {
            storage::OrderStore seed(*db);
            addOrders(seed, 3);
            automation::RuleStore rules(*db);
            auto onStatus = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "Shipped tag",
                "trigger": {"type": "status.changed", "params": {"to": "Shipped"}},
                "actions": [{"type": "addTag", "params": {"tag": "rule-saw-it"}}]})");
            SD_VERIFY_OK(onStatus);
            SD_VERIFY_OK(rules.save(*onStatus, u"test"_qs));
            auto manual = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "Gift wrap",
                "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "gift"}}]})");
            SD_VERIFY_OK(manual);
            SD_VERIFY_OK(rules.save(*manual, u"test"_qs));
        }
        auto window = std::make_unique<ui::MainWindow>(*db);
        window->show();
        QCOMPARE(window->automationState(), QString());
        window->startAutomation(path);
        QTRY_COMPARE_WITH_TIMEOUT(window->automationState(), u"running"_qs, 10000);

        storage::OrderStore store(*db);
        QVERIFY(!store.load(2)->tags.contains(u"rule-saw-it"_qs));
        QCOMPARE(window->changeStatus({2}, u"Shipped"_qs, false).changed, 1);
        QTRY_VERIFY_WITH_TIMEOUT(store.load(2)->tags.contains(u"rule-saw-it"_qs), 10000);
        QVERIFY(!store.load(1)->tags.contains(u"rule-saw-it"_qs));

        // "Run rule…" from the window now runs at once, without a CLI or a headless node.
        auto *view = window->findChild<QTableView *>();
        const auto *model = static_cast<const ui::OrderListModel *>(view->model());
        view->setCurrentIndex(view->model()->index(model->rowOf(3), 0));
        QAction *runRule = nullptr;
        for (QAction *action : view->actions())
            if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_R))
                runRule = action;
        QVERIFY(runRule);
        QTimer::singleShot(0, this, [] {
            auto *dialog = qobject_cast<ui::RunRuleDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            for (int row = 0; row < dialog->rules()->count(); ++row)
                if (dialog->rules()->item(row)->text().contains(u"Gift wrap"_qs))
                    dialog->rules()->setCurrentRow(row);
            QTest::keyClick(dialog->rules(), Qt::Key_Return);
        });
        runRule->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(store.load(3)->tags.contains(u"gift"_qs), 10000);

        // A second window on the same profile leaves the rules to the first and says so.
        auto second = storage::Database::openProfile(path);
        SD_VERIFY_OK(second);
        auto other = std::make_unique<ui::MainWindow>(*second);
        other->startAutomation(path);
        QTRY_VERIFY_WITH_TIMEOUT(
            !other->automationState().isEmpty() && other->automationState() != u"Automation: starting…", 10000);
        QCOMPARE(other->automationState(), u"Automation: not running here"_qs);
        other.reset();

        // Closing stops the scheduler cleanly: no job is left running.
        window->close();
        window.reset();
        QSqlQuery q((*db)->connection());
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM jobs WHERE state = 'running'"_qs) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM job_runs WHERE outcome = 'done'"_qs) && q.next());
        QVERIFY(q.value(0).toInt() >= 2);
    }

    void runRuleFromTheListAndTheOrderWindow()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        {
            storage::OrderStore seed(fresh->db);
            addOrders(seed, 5);
            automation::RuleStore rules(fresh->db);
            auto rule = automation::Rule::fromText(R"({"format": "sellerdesk.rule/1", "name": "Gift wrap",
                "trigger": {"type": "manual"}, "actions": [{"type": "addTag", "params": {"tag": "gift"}}]})");
            SD_VERIFY_OK(rule);
            SD_VERIFY_OK(rules.save(*rule, u"test"_qs));
        }
        auto window = std::make_unique<ui::MainWindow>(fresh->db);
        window->show();
        auto *view = window->findChild<QTableView *>();
        const auto *model = static_cast<const ui::OrderListModel *>(view->model());
        view->setCurrentIndex(view->model()->index(model->rowOf(3), 0));
        // In the list's context menu, with Ctrl+R.
        QAction *runRule = nullptr;
        for (QAction *action : view->actions())
            if (action->text() == u"Run rule…")
                runRule = action;
        QVERIFY(runRule);
        QCOMPARE(runRule->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
        auto chooseFirst = [] {
            auto *dialog = qobject_cast<ui::RunRuleDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            QCOMPARE(dialog->rules()->count(), 1);
            QTest::keyClick(dialog->rules(), Qt::Key_Return);
        };
        QTimer::singleShot(0, this, chooseFirst);
        runRule->trigger();
        QVERIFY(window->statusBar()->currentMessage().contains(u"Gift wrap"_qs));
        // And in the order window, on its order.
        view->setCurrentIndex(view->model()->index(model->rowOf(4), 0));
        window->openPage(u"order"_qs);
        QVERIFY(window->orderWindow());
        QAction *inWindow = nullptr;
        for (QAction *action : window->orderWindow()->actions())
            if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_R))
                inWindow = action;
        QVERIFY(inWindow);
        QTimer::singleShot(0, this, chooseFirst);
        inWindow->trigger();
        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"SELECT order_id FROM events WHERE type = 'rule.manual' ORDER BY id"_qs));
        QList<qint64> orders;
        while (q.next())
            orders.append(q.value(0).toLongLong());
        QCOMPARE(orders, (QList<qint64>{3, 4}));
    }

    void everyShortcutIsListed()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::MainWindow window(fresh->db);
        QStringList shortcuts;
        for (const QAction *action : window.actions())
            if (!action->shortcut().isEmpty())
                shortcuts << action->shortcut().toString();
        for (const char *key : {"F1", "F2", "F3", "Shift+F3", "Ctrl+E", "Ctrl+F", "Ctrl+PgDown", "Ctrl+PgUp"})
            QVERIFY2(shortcuts.contains(QString::fromLatin1(key)), key);
    }

    void trainingBannerFollowsTheAccounts()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        sd::training::setActive(false);
        ui::MainWindow window(fresh->db);
        window.show();
        auto *banner = window.findChild<QLabel *>(u"trainingBanner"_qs);
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());
        auto &accounts = window.findChild<ui::ConnectorController *>()->accounts();
        marketplace::MarketplaceAccount account;
        account.name = u"Training"_qs;
        account.environment = marketplace::MarketplaceAccount::Environment::Training;
        account.apiBaseUrl = QUrl(u"http://127.0.0.1:8470"_qs);
        account.clientId = u"sellerdesk-training"_qs;
        auto added = accounts.add(account);
        SD_VERIFY_OK(added);
        // No restart: the banner and the training guard follow the new account.
        QVERIFY(banner->isVisible());
        QVERIFY(sd::training::active());
        SD_VERIFY_OK(accounts.remove(added->id, nullptr));
        QVERIFY(!banner->isVisible());
        QVERIFY(!sd::training::active());
    }

    void statusSettingsKeepEveryOrderWithAStatus()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        {
            storage::OrderStore seed(fresh->db);
            addOrders(seed, 6);
            for (qint64 id : {1, 2, 3})
                SD_VERIFY_OK(seed.apply(storage::OrderChange::setStatus(id, u"To ship"_qs, {u"test"_qs, {}, 0})));
        }
        ui::MainWindow window(fresh->db);
        auto *tabs = window.findChild<ui::StatusTabs *>();
        ui::StatusSettings settings(fresh->db);
        QObject::connect(&settings, &ui::StatusSettings::statusesChanged, &window, &ui::MainWindow::reloadStatuses);
        QCOMPARE(settings.list()->count(), 5);

        QVERIFY(settings.addStatus(u"Czeka na dostawę"_qs, storage::StatusGroup::InProgress));
        QCOMPARE(settings.list()->count(), 6);
        QCOMPARE(settings.list()->currentItem()->text(), u"Czeka na dostawę  ·  In progress"_qs);
        QVERIFY(!settings.addStatus(u"New"_qs, storage::StatusGroup::New));
        QVERIFY(settings.message().contains(u"exists already"));
        QCOMPARE(window.changeStatus({4}, u"Czeka na dostawę"_qs, false).changed, 1);
        QVERIFY(settings.renameCurrent(u"Czeka na towar"_qs));
        // The window forgets the old name: an order cannot be moved to a status that is no longer called so.
        QCOMPARE(window.changeStatus({5}, u"Czeka na dostawę"_qs, false).failed.size(), 1);
        QCOMPARE(window.changeStatus({5}, u"Czeka na towar"_qs, false).changed, 1);
        QVERIFY(settings.recolourCurrent(u"#123456"_qs));
        QVERIFY(!settings.recolourCurrent(u"zielony"_qs));
        QVERIFY(settings.moveCurrent(-1));
        storage::CatalogStore catalog(fresh->db);
        auto list = catalog.statuses();
        QCOMPARE(list->at(4).name, u"Czeka na towar"_qs);
        QCOMPARE(list->at(4).color, u"#123456"_qs);
        QCOMPARE(list->at(5).name, u"Cancelled"_qs);

        // "To ship" holds three orders: they move to "Shipped" first, each with its history row.
        settings.list()->setCurrentRow(1);
        const qint64 shipped = catalog.statusByName(u"Shipped"_qs)->id;
        QVERIFY(settings.removeCurrent(shipped));
        QCOMPARE(catalog.statuses()->size(), 5);
        storage::OrderStore store(fresh->db);
        QCOMPARE(store.load(2)->status, u"Shipped"_qs);
        QCOMPARE(store.history(2)->last().oldValue, u"To ship"_qs);
        QCOMPARE(store.history(2)->last().newValue, u"Shipped"_qs);
        QCOMPARE(store.history(2)->last().actor.startsWith(u"user"), true);
        QVERIFY(!catalog.removeStatus(shipped, shipped, u"test"_qs).ok());

        // The window's tabs follow.
        QCOMPARE(tabs->count(), 6);
        QTRY_COMPARE(tabs->tabText(2), u"Czeka na towar (2)"_qs);
        QTRY_COMPARE(tabs->tabText(3), u"Shipped (3)"_qs);
    }

    void manualOrderIsCheckedAndNothingTypedIsLost()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        ui::OrderEditor editor(store);
        editor.field(u"buyer.email"_qs)->setText(u"anna@@example"_qs);
        editor.field(u"buyer.nip"_qs)->setText(u"1234567890"_qs);
        editor.field(u"buyer.phone"_qs)->setText(u"12"_qs);
        editor.field(u"delivery.address.street"_qs)->setText(u"Długa 5"_qs);
        editor.field(u"delivery.address.postCode"_qs)->setText(u"80831"_qs);
        editor.field(u"delivery.address.city"_qs)->setText(u"Gdańsk"_qs);
        editor.items()->item(0, 0)->setText(u"Czajnik"_qs);
        editor.items()->item(0, 2)->setText(u"5901234123458"_qs); // wrong check digit (7 is right)
        editor.items()->item(0, 4)->setText(u"dwadzieścia"_qs);
        editor.field(u"referrers"_qs)->setText(u"a,b,c,d,e,f,g,h,i,j,k"_qs);
        QVERIFY(!editor.save());
        QCOMPARE(*store.count(), 0);
        QVERIFY(!editor.problem(u"buyer.name"_qs).isEmpty());
        QVERIFY2(editor.problem(u"buyer.email"_qs).contains(u"anna@@example"),
                 qPrintable(editor.problem(u"buyer.email"_qs)));
        QVERIFY(editor.problem(u"buyer.nip"_qs).contains(u"check digit"));
        QVERIFY(!editor.problem(u"buyer.phone"_qs).isEmpty());
        QVERIFY(editor.problem(u"delivery.address"_qs).contains(u"80831"));
        QVERIFY(editor.problem(u"items"_qs).contains(u"Item 1:"));
        QVERIFY(editor.problem(u"items"_qs).contains(u"check digit"));
        QVERIFY(editor.problem(u"items"_qs).contains(u"dwadzieścia"));
        QVERIFY(editor.problem(u"referrers"_qs).contains(u"11"));
        QVERIFY(!editor.generalMessage().isEmpty());
        QCOMPARE(editor.field(u"buyer.email"_qs)->text(), u"anna@@example"_qs); // kept for correcting
        editor.field(u"referrers"_qs)->setText(u"telefon, targi Poznań, telefon"_qs);

        editor.field(u"buyer.firstName"_qs)->setText(u"Anna"_qs);
        editor.field(u"buyer.lastName"_qs)->setText(u"Nowak"_qs);
        editor.field(u"buyer.email"_qs)->setText(u"anna@example.pl"_qs);
        editor.field(u"buyer.nip"_qs)->setText(u"526-025-02-74"_qs);
        editor.field(u"buyer.phone"_qs)->setText(u"600 700 800"_qs);
        editor.field(u"delivery.address.postCode"_qs)->setText(u"80-831"_qs);
        editor.field(u"delivery.cost"_qs)->setText(u"12,99"_qs);
        editor.items()->item(0, 2)->setText(u"5901234123457"_qs);
        editor.items()->item(0, 3)->setText(u"2"_qs);
        editor.items()->item(0, 4)->setText(u"49,50"_qs);
        QVERIFY2(editor.save(), qPrintable(editor.generalMessage() + editor.problem(u"items"_qs)));
        auto saved = store.load(editor.savedOrderId());
        SD_VERIFY_OK(saved);
        QCOMPARE(saved->marketplace, u"manual"_qs);
        QCOMPARE(saved->buyer.displayName(), u"Anna Nowak"_qs);
        QCOMPARE(saved->items.at(0).ean, u"5901234123457"_qs);
        QCOMPARE(saved->total, domain::Money(11199, u"PLN"_qs));
        QCOMPARE(saved->status, u"New"_qs);
        QCOMPARE(saved->referrers, (QStringList{u"telefon"_qs, u"targi Poznań"_qs}));
        QCOMPARE(store.history(saved->id)->at(0).newValue, u"manual order"_qs);

        // Editing: only what changed is recorded.
        ui::OrderEditor edit(store, saved->id);
        QCOMPARE(edit.field(u"buyer.email"_qs)->text(), u"anna@example.pl"_qs);
        QCOMPARE(edit.field(u"referrers"_qs)->text(), u"telefon, targi Poznań"_qs);
        edit.field(u"buyer.phone"_qs)->setText(u"+48 601 000 111"_qs);
        QVERIFY(edit.save());
        auto history = store.history(saved->id);
        QStringList fields;
        for (const auto &entry : *history)
            fields << entry.field;
        QVERIFY(fields.contains(u"buyer.phone"_qs));
        QVERIFY(!fields.contains(u"buyer.email"_qs));
        QCOMPARE(store.load(saved->id)->buyer.phone, u"+48 601 000 111"_qs);
    }

    void menusColumnsAndLanguage()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::MainWindow window(fresh->db);
        QStringList menus;
        for (QAction *action : window.menuBar()->actions())
            menus << action->text();
        QCOMPARE(menus, (QStringList{u"&Orders"_qs, u"&View"_qs, u"&Settings"_qs, u"&Help"_qs}));
        auto *view = window.findChild<QTableView *>();
        QMenu *columns = nullptr;
        for (QMenu *menu : window.findChildren<QMenu *>())
            if (menu->title() == u"Columns")
                columns = menu;
        QVERIFY(columns);
        QCOMPARE(columns->actions().size(), int(ui::OrderListModel::ColumnCount));
        columns->actions().at(ui::OrderListModel::Marketplace)->toggle();
        QVERIFY(view->isColumnHidden(ui::OrderListModel::Marketplace));
        QMenu *language = nullptr;
        for (QMenu *menu : window.findChildren<QMenu *>())
            if (menu->title() == u"Language")
                language = menu;
        QVERIFY(language);
        language->actions().at(1)->trigger(); // Polski
        QCOMPARE(QSettings().value(u"language"_qs).toString(), u"pl"_qs);
        language->actions().at(0)->trigger();
        QCOMPARE(QSettings().value(u"language"_qs).toString(), QString());
    }

    // Settings > Language: the window is built again in the chosen language at once, no restart.
    void languageSwitchBuildsTheWindowAgain()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        QTemporaryDir profile;
        QCOMPARE(sd::installTranslations(*QCoreApplication::instance(), u"en"_qs), u"en"_qs);
        ui::WindowHost host(fresh->db, profile.path());
        host.setAutomation(false);
        host.start();
        QPointer<ui::MainWindow> first = host.window();
        QCOMPARE(first->menuBar()->actions().first()->text(), u"&Orders"_qs);
        QMenu *language = nullptr;
        for (QMenu *menu : first->findChildren<QMenu *>())
            if (menu->title() == u"Language")
                language = menu;
        QVERIFY(language);
        QSignalSpy rebuilt(&host, &ui::WindowHost::windowRebuilt);
        language->actions().at(1)->trigger(); // Polski
        QTRY_COMPARE(rebuilt.size(), 1);
        QVERIFY(first.isNull());
        QVERIFY(host.window()->isVisible());
        QCOMPARE(host.window()->menuBar()->actions().first()->text(), u"&Zamówienia"_qs);
        QCOMPARE(sd::currentLanguage(), u"pl"_qs);
        QSettings().setValue(u"language"_qs, QString());
        QCOMPARE(sd::installTranslations(*QCoreApplication::instance(), u"en"_qs), u"en"_qs);
    }

    void orderViewShowsDetailsAndHistory()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        addOrders(store, 1);
        SD_VERIFY_OK(store.apply(storage::OrderChange::setStatus(1, u"Shipped"_qs, {u"user:ola"_qs, {}, 0})));
        ui::OrderView view(store);
        view.showOrder(1);
        auto *details = view.findChild<QTextBrowser *>();
        QVERIFY(details->toPlainText().contains(u"Wiśniewska"));
        QVERIFY(details->toPlainText().contains(u"Czajnik elektryczny"));
        QVERIFY(details->toPlainText().contains(u"Długa 1"));
        auto *history = view.findChild<QTableWidget *>();
        QCOMPARE(history->rowCount(), 2);
        QCOMPARE(history->item(1, 1)->text(), u"user:ola"_qs);
        QCOMPARE(history->item(1, 2)->text(), u"Status"_qs);
        QCOMPARE(history->item(1, 3)->text(), u"New → Shipped"_qs);
        QCOMPARE(history->item(1, 2)->toolTip(), u"status"_qs); // the technical path, for support
        // Field paths read as a person says them; an unknown path stays as it is.
        QCOMPARE(ui::OrderView::fieldLabel(u"delivery.address.city"_qs), u"Delivery address: city"_qs);
        QCOMPARE(ui::OrderView::fieldLabel(u"delivery.pickupPoint.address.postCode"_qs),
                 u"Pick-up point address: post code"_qs);
        QCOMPARE(ui::OrderView::fieldLabel(u"items[2].quantity"_qs), u"Item 3: quantity"_qs);
        QCOMPARE(ui::OrderView::fieldLabel(u"adjustments[0].amount"_qs), u"Surcharge or discount 1: amount"_qs);
        QCOMPARE(ui::OrderView::fieldLabel(u"payment.status"_qs), u"Payment status"_qs);
        QCOMPARE(ui::OrderView::fieldLabel(u"buyerComment"_qs), u"Buyer's message"_qs);
        QCOMPARE(ui::OrderView::fieldLabel(u"something.new"_qs), u"something.new"_qs);
        QCOMPARE(ui::OrderView::fieldLabel(u"items[1].colour"_qs), u"items[1].colour"_qs);
        // Where it came from, and the sections for what comes later, with a clear empty state.
        const QString text = details->toPlainText();
        QVERIFY(text.contains(u"Source and referrers"));
        QVERIFY(text.contains(u"Allegro.pl"));
        QVERIFY(text.contains(u"none noted"));
        QVERIFY(text.contains(u"No documents yet"));
        QVERIFY(text.contains(u"No shipments yet"));

        // Notes are edited from the window, recorded like every change, and shown at once.
        ui::MainWindow window(fresh->db);
        QVERIFY(window.setNotes(1, u"  Dołożyć gratis  "_qs));
        QCOMPARE(store.load(1)->notes, u"Dołożyć gratis"_qs);
        QCOMPARE(store.history(1)->last().field, u"notes"_qs);
        auto *windowView = window.findChild<ui::OrderView *>();
        QTRY_VERIFY(windowView->findChild<QTextBrowser *>()->toPlainText().contains(u"Dołożyć gratis"));

        // The offers bought link to their pages; the seller's referrers are listed.
        domain::Order withOffer = test::sampleOrder(u"OFFER-1"_qs);
        withOffer.items[0].offerId = u"7712345678"_qs;
        withOffer.referrers = {u"Newsletter"_qs};
        // A parcel the marketplace client recorded, with the carrier's last tracking status.
        withOffer.shipments = {domain::Shipment{u"INPOST"_qs, u"AD-1239134PL"_qs, u"IN_TRANSIT"_qs, {}}};
        auto created = store.apply(storage::OrderChange::create(withOffer, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        view.showOrder(created->orderId);
        QVERIFY(details->toHtml().contains(u"https://allegro.pl/oferta/7712345678"));
        QVERIFY(details->toPlainText().contains(u"Newsletter"));
        QVERIFY(details->toPlainText().contains(u"AD-1239134PL"));
        QVERIFY(details->toPlainText().contains(u"IN_TRANSIT"));
        QVERIFY(!details->toPlainText().contains(u"No shipments yet"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
