#pragma once

#include "storage/orderstore.h"

#include <QWidget>

namespace sd::ui {

class OrderView;

// One order in a window of its own (Enter or a double click in the list): the same OrderView as beside the
// list, with next/previous (Ctrl+PgDown / Ctrl+PgUp) through the list it was opened from. The main window
// moves the list and tells it which order to show; it refreshes when orders change in the background. Its
// geometry is remembered per workstation.
class OrderWindow : public QWidget
{
    Q_OBJECT

public:
    explicit OrderWindow(storage::OrderStore &store, QWidget *parent = nullptr);

    void showOrder(qint64 orderId);
    qint64 orderId() const;
    void refresh();
    OrderView *view() const { return m_view; }

Q_SIGNALS:
    // Next (+1) or previous (-1) order of the list.
    void stepRequested(int direction);

protected:
    void closeEvent(QCloseEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void saveGeometrySetting() const;

    OrderView *m_view = nullptr;
};

} // namespace sd::ui
