#include "picklistdialog.h"

#include "storage/catalogstore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

PickListDialog::PickListDialog(std::shared_ptr<storage::Database> db, QList<qint64> selection, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_selection(std::move(selection))
{
    setWindowTitle(tr("Pick list"));
    resize(900, 600);
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_source = new QComboBox(this);
    if (!m_selection.isEmpty())
        m_source->addItem(tr("The %n chosen order(s)", nullptr, int(m_selection.size())), QString());
    storage::CatalogStore catalog(m_db);
    if (auto statuses = catalog.statuses(); statuses) {
        for (const storage::Status &s : *statuses)
            m_source->addItem(tr("Status: %1").arg(s.name), s.name);
    }
    auto *label = new QLabel(tr("&Orders:"), this);
    label->setBuddy(m_source);
    top->addWidget(label);
    top->addWidget(m_source, 1);
    layout->addLayout(top);
    m_table = new QTableWidget(0, 6, this);
    m_table->setHorizontalHeaderLabels(
        {tr("Location"), tr("SKU"), tr("EAN"), tr("Product"), tr("Units"), tr("Orders")});
    m_table->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_table, 1);
    m_summary = new QLabel(this);
    layout->addWidget(m_summary);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *save = buttons->addButton(tr("Save as PDF…"), QDialogButtonBox::ActionRole);
    save->setShortcut(QKeySequence::Print);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save, &QPushButton::clicked, this, [this] { savePdf(); });
    connect(m_source, &QComboBox::currentIndexChanged, this, &PickListDialog::reload);
    reload();
    m_source->setFocus();
}

void PickListDialog::reload()
{
    const QString status = m_source->currentData().toString();
    auto rows = status.isEmpty() ? scanning::PickList::forOrders(*m_db, m_selection)
                                 : scanning::PickList::forStatus(*m_db, status);
    if (!rows) {
        m_summary->setText(rows.error().userMessage);
        return;
    }
    m_rows = *rows;
    m_table->setRowCount(int(m_rows.size()));
    int units = 0;
    for (int r = 0; r < m_rows.size(); ++r) {
        const scanning::PickRow &row = m_rows.at(r);
        const QStringList cells{
            row.location, row.sku, row.ean, row.name, QString::number(row.quantity), QString::number(row.orders)};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(r, c, new QTableWidgetItem(cells.at(c)));
        units += row.quantity;
    }
    m_summary->setText(tr("%n product(s), %1 unit(s) to pick.", nullptr, int(m_rows.size())).arg(units));
}

bool PickListDialog::savePdf(QString path)
{
    if (path.isEmpty())
        path = QFileDialog::getSaveFileName(this, tr("Save the pick list"), tr("pick-list.pdf"), tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return false;
    auto pdf = scanning::PickList::pdf(m_rows, tr("Pick list: %1").arg(m_source->currentText()));
    if (!pdf) {
        m_summary->setText(pdf.error().userMessage);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*pdf) != pdf->size() || !file.commit()) {
        m_summary->setText(tr("The file %1 could not be written: %2").arg(path, file.errorString()));
        return false;
    }
    m_summary->setText(tr("Saved to %1.").arg(path));
    return true;
}

} // namespace sd::ui
