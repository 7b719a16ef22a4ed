#include "ruleeditor.h"

#include "automation/catalog.h"
#include "durationpicker.h"
#include "ruleformfactory.h"
#include "ruletext.h"
#include "ruletree.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScopedValueRollback>
#include <QTimer>
#include <QVBoxLayout>

// The editor's "Then" part: the ordered actions, their on-failure branches and the form of the chosen action.
namespace sd::ui {

using automation::Action;
using automation::Catalog;
using automation::Rule;
using namespace rulepath;

QWidget *RuleEditor::buildActionBox(QWidget *page)
{
    auto *thenBox = new QGroupBox(tr("Then"), page);
    auto *thenLayout = new QVBoxLayout(thenBox);
    auto *actionTree = new RuleTree(thenBox);
    m_actions = actionTree;
    m_actions->setAccessibleName(tr("Actions"));
    m_newAction = new QComboBox(thenBox);
    for (const automation::ActionDef &a : Catalog::instance().actions())
        m_newAction->addItem(a.configured ? Catalog::label(a.label)
                                          : tr("%1 (not configured yet)").arg(Catalog::label(a.label)),
                             QString::fromLatin1(a.key));
    m_newAction->setAccessibleName(tr("Action to add"));
    // Long action names (in Polish especially) must not make the whole editor wider than the screen.
    m_newAction->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_newAction->setMinimumContentsLength(18);
    auto *actionButtons = new QHBoxLayout;
    actionButtons->addWidget(m_newAction, 1);
    addShortcutButton(actionButtons, m_actions, tr("+ Action"), QKeySequence(Qt::Key_Insert),
                      [this] { addAction(m_newAction->currentData().toString()); });
    addShortcutButton(actionButtons, m_actions, tr("+ If it fails"), QKeySequence(Qt::SHIFT | Qt::Key_Insert), [this] {
        const ActionPath at = currentAction();
        if (at.index >= 0)
            addAction(m_newAction->currentData().toString(), at.index);
    });
    addShortcutButton(actionButtons, m_actions, tr("Up"), QKeySequence(Qt::ALT | Qt::Key_Up),
                      [this] { moveAction(currentAction(), -1); });
    addShortcutButton(actionButtons, m_actions, tr("Down"), QKeySequence(Qt::ALT | Qt::Key_Down),
                      [this] { moveAction(currentAction(), +1); });
    addShortcutButton(actionButtons, m_actions, tr("Remove"), QKeySequence(Qt::Key_Delete),
                      [this] { removeAction(currentAction()); });
    m_actionForm = new QWidget(thenBox);
    new QVBoxLayout(m_actionForm);
    m_actionForm->layout()->setContentsMargins(0, 0, 0, 0);
    thenLayout->addLayout(actionButtons);
    thenLayout->addWidget(m_actions, 1);
    thenLayout->addWidget(m_actionForm);
    connect(m_actions, &QTreeWidget::currentItemChanged, this, [this] {
        if (!m_applying)
            rebuildActionForm();
    });
    actionTree->onDrop = [this](QTreeWidgetItem *dragged, QTreeWidgetItem *target, RuleTree::Where where) {
        const ActionPath from{dragged->data(0, kPathRole).toList().value(0).toInt(),
                              dragged->data(0, kPathRole).toList().value(1).toInt()};
        if (!target)
            return;
        const ActionPath to{target->data(0, kPathRole).toList().value(0).toInt(),
                            target->data(0, kPathRole).toList().value(1).toInt()};
        if (from.failure != to.failure || (from.failure >= 0 && from.index != to.index))
            return; // actions move within their own list
        const int fromRow = from.failure >= 0 ? from.failure : from.index;
        int toRow = to.failure >= 0 ? to.failure : to.index;
        if (where == RuleTree::Where::Below && toRow < fromRow)
            ++toRow;
        else if (where == RuleTree::Where::Above && toRow > fromRow)
            --toRow;
        QTimer::singleShot(0, this, [this, from, delta = toRow - fromRow] { moveAction(from, delta); });
    };
    return thenBox;
}

RuleEditor::ActionPath RuleEditor::addAction(const QString &type, int failureOf)
{
    Rule next = m_rule;
    Action action;
    action.type = type;
    ActionPath path;
    if (failureOf >= 0) {
        if (failureOf >= next.actions.size())
            return {};
        next.actions[failureOf].onFailure.append(action);
        path = {failureOf, int(next.actions.at(failureOf).onFailure.size() - 1)};
    } else {
        next.actions.append(action);
        path = {int(next.actions.size() - 1), -1};
    }
    m_wantAction = path;
    change(next, tr("Add an action"));
    return path;
}

void RuleEditor::setActionParam(const ActionPath &path, const QString &key, const QJsonValue &value)
{
    Rule next = m_rule;
    Action *a = actionAt(next, path.index, path.failure);
    if (!a)
        return;
    if (value.isUndefined() || value.isNull())
        a->params.remove(key);
    else
        a->params.insert(key, value);
    m_wantAction = path;
    change(next, tr("Change an action"), u"action:%1:%2:%3"_qs.arg(path.index).arg(path.failure).arg(key));
}

void RuleEditor::setActionDelay(const ActionPath &path, int minutes)
{
    Rule next = m_rule;
    Action *a = actionAt(next, path.index, path.failure);
    if (!a)
        return;
    a->delayMinutes = qMax(0, minutes);
    m_wantAction = path;
    change(next, tr("Change a delay"), u"delay:%1:%2"_qs.arg(path.index).arg(path.failure));
}

void RuleEditor::setStopOnFailure(int index, bool stop)
{
    Rule next = m_rule;
    Action *a = actionAt(next, index, -1);
    if (!a)
        return;
    a->stopOnFailure = stop;
    m_wantAction = {index, -1};
    change(next, tr("Change what a failure does"));
}

bool RuleEditor::removeAction(const ActionPath &path)
{
    Rule next = m_rule;
    if (!actionAt(next, path.index, path.failure))
        return false;
    if (path.failure >= 0) {
        auto &list = next.actions[path.index].onFailure;
        list.removeAt(path.failure);
        m_wantAction = list.isEmpty() ? ActionPath{path.index, -1}
                                      : ActionPath{path.index, qMin(path.failure, int(list.size() - 1))};
    } else {
        next.actions.removeAt(path.index);
        m_wantAction = {qMin(path.index, int(next.actions.size() - 1)), -1};
    }
    change(next, tr("Remove an action"));
    return true;
}

bool RuleEditor::moveAction(const ActionPath &path, int delta)
{
    Rule next = m_rule;
    if (!actionAt(next, path.index, path.failure) || delta == 0)
        return false;
    auto &list = path.failure >= 0 ? next.actions[path.index].onFailure : next.actions;
    const int from = path.failure >= 0 ? path.failure : path.index;
    const int to = from + delta;
    if (to < 0 || to >= list.size())
        return false;
    list.move(from, to);
    m_wantAction = path.failure >= 0 ? ActionPath{path.index, to} : ActionPath{to, -1};
    change(next, tr("Move an action"));
    return true;
}

void RuleEditor::selectAction(const ActionPath &path)
{
    for (QTreeWidgetItemIterator it(m_actions); *it; ++it) {
        const QVariantList p = (*it)->data(0, kPathRole).toList();
        if (p.value(0).toInt() == path.index && p.value(1).toInt() == path.failure) {
            m_actions->setCurrentItem(*it);
            return;
        }
    }
}

RuleEditor::ActionPath RuleEditor::currentAction() const
{
    QTreeWidgetItem *item = m_actions->currentItem();
    if (!item)
        return {};
    const QVariantList p = item->data(0, kPathRole).toList();
    return {p.value(0).toInt(), p.value(1).toInt()};
}

void RuleEditor::rebuildActions()
{
    const QSignalBlocker block(m_actions);
    const ActionPath keep = m_wantAction.value_or(currentAction());
    m_wantAction.reset();
    m_actions->clear();
    for (int i = 0; i < m_rule.actions.size(); ++i) {
        const Action &a = m_rule.actions.at(i);
        auto *item = new QTreeWidgetItem(m_actions, {u"%1. "_qs.arg(i + 1) + ruletext::action(a)});
        item->setData(0, kPathRole, QVariantList{i, -1});
        item->setData(0, kJsonPathRole, u"actions[%1]"_qs.arg(i));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemIsDropEnabled);
        for (int f = 0; f < a.onFailure.size(); ++f) {
            auto *child = new QTreeWidgetItem(item, {tr("if it fails: %1").arg(ruletext::action(a.onFailure.at(f)))});
            child->setData(0, kPathRole, QVariantList{i, f});
            child->setData(0, kJsonPathRole, u"actions[%1].onFailure[%2]"_qs.arg(i).arg(f));
            child->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        }
    }
    m_actions->expandAll();
    selectAction(keep);
    if (!m_actions->currentItem() && m_actions->topLevelItemCount() > 0)
        m_actions->setCurrentItem(m_actions->topLevelItem(0));
}

void RuleEditor::rebuildActionForm()
{
    RuleFormFactory::clear(m_actionForm);
    const ActionPath path = currentAction();
    Rule copy = m_rule;
    const Action *action = actionAt(copy, path.index, path.failure);
    if (!action || !m_actions->currentItem())
        return;
    const automation::ActionDef *def = Catalog::instance().action(action->type);
    if (!def)
        return;
    const QString place = m_actions->currentItem()->data(0, kJsonPathRole).toString();
    auto *form = new QWidget(m_actionForm);
    auto *layout = new QFormLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(u"<b>" + Catalog::label(def->label).toHtmlEscaped() + u"</b>" +
                                 (def->configured ? QString()
                                                  : u"<br><span style='color:#8a6d00'>" +
                                                        tr("Not configured yet: the trace says so until its feature "
                                                           "is set up.")
                                                            .toHtmlEscaped() +
                                                        u"</span>"),
                             form);
    title->setWordWrap(true);
    layout->addRow(title);
    for (const automation::ParamDef &p : def->params) {
        const QString key = QString::fromLatin1(p.key);
        QWidget *editor = m_forms->paramEditor(
            p, action->params.value(key),
            [this, path, key](const QJsonValue &v) {
                QScopedValueRollback keep(m_keepForms, true);
                setActionParam(path, key, v);
            },
            form, place + u".params."_qs + key);
        layout->addRow(Catalog::label(p.label) + u':', editor);
    }
    QWidget *delay = m_forms->durationPicker(
        1, 0, RuleFormFactory::kMaxDelayMinutes, action->delayMinutes,
        [this, path](int minutes) {
            QScopedValueRollback keep(m_keepForms, true);
            setActionDelay(path, minutes);
        },
        form, place + u".delayMinutes"_qs);
    delay->setAccessibleName(tr("Delay"));
    layout->addRow(tr("Delay:"), delay);
    if (path.failure < 0) {
        auto *stop = new QCheckBox(tr("Stop the rule if this action fails"), form);
        stop->setChecked(action->stopOnFailure);
        connect(stop, &QCheckBox::toggled, this, [this, path](bool on) {
            QScopedValueRollback keep(m_keepForms, true);
            setStopOnFailure(path.index, on);
        });
        layout->addRow(stop);
    }
    m_actionForm->layout()->addWidget(form);
}

} // namespace sd::ui
