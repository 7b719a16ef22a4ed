#pragma once

#include "access/permission.h"
#include "access/session.h"
#include "storage/database.h"

#include <QDateTime>

#include <memory>

namespace sd::access {

struct User
{
    qint64 id = 0;
    QString name;
    QString role;
    bool active = true;
    QDateTime createdAt;
};

// The profile's users (users), custom roles (roles) and per-workstation auto-login (auto_logins). Passwords are
// kept only as PBKDF2 hashes. Every change needs ManageUsers in the current session; while a profile has no users
// the implicit administrator adds the first one, which must be an administrator and becomes this workstation's
// auto-login, so a single-user setup keeps starting without a login.
class UserStore
{
public:
    explicit UserStore(std::shared_ptr<storage::Database> db);

    Result<QList<User>> users();
    Result<bool> hasUsers();
    Result<User> add(const QString &name, const QString &role, const QString &password);
    Result<void> setPassword(const QString &name, const QString &password);
    Result<void> setRole(const QString &name, const QString &role);
    Result<void> setActive(const QString &name, bool active);

    // Built-in roles first, then the profile's own.
    Result<QList<Role>> roles();
    Result<Role> role(const QString &name);
    Result<Role> addRole(const QString &name, PermissionSet permissions);

    // A session for the user when the password matches (the same message for an unknown user or a wrong password).
    Result<Session> login(const QString &name, const QString &password);
    // The session this workstation starts with without a login: the implicit administrator while the profile has no
    // users, the workstation's auto-login user if set; empty when someone has to log in.
    Result<std::optional<Session>> autoLogin(const QString &workstation);
    Result<void> setAutoLogin(const QString &workstation, const QString &user); // empty user: ask at start

private:
    Result<Session> sessionFor(const QString &name);
    // One column of a user's row (and updated_at); NotFound when there is no such user.
    Result<void> update(const QString &name, const char *column, const QVariant &value, const char *what);
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::access
