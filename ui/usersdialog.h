#pragma once

#include "storage/database.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace sd::ui {

// Users and roles: the profile's users with their roles, the roles with their permissions, adding a user, a new
// password, another role, this workstation's automatic login. Every change is checked by the core (UserStore needs
// ManageUsers), so a packer who opens the page is told "not allowed" and changes nothing.
class UsersDialog : public QDialog
{
    Q_OBJECT

public:
    explicit UsersDialog(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

private:
    void reload();
    void addUser();
    void changePassword();
    void changeRole();
    void setAutoLogin(bool on);
    QString selectedUser() const;
    void report(const QString &message, bool failed);

    std::shared_ptr<storage::Database> m_db;
    QTableWidget *m_users = nullptr;
    QTableWidget *m_roles = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_role = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace sd::ui
