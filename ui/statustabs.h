#pragma once

#include "storage/catalogstore.h"
#include "storage/orderquery.h"

#include <QTabBar>

namespace sd::ui {

// One tab per status, in group order (new, in progress, shipped, closed, cancelled) then the user's order,
// each with its live count, after an "All" tab. The current tab is kept by status id across refreshes.
class StatusTabs : public QTabBar
{
    Q_OBJECT

public:
    explicit StatusTabs(QWidget *parent = nullptr);

    void setStatuses(const QList<storage::Status> &statuses, const QHash<qint64, qint64> &counts);
    // Saved views ("bookmarks") as further tabs after the statuses.
    void setSavedViews(const QList<storage::OrderQuery::SavedView> &views);
    // The saved view of the current tab, if it is one.
    std::optional<storage::OrderQuery::SavedView> currentView() const;
    void setCurrentView(qint64 viewId);
    void setCounts(const QHash<qint64, qint64> &counts);
    // 0 for "All".
    qint64 currentStatusId() const;
    void setCurrentStatusId(qint64 id);

Q_SIGNALS:
    void statusChosen(qint64 statusId);
    void viewChosen(const storage::OrderQuery::SavedView &view);

private:
    QString label(int index) const;

    QList<storage::Status> m_statuses; // in tab order, after "All"
    QHash<qint64, qint64> m_counts;
    QList<storage::OrderQuery::SavedView> m_views; // tabs after the statuses
    void rebuild();
    bool m_updating = false;
};

} // namespace sd::ui
