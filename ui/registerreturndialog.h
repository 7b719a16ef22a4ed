#pragma once

#include "returns/returnservice.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace sd::ui {

// Registers a return of an order: how many of each item come back, why, photos or files, and (past the legal term)
// why it is accepted anyway. The service's refusal shows in the dialog and keeps what was typed.
class RegisterReturnDialog : public QDialog
{
    Q_OBJECT

public:
    RegisterReturnDialog(returns::ReturnService &service, qint64 orderId, const storage::ChangeContext &ctx,
                         QWidget *parent = nullptr);

    QTableWidget *items() const { return m_items; }
    QLineEdit *reason() const { return m_reason; }
    QLineEdit *lateReason() const { return m_late; }
    QString message() const;
    void addAttachmentFile(const QString &path);
    // Registers the return; false with the reason shown.
    bool submit();
    const returns::ReturnCase &registered() const { return m_registered; }

private:
    returns::ReturnService &m_service;
    qint64 m_orderId;
    storage::ChangeContext m_ctx;
    QTableWidget *m_items = nullptr;
    QLineEdit *m_reason = nullptr;
    QLineEdit *m_late = nullptr;
    QListWidget *m_files = nullptr;
    QLabel *m_term = nullptr;
    QLabel *m_message = nullptr;
    returns::ReturnCase m_registered;
};

} // namespace sd::ui
