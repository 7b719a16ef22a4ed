#include "orderwindow.h"

#include "orderview.h"

#include <QAction>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QVBoxLayout>

namespace sd::ui {

OrderWindow::OrderWindow(storage::OrderStore &store, QWidget *parent)
    : QWidget(parent, Qt::Window)
{
    setObjectName(u"orderWindow"_qs);
    auto *layout = new QVBoxLayout(this);
    auto *buttons = new QHBoxLayout;
    auto *previousButton = new QPushButton(tr("◀ Previous"), this);
    previousButton->setToolTip(tr("Previous order (Ctrl+PgUp)"));
    auto *nextButton = new QPushButton(tr("Next ▶"), this);
    nextButton->setToolTip(tr("Next order (Ctrl+PgDown)"));
    buttons->addWidget(previousButton);
    buttons->addWidget(nextButton);
    buttons->addStretch();
    m_view = new OrderView(store, this);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);

    auto *next = new QAction(tr("Next order"), this);
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    connect(next, &QAction::triggered, this, [this] { Q_EMIT stepRequested(+1); });
    auto *previous = new QAction(tr("Previous order"), this);
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    connect(previous, &QAction::triggered, this, [this] { Q_EMIT stepRequested(-1); });
    auto *close = new QAction(tr("Close"), this);
    close->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence::Close});
    connect(close, &QAction::triggered, this, &QWidget::close);
    addActions({next, previous, close});
    connect(nextButton, &QPushButton::clicked, next, &QAction::trigger);
    connect(previousButton, &QPushButton::clicked, previous, &QAction::trigger);

    resize(720, 700);
    const QSettings settings;
    if (settings.contains(u"orderWindow/geometry"))
        restoreGeometry(settings.value(u"orderWindow/geometry"_qs).toByteArray());
    m_view->tabs()->setCurrentIndex(settings.value(u"orderWindow/tab"_qs, 0).toInt());
}

void OrderWindow::showOrder(qint64 orderId)
{
    m_view->showOrder(orderId);
    setWindowTitle(tr("Order %1 — SellerDesk").arg(orderId));
}

qint64 OrderWindow::orderId() const
{
    return m_view->orderId();
}

void OrderWindow::refresh()
{
    if (isVisible())
        m_view->refresh();
}

void OrderWindow::saveGeometrySetting() const
{
    QSettings settings;
    settings.setValue(u"orderWindow/geometry"_qs, saveGeometry());
    settings.setValue(u"orderWindow/tab"_qs, m_view->tabs()->currentIndex());
}

void OrderWindow::closeEvent(QCloseEvent *event)
{
    saveGeometrySetting();
    QWidget::closeEvent(event);
}

void OrderWindow::hideEvent(QHideEvent *event)
{
    saveGeometrySetting(); // also when the main window closes and takes this one with it
    QWidget::hideEvent(event);
}

} // namespace sd::ui
