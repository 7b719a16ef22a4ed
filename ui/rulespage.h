#pragma once

#include "automation/rule.h"
#include "storage/database.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QTreeView;

namespace sd::ui {

class RuleEditor;
class RuleListModel;

// Settings > Automation rules: the rules grouped by group with their figures and warnings (dead, conflicting,
// looping), search, new / from a template / edit / duplicate / delete, import and export of JSON, each rule's
// versions and the execution log.
class RulesPage : public QDialog
{
    Q_OBJECT

public:
    RulesPage(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    RuleListModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QListWidget *warningList() const { return m_warnings; }
    QLineEdit *search() const { return m_search; }
    QString message() const;

    qint64 currentRuleId() const;
    void selectRule(qint64 id);
    void reload();
    // The operations behind the buttons (for the keyboard and for tests); each reports in the message line.
    qint64 duplicateRule(qint64 id);
    bool deleteRule(qint64 id, bool ask = true);
    int importFile(const QString &path);                             // one rule or a list; returns how many were added
    bool exportRules(const QList<qint64> &ids, const QString &path); // a list of rule documents
    // The editor for a rule (id 0 with a template's or a new rule's content), not yet shown.
    RuleEditor *createEditor(const automation::Rule &rule);
    void editRule(qint64 id);
    void newFromTemplate();
    void showVersions(qint64 id);
    void showExecutionLog(qint64 ruleId = 0);

    // The automation pages by name, for the menu and --open: rules, rule-editor, rule-test, rule-versions,
    // rule-templates, execution-log. False when the name is not one of them.
    static bool openPage(const QString &page, std::shared_ptr<storage::Database> db, QWidget *parent);

private:
    void report(const QString &message, bool error = false);
    void runEditor(RuleEditor *editor);

    std::shared_ptr<storage::Database> m_db;
    RuleListModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_search = nullptr;
    QListWidget *m_warnings = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
