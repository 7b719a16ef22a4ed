#include "ruleeditor.h"

#include "automation/catalog.h"
#include "automation/rulestore.h"
#include "durationpicker.h"
#include "ruleformfactory.h"
#include "rulescopeeditor.h"
#include "ruletestpanel.h"
#include "ruletext.h"
#include "ruletree.h"
#include "ruleversions.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace sd::ui {

using automation::Catalog;
using automation::Condition;
using automation::Rule;
using rulepath::childJsonPath;
using rulepath::kJsonPathRole;

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
    , m_rule(std::move(rule))
    , m_unsavedNew(m_rule.id == 0 && !m_rule.actions.isEmpty())
{
    setWindowTitle(m_rule.id ? tr("Rule %1 — %2").arg(m_rule.id).arg(m_rule.name) : tr("New rule"));
    resize(1180, 760);
    m_undo = new QUndoStack(this);
    m_forms = new RuleFormFactory(m_db, m_rule.id, this);
    connect(m_forms, &RuleFormFactory::inputProblemsChanged, this, &RuleEditor::validate);
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
    m_scope = new RuleScopeEditor(m_db, page);
    connect(m_scope, &RuleScopeEditor::changed, this,
            [this](const QStringList &accounts, const QStringList &couriers) { setScope(accounts, couriers); });
    auto *descriptionRow = new QHBoxLayout;
    descriptionRow->addWidget(m_description, 1);
    descriptionRow->addWidget(m_scope);
    auto *descriptionLabel = new QLabel(tr("&Description:"), page);
    descriptionLabel->setBuddy(m_description);
    header->addRow(descriptionLabel, descriptionRow);
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

    QWidget *ifBox = buildConditionBox(page);
    QWidget *thenBox = buildActionBox(page);

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
    {
        // Filling an editable combo box sets its text to the first item: that is not an edit of the rule.
        QScopedValueRollback applying(m_applying, true);
        m_group->addItems(groups);
    }

    apply(m_rule, true);
    m_versions->setRuleId(m_rule.id);
    m_name->setFocus();
}

RuleEditor::~RuleEditor()
{
    m_undo->disconnect(this);
}

QList<QPair<QString, QString>> RuleEditor::placeholderSamples() const
{
    return m_forms->placeholderSamples();
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
    // Input the rule does not hold yet: a duration picker with a negative or too large amount on screen.
    for (const DurationPicker *picker : findChildren<DurationPicker *>())
        if (!picker->problem().isEmpty() && !RuleFormFactory::isRetired(picker))
            list.append(picker->place() + u": "_qs + picker->problem());
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

void RuleEditor::setScope(const QStringList &accounts, const QStringList &couriers)
{
    Rule next = m_rule;
    next.accounts = accounts;
    next.couriers = couriers;
    change(next, tr("Change the scope"));
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
    m_scope->setScope(m_rule.accounts, m_rule.couriers);
    m_trigger->setCurrentIndex(m_trigger->findData(m_rule.trigger));
}

void RuleEditor::rebuildTriggerForm()
{
    RuleFormFactory::clear(m_triggerForm);
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
        QWidget *editor = m_forms->paramEditor(
            p, m_rule.triggerParams.value(key),
            [this, key](const QJsonValue &v) {
                QScopedValueRollback keep(m_keepForms, true);
                setTriggerParam(key, v);
            },
            form, u"trigger.params."_qs + key);
        formLayout->addRow(Catalog::label(p.label) + u':', editor);
    }
    m_triggerForm->layout()->addWidget(form);
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
