#pragma once

#include "storage/catalogstore.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace sd::ui {

// The statuses page: add, rename, recolour, regroup, reorder and remove statuses. A status in use is
// removed only after its orders are moved to another one.
class StatusSettings : public QDialog
{
    Q_OBJECT

public:
    StatusSettings(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    // The operations behind the buttons, for the keyboard and for tests. Each reports a failure in the
    // dialog's message line and returns false.
    bool addStatus(const QString &name, storage::StatusGroup group);
    bool renameCurrent(const QString &name);
    bool recolourCurrent(const QString &color);
    bool regroupCurrent(storage::StatusGroup group);
    bool moveCurrent(int direction);
    bool removeCurrent(qint64 moveTo);

    QListWidget *list() const { return m_list; }
    QString message() const;

Q_SIGNALS:
    void statusesChanged();

private:
    void reload(qint64 select = 0);
    qint64 currentId() const;
    bool report(const Result<void> &result);

    storage::CatalogStore m_catalog;
    QList<storage::Status> m_statuses;
    QListWidget *m_list = nullptr;
    QComboBox *m_group = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
