#pragma once

#include "automation/rule.h"
#include "storage/database.h"

#include <QDialog>
#include <QMessageBox>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;
class QUndoStack;

namespace sd::ui {

class RuleFormFactory;
class RuleScopeEditor;
class RuleTestPanel;
class RuleVersionsPanel;

// The visual rule editor, driven by the automation catalog: a trigger picker with search, the condition tree
// (AND / OR / NOT groups and line item groups; add, remove, move with Alt+Up/Down or drag and drop), value pickers
// per field type (duration pickers for durations), the scope (accounts and couriers), the ordered actions with forms
// generated from the catalog's parameters (delay, stop on failure, on-failure actions), a placeholder inserter for
// texts, inline validation (saving is blocked while invalid), undo/redo, an unsaved-changes guard, the test panel (dry
// run) and the rule's versions.
//
// Every edit goes through one of the public operations below, each one undoable step; the widgets call them too.
class RuleEditor : public QDialog
{
    Q_OBJECT

public:
    using Path = QList<int>; // child indices from the root group down to a condition; {} is the root
    struct ActionPath
    {
        int index = -1;
        int failure = -1; // >= 0: an action of index's on-failure branch
        bool operator==(const ActionPath &) const = default;
    };

    RuleEditor(std::shared_ptr<storage::Database> db, automation::Rule rule, QWidget *parent = nullptr);
    ~RuleEditor() override;

    const automation::Rule &rule() const { return m_rule; }
    QJsonObject json() const { return m_rule.toJson(); }
    // Translated problems, each with its place ("conditions.all[1]: ..."); empty when the rule can be saved.
    QStringList problems() const;
    bool isModified() const;
    QUndoStack *undoStack() const { return m_undo; }

    void setName(const QString &name);
    void setGroup(const QString &group);
    void setDescription(const QString &description);
    void setOwner(const QString &owner);
    void setRuleEnabled(bool enabled);
    void setLimitPerOrder(int limit);
    void setScope(const QStringList &accounts, const QStringList &couriers); // empty: every one
    void setTrigger(const QString &key);
    void setTriggerParam(const QString &key, const QJsonValue &value); // undefined removes it

    // Adds to the group at `group` (an AND/OR group, or an empty NOT / line item group); returns the new path, or
    // an invalid (empty) path with a message when it does not fit.
    std::optional<Path> addCondition(const Path &group, const automation::Condition &condition);
    void setCondition(const Path &path, const automation::Condition &condition);
    void setRootKind(automation::Condition::Kind kind); // the root group: All or Any
    bool removeCondition(const Path &path);
    bool moveCondition(const Path &path, int delta);                      // within its group
    bool moveConditionTo(const Path &from, const Path &toGroup, int row); // anywhere (drag and drop)

    ActionPath addAction(const QString &type, int failureOf = -1);
    void setActionParam(const ActionPath &path, const QString &key, const QJsonValue &value);
    void setActionDelay(const ActionPath &path, int minutes);
    void setStopOnFailure(int index, bool stop);
    bool removeAction(const ActionPath &path);
    bool moveAction(const ActionPath &path, int delta);

    void selectCondition(const Path &path);
    Path currentCondition() const;
    void selectAction(const ActionPath &path);
    ActionPath currentAction() const;

    // Saves a new version; false (with the problems shown) while invalid or when the store fails.
    bool save();
    qint64 ruleId() const { return m_rule.id; }

    // The unsaved-changes question (Save / Discard / Cancel); tests answer it themselves.
    void setCloseQuestion(std::function<QMessageBox::StandardButton()> ask) { m_ask = std::move(ask); }

    QComboBox *triggerPicker() const { return m_trigger; }
    QTreeWidget *conditionTree() const { return m_conditions; }
    QTreeWidget *actionTree() const { return m_actions; }
    QWidget *conditionForm() const { return m_conditionForm; }
    QWidget *actionForm() const { return m_actionForm; }
    QLabel *problemsLabel() const { return m_problems; }
    QPushButton *saveButton() const { return m_save; }
    QTabWidget *tabs() const { return m_tabs; }
    RuleScopeEditor *scopeEditor() const { return m_scope; }
    RuleTestPanel *testPanel() const { return m_test; }
    RuleVersionsPanel *versionsPanel() const { return m_versions; }
    // A sample order's value of each placeholder ({orderId} -> "123"), for the inserter.
    QList<QPair<QString, QString>> placeholderSamples() const;

    // Close, with the unsaved-changes question first.
    void reject() override;

Q_SIGNALS:
    void saved(qint64 ruleId);

private:
    friend class RuleChange;
    // One undoable edit: the whole rule before and after. Typing in one field merges into one step (mergeKey).
    void change(const automation::Rule &next, const QString &text, const QString &mergeKey = {});
    void apply(const automation::Rule &rule, bool rebuildForms);
    void rebuildHeader();
    void rebuildTriggerForm();
    void rebuildConditions();
    void rebuildConditionForm();
    void rebuildActions();
    void rebuildActionForm();
    void validate();
    Path groupForNew() const;
    void addConditionOfKind(automation::Condition::Kind kind);
    // The "If" and "Then" boxes: each tree with its buttons, drop handling and the form of its chosen item.
    QWidget *buildConditionBox(QWidget *parent);
    QWidget *buildActionBox(QWidget *parent);

    std::shared_ptr<storage::Database> m_db;
    automation::Rule m_rule;
    bool m_unsavedNew = false; // a rule made from a template, not saved yet
    bool m_keepForms = false;  // the edit comes from a form's own widget: rebuilding would take its focus
    std::optional<Path> m_wantCondition;
    std::optional<ActionPath> m_wantAction;
    QUndoStack *m_undo = nullptr;
    bool m_applying = false;
    std::function<QMessageBox::StandardButton()> m_ask;
    RuleFormFactory *m_forms = nullptr;

    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_group = nullptr;
    QLineEdit *m_description = nullptr;
    QLineEdit *m_owner = nullptr;
    QCheckBox *m_enabled = nullptr;
    QSpinBox *m_limit = nullptr;
    RuleScopeEditor *m_scope = nullptr;
    QComboBox *m_trigger = nullptr;
    QWidget *m_triggerForm = nullptr;
    QTreeWidget *m_conditions = nullptr;
    QWidget *m_conditionForm = nullptr;
    QComboBox *m_rootKind = nullptr;
    QTreeWidget *m_actions = nullptr;
    QWidget *m_actionForm = nullptr;
    QComboBox *m_newAction = nullptr;
    QLabel *m_problems = nullptr;
    QPushButton *m_save = nullptr;
    RuleTestPanel *m_test = nullptr;
    RuleVersionsPanel *m_versions = nullptr;
};

} // namespace sd::ui
