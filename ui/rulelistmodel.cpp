#include "rulelistmodel.h"

#include "marketplace/accountstore.h"
#include "ruletext.h"

#include <QColor>
#include <QFont>
#include <QLocale>

namespace sd::ui {

RuleListModel::RuleListModel(std::shared_ptr<storage::Database> db, QObject *parent)
    : QAbstractItemModel(parent)
    , m_db(db)
    , m_store(std::move(db))
{}

Result<void> RuleListModel::reload()
{
    auto rules = m_store.list();
    if (!rules)
        return rules.error();
    auto stats = automation::ruleStats(*m_db);
    if (!stats)
        return stats.error();
    auto names = marketplace::AccountStore(m_db).namesByOrderKey();
    if (!names)
        return names.error();
    beginResetModel();
    m_rules = *rules;
    m_accountNames = *names;
    m_stats = *stats;
    m_warnings = automation::ruleWarnings(m_rules, m_stats);
    regroup();
    endResetModel();
    return {};
}

void RuleListModel::setFilter(const QString &text)
{
    beginResetModel();
    m_filter = text.trimmed();
    regroup();
    endResetModel();
}

void RuleListModel::regroup()
{
    m_groups.clear();
    QMap<QString, QList<int>> byGroup; // sorted by name; "" (no group) first
    for (int i = 0; i < m_rules.size(); ++i) {
        const automation::Rule &r = m_rules.at(i);
        if (!m_filter.isEmpty()) {
            const QString haystack =
                QStringList{r.name, r.group, r.owner, r.description, ruletext::trigger(r), scopeText(r)}.join(u'\n');
            if (!haystack.contains(m_filter, Qt::CaseInsensitive))
                continue;
        }
        byGroup[r.group].append(i);
    }
    for (auto it = byGroup.begin(); it != byGroup.end(); ++it)
        m_groups.append({it.key(), it.value()});
}

QString RuleListModel::scopeText(const automation::Rule &rule) const
{
    QStringList accounts;
    for (const QString &key : rule.accounts)
        accounts.append(m_accountNames.value(key, key));
    const QString a = accounts.isEmpty() ? tr("every account") : accounts.join(u", ");
    const QString c = rule.couriers.isEmpty() ? tr("every courier") : rule.couriers.join(u", ");
    return a + u" · " + c;
}

const automation::Rule *RuleListModel::ruleAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == 0)
        return nullptr;
    const Group &g = m_groups.at(int(index.internalId() - 1));
    return &m_rules.at(g.rules.at(index.row()));
}

QModelIndex RuleListModel::indexOf(qint64 ruleId, int column) const
{
    for (int g = 0; g < m_groups.size(); ++g)
        for (int row = 0; row < m_groups.at(g).rules.size(); ++row)
            if (m_rules.at(m_groups.at(g).rules.at(row)).id == ruleId)
                return createIndex(row, column, quintptr(g + 1));
    return {};
}

QModelIndex RuleListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex RuleListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int RuleListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() == 0 && parent.column() == 0)
        return int(m_groups.at(parent.row()).rules.size());
    return 0;
}

int RuleListModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant RuleListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == 0) {
        const Group &g = m_groups.at(index.row());
        if (index.column() == Name && role == Qt::DisplayRole)
            return QString((g.name.isEmpty() ? tr("No group") : g.name) + u" (" + QString::number(g.rules.size()) +
                           u')');
        if (role == Qt::FontRole) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    }
    const automation::Rule &r = *ruleAt(index);
    const automation::RuleStats s = m_stats.value(r.id);
    QStringList warnings;
    for (const automation::RuleWarning &w : m_warnings)
        if (w.ruleId == r.id)
            warnings.append(w.message);
    if (role == Qt::CheckStateRole && index.column() == Enabled)
        return r.enabled ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole) {
        if (index.column() == Warnings || (index.column() == Name && !warnings.isEmpty()))
            return warnings.join(u'\n');
        if (index.column() == Name)
            return r.description;
        return {};
    }
    if (role == Qt::ForegroundRole && index.column() == Warnings && !warnings.isEmpty())
        return QColor(u"#b35c00"_qs);
    if (role == Qt::ForegroundRole && !r.enabled)
        return QColor(u"#888"_qs);
    if (role == Qt::TextAlignmentRole && index.column() >= Matches30 && index.column() <= Failures)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::UserRole)
        return r.id;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Name:
        return r.name;
    case Enabled:
        return r.enabled ? tr("on") : tr("off");
    case Trigger:
        return ruletext::trigger(r);
    case Scope:
        return scopeText(r);
    case LastFired:
        return s.lastFired.isValid() ? QLocale().toString(s.lastFired.toLocalTime(), QLocale::ShortFormat)
                                     : tr("never");
    case Matches30:
        return s.matches30;
    case Matches90:
        return s.matches90;
    case Failures:
        return s.failures;
    case Owner:
        return r.owner;
    case Warnings: {
        QStringList kinds;
        for (const automation::RuleWarning &w : m_warnings)
            if (w.ruleId == r.id) {
                const QString kind = w.kind == automation::RuleWarning::Kind::Dead       ? tr("dead")
                                     : w.kind == automation::RuleWarning::Kind::Conflict ? tr("conflict")
                                                                                         : tr("can loop");
                if (!kinds.contains(kind))
                    kinds.append(kind);
            }
        return kinds.isEmpty() ? QString() : u"⚠ " + kinds.join(u", ");
    }
    case ColumnCount:
        break;
    }
    return {};
}

bool RuleListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const automation::Rule *r = ruleAt(index);
    if (!r || role != Qt::CheckStateRole || index.column() != Enabled)
        return false;
    const bool on = value.toInt() == Qt::Checked;
    const QString user = qEnvironmentVariable("USER");
    auto saved = m_store.setEnabled(r->id, on, user.isEmpty() ? u"sellerdesk"_qs : user);
    if (!saved) {
        Q_EMIT failed(saved.error().userMessage);
        return false;
    }
    const int group = int(index.internalId() - 1);
    m_rules[m_groups.at(group).rules.at(index.row())] = *saved;
    m_warnings = automation::ruleWarnings(m_rules, m_stats);
    Q_EMIT dataChanged(this->index(index.row(), 0, index.parent()),
                       this->index(index.row(), ColumnCount - 1, index.parent()));
    return true;
}

Qt::ItemFlags RuleListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalId() != 0 && index.column() == Enabled)
        f |= Qt::ItemIsUserCheckable;
    if (index.internalId() != 0)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant RuleListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Rule");
    case Enabled:
        return tr("Enabled");
    case Trigger:
        return tr("When");
    case Scope:
        return tr("Acts on");
    case LastFired:
        return tr("Last acted");
    case Matches30:
        return tr("30 days");
    case Matches90:
        return tr("90 days");
    case Failures:
        return tr("Failures");
    case Owner:
        return tr("Owner");
    case Warnings:
        return tr("Warnings");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sd::ui
