#pragma once

#include "storage/catalogstore.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;

namespace sd::ui {

// Chooses the new status for one or more orders and whether the buyer is told (A6).
class ChangeStatusDialog : public QDialog
{
    Q_OBJECT

public:
    ChangeStatusDialog(const QList<storage::Status> &statuses, const QString &current, int orderCount,
                       QWidget *parent = nullptr);

    QString status() const;
    bool informBuyer() const;
    void setStatus(const QString &name);
    void setInformBuyer(bool inform);

private:
    QComboBox *m_status = nullptr;
    QCheckBox *m_inform = nullptr;
};

} // namespace sd::ui
