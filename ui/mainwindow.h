#pragma once

#include "storage/orderstore.h"

#include <QMainWindow>

class QLabel;
class QTableView;

namespace sd::ui {

class OrderListModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);
    ~MainWindow() override;

private:
    void reload();

    std::shared_ptr<storage::Database> m_db;
    storage::OrderStore *m_store = nullptr;
    OrderListModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
