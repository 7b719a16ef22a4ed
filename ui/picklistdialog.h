#pragma once

#include "scanning/picklist.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QTableWidget;

namespace sd::ui {

// A pick list for the orders chosen in the list, or for every order in a status: products grouped with their shelf
// location and the units to fetch, saved as a PDF with barcodes to print.
class PickListDialog : public QDialog
{
    Q_OBJECT

public:
    PickListDialog(std::shared_ptr<storage::Database> db, QList<qint64> selection, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }
    QComboBox *source() const { return m_source; }
    const QList<scanning::PickRow> &rows() const { return m_rows; }
    // Writes the PDF to path (the dialog asks for it when empty).
    bool savePdf(QString path = {});

private:
    void reload();

    std::shared_ptr<storage::Database> m_db;
    QList<qint64> m_selection;
    QList<scanning::PickRow> m_rows;
    QComboBox *m_source = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace sd::ui
