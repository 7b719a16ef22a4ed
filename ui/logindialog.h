#pragma once

#include "access/session.h"
#include "storage/database.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;

namespace sd::ui {

// The login at start when the workstation has no automatic login: user and password, checked by UserStore; the
// same message for an unknown user and a wrong password.
class LoginDialog : public QDialog
{
    Q_OBJECT

public:
    explicit LoginDialog(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);
    access::Session session() const { return m_session; }

    // The session this workstation starts with: its automatic login, else the dialog (always the dialog when ask is
    // set). Empty when the user quits.
    static std::optional<access::Session> startSession(const std::shared_ptr<storage::Database> &db, bool ask = false);

private:
    void tryLogin();

    std::shared_ptr<storage::Database> m_db;
    QComboBox *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_problem = nullptr;
    access::Session m_session;
};

} // namespace sd::ui
