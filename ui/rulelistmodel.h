#pragma once

#include "automation/ruleinsights.h"
#include "automation/rulestore.h"

#include <QAbstractItemModel>

namespace sd::ui {

// The rules, grouped by their group (top level) with one row per rule: enabled switch (checkable), trigger,
// scope (accounts and couriers), last fired, orders matched in the last 30 / 90 days, failed runs, owner and hygiene
// warnings.
class RuleListModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Enabled,
        Trigger,
        Scope,
        LastFired,
        Matches30,
        Matches90,
        Failures,
        Owner,
        Warnings,
        ColumnCount
    };

    explicit RuleListModel(std::shared_ptr<storage::Database> db, QObject *parent = nullptr);

    Result<void> reload();
    void setFilter(const QString &text); // name, group, owner, trigger or description contains it

    const automation::Rule *ruleAt(const QModelIndex &index) const;
    QModelIndex indexOf(qint64 ruleId, int column = Name) const;
    const QList<automation::RuleWarning> &warnings() const { return m_warnings; }
    const QList<automation::Rule> &rules() const { return m_rules; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void failed(const QString &message);

private:
    struct Group
    {
        QString name;
        QList<int> rules; // indices into m_rules
    };
    void regroup();
    QString scopeText(const automation::Rule &rule) const;

    std::shared_ptr<storage::Database> m_db;
    automation::RuleStore m_store;
    QList<automation::Rule> m_rules;
    QHash<QString, QString> m_accountNames; // by the key orders carry
    QHash<qint64, automation::RuleStats> m_stats;
    QList<automation::RuleWarning> m_warnings;
    QList<Group> m_groups;
    QString m_filter;
};

} // namespace sd::ui
