#pragma once

#include "devices/printing/printqueue.h"
#include "storage/database.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace sd::ui {

// The print queue: every job (newest first) with its state, printer and who asked; the selected job's timeline
// (created -> rendered -> sent -> printed / failed, waiting while its printer is away); reprint with a reason (the
// duplicate guard allows nothing else), retry of a job that waits, and a filter by state.
class PrintQueueDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PrintQueueDialog(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    void reload();
    // "" for every state, else a PrintQueue::stateKey.
    void setStateFilter(const QString &stateKey);
    bool selectJob(qint64 jobId);
    qint64 selectedJob() const;
    int rowCount() const;
    QStringList timeline() const; // the selected job's, as shown
    // The actions behind the buttons (the reprint button asks for the reason first).
    bool reprintSelected(const QString &reason);
    bool retrySelected();
    QString message() const;

private:
    void showTimeline();
    void updateButtons();
    void showMessage(const QString &text, bool error);

    std::shared_ptr<storage::Database> m_db;
    QList<devices::printing::PrintQueue::Job> m_jobs; // as listed (after the filter)
    QComboBox *m_filter = nullptr;
    QTableWidget *m_table = nullptr;
    QListWidget *m_timeline = nullptr;
    QPushButton *m_reprint = nullptr;
    QPushButton *m_retry = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
