#pragma once

#include "storage/database.h"

#include <QDialog>

#include <memory>

class QLabel;
class QTreeWidget;

namespace sd::ui {

// The messages of the profile, or of one order: what was sent (e-mail and SMS from the outbox, with their state)
// and what buyers wrote in the marketplace's Message Center (and the seller's answers there), newest first.
class MessagesDialog : public QDialog
{
    Q_OBJECT

public:
    MessagesDialog(std::shared_ptr<storage::Database> db, qint64 orderId = 0, QWidget *parent = nullptr);

    void reload();
    int sentCount() const;
    int receivedCount() const;
    // A sent message's state as the operator reads it (with the reason of a failure or a coming retry).
    static QString stateText(const QString &state, const QString &lastError);

private:
    std::shared_ptr<storage::Database> m_db;
    qint64 m_orderId;
    QTreeWidget *m_sent;
    QTreeWidget *m_received;
    QLabel *m_message;
};

} // namespace sd::ui
