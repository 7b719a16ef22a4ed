#include "ruletree.h"

#include <QAction>
#include <QBoxLayout>
#include <QDropEvent>
#include <QMimeData>
#include <QToolButton>

namespace sd::ui {

using automation::Action;
using automation::Condition;

RuleTree::RuleTree(QWidget *parent)
    : QTreeWidget(parent)
{
    setHeaderHidden(true);
    setDragEnabled(true);
    setAcceptDrops(true);
    setDropIndicatorShown(true);
    setDragDropMode(QAbstractItemView::DragDrop);
    setDefaultDropAction(Qt::MoveAction);
    setSelectionMode(QAbstractItemView::SingleSelection);
}

namespace {

constexpr char kOwnerFormat[] = "application/x-sellerdesk-rule-tree";

} // namespace

QMimeData *RuleTree::mimeData(const QList<QTreeWidgetItem *> &items) const
{
    QMimeData *data = QTreeWidget::mimeData(items);
    if (data)
        data->setData(QString::fromLatin1(kOwnerFormat), QByteArray::number(quintptr(this)));
    return data;
}

bool RuleTree::isOwnDrag(const QMimeData *data) const
{
    return data && data->data(QString::fromLatin1(kOwnerFormat)) == QByteArray::number(quintptr(this));
}

void RuleTree::dragEnterEvent(QDragEnterEvent *event)
{
    if (!isOwnDrag(event->mimeData())) {
        event->ignore();
        return;
    }
    QTreeWidget::dragEnterEvent(event);
}

void RuleTree::dragMoveEvent(QDragMoveEvent *event)
{
    if (!isOwnDrag(event->mimeData())) {
        event->ignore();
        return;
    }
    QTreeWidget::dragMoveEvent(event);
}

void RuleTree::dropEvent(QDropEvent *event)
{
    if (!isOwnDrag(event->mimeData())) {
        event->ignore();
        return;
    }
    QTreeWidgetItem *dragged = currentItem();
    QTreeWidgetItem *target = itemAt(event->position().toPoint());
    const Where where = dropIndicatorPosition() == OnItem      ? Where::On
                        : dropIndicatorPosition() == AboveItem ? Where::Above
                                                               : Where::Below;
    event->setDropAction(Qt::IgnoreAction);
    event->accept();
    // What the view's own drop would do besides moving rows: the drag is over, its indicator goes.
    stopAutoScroll();
    setState(NoState);
    viewport()->update();
    if (onDrop && dragged)
        onDrop(dragged, target, where);
}

namespace rulepath {

Condition *nodeAt(Condition &root, const Path &path)
{
    Condition *node = &root;
    for (int i : path) {
        if (i < 0 || i >= node->children.size())
            return nullptr;
        node = &node->children[i];
    }
    return node;
}

const Condition *nodeAt(const Condition &root, const Path &path)
{
    return nodeAt(const_cast<Condition &>(root), path);
}

bool isGroup(const Condition &c)
{
    return c.kind == Condition::Kind::All || c.kind == Condition::Kind::Any;
}

bool accepts(const Condition &c)
{
    return isGroup(c) || ((c.kind == Condition::Kind::Not || c.kind == Condition::Kind::Items) && c.children.isEmpty());
}

bool insideItems(const Condition &root, const Path &path)
{
    const Condition *node = &root;
    for (int i : path) {
        if (node->kind == Condition::Kind::Items)
            return true;
        node = &node->children.at(i);
    }
    return node->kind == Condition::Kind::Items;
}

QString childJsonPath(const Condition &parent, const QString &parentPath, int index)
{
    switch (parent.kind) {
    case Condition::Kind::All:
        return u"%1.all[%2]"_qs.arg(parentPath).arg(index);
    case Condition::Kind::Any:
        return u"%1.any[%2]"_qs.arg(parentPath).arg(index);
    case Condition::Kind::Not:
        return parentPath + u".not"_qs;
    case Condition::Kind::Items:
        return parentPath + u".where"_qs;
    case Condition::Kind::Test:
        break;
    }
    return parentPath;
}

QVariantList toVariant(const Path &path)
{
    QVariantList list;
    for (int i : path)
        list.append(i);
    return list;
}

Path fromVariant(const QVariant &value)
{
    Path path;
    for (const QVariant &v : value.toList())
        path.append(v.toInt());
    return path;
}

Action *actionAt(automation::Rule &rule, int index, int failure)
{
    if (index < 0 || index >= rule.actions.size())
        return nullptr;
    Action &a = rule.actions[index];
    if (failure < 0)
        return &a;
    return failure < a.onFailure.size() ? &a.onFailure[failure] : nullptr;
}

} // namespace rulepath

QAction *addShortcutButton(QBoxLayout *layout, QWidget *shortcutScope, const QString &text, const QKeySequence &key,
                           std::function<void()> run)
{
    auto *action = new QAction(text, shortcutScope);
    if (!key.isEmpty()) {
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(text + u" (" + key.toString(QKeySequence::NativeText) + u')');
    }
    shortcutScope->addAction(action);
    QObject::connect(action, &QAction::triggered, shortcutScope, std::move(run));
    auto *button = new QToolButton(shortcutScope->parentWidget());
    button->setDefaultAction(action);
    layout->addWidget(button);
    return action;
}

} // namespace sd::ui
