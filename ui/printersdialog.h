#pragma once

#include "devices/printing/printerrouting.h"
#include "storage/database.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sd::ui {

// This workstation's printers (QSettings, per workstation): the document printer (a CUPS queue or a PDF file), the
// label printer (a CUPS queue, ZPL raw over TCP, or a PDF file) and the fiscal printer (TCP or a serial port, Posnet
// or Novitus). Each has a "Print test page" button whose page goes through the print queue (the fiscal one asks the
// printer for its state and VAT rates instead: a fiscal printer prints no free text page). A bad address is refused
// with the reason and nothing is stored.
class PrintersDialog : public QDialog
{
    Q_OBJECT

public:
    using Role = devices::printing::PrinterRouting::Role;

    explicit PrintersDialog(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    // The address the form says for a role ("" for none); "tcp://HOST:PORT?protocol=novitus" for a Novitus printer.
    QString address(Role role) const;
    void setAddress(Role role, const QString &address);
    // Stores every role; false (and a message) when an address is wrong, then nothing is stored.
    bool save();
    // Prints the role's test page through the print queue (or checks the fiscal printer); the outcome is shown.
    void printTestPage(Role role);
    QString message() const;

private:
    struct Row
    {
        QComboBox *kind = nullptr;
        QLineEdit *target = nullptr;
        QComboBox *protocol = nullptr; // fiscal only
        QPushButton *test = nullptr;
    };
    Row &row(Role role) { return m_rows[int(role)]; }
    const Row &row(Role role) const { return m_rows[int(role)]; }
    QString check(Role role) const; // a translated reason, or empty
    void showMessage(const QString &text, bool error);
    void updatePlaceholder(Role role);

    std::shared_ptr<storage::Database> m_db;
    Row m_rows[3];
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
