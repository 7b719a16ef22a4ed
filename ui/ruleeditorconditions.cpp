#include "ruleeditor.h"

#include "automation/catalog.h"
#include "ruleformfactory.h"
#include "ruletext.h"
#include "ruletree.h"

#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScopedValueRollback>
#include <QTimer>
#include <QVBoxLayout>

// The editor's "If" part: the condition tree, its operations and the form of the chosen condition.
namespace sd::ui {

using automation::Catalog;
using automation::Condition;
using automation::Rule;
using namespace rulepath;

QWidget *RuleEditor::buildConditionBox(QWidget *page)
{
    auto *ifBox = new QGroupBox(tr("If"), page);
    auto *ifLayout = new QVBoxLayout(ifBox);
    auto *conditionTree = new RuleTree(ifBox);
    m_conditions = conditionTree;
    m_conditions->setAccessibleName(tr("Conditions"));
    auto *conditionButtons = new QHBoxLayout;
    addShortcutButton(conditionButtons, m_conditions, tr("+ Condition"), QKeySequence(Qt::Key_Insert),
                      [this] { addConditionOfKind(Condition::Kind::Test); });
    addShortcutButton(conditionButtons, m_conditions, tr("+ AND"), QKeySequence(Qt::CTRL | Qt::Key_1),
                      [this] { addConditionOfKind(Condition::Kind::All); });
    addShortcutButton(conditionButtons, m_conditions, tr("+ OR"), QKeySequence(Qt::CTRL | Qt::Key_2),
                      [this] { addConditionOfKind(Condition::Kind::Any); });
    addShortcutButton(conditionButtons, m_conditions, tr("+ NOT"), QKeySequence(Qt::CTRL | Qt::Key_3),
                      [this] { addConditionOfKind(Condition::Kind::Not); });
    addShortcutButton(conditionButtons, m_conditions, tr("+ Line items"), QKeySequence(Qt::CTRL | Qt::Key_4),
                      [this] { addConditionOfKind(Condition::Kind::Items); });
    conditionButtons->addStretch();
    addShortcutButton(conditionButtons, m_conditions, tr("Up"), QKeySequence(Qt::ALT | Qt::Key_Up),
                      [this] { moveCondition(currentCondition(), -1); });
    addShortcutButton(conditionButtons, m_conditions, tr("Down"), QKeySequence(Qt::ALT | Qt::Key_Down),
                      [this] { moveCondition(currentCondition(), +1); });
    addShortcutButton(conditionButtons, m_conditions, tr("Remove"), QKeySequence(Qt::Key_Delete),
                      [this] { removeCondition(currentCondition()); });
    m_conditionForm = new QWidget(ifBox);
    new QVBoxLayout(m_conditionForm);
    m_conditionForm->layout()->setContentsMargins(0, 0, 0, 0);
    ifLayout->addLayout(conditionButtons);
    ifLayout->addWidget(m_conditions, 1);
    ifLayout->addWidget(m_conditionForm);
    connect(m_conditions, &QTreeWidget::currentItemChanged, this, [this] {
        if (!m_applying)
            rebuildConditionForm();
    });
    conditionTree->onDrop = [this](QTreeWidgetItem *dragged, QTreeWidgetItem *target, RuleTree::Where where) {
        const Path from = fromVariant(dragged->data(0, kPathRole));
        Path group;
        int row = -1;
        if (target) {
            const Path at = fromVariant(target->data(0, kPathRole));
            const Condition *node = nodeAt(m_rule.conditions, at);
            if (where == RuleTree::Where::On && node && accepts(*node)) {
                group = at;
                row = int(node->children.size());
            } else if (!at.isEmpty()) {
                group = at.mid(0, at.size() - 1);
                row = at.constLast() + (where == RuleTree::Where::Above ? 0 : 1);
            }
        } else {
            row = int(m_rule.conditions.children.size());
        }
        QTimer::singleShot(0, this, [this, from, group, row] { moveConditionTo(from, group, row); });
    };

    return ifBox;
}

std::optional<RuleEditor::Path> RuleEditor::addCondition(const Path &group, const Condition &condition)
{
    Rule next = m_rule;
    Condition *parent = nodeAt(next.conditions, group);
    if (!parent || !accepts(*parent))
        return std::nullopt;
    parent->children.append(condition);
    Path path = group;
    path.append(int(parent->children.size() - 1));
    m_wantCondition = path;
    change(next, tr("Add a condition"));
    return path;
}

void RuleEditor::setCondition(const Path &path, const Condition &condition)
{
    Rule next = m_rule;
    Condition *node = nodeAt(next.conditions, path);
    if (!node)
        return;
    *node = condition;
    m_wantCondition = path;
    change(next, tr("Change a condition"), m_keepForms ? u"condition:" + QString::number(qHash(path)) : QString());
}

void RuleEditor::setRootKind(Condition::Kind kind)
{
    Condition root = m_rule.conditions;
    root.kind = kind;
    setCondition({}, root);
}

bool RuleEditor::removeCondition(const Path &path)
{
    if (path.isEmpty())
        return false;
    Rule next = m_rule;
    Condition *parent = nodeAt(next.conditions, path.mid(0, path.size() - 1));
    if (!parent || path.constLast() >= parent->children.size())
        return false;
    parent->children.removeAt(path.constLast());
    Path select = path.mid(0, path.size() - 1);
    if (!parent->children.isEmpty())
        select.append(qMin(path.constLast(), int(parent->children.size() - 1)));
    m_wantCondition = select;
    change(next, tr("Remove a condition"));
    return true;
}

bool RuleEditor::moveCondition(const Path &path, int delta)
{
    if (path.isEmpty())
        return false;
    Rule next = m_rule;
    Condition *parent = nodeAt(next.conditions, path.mid(0, path.size() - 1));
    const int from = path.constLast();
    const int to = from + delta;
    if (!parent || !isGroup(*parent) || from >= parent->children.size() || to < 0 || to >= parent->children.size())
        return false;
    parent->children.move(from, to);
    Path select = path;
    select.last() = to;
    m_wantCondition = select;
    change(next, tr("Move a condition"));
    return true;
}

bool RuleEditor::moveConditionTo(const Path &from, const Path &toGroup, int row)
{
    if (from.isEmpty() || (toGroup.size() >= from.size() && toGroup.mid(0, from.size()) == from))
        return false; // not into itself
    Rule next = m_rule;
    const Path fromParent = from.mid(0, from.size() - 1);
    Condition *source = nodeAt(next.conditions, fromParent);
    if (!source || from.constLast() >= source->children.size())
        return false;
    const Condition moved = source->children.takeAt(from.constLast());
    Path target = toGroup;
    // Removing the node shifts its later siblings (and what lies under them) up by one.
    if (target.size() > fromParent.size() && target.mid(0, fromParent.size()) == fromParent &&
        target.at(fromParent.size()) > from.constLast())
        --target[fromParent.size()];
    if (target == fromParent && row > from.constLast())
        --row;
    Condition *group = nodeAt(next.conditions, target);
    if (!group || !accepts(*group))
        return false;
    row = qBound(0, row, int(group->children.size()));
    group->children.insert(row, moved);
    target.append(row);
    m_wantCondition = target;
    change(next, tr("Move a condition"));
    return true;
}

void RuleEditor::selectCondition(const Path &path)
{
    for (QTreeWidgetItemIterator it(m_conditions); *it; ++it)
        if (fromVariant((*it)->data(0, kPathRole)) == path) {
            m_conditions->setCurrentItem(*it);
            return;
        }
}

RuleEditor::Path RuleEditor::currentCondition() const
{
    QTreeWidgetItem *item = m_conditions->currentItem();
    return item ? fromVariant(item->data(0, kPathRole)) : Path();
}

RuleEditor::Path RuleEditor::groupForNew() const
{
    Path path = currentCondition();
    while (true) {
        const Condition *node = nodeAt(m_rule.conditions, path);
        if (node && accepts(*node))
            return path;
        if (path.isEmpty())
            return {};
        path.removeLast();
    }
}

void RuleEditor::addConditionOfKind(Condition::Kind kind)
{
    const Path group = groupForNew();
    Condition c;
    c.kind = kind;
    if (kind == Condition::Kind::Test) {
        const bool items = insideItems(m_rule.conditions, group);
        const automation::FieldDef *field = nullptr;
        for (const automation::FieldDef &f : Catalog::instance().fields())
            if (f.lineItem == items) {
                field = &f;
                break;
            }
        if (!items)
            field = &Catalog::instance().field(automation::FieldId::PaymentStatus);
        const automation::OperatorDef *op = nullptr;
        for (const automation::OperatorDef &o : Catalog::instance().operators())
            if (o.types.contains(field->type)) {
                op = &o;
                break;
            }
        c.field = QString::fromLatin1(field->key);
        c.op = QString::fromLatin1(op->key);
        c.values = m_forms->defaultValues(*field, *op);
    }
    addCondition(group, c);
}

void RuleEditor::rebuildConditions()
{
    const QSignalBlocker block(m_conditions);
    Path keep = m_wantCondition.value_or(currentCondition());
    m_wantCondition.reset();
    m_conditions->clear();
    std::function<void(QTreeWidgetItem *, const Condition &, const Path &, const QString &)> add =
        [&](QTreeWidgetItem *item, const Condition &c, const Path &path, const QString &jsonPath) {
            item->setText(0, ruletext::condition(c));
            item->setData(0, kPathRole, toVariant(path));
            item->setData(0, kJsonPathRole, jsonPath);
            Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
            if (!path.isEmpty())
                flags |= Qt::ItemIsDragEnabled;
            if (accepts(c))
                flags |= Qt::ItemIsDropEnabled;
            item->setFlags(flags);
            if (c.kind != Condition::Kind::Test) {
                QFont font = item->font(0);
                font.setBold(true);
                item->setFont(0, font);
            }
            for (int i = 0; i < c.children.size(); ++i) {
                Path child = path;
                child.append(i);
                add(new QTreeWidgetItem(item), c.children.at(i), child, childJsonPath(c, jsonPath, i));
            }
        };
    add(new QTreeWidgetItem(m_conditions), m_rule.conditions, {}, u"conditions"_qs);
    m_conditions->expandAll();
    while (!nodeAt(m_rule.conditions, keep))
        keep.removeLast();
    selectCondition(keep);
}

void RuleEditor::rebuildConditionForm()
{
    RuleFormFactory::clear(m_conditionForm);
    const Path path = currentCondition();
    const Condition *node = nodeAt(m_rule.conditions, path);
    if (!node || !m_conditions->currentItem())
        return;
    auto *form = new QWidget(m_conditionForm);
    auto *layout = new QHBoxLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    const Condition c = *node;
    if (isGroup(c)) {
        auto *kind = new QComboBox(form);
        kind->addItem(tr("All of these hold (AND)"), int(Condition::Kind::All));
        kind->addItem(tr("Any of these holds (OR)"), int(Condition::Kind::Any));
        kind->setCurrentIndex(c.kind == Condition::Kind::All ? 0 : 1);
        kind->setAccessibleName(tr("Group kind"));
        connect(kind, &QComboBox::activated, this, [this, kind, path, c] {
            Condition changed = c;
            changed.kind = Condition::Kind(kind->currentData().toInt());
            setCondition(path, changed);
        });
        layout->addWidget(new QLabel(tr("Group:"), form));
        layout->addWidget(kind);
    } else if (c.kind == Condition::Kind::Not) {
        layout->addWidget(new QLabel(tr("The condition inside must not hold."), form));
    } else if (c.kind == Condition::Kind::Items) {
        auto *quantifier = new QComboBox(form);
        quantifier->addItem(tr("At least one line item"), int(Condition::Quantifier::Any));
        quantifier->addItem(tr("Every line item"), int(Condition::Quantifier::All));
        quantifier->addItem(tr("No line item"), int(Condition::Quantifier::None));
        quantifier->setCurrentIndex(quantifier->findData(int(c.quantifier)));
        connect(quantifier, &QComboBox::activated, this, [this, quantifier, path, c] {
            Condition changed = c;
            changed.quantifier = Condition::Quantifier(quantifier->currentData().toInt());
            setCondition(path, changed);
        });
        layout->addWidget(quantifier);
        layout->addWidget(new QLabel(tr("matches the condition inside."), form));
    } else {
        const bool items = insideItems(m_rule.conditions, path.mid(0, path.size() - 1));
        const Catalog &catalog = Catalog::instance();
        auto *field = new QComboBox(form);
        field->setAccessibleName(tr("Field"));
        for (const automation::FieldDef &f : catalog.fields())
            if (f.lineItem == items)
                field->addItem(Catalog::label(f.label), QString::fromLatin1(f.key));
        field->setCurrentIndex(field->findData(c.field));
        const automation::FieldDef *def = catalog.field(c.field);
        auto *op = new QComboBox(form);
        op->setAccessibleName(tr("Operator"));
        if (def)
            for (const automation::OperatorDef &o : catalog.operators())
                if (o.types.contains(def->type))
                    op->addItem(Catalog::label(o.label), QString::fromLatin1(o.key));
        op->setCurrentIndex(op->findData(c.op));
        connect(field, &QComboBox::activated, this, [this, field, path, c] {
            const automation::FieldDef *f = Catalog::instance().field(field->currentData().toString());
            if (!f)
                return;
            Condition changed = c;
            changed.field = QString::fromLatin1(f->key);
            const automation::OperatorDef *current = Catalog::instance().op(c.op);
            if (!current || !current->types.contains(f->type)) {
                for (const automation::OperatorDef &o : Catalog::instance().operators())
                    if (o.types.contains(f->type)) {
                        current = &o;
                        break;
                    }
                changed.op = QString::fromLatin1(current->key);
            }
            changed.values = m_forms->defaultValues(*f, *current);
            setCondition(path, changed);
        });
        connect(op, &QComboBox::activated, this, [this, op, path, c] {
            const automation::OperatorDef *o = Catalog::instance().op(op->currentData().toString());
            const automation::OperatorDef *was = Catalog::instance().op(c.op);
            const automation::FieldDef *f = Catalog::instance().field(c.field);
            if (!o || !f)
                return;
            Condition changed = c;
            changed.op = QString::fromLatin1(o->key);
            if (!was || was->arity != o->arity)
                changed.values = m_forms->defaultValues(*f, *o);
            setCondition(path, changed);
        });
        layout->addWidget(field);
        layout->addWidget(op);
        auto setValues = [this, path, c](const QJsonArray &values) {
            Condition changed = c;
            changed.values = values;
            QScopedValueRollback keep(m_keepForms, true);
            setCondition(path, changed);
        };
        const QString place = m_conditions->currentItem()->data(0, kJsonPathRole).toString();
        if (QWidget *value = m_forms->valueEditor(c, setValues, form, place))
            layout->addWidget(value, 1);
    }
    layout->addStretch();
    m_conditionForm->layout()->addWidget(form);
}

} // namespace sd::ui
