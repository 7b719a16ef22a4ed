#pragma once

#include "automation/rulestore.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;
class QTextBrowser;

namespace sd::ui {

// The history of one rule: every version (who, when), a readable diff of the chosen version against the one
// before it (one line per part and parameter, added lines "+" in green, removed "-" in red), and a one-click rollback,
// which saves a new version equal to the old one.
class RuleVersionsPanel : public QWidget
{
    Q_OBJECT

public:
    RuleVersionsPanel(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    void setRuleId(qint64 id);
    void reload();
    void selectVersion(int version);
    int selectedVersion() const;
    QString diffText() const; // the diff shown, as plain text
    bool rollBack(int version);

    QTableWidget *list() const { return m_list; }

Q_SIGNALS:
    void rolledBack(const automation::Rule &rule);

private:
    void showDiff();

    std::shared_ptr<storage::Database> m_db;
    automation::RuleStore m_store;
    qint64 m_ruleId = 0;
    QList<automation::RuleVersion> m_versions;
    QTableWidget *m_list = nullptr;
    QTextBrowser *m_diff = nullptr;
    QPushButton *m_rollBack = nullptr;
    QLabel *m_message = nullptr;
    QString m_diffText;
    QHash<QString, QString> m_accountNames;
};

} // namespace sd::ui
