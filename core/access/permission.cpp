#include "access/permission.h"

#include <QCoreApplication>

namespace sd::access {

namespace {

struct Entry
{
    Permission permission;
    const char *key;
    const char *name;
};

const Entry kEntries[] = {
    {Permission::EditRules, "edit-rules", QT_TRANSLATE_NOOP("sd::access", "Edit automation rules")},
    {Permission::Refund, "refund", QT_TRANSLATE_NOOP("sd::access", "Refund payments")},
    {Permission::IssueCorrections, "issue-corrections", QT_TRANSLATE_NOOP("sd::access", "Issue corrections")},
    {Permission::IssueDocuments, "issue-documents", QT_TRANSLATE_NOOP("sd::access", "Issue documents")},
    {Permission::SeeProfit, "see-profit", QT_TRANSLATE_NOOP("sd::access", "See profit")},
    {Permission::ManageUsers, "manage-users", QT_TRANSLATE_NOOP("sd::access", "Manage users and roles")},
    {Permission::ManageSettings, "manage-settings", QT_TRANSLATE_NOOP("sd::access", "Manage settings and accounts")},
    {Permission::ChangeStatus, "change-status", QT_TRANSLATE_NOOP("sd::access", "Change order status")},
    {Permission::Pack, "pack", QT_TRANSLATE_NOOP("sd::access", "Pack orders")},
};

} // namespace

const QList<Permission> &allPermissions()
{
    static const QList<Permission> list = [] {
        QList<Permission> l;
        for (const Entry &e : kEntries)
            l.append(e.permission);
        return l;
    }();
    return list;
}

PermissionSet allPermissionsSet()
{
    PermissionSet set = 0;
    for (Permission p : allPermissions())
        set |= quint32(p);
    return set;
}

QString permissionKey(Permission permission)
{
    for (const Entry &e : kEntries)
        if (e.permission == permission)
            return QString::fromLatin1(e.key);
    return {};
}

std::optional<Permission> permissionFromKey(const QString &key)
{
    for (const Entry &e : kEntries)
        if (key == QLatin1StringView(e.key))
            return e.permission;
    return std::nullopt;
}

QString permissionName(Permission permission)
{
    for (const Entry &e : kEntries)
        if (e.permission == permission)
            return QCoreApplication::translate("sd::access", e.name);
    return {};
}

QStringList permissionKeys(PermissionSet set)
{
    QStringList keys;
    for (const Entry &e : kEntries)
        if (set & quint32(e.permission))
            keys.append(QString::fromLatin1(e.key));
    return keys;
}

QString Role::displayName() const
{
    if (!builtin)
        return name;
    if (name == u"packer")
        return QCoreApplication::translate("sd::access", "Packer");
    if (name == u"office")
        return QCoreApplication::translate("sd::access", "Office");
    return QCoreApplication::translate("sd::access", "Administrator");
}

const QList<Role> &builtinRoles()
{
    static const QList<Role> roles = {
        {u"packer"_qs, quint32(Permission::Pack) | quint32(Permission::ChangeStatus), true},
        {u"office"_qs,
         quint32(Permission::Pack) | quint32(Permission::ChangeStatus) | quint32(Permission::IssueDocuments) |
             quint32(Permission::IssueCorrections) | quint32(Permission::Refund) | quint32(Permission::SeeProfit),
         true},
        {kAdministrator, allPermissionsSet(), true},
    };
    return roles;
}

} // namespace sd::access
