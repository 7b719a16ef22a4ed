#pragma once

#include "automation/rule.h"

#include <QTreeWidget>

#include <functional>

class QBoxLayout;
class QKeySequence;

namespace sd::ui {

// The editor's condition tree and action list: a tree that reports a drop as (dragged item, target item, where)
// instead of moving items itself. The editor moves the condition or action in the rule and rebuilds the tree, so a
// drop is one undoable step like any other edit.
//
// It takes drops only of its own items: their data carries a mark naming the tree. The mark, rather than the view's
// InternalMove mode (which asks the platform's drag for the source), lets a test deliver the drag events the
// platform would deliver after the mouse starts a drag, on platforms without a real drag (offscreen).
class RuleTree : public QTreeWidget
{
public:
    enum class Where { On, Above, Below };

    explicit RuleTree(QWidget *parent = nullptr);

    std::function<void(QTreeWidgetItem *dragged, QTreeWidgetItem *target, Where where)> onDrop;

protected:
    QMimeData *mimeData(const QList<QTreeWidgetItem *> &items) const override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    bool isOwnDrag(const QMimeData *data) const;
};

// Addressing the parts of a rule from the trees: a condition by its child indices from the root group, an action
// by its index (and its index in the on-failure branch).
namespace rulepath {

using Path = QList<int>;

constexpr int kPathRole = Qt::UserRole;
constexpr int kJsonPathRole = Qt::UserRole + 1;

automation::Condition *nodeAt(automation::Condition &root, const Path &path);
const automation::Condition *nodeAt(const automation::Condition &root, const Path &path);
bool isGroup(const automation::Condition &c);
// Whether a condition can take one more child: an AND / OR group, or an empty NOT / line item group.
bool accepts(const automation::Condition &c);
bool insideItems(const automation::Condition &root, const Path &path);
QString childJsonPath(const automation::Condition &parent, const QString &parentPath, int index);
QVariantList toVariant(const Path &path);
Path fromVariant(const QVariant &value);
automation::Action *actionAt(automation::Rule &rule, int index, int failure);

} // namespace rulepath

// A tool button for an action with a shortcut that works while `shortcutScope` (or a child) has the focus.
QAction *addShortcutButton(QBoxLayout *layout, QWidget *shortcutScope, const QString &text, const QKeySequence &key,
                           std::function<void()> run);

} // namespace sd::ui
