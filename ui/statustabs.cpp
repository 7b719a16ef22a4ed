#include "statustabs.h"

#include "statusicon.h"

namespace sd::ui {

StatusTabs::StatusTabs(QWidget *parent)
    : QTabBar(parent)
{
    setExpanding(false);
    setUsesScrollButtons(true);
    setDocumentMode(true);
    setFocusPolicy(Qt::TabFocus);
    connect(this, &QTabBar::currentChanged, this, [this](int) {
        if (m_updating)
            return;
        if (auto view = currentView())
            Q_EMIT viewChosen(*view);
        else
            Q_EMIT statusChosen(currentStatusId());
    });
}

QString StatusTabs::label(int index) const
{
    if (index == 0) {
        qint64 all = 0;
        for (qint64 n : m_counts)
            all += n;
        return tr("All (%1)").arg(all);
    }
    if (index - 1 >= m_statuses.size())
        return m_views.at(index - 1 - m_statuses.size()).name;
    const storage::Status &status = m_statuses.at(index - 1);
    return tr("%1 (%2)").arg(status.name).arg(m_counts.value(status.id));
}

void StatusTabs::setStatuses(const QList<storage::Status> &statuses, const QHash<qint64, qint64> &counts)
{
    const qint64 current = currentStatusId();
    const auto view = currentView();
    m_updating = true;
    m_statuses = statuses;
    std::stable_sort(m_statuses.begin(), m_statuses.end(),
                     [](const storage::Status &a, const storage::Status &b) { return a.group < b.group; });
    m_counts = counts;
    rebuild();
    if (view)
        setCurrentView(view->id);
    else
        setCurrentStatusId(current);
    m_updating = false;
}

void StatusTabs::rebuild()
{
    while (count() > 0)
        removeTab(0);
    addTab(label(0));
    for (int i = 0; i < m_statuses.size(); ++i) {
        const int index = addTab(statusIcon(m_statuses.at(i).color), label(i + 1));
        setTabToolTip(index, storage::statusGroupDisplayName(m_statuses.at(i).group));
    }
    for (int i = 0; i < m_views.size(); ++i) {
        const int index = addTab(QIcon::fromTheme(u"bookmarks"_qs), m_views.at(i).name);
        setTabToolTip(index, tr("Saved view"));
    }
}

void StatusTabs::setSavedViews(const QList<storage::OrderQuery::SavedView> &views)
{
    const auto current = currentView();
    const qint64 status = currentStatusId();
    m_updating = true;
    m_views = views;
    rebuild();
    if (current)
        setCurrentView(current->id);
    else
        setCurrentStatusId(status);
    m_updating = false;
}

std::optional<storage::OrderQuery::SavedView> StatusTabs::currentView() const
{
    const int view = currentIndex() - 1 - int(m_statuses.size());
    if (view >= 0 && view < m_views.size())
        return m_views.at(view);
    return std::nullopt;
}

void StatusTabs::setCurrentView(qint64 viewId)
{
    for (int i = 0; i < m_views.size(); ++i) {
        if (m_views.at(i).id == viewId) {
            setCurrentIndex(1 + int(m_statuses.size()) + i);
            return;
        }
    }
}

void StatusTabs::setCounts(const QHash<qint64, qint64> &counts)
{
    m_counts = counts;
    for (int i = 0; i <= m_statuses.size() && i < count(); ++i)
        setTabText(i, label(i));
}

qint64 StatusTabs::currentStatusId() const
{
    const int index = currentIndex();
    if (index > 0 && index - 1 < m_statuses.size())
        return m_statuses.at(index - 1).id;
    if (auto view = currentView())
        return view->filter.statusId;
    return 0;
}

void StatusTabs::setCurrentStatusId(qint64 id)
{
    for (int i = 0; i < m_statuses.size(); ++i) {
        if (m_statuses.at(i).id == id) {
            setCurrentIndex(i + 1);
            return;
        }
    }
    setCurrentIndex(0);
}

} // namespace sd::ui
