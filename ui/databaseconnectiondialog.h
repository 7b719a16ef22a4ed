#pragma once

#include "util/result.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace sd::ui {

// "Connect to the warehouse database": host, port, database, user, password (kept in the SecretStore, never in the
// settings), TLS, a test before saving. The choice is stored in the settings (database/...) and the next start opens
// that database instead of the local profile (app/gui/main.cpp asks storedUrl()).
class DatabaseConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    explicit DatabaseConnectionDialog(QWidget *parent = nullptr);

    // The saved connection's URL with its password from the SecretStore; empty when none is saved.
    static Result<QString> storedUrl();
    static void forget();

private:
    QString url(bool withPassword) const;
    void testConnection();
    void save();

    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_database = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QCheckBox *m_tls = nullptr;
    QLabel *m_result = nullptr;
};

} // namespace sd::ui
