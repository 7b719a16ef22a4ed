#include "access/userstore.h"

#include "access/passwordhash.h"
#include "storage/sqlquery.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace sd::access {

namespace {

Error notFound(const QString &name)
{
    return makeError(Error::Code::NotFound,
                     QCoreApplication::translate("sd::access", "There is no user %1.").arg(name));
}

Result<void> checkPassword(const QString &password)
{
    if (password.size() < 6)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::access", "A password needs at least 6 characters."));
    return {};
}

PermissionSet parsePermissions(const QString &text)
{
    PermissionSet set = 0;
    for (const QString &key : text.split(u',', Qt::SkipEmptyParts))
        if (auto p = permissionFromKey(key.trimmed()))
            set |= quint32(*p);
    return set;
}

} // namespace

UserStore::UserStore(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<QList<User>> UserStore::users()
{
    QSqlQuery q(m_db->connection());
    if (!q.exec(u"SELECT id, name, role, active, created_at FROM users ORDER BY name"_qs))
        return storage::toError(q.lastError(), "list users");
    QList<User> list;
    while (q.next())
        list.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toBool(),
                     QDateTime::fromMSecsSinceEpoch(q.value(4).toLongLong())});
    return list;
}

Result<bool> UserStore::hasUsers()
{
    QSqlQuery q(m_db->connection());
    if (!q.exec(u"SELECT COUNT(*) FROM users"_qs) || !q.next())
        return storage::toError(q.lastError(), "count users");
    return q.value(0).toLongLong() > 0;
}

Result<User> UserStore::add(const QString &name, const QString &roleName, const QString &password)
{
    auto any = hasUsers();
    if (!any)
        return any.error();
    if (auto r = require(Permission::ManageUsers); !r)
        return r.error();
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 64 || trimmed.contains(u'@'))
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::access", "A user name must be 1 to 64 characters without \"@\"."));
    auto role = this->role(roleName);
    if (!role)
        return role.error();
    if (!*any && role->name != kAdministrator)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate(
                "sd::access", "The first user must be an administrator, or nobody could manage users afterwards."));
    if (auto r = checkPassword(password); !r)
        return r.error();
    const QString hash = hashPassword(password);
    if (hash.isEmpty())
        return makeError(Error::Code::Internal,
                         QCoreApplication::translate("sd::access", "The password could not be hashed."));

    storage::Transaction tx(*m_db, "add user");
    if (!tx.started())
        return tx.started().error();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT COUNT(*) FROM users WHERE name = ?"_qs);
    q.addBindValue(trimmed);
    if (auto r = storage::exec(q, "find user"); !r)
        return r.error();
    if (q.next() && q.value(0).toLongLong() > 0)
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::access", "There is already a user %1.").arg(trimmed));
    q.finish();
    q.prepare(
        u"INSERT INTO users (name, role, password_hash, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)"_qs);
    q.addBindValue(trimmed);
    q.addBindValue(role->name);
    q.addBindValue(hash);
    q.addBindValue(now);
    q.addBindValue(now);
    if (auto r = storage::exec(q, "add user"); !r)
        return r.error();
    if (!*any)
        if (auto r = setAutoLogin(Session::workstation(), trimmed); !r)
            return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return User{0, trimmed, role->name, true, QDateTime::fromMSecsSinceEpoch(now)};
}

Result<void> UserStore::setPassword(const QString &name, const QString &password)
{
    // A user may change their own password; anyone else's needs ManageUsers.
    if (Session::current().user != name)
        if (auto r = require(Permission::ManageUsers); !r)
            return r;
    if (auto r = checkPassword(password); !r)
        return r;
    return update(name, "password_hash", hashPassword(password), "set password");
}

Result<void> UserStore::setRole(const QString &name, const QString &roleName)
{
    if (auto r = require(Permission::ManageUsers); !r)
        return r;
    auto role = this->role(roleName);
    if (!role)
        return role.error();
    return update(name, "role", role->name, "set role");
}

Result<void> UserStore::setActive(const QString &name, bool active)
{
    if (auto r = require(Permission::ManageUsers); !r)
        return r;
    return update(name, "active", active ? 1 : 0, "set active");
}

Result<void> UserStore::update(const QString &name, const char *column, const QVariant &value, const char *what)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"UPDATE users SET %1 = ?, updated_at = ? WHERE name = ?"_qs.arg(QLatin1StringView(column)));
    q.addBindValue(value);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(name);
    if (auto r = storage::exec(q, what); !r)
        return r;
    if (q.numRowsAffected() < 1)
        return notFound(name);
    return {};
}

Result<QList<Role>> UserStore::roles()
{
    QList<Role> list = builtinRoles();
    QSqlQuery q(m_db->connection());
    if (!q.exec(u"SELECT name, permissions FROM roles ORDER BY name"_qs))
        return storage::toError(q.lastError(), "list roles");
    while (q.next())
        list.append({q.value(0).toString(), parsePermissions(q.value(1).toString()), false});
    return list;
}

Result<Role> UserStore::role(const QString &name)
{
    auto all = roles();
    if (!all)
        return all.error();
    for (const Role &r : *all)
        if (r.name == name)
            return r;
    return makeError(Error::Code::NotFound,
                     QCoreApplication::translate("sd::access", "There is no role %1.").arg(name));
}

Result<Role> UserStore::addRole(const QString &name, PermissionSet permissions)
{
    if (auto r = require(Permission::ManageUsers); !r)
        return r.error();
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 64)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::access", "A role name must be 1 to 64 characters."));
    if (this->role(trimmed))
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::access", "There is already a role %1.").arg(trimmed));
    QSqlQuery q(m_db->connection());
    q.prepare(u"INSERT INTO roles (name, permissions, created_at) VALUES (?, ?, ?)"_qs);
    q.addBindValue(trimmed);
    q.addBindValue(permissionKeys(permissions).join(u','));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (auto r = storage::exec(q, "add role"); !r)
        return r.error();
    return Role{trimmed, permissions, false};
}

Result<Session> UserStore::sessionFor(const QString &name)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT role, active FROM users WHERE name = ?"_qs);
    q.addBindValue(name);
    if (auto r = storage::exec(q, "user role"); !r)
        return r.error();
    if (!q.next())
        return notFound(name);
    if (!q.value(1).toBool())
        return makeError(Error::Code::Forbidden,
                         QCoreApplication::translate("sd::access", "The user %1 is switched off.").arg(name));
    auto role = this->role(q.value(0).toString());
    if (!role)
        return role.error();
    return Session::forRole(name, *role);
}

Result<Session> UserStore::login(const QString &name, const QString &password)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT password_hash FROM users WHERE name = ?"_qs);
    q.addBindValue(name);
    if (auto r = storage::exec(q, "user password"); !r)
        return r.error();
    const QString stored = q.next() ? q.value(0).toString() : QString();
    q.finish();
    if (stored.isEmpty() || !verifyPassword(password, stored))
        return makeError(Error::Code::Forbidden,
                         QCoreApplication::translate("sd::access", "Wrong user name or password."));
    return sessionFor(name);
}

Result<std::optional<Session>> UserStore::autoLogin(const QString &workstation)
{
    auto any = hasUsers();
    if (!any)
        return any.error();
    if (!*any)
        return std::optional<Session>(Session::implicitAdministrator());
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT user_name FROM auto_logins WHERE workstation = ?"_qs);
    q.addBindValue(workstation);
    if (auto r = storage::exec(q, "auto login"); !r)
        return r.error();
    if (!q.next())
        return std::optional<Session>();
    const QString name = q.value(0).toString();
    q.finish();
    auto session = sessionFor(name);
    if (!session)
        return std::optional<Session>();
    return std::optional<Session>(*session);
}

Result<void> UserStore::setAutoLogin(const QString &workstation, const QString &user)
{
    if (auto r = require(Permission::ManageUsers); !r)
        return r;
    QSqlQuery q(m_db->connection());
    q.prepare(u"DELETE FROM auto_logins WHERE workstation = ?"_qs);
    q.addBindValue(workstation);
    if (auto r = storage::exec(q, "clear auto login"); !r)
        return r;
    if (user.isEmpty())
        return {};
    q.prepare(u"INSERT INTO auto_logins (workstation, user_name) VALUES (?, ?)"_qs);
    q.addBindValue(workstation);
    q.addBindValue(user);
    return storage::exec(q, "set auto login");
}

} // namespace sd::access
