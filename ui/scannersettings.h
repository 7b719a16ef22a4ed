#pragma once

#include "scanning/codeclassifier.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace sd::ui {

// This workstation's scanner: how a keyboard-wedge scanner is told from typing (the gap between keys, the minimum
// length, the suffix, an optional prefix), sounds, and the command barcodes of the profile. The "scan here to test"
// field shows what the filter recognised and what the code is; it is the one field a scan may land in.
class ScannerSettings : public QDialog
{
    Q_OBJECT

public:
    explicit ScannerSettings(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    QLineEdit *testField() const { return m_test; }
    QLabel *testResult() const { return m_result; }
    void showScan(const QString &code);

    void accept() override;

private:
    void reloadCommands();
    void addCommand();

    std::shared_ptr<storage::Database> m_db;
    scanning::CodeClassifier m_classifier;
    QSpinBox *m_gap = nullptr;
    QSpinBox *m_minLength = nullptr;
    QCheckBox *m_enter = nullptr;
    QCheckBox *m_tab = nullptr;
    QLineEdit *m_prefix = nullptr;
    QCheckBox *m_sounds = nullptr;
    QLineEdit *m_serialPort = nullptr;
    QLineEdit *m_test = nullptr;
    QLabel *m_result = nullptr;
    QTableWidget *m_commands = nullptr;
    QLineEdit *m_commandCode = nullptr;
    QComboBox *m_commandRule = nullptr;
    QLabel *m_problem = nullptr;
};

} // namespace sd::ui
