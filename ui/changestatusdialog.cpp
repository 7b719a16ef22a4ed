#include "changestatusdialog.h"

#include "statusicon.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>

namespace sd::ui {

ChangeStatusDialog::ChangeStatusDialog(const QList<storage::Status> &statuses, const QString &current, int orderCount,
                                       QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Change status"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("New status for %n order(s):", nullptr, orderCount), this);
    m_status = new QComboBox(this);
    for (const storage::Status &status : statuses)
        m_status->addItem(statusIcon(status.color), status.name);
    setStatus(current);
    m_inform = new QCheckBox(tr("&Inform customer (e-mail, and SMS where set up)"), this);
    m_inform->setToolTip(tr("When off, the status changes silently: nothing is sent to the buyer."));
    m_inform->setChecked(QSettings().value(u"changeStatus/inform"_qs, true).toBool());
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        QSettings().setValue(u"changeStatus/inform"_qs, m_inform->isChecked());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(intro);
    layout->addWidget(m_status);
    layout->addWidget(m_inform);
    layout->addWidget(buttons);
    m_status->setFocus();
}

QString ChangeStatusDialog::status() const
{
    return m_status->currentText();
}

bool ChangeStatusDialog::informBuyer() const
{
    return m_inform->isChecked();
}

void ChangeStatusDialog::setStatus(const QString &name)
{
    const int index = m_status->findText(name);
    if (index >= 0)
        m_status->setCurrentIndex(index);
}

void ChangeStatusDialog::setInformBuyer(bool inform)
{
    m_inform->setChecked(inform);
}

} // namespace sd::ui
