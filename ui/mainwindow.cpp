#include "mainwindow.h"

#include "orderlistmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace sd::ui {

MainWindow::MainWindow(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QMainWindow(parent)
    , m_db(std::move(db))
    , m_store(new storage::OrderStore(m_db, this))
{
    setWindowTitle(tr("SellerDesk — %1").arg(m_db->describe()));
    m_model = new OrderListModel(*m_store, this);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_message = new QLabel(central);
    m_message->setWordWrap(true);
    m_message->hide();
    m_view = new QTableView(central);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_message);
    layout->addWidget(m_view);
    setCentralWidget(central);

    connect(m_store, &storage::OrderStore::ordersChanged, this, &MainWindow::reload);
    reload();
    m_view->resizeColumnsToContents();
    m_view->setColumnWidth(OrderListModel::Buyer, qMin(m_view->columnWidth(OrderListModel::Buyer), 340));
    resize(1280, 760);
}

MainWindow::~MainWindow() = default;

void MainWindow::reload()
{
    if (auto r = m_model->reload(); !r) {
        m_message->setText(r.error().userMessage);
        m_message->show();
        return;
    }
    m_message->hide();
    statusBar()->showMessage(tr("%n order(s) shown", nullptr, m_model->rowCount()));
}

} // namespace sd::ui
