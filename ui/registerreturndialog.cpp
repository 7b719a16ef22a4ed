#include "registerreturndialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

RegisterReturnDialog::RegisterReturnDialog(returns::ReturnService &service, qint64 orderId,
                                           const storage::ChangeContext &ctx, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_orderId(orderId)
    , m_ctx(ctx)
{
    setWindowTitle(tr("Register return of order %1").arg(orderId));
    auto *layout = new QVBoxLayout(this);
    m_term = new QLabel(this);
    m_term->setWordWrap(true);
    layout->addWidget(m_term);
    m_items = new QTableWidget(0, 4, this);
    m_items->setHorizontalHeaderLabels({tr("SKU"), tr("Item"), tr("Bought"), tr("Returned")});
    m_items->verticalHeader()->hide();
    m_items->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_items->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_items);
    auto *form = new QFormLayout;
    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(tr("e.g. withdrawal from the contract, damaged, wrong size"));
    form->addRow(tr("&Reason:"), m_reason);
    m_late = new QLineEdit(this);
    m_late->setPlaceholderText(tr("only for a return after the legal term"));
    form->addRow(tr("&Late, accepted because:"), m_late);
    layout->addLayout(form);
    m_files = new QListWidget(this);
    m_files->setMaximumHeight(80);
    auto *addFile = new QPushButton(tr("Add &photo or file…"), this);
    connect(addFile, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Photos and files of the return"));
        for (const QString &f : files)
            addAttachmentFile(f);
    });
    layout->addWidget(new QLabel(tr("Attachments:"), this));
    layout->addWidget(m_files);
    layout->addWidget(addFile, 0, Qt::AlignLeft);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(u"color:#c0392b"_qs);
    layout->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Register return"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (submit())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(640, 460);

    auto order = m_service.orders().load(orderId);
    if (!order) {
        m_message->setText(order.error().userMessage);
        return;
    }
    m_items->setRowCount(int(order->items.size()));
    for (int row = 0; row < order->items.size(); ++row) {
        const domain::LineItem &item = order->items.at(row);
        m_items->setItem(row, 0, new QTableWidgetItem(item.sku));
        m_items->setItem(row, 1, new QTableWidgetItem(item.name));
        m_items->setItem(row, 2, new QTableWidgetItem(QString::number(item.quantity)));
        auto *spin = new QSpinBox(m_items);
        spin->setRange(0, item.quantity);
        spin->setAccessibleName(tr("Returned units of %1").arg(item.name));
        m_items->setCellWidget(row, 3, spin);
    }
    m_items->resizeColumnsToContents();
    m_items->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    auto end = m_service.termEnd(*order);
    if (end) {
        const bool late = QDate::currentDate() > *end;
        m_term->setText(late ? tr("The return term ended on %1: say why the return is accepted anyway.")
                                   .arg(QLocale().toString(*end, QLocale::ShortFormat))
                             : tr("Returns are in time until %1.").arg(QLocale().toString(*end, QLocale::ShortFormat)));
        if (late)
            m_term->setStyleSheet(u"color:#8a6d3b"_qs);
    }
}

QString RegisterReturnDialog::message() const
{
    return m_message->text();
}

void RegisterReturnDialog::addAttachmentFile(const QString &path)
{
    m_files->addItem(path);
}

bool RegisterReturnDialog::submit()
{
    returns::ReturnRequest request;
    request.orderId = m_orderId;
    for (int row = 0; row < m_items->rowCount(); ++row) {
        auto *spin = qobject_cast<QSpinBox *>(m_items->cellWidget(row, 3));
        if (spin && spin->value() > 0)
            request.items.append({u"#%1"_qs.arg(row + 1), spin->value()});
    }
    request.reason = m_reason->text();
    request.lateOverride = m_late->text();
    for (int i = 0; i < m_files->count(); ++i)
        request.attachments.append(m_files->item(i)->text());
    auto made = m_service.registerReturn(request, m_ctx);
    if (!made) {
        m_message->setText(made.error().userMessage);
        return false;
    }
    m_registered = *made;
    m_message->clear();
    return true;
}

} // namespace sd::ui
