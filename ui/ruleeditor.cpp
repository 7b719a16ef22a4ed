#include "ruleeditor.h"

#include "automation/catalog.h"
#include "automation/engine.h"
#include "automation/rulestore.h"
#include "ruletestpanel.h"
#include "ruletext.h"
#include "ruleversions.h"
#include "storage/orderstore.h"
#include "storage/sqlquery.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QDropEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>

namespace sd::ui {

using automation::Action;
using automation::Catalog;
using automation::Condition;
using automation::Rule;

namespace {

constexpr int kPathRole = Qt::UserRole;
constexpr int kJsonPathRole = Qt::UserRole + 1;

const QStringList kCountries = {u"PL"_qs, u"DE"_qs, u"CZ"_qs, u"SK"_qs, u"LT"_qs, u"LV"_qs, u"EE"_qs,
                                u"HU"_qs, u"AT"_qs, u"FR"_qs, u"IT"_qs, u"ES"_qs, u"NL"_qs, u"BE"_qs,
                                u"SE"_qs, u"DK"_qs, u"IE"_qs, u"PT"_qs, u"RO"_qs, u"BG"_qs, u"HR"_qs,
                                u"SI"_qs, u"FI"_qs, u"GB"_qs, u"UA"_qs, u"US"_qs};
const QStringList kCurrencies = {u"PLN"_qs, u"EUR"_qs, u"CZK"_qs, u"HUF"_qs, u"GBP"_qs, u"USD"_qs, u"SEK"_qs};

Condition *nodeAt(Condition &root, const RuleEditor::Path &path)
{
    Condition *node = &root;
    for (int i : path) {
        if (i < 0 || i >= node->children.size())
            return nullptr;
        node = &node->children[i];
    }
    return node;
}

const Condition *nodeAt(const Condition &root, const RuleEditor::Path &path)
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

bool insideItems(const Condition &root, const RuleEditor::Path &path)
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

QVariantList toVariant(const RuleEditor::Path &path)
{
    QVariantList list;
    for (int i : path)
        list.append(i);
    return list;
}

RuleEditor::Path fromVariant(const QVariant &value)
{
    RuleEditor::Path path;
    for (const QVariant &v : value.toList())
        path.append(v.toInt());
    return path;
}

QJsonValue defaultValue(const automation::FieldDef &field, const QStringList &statuses)
{
    switch (field.type) {
    case automation::FieldType::Enum:
        return field.choices.value(0);
    case automation::FieldType::Number:
    case automation::FieldType::Money:
        return 0;
    case automation::FieldType::Bool:
        return {};
    case automation::FieldType::Text:
    case automation::FieldType::Tags:
        break;
    }
    switch (field.picker) {
    case automation::Picker::Status:
        return statuses.value(0);
    case automation::Picker::Country:
        return u"PL"_qs;
    case automation::Picker::Currency:
        return u"PLN"_qs;
    case automation::Picker::Tag:
    case automation::Picker::Free:
        break;
    }
    return u""_qs;
}

QJsonArray defaultValues(const automation::FieldDef &field, const automation::OperatorDef &op,
                         const QStringList &statuses)
{
    switch (op.arity) {
    case automation::Arity::None:
        return {};
    case automation::Arity::One:
    case automation::Arity::List:
        return {defaultValue(field, statuses)};
    case automation::Arity::Range:
        return {0, 100};
    }
    return {};
}

QString countryLabel(const QString &code)
{
    const QLocale::Territory t = QLocale::codeToTerritory(code);
    return t == QLocale::AnyTerritory ? code : code + u" — " + QLocale::territoryToString(t);
}

// A tree that reports a drop as (dragged item, target item, where) instead of moving items itself: the editor
// moves the condition in the rule and rebuilds the tree, so a drop is one undoable step like any other edit.
class DropTree : public QTreeWidget
{
public:
    using QTreeWidget::QTreeWidget;
    enum class Where { On, Above, Below };
    std::function<void(QTreeWidgetItem *, QTreeWidgetItem *, Where)> onDrop;

protected:
    void dropEvent(QDropEvent *event) override
    {
        QTreeWidgetItem *dragged = currentItem();
        QTreeWidgetItem *target = itemAt(event->position().toPoint());
        const Where where = dropIndicatorPosition() == OnItem      ? Where::On
                            : dropIndicatorPosition() == AboveItem ? Where::Above
                                                                   : Where::Below;
        event->setDropAction(Qt::IgnoreAction);
        event->accept();
        if (onDrop && dragged)
            onDrop(dragged, target, where);
    }
};

DropTree *makeTree(QWidget *parent)
{
    auto *tree = new DropTree(parent);
    tree->setHeaderHidden(true);
    tree->setDragEnabled(true);
    tree->setAcceptDrops(true);
    tree->setDropIndicatorShown(true);
    tree->setDragDropMode(QAbstractItemView::InternalMove);
    tree->setSelectionMode(QAbstractItemView::SingleSelection);
    return tree;
}

QWidget *durationEditor(int minutes, int minimum, std::function<void(int)> set, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *spin = new QSpinBox(box);
    spin->setRange(minimum, 525600);
    auto *unit = new QComboBox(box);
    unit->addItem(RuleEditor::tr("minutes"), 1);
    unit->addItem(RuleEditor::tr("hours"), 60);
    unit->addItem(RuleEditor::tr("days"), 1440);
    int factor = 1;
    if (minutes > 0 && minutes % 1440 == 0)
        factor = 1440;
    else if (minutes > 0 && minutes % 60 == 0)
        factor = 60;
    unit->setCurrentIndex(unit->findData(factor));
    spin->setValue(minutes / factor);
    layout->addWidget(spin);
    layout->addWidget(unit);
    layout->addStretch();
    auto emitValue = [spin, unit, set] { set(spin->value() * unit->currentData().toInt()); };
    QObject::connect(spin, &QSpinBox::valueChanged, box, emitValue);
    QObject::connect(unit, &QComboBox::activated, box, emitValue);
    box->setFocusProxy(spin);
    return box;
}

} // namespace

class RuleChange : public QUndoCommand
{
public:
    RuleChange(RuleEditor *editor, Rule before, Rule after, const QString &text, const QString &mergeKey)
        : QUndoCommand(text)
        , m_editor(editor)
        , m_before(std::move(before))
        , m_after(std::move(after))
        , m_mergeKey(mergeKey)
    {}

    int id() const override { return m_mergeKey.isEmpty() ? -1 : 1000; }
    bool mergeWith(const QUndoCommand *other) override
    {
        const auto *next = static_cast<const RuleChange *>(other);
        if (next->m_mergeKey != m_mergeKey)
            return false;
        m_after = next->m_after;
        return true;
    }
    void redo() override
    {
        m_editor->apply(m_after, !m_first || !m_editor->m_keepForms);
        m_first = false;
    }
    void undo() override { m_editor->apply(m_before, true); }

private:
    RuleEditor *m_editor;
    Rule m_before;
    Rule m_after;
    QString m_mergeKey;
    bool m_first = true;
};

RuleEditor::RuleEditor(std::shared_ptr<storage::Database> db, Rule rule, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_catalog(m_db)
    , m_rule(std::move(rule))
    , m_unsavedNew(m_rule.id == 0 && !m_rule.actions.isEmpty())
{
    setWindowTitle(m_rule.id ? tr("Rule %1 — %2").arg(m_rule.id).arg(m_rule.name) : tr("New rule"));
    resize(1180, 760);
    m_undo = new QUndoStack(this);
    loadPickers();
    m_ask = [this] {
        return QMessageBox::question(this, tr("Unsaved changes"),
                                     tr("The rule has changes that are not saved. Save them?"),
                                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };

    // The rule: name and the rest of its header.
    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    auto *header = new QFormLayout;
    m_name = new QLineEdit(page);
    m_name->setObjectName(u"name"_qs);
    m_group = new QComboBox(page);
    m_group->setEditable(true);
    m_description = new QLineEdit(page);
    m_owner = new QLineEdit(page);
    m_enabled = new QCheckBox(tr("&Enabled"), page);
    m_limit = new QSpinBox(page);
    m_limit->setRange(0, 1000);
    m_limit->setSpecialValueText(tr("no limit"));
    auto *headerRow = new QHBoxLayout;
    headerRow->addWidget(m_group, 1);
    auto *ownerLabel = new QLabel(tr("O&wner:"), page);
    ownerLabel->setBuddy(m_owner);
    headerRow->addWidget(ownerLabel);
    headerRow->addWidget(m_owner, 1);
    auto *limitLabel = new QLabel(tr("&At most per order:"), page);
    limitLabel->setBuddy(m_limit);
    headerRow->addWidget(limitLabel);
    headerRow->addWidget(m_limit);
    headerRow->addWidget(m_enabled);
    header->addRow(tr("&Name:"), m_name);
    // A row of several fields gets no buddy from the form: name it here, so Alt+G works and no '&' shows.
    auto *groupLabel = new QLabel(tr("&Group:"), page);
    groupLabel->setBuddy(m_group);
    header->addRow(groupLabel, headerRow);
    header->addRow(tr("&Description:"), m_description);
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &text) {
        QScopedValueRollback keep(m_keepForms, true);
        setName(text);
    });
    connect(m_group, &QComboBox::editTextChanged, this, [this](const QString &text) {
        if (m_applying)
            return;
        QScopedValueRollback keep(m_keepForms, true);
        setGroup(text);
    });
    connect(m_description, &QLineEdit::textEdited, this, [this](const QString &text) {
        QScopedValueRollback keep(m_keepForms, true);
        setDescription(text);
    });
    connect(m_owner, &QLineEdit::textEdited, this, [this](const QString &text) {
        QScopedValueRollback keep(m_keepForms, true);
        setOwner(text);
    });
    connect(m_enabled, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_applying)
            setRuleEnabled(on);
    });
    connect(m_limit, &QSpinBox::valueChanged, this, [this](int value) {
        if (m_applying)
            return;
        QScopedValueRollback keep(m_keepForms, true);
        setLimitPerOrder(value);
    });

    // When: the trigger, with search.
    auto *whenBox = new QGroupBox(tr("When"), page);
    auto *whenLayout = new QFormLayout(whenBox);
    m_trigger = new QComboBox(whenBox);
    m_trigger->setEditable(true);
    m_trigger->setInsertPolicy(QComboBox::NoInsert);
    for (const automation::TriggerDef &t : Catalog::instance().triggers())
        m_trigger->addItem(t.available ? Catalog::label(t.label)
                                       : tr("%1 (arrives with a later feature)").arg(Catalog::label(t.label)),
                           QString::fromLatin1(t.key));
    m_trigger->completer()->setFilterMode(Qt::MatchContains);
    m_trigger->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_trigger->lineEdit()->setPlaceholderText(tr("Type to search the events…"));
    connect(m_trigger, &QComboBox::activated, this, [this](int index) {
        const QString key = m_trigger->itemData(index).toString();
        if (!m_applying && key != m_rule.trigger)
            setTrigger(key);
    });
    m_triggerForm = new QWidget(whenBox);
    new QVBoxLayout(m_triggerForm);
    m_triggerForm->layout()->setContentsMargins(0, 0, 0, 0);
    auto *triggerLabel = new QLabel(tr("&Event:"), whenBox);
    triggerLabel->setBuddy(m_trigger);
    whenLayout->addRow(triggerLabel, m_trigger);
    whenLayout->addRow(m_triggerForm);

    // If: the condition tree and the form of the chosen condition.
    auto *ifBox = new QGroupBox(tr("If"), page);
    auto *ifLayout = new QVBoxLayout(ifBox);
    auto *conditionTree = makeTree(ifBox);
    m_conditions = conditionTree;
    m_conditions->setAccessibleName(tr("Conditions"));
    auto *conditionButtons = new QHBoxLayout;
    auto addButton = [this](QBoxLayout *layout, QWidget *shortcutScope, const QString &text, const QKeySequence &key,
                            std::function<void()> run) {
        auto *action = new QAction(text, shortcutScope);
        if (!key.isEmpty()) {
            action->setShortcut(key);
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            action->setToolTip(text + u" (" + key.toString(QKeySequence::NativeText) + u')');
        }
        shortcutScope->addAction(action);
        connect(action, &QAction::triggered, this, std::move(run));
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        layout->addWidget(button);
        return action;
    };
    addButton(conditionButtons, m_conditions, tr("+ Condition"), QKeySequence(Qt::Key_Insert),
              [this] { addConditionOfKind(Condition::Kind::Test); });
    addButton(conditionButtons, m_conditions, tr("+ AND"), QKeySequence(Qt::CTRL | Qt::Key_1),
              [this] { addConditionOfKind(Condition::Kind::All); });
    addButton(conditionButtons, m_conditions, tr("+ OR"), QKeySequence(Qt::CTRL | Qt::Key_2),
              [this] { addConditionOfKind(Condition::Kind::Any); });
    addButton(conditionButtons, m_conditions, tr("+ NOT"), QKeySequence(Qt::CTRL | Qt::Key_3),
              [this] { addConditionOfKind(Condition::Kind::Not); });
    addButton(conditionButtons, m_conditions, tr("+ Line items"), QKeySequence(Qt::CTRL | Qt::Key_4),
              [this] { addConditionOfKind(Condition::Kind::Items); });
    conditionButtons->addStretch();
    addButton(conditionButtons, m_conditions, tr("Up"), QKeySequence(Qt::ALT | Qt::Key_Up),
              [this] { moveCondition(currentCondition(), -1); });
    addButton(conditionButtons, m_conditions, tr("Down"), QKeySequence(Qt::ALT | Qt::Key_Down),
              [this] { moveCondition(currentCondition(), +1); });
    addButton(conditionButtons, m_conditions, tr("Remove"), QKeySequence(Qt::Key_Delete),
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
    conditionTree->onDrop = [this](QTreeWidgetItem *dragged, QTreeWidgetItem *target, DropTree::Where where) {
        const Path from = fromVariant(dragged->data(0, kPathRole));
        Path group;
        int row = -1;
        if (target) {
            const Path at = fromVariant(target->data(0, kPathRole));
            const Condition *node = nodeAt(m_rule.conditions, at);
            if (where == DropTree::Where::On && node && accepts(*node)) {
                group = at;
                row = int(node->children.size());
            } else if (!at.isEmpty()) {
                group = at.mid(0, at.size() - 1);
                row = at.constLast() + (where == DropTree::Where::Above ? 0 : 1);
            }
        } else {
            row = int(m_rule.conditions.children.size());
        }
        QTimer::singleShot(0, this, [this, from, group, row] { moveConditionTo(from, group, row); });
    };

    // Then: the actions and the form of the chosen one.
    auto *thenBox = new QGroupBox(tr("Then"), page);
    auto *thenLayout = new QVBoxLayout(thenBox);
    auto *actionTree = makeTree(thenBox);
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
    addButton(actionButtons, m_actions, tr("+ Action"), QKeySequence(Qt::Key_Insert),
              [this] { addAction(m_newAction->currentData().toString()); });
    addButton(actionButtons, m_actions, tr("+ If it fails"), QKeySequence(Qt::SHIFT | Qt::Key_Insert), [this] {
        const ActionPath at = currentAction();
        if (at.index >= 0)
            addAction(m_newAction->currentData().toString(), at.index);
    });
    addButton(actionButtons, m_actions, tr("Up"), QKeySequence(Qt::ALT | Qt::Key_Up),
              [this] { moveAction(currentAction(), -1); });
    addButton(actionButtons, m_actions, tr("Down"), QKeySequence(Qt::ALT | Qt::Key_Down),
              [this] { moveAction(currentAction(), +1); });
    addButton(actionButtons, m_actions, tr("Remove"), QKeySequence(Qt::Key_Delete),
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
    actionTree->onDrop = [this](QTreeWidgetItem *dragged, QTreeWidgetItem *target, DropTree::Where where) {
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
        if (where == DropTree::Where::Below && toRow < fromRow)
            ++toRow;
        else if (where == DropTree::Where::Above && toRow > fromRow)
            --toRow;
        QTimer::singleShot(0, this, [this, from, delta = toRow - fromRow] { moveAction(from, delta); });
    };

    auto *split = new QSplitter(Qt::Horizontal, page);
    split->addWidget(ifBox);
    split->addWidget(thenBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_problems = new QLabel(page);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setStyleSheet(u"QLabel { background: #fdecea; color: #611a15; padding: 6px; }"_qs);
    pageLayout->addLayout(header);
    pageLayout->addWidget(whenBox);
    pageLayout->addWidget(split, 1);
    pageLayout->addWidget(m_problems);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(page, tr("&Rule"));
    m_test = new RuleTestPanel(
        m_db, [this] { return m_rule; }, this);
    m_tabs->addTab(m_test, tr("&Test"));
    m_versions = new RuleVersionsPanel(m_db, this);
    m_tabs->addTab(m_versions, tr("&Versions"));
    connect(m_versions, &RuleVersionsPanel::rolledBack, this, [this](const Rule &rule) {
        m_undo->clear();
        m_unsavedNew = false;
        apply(rule, true);
        Q_EMIT saved(rule.id);
    });

    auto *buttons = new QDialogButtonBox(this);
    QAction *undo = m_undo->createUndoAction(this, tr("Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("Redo"));
    redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)});
    addActions({undo, redo});
    for (QAction *action : {undo, redo}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        buttons->addButton(button, QDialogButtonBox::ResetRole);
    }
    m_save = buttons->addButton(QDialogButtonBox::Save);
    m_save->setShortcut(QKeySequence::Save);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    connect(m_save, &QPushButton::clicked, this, &RuleEditor::save);
    connect(close, &QPushButton::clicked, this, &RuleEditor::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);

    QStringList groups;
    if (auto rules = automation::RuleStore(m_db).list())
        for (const Rule &r : *rules)
            if (!r.group.isEmpty() && !groups.contains(r.group))
                groups.append(r.group);
    groups.sort(Qt::CaseInsensitive);
    m_group->addItems(groups);

    apply(m_rule, true);
    m_versions->setRuleId(m_rule.id);
    m_name->setFocus();
}

RuleEditor::~RuleEditor()
{
    m_undo->disconnect(this);
}

void RuleEditor::loadPickers()
{
    if (auto statuses = m_catalog.statuses())
        for (const storage::Status &s : *statuses)
            m_statuses.append(s.name);
    if (auto tags = m_catalog.tags())
        for (const storage::Tag &t : *tags)
            m_tags.append(t.name);
    if (auto rules = automation::RuleStore(m_db).list())
        for (const Rule &r : *rules)
            if (r.id != m_rule.id)
                m_otherRules.append({r.id, r.name});
    // A sample order for the placeholder inserter: the newest one, or a made-up one in an empty profile.
    domain::Order sample;
    sample.id = 1024;
    sample.externalId = u"29a0b8e0-5d4c-11ef-8f6e-0a58a9feac02"_qs;
    sample.marketplace = u"allegro-pl"_qs;
    sample.status = m_statuses.value(0);
    sample.createdAt = QDateTime::currentDateTimeUtc();
    sample.payment.method = u"ONLINE"_qs;
    if (auto q = storage::prepare(m_db->connection(), u"SELECT MAX(id) FROM orders"_qs, "newest order")) {
        if (storage::exec(*q, "newest order") && q->next() && q->value(0).toLongLong() > 0) {
            storage::OrderStore store(m_db);
            if (auto order = store.load(q->value(0).toLongLong()))
                sample = *order;
        }
    }
    for (const QString &p : Catalog::placeholders())
        m_samples.append({p, automation::expandPlaceholders(p, sample)});
}

QStringList RuleEditor::problems() const
{
    QStringList list = m_rule.problems();
    // Shapes the JSON cannot hold: a NOT or line item group needs exactly one condition inside.
    std::function<void(const Condition &, const QString &)> walk = [&](const Condition &c, const QString &path) {
        if ((c.kind == Condition::Kind::Not || c.kind == Condition::Kind::Items) && c.children.size() != 1)
            list.append(path + u": "_qs +
                        (c.kind == Condition::Kind::Not
                             ? tr("a NOT group needs exactly one condition inside (use an AND or OR group for more)")
                             : tr("a line item group needs exactly one condition inside (use an AND or OR group "
                                  "for more)")));
        for (int i = 0; i < c.children.size(); ++i)
            walk(c.children.at(i), childJsonPath(c, path, i));
    };
    walk(m_rule.conditions, u"conditions"_qs);
    return list;
}

bool RuleEditor::isModified() const
{
    return m_unsavedNew || !m_undo->isClean();
}

void RuleEditor::change(const Rule &next, const QString &text, const QString &mergeKey)
{
    if (next == m_rule)
        return;
    m_undo->push(new RuleChange(this, m_rule, next, text, mergeKey));
}

void RuleEditor::setName(const QString &name)
{
    Rule next = m_rule;
    next.name = name;
    change(next, tr("Rename"), u"name"_qs);
}

void RuleEditor::setGroup(const QString &group)
{
    Rule next = m_rule;
    next.group = group.trimmed();
    change(next, tr("Change the group"), u"group"_qs);
}

void RuleEditor::setDescription(const QString &description)
{
    Rule next = m_rule;
    next.description = description;
    change(next, tr("Change the description"), u"description"_qs);
}

void RuleEditor::setOwner(const QString &owner)
{
    Rule next = m_rule;
    next.owner = owner.trimmed();
    change(next, tr("Change the owner"), u"owner"_qs);
}

void RuleEditor::setRuleEnabled(bool enabled)
{
    Rule next = m_rule;
    next.enabled = enabled;
    change(next, enabled ? tr("Enable") : tr("Disable"));
}

void RuleEditor::setLimitPerOrder(int limit)
{
    Rule next = m_rule;
    next.limitPerOrder = qMax(0, limit);
    change(next, tr("Change the limit per order"), u"limit"_qs);
}

void RuleEditor::setTrigger(const QString &key)
{
    Rule next = m_rule;
    next.trigger = key;
    next.triggerParams = {};
    change(next, tr("Choose the event"));
}

void RuleEditor::setTriggerParam(const QString &key, const QJsonValue &value)
{
    Rule next = m_rule;
    if (value.isUndefined() || value.isNull())
        next.triggerParams.remove(key);
    else
        next.triggerParams.insert(key, value);
    change(next, tr("Change the event"), u"trigger:" + key);
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

namespace {

Action *actionAt(Rule &rule, const RuleEditor::ActionPath &path)
{
    if (path.index < 0 || path.index >= rule.actions.size())
        return nullptr;
    Action &a = rule.actions[path.index];
    if (path.failure < 0)
        return &a;
    return path.failure < a.onFailure.size() ? &a.onFailure[path.failure] : nullptr;
}

} // namespace

void RuleEditor::setActionParam(const ActionPath &path, const QString &key, const QJsonValue &value)
{
    Rule next = m_rule;
    Action *a = actionAt(next, path);
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
    Action *a = actionAt(next, path);
    if (!a)
        return;
    a->delayMinutes = qMax(0, minutes);
    m_wantAction = path;
    change(next, tr("Change a delay"), u"delay:%1:%2"_qs.arg(path.index).arg(path.failure));
}

void RuleEditor::setStopOnFailure(int index, bool stop)
{
    Rule next = m_rule;
    Action *a = actionAt(next, {index, -1});
    if (!a)
        return;
    a->stopOnFailure = stop;
    m_wantAction = {index, -1};
    change(next, tr("Change what a failure does"));
}

bool RuleEditor::removeAction(const ActionPath &path)
{
    Rule next = m_rule;
    if (!actionAt(next, path))
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
    if (!actionAt(next, path) || delta == 0)
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
        c.values = defaultValues(*field, *op, m_statuses);
    }
    addCondition(group, c);
}

bool RuleEditor::save()
{
    const QStringList list = problems();
    if (!list.isEmpty()) {
        validate();
        m_tabs->setCurrentIndex(0);
        return false;
    }
    const QString user = qEnvironmentVariable("USER");
    auto stored = automation::RuleStore(m_db).save(m_rule, user.isEmpty() ? u"sellerdesk"_qs : user);
    if (!stored) {
        m_problems->setText(stored.error().userMessage);
        m_problems->show();
        return false;
    }
    m_rule.id = stored->id;
    m_rule.version = stored->version;
    m_unsavedNew = false;
    m_undo->setClean();
    setWindowTitle(tr("Rule %1 — %2").arg(m_rule.id).arg(m_rule.name));
    m_versions->setRuleId(m_rule.id);
    validate();
    Q_EMIT saved(m_rule.id);
    return true;
}

void RuleEditor::reject()
{
    if (isModified()) {
        switch (m_ask()) {
        case QMessageBox::Save:
            if (!save())
                return;
            break;
        case QMessageBox::Discard:
            break;
        default:
            return;
        }
    }
    QDialog::reject();
}

void RuleEditor::apply(const Rule &rule, bool rebuildForms)
{
    QScopedValueRollback applying(m_applying, true);
    const bool triggerChanged = rule.trigger != m_rule.trigger;
    m_rule = rule;
    rebuildHeader();
    if (rebuildForms || triggerChanged)
        rebuildTriggerForm();
    rebuildConditions();
    rebuildActions();
    if (rebuildForms) {
        rebuildConditionForm();
        rebuildActionForm();
    }
    validate();
}

void RuleEditor::rebuildHeader()
{
    if (m_name->text() != m_rule.name)
        m_name->setText(m_rule.name);
    if (m_group->currentText() != m_rule.group)
        m_group->setEditText(m_rule.group);
    if (m_description->text() != m_rule.description)
        m_description->setText(m_rule.description);
    if (m_owner->text() != m_rule.owner)
        m_owner->setText(m_rule.owner);
    m_enabled->setChecked(m_rule.enabled);
    m_limit->setValue(m_rule.limitPerOrder);
    m_trigger->setCurrentIndex(m_trigger->findData(m_rule.trigger));
}

void RuleEditor::rebuildTriggerForm()
{
    QLayout *layout = m_triggerForm->layout();
    while (QLayoutItem *item = layout->takeAt(0)) {
        if (QWidget *w = item->widget()) {
            w->hide();
            w->deleteLater();
        }
        delete item;
    }
    const automation::TriggerDef *def = Catalog::instance().trigger(m_rule.trigger);
    if (!def)
        return;
    auto *form = new QWidget(m_triggerForm);
    auto *formLayout = new QFormLayout(form);
    formLayout->setContentsMargins(0, 0, 0, 0);
    if (!def->available)
        formLayout->addRow(
            new QLabel(tr("This event is emitted once its feature is set up; the rule waits until then."), form));
    for (const automation::ParamDef &p : def->params) {
        const QString key = QString::fromLatin1(p.key);
        QWidget *editor = paramEditor(
            p, m_rule.triggerParams.value(key),
            [this, key](const QJsonValue &v) {
                QScopedValueRollback keep(m_keepForms, true);
                setTriggerParam(key, v);
            },
            form);
        formLayout->addRow(Catalog::label(p.label) + u':', editor);
    }
    layout->addWidget(form);
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

namespace {

void clearLayout(QWidget *holder)
{
    QLayout *layout = holder->layout();
    while (QLayoutItem *item = layout->takeAt(0)) {
        if (QWidget *w = item->widget()) {
            w->hide();
            w->deleteLater(); // it may be the widget whose signal got us here
        }
        delete item;
    }
}

} // namespace

void RuleEditor::rebuildConditionForm()
{
    clearLayout(m_conditionForm);
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
            changed.values = defaultValues(*f, *current, m_statuses);
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
                changed.values = defaultValues(*f, *o, m_statuses);
            setCondition(path, changed);
        });
        layout->addWidget(field);
        layout->addWidget(op);
        if (QWidget *value = valueEditor(c, form))
            layout->addWidget(value, 1);
    }
    layout->addStretch();
    m_conditionForm->layout()->addWidget(form);
}

QWidget *RuleEditor::valueEditor(const Condition &c, QWidget *parent)
{
    const automation::FieldDef *field = Catalog::instance().field(c.field);
    const automation::OperatorDef *op = Catalog::instance().op(c.op);
    if (!field || !op || op->arity == automation::Arity::None)
        return nullptr;
    const Path path = currentCondition();
    auto setValues = [this, path, c](const QJsonArray &values) {
        Condition changed = c;
        changed.values = values;
        QScopedValueRollback keep(m_keepForms, true);
        setCondition(path, changed);
    };

    // The values a picker offers: (stored value, label).
    QList<QPair<QString, QString>> choices;
    bool editable = true;
    if (field->type == automation::FieldType::Enum) {
        editable = false;
        for (const QString &choice : field->choices)
            choices.append({choice, ruletext::choice(choice)});
    } else {
        switch (field->picker) {
        case automation::Picker::Status:
            for (const QString &s : m_statuses)
                choices.append({s, s});
            break;
        case automation::Picker::Tag:
            for (const QString &t : m_tags)
                choices.append({t, t});
            break;
        case automation::Picker::Country:
            for (const QString &code : kCountries)
                choices.append({code, countryLabel(code)});
            break;
        case automation::Picker::Currency:
            for (const QString &code : kCurrencies)
                choices.append({code, code});
            break;
        case automation::Picker::Free:
            break;
        }
    }
    const bool number = field->type == automation::FieldType::Number;
    const bool money = field->type == automation::FieldType::Money;

    auto numberEditor = [&](const QJsonValue &value, std::function<void(const QJsonValue &)> set) -> QWidget * {
        if (money) {
            auto *spin = new QDoubleSpinBox(parent);
            spin->setRange(0, 10000000);
            spin->setDecimals(2);
            spin->setValue(value.isString() ? value.toString().toDouble() : value.toDouble());
            connect(spin, &QDoubleSpinBox::valueChanged, this, [set](double v) { set(v); });
            return spin;
        }
        auto *spin = new QSpinBox(parent);
        spin->setRange(0, 1000000);
        spin->setValue(value.toInt());
        connect(spin, &QSpinBox::valueChanged, this, [set](int v) { set(v); });
        return spin;
    };

    if (op->arity == automation::Arity::Range) {
        auto *box = new QWidget(parent);
        auto *layout = new QHBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        auto values = std::make_shared<QJsonArray>(c.values);
        while (values->size() < 2)
            values->append(0);
        QWidget *from = numberEditor(values->at(0), [values, setValues](const QJsonValue &v) {
            (*values)[0] = v;
            setValues(*values);
        });
        QWidget *to = numberEditor(values->at(1), [values, setValues](const QJsonValue &v) {
            (*values)[1] = v;
            setValues(*values);
        });
        from->setParent(box);
        to->setParent(box);
        from->setAccessibleName(tr("From"));
        to->setAccessibleName(tr("To"));
        layout->addWidget(from);
        layout->addWidget(new QLabel(tr("and"), box));
        layout->addWidget(to);
        box->setFocusProxy(from);
        return box;
    }
    if (op->arity == automation::Arity::List) {
        if (!choices.isEmpty()) {
            auto *list = new QListWidget(parent);
            list->setMaximumHeight(110);
            QStringList selected;
            for (const QJsonValue &v : c.values)
                selected.append(v.toString());
            for (const auto &[value, label] : std::as_const(choices)) {
                auto *item = new QListWidgetItem(label, list);
                item->setData(Qt::UserRole, value);
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                item->setCheckState(selected.contains(value) ? Qt::Checked : Qt::Unchecked);
            }
            connect(list, &QListWidget::itemChanged, this, [list, setValues] {
                QJsonArray values;
                for (int i = 0; i < list->count(); ++i)
                    if (list->item(i)->checkState() == Qt::Checked)
                        values.append(list->item(i)->data(Qt::UserRole).toString());
                setValues(values);
            });
            list->setAccessibleName(tr("Values"));
            return list;
        }
        auto *edit = new QLineEdit(parent);
        QStringList texts;
        for (const QJsonValue &v : c.values)
            texts.append(v.toString());
        edit->setText(texts.join(u", "));
        edit->setPlaceholderText(tr("values separated by commas"));
        connect(edit, &QLineEdit::textEdited, this, [setValues](const QString &text) {
            QJsonArray values;
            for (const QString &part : text.split(u',', Qt::SkipEmptyParts))
                if (!part.trimmed().isEmpty())
                    values.append(part.trimmed());
            setValues(values);
        });
        edit->setAccessibleName(tr("Values"));
        return edit;
    }
    const QJsonValue current = c.values.isEmpty() ? QJsonValue() : c.values.at(0);
    if (number || money) {
        QWidget *spin = numberEditor(current, [setValues](const QJsonValue &v) { setValues({v}); });
        spin->setAccessibleName(tr("Value"));
        return spin;
    }
    if (!choices.isEmpty()) {
        auto *combo = new QComboBox(parent);
        combo->setEditable(editable);
        for (const auto &[value, label] : std::as_const(choices))
            combo->addItem(label, value);
        const int index = combo->findData(current.toString());
        if (index >= 0)
            combo->setCurrentIndex(index);
        else
            combo->setEditText(current.toString());
        connect(combo, &QComboBox::activated, this,
                [combo, setValues](int index) { setValues({combo->itemData(index).toString()}); });
        if (editable)
            connect(combo->lineEdit(), &QLineEdit::textEdited, this,
                    [setValues](const QString &text) { setValues({text.section(u" — "_qs, 0, 0).trimmed()}); });
        combo->setAccessibleName(tr("Value"));
        return combo;
    }
    auto *edit = new QLineEdit(current.toString(), parent);
    connect(edit, &QLineEdit::textEdited, this, [setValues](const QString &text) { setValues({text}); });
    edit->setAccessibleName(tr("Value"));
    return edit;
}

QWidget *RuleEditor::paramEditor(const automation::ParamDef &def, const QJsonValue &value,
                                 std::function<void(const QJsonValue &)> set, QWidget *parent)
{
    const QJsonValue shown = value.isUndefined() ? def.defaultValue : value;
    const QString anyText = tr("(any)");
    switch (def.type) {
    case automation::ParamType::Bool: {
        auto *box = new QCheckBox(parent);
        box->setChecked(shown.toBool());
        connect(box, &QCheckBox::toggled, this, [set](bool on) { set(on); });
        return box;
    }
    case automation::ParamType::Number: {
        auto *spin = new QSpinBox(parent);
        spin->setRange(def.min, def.max > 0 ? def.max : 1000000000);
        spin->setValue(shown.toInt(def.min));
        connect(spin, &QSpinBox::valueChanged, this, [set](int v) { set(v); });
        return spin;
    }
    case automation::ParamType::Minutes:
        return durationEditor(
            shown.toInt(def.min), qMax(1, def.min), [set](int v) { set(v); }, parent);
    case automation::ParamType::Choice: {
        auto *combo = new QComboBox(parent);
        if (!def.required && def.defaultValue.isUndefined())
            combo->addItem(anyText, QString());
        for (const QString &choice : def.choices)
            combo->addItem(ruletext::choice(choice), choice);
        combo->setCurrentIndex(qMax(0, combo->findData(shown.toString())));
        connect(combo, &QComboBox::activated, this, [combo, set](int index) {
            const QString key = combo->itemData(index).toString();
            set(key.isEmpty() && combo->itemText(index) != ruletext::choice(key) ? QJsonValue() : QJsonValue(key));
        });
        return combo;
    }
    case automation::ParamType::Status:
    case automation::ParamType::Tag: {
        auto *combo = new QComboBox(parent);
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        if (!def.required)
            combo->addItem(anyText, QString());
        for (const QString &name : def.type == automation::ParamType::Status ? m_statuses : m_tags)
            combo->addItem(name, name);
        const int index = combo->findData(shown.toString());
        if (index >= 0 && !shown.toString().isEmpty())
            combo->setCurrentIndex(index);
        else if (!shown.toString().isEmpty())
            combo->setEditText(shown.toString());
        else if (def.required)
            combo->setEditText({});
        auto emitText = [set](const QString &text) {
            set(text.trimmed().isEmpty() ? QJsonValue() : QJsonValue(text.trimmed()));
        };
        connect(combo, &QComboBox::activated, this,
                [combo, emitText](int index) { emitText(combo->itemData(index).toString()); });
        connect(combo->lineEdit(), &QLineEdit::textEdited, this,
                [anyText, emitText](const QString &text) { emitText(text == anyText ? QString() : text); });
        return combo;
    }
    case automation::ParamType::RuleId: {
        auto *combo = new QComboBox(parent);
        combo->addItem(tr("(choose a rule)"), 0);
        for (const auto &[id, name] : std::as_const(m_otherRules))
            combo->addItem(u"%1 · %2"_qs.arg(id).arg(name), id);
        combo->setCurrentIndex(qMax(0, combo->findData(shown.toInteger())));
        connect(combo, &QComboBox::activated, this, [combo, set](int index) {
            const qint64 id = combo->itemData(index).toLongLong();
            set(id ? QJsonValue(id) : QJsonValue());
        });
        return combo;
    }
    case automation::ParamType::Text:
    case automation::ParamType::Url:
        break;
    }
    auto *box = new QWidget(parent);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(shown.toString(), box);
    if (def.type == automation::ParamType::Url)
        edit->setPlaceholderText(u"https://"_qs);
    auto emitText = [set](const QString &text) { set(text.isEmpty() ? QJsonValue() : QJsonValue(text)); };
    connect(edit, &QLineEdit::textEdited, this, emitText);
    // The placeholder inserter: each placeholder with its value on a sample order.
    auto *insert = new QToolButton(box);
    insert->setText(tr("{…} Insert"));
    insert->setToolTip(tr("Insert a placeholder; the order's value replaces it when the action runs."));
    insert->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(insert);
    for (const auto &[name, sample] : std::as_const(m_samples)) {
        QAction *action = menu->addAction(tr("%1 — e.g. %2").arg(name, sample.left(40)));
        connect(action, &QAction::triggered, this, [edit, name = name, emitText] {
            edit->insert(name);
            emitText(edit->text());
        });
    }
    insert->setMenu(menu);
    layout->addWidget(edit, 1);
    layout->addWidget(insert);
    box->setFocusProxy(edit);
    return box;
}

void RuleEditor::rebuildActionForm()
{
    clearLayout(m_actionForm);
    const ActionPath path = currentAction();
    Rule copy = m_rule;
    const Action *action = actionAt(copy, path);
    if (!action || !m_actions->currentItem())
        return;
    const automation::ActionDef *def = Catalog::instance().action(action->type);
    if (!def)
        return;
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
        QWidget *editor = paramEditor(
            p, action->params.value(key),
            [this, path, key](const QJsonValue &v) {
                QScopedValueRollback keep(m_keepForms, true);
                setActionParam(path, key, v);
            },
            form);
        layout->addRow(Catalog::label(p.label) + u':', editor);
    }
    QWidget *delay = durationEditor(
        action->delayMinutes, 0,
        [this, path](int minutes) {
            QScopedValueRollback keep(m_keepForms, true);
            setActionDelay(path, minutes);
        },
        form);
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

void RuleEditor::validate()
{
    const QStringList list = problems();
    m_save->setEnabled(list.isEmpty());
    m_problems->setVisible(!list.isEmpty());
    QStringList lines;
    for (const QString &p : list)
        lines.append(u"• " + p);
    m_problems->setText(tr("The rule cannot be saved yet:") + u'\n' + lines.join(u'\n'));
    for (QTreeWidget *tree : {m_conditions, m_actions})
        for (QTreeWidgetItemIterator it(tree); *it; ++it) {
            const QString at = (*it)->data(0, kJsonPathRole).toString();
            QStringList mine;
            for (const QString &p : list)
                if (p.startsWith(at + u':') || p.startsWith(at + u".params") || p.startsWith(at + u".value") ||
                    (tree == m_actions && p.startsWith(at + u".delay")))
                    mine.append(p.mid(p.indexOf(u": ") + 2));
            (*it)->setForeground(0, mine.isEmpty() ? QBrush() : QBrush(QColor(u"#b00020"_qs)));
            (*it)->setToolTip(0, mine.join(u'\n'));
        }
}

} // namespace sd::ui
