#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sd::access {

// What a user may do. Checked in the core at the entry point of each service (see session.h), so a hidden button
// is never the only guard. Stored in custom roles by key.
enum class Permission : quint32 {
    EditRules = 1u << 0,
    Refund = 1u << 1,
    IssueCorrections = 1u << 2,
    IssueDocuments = 1u << 3,
    SeeProfit = 1u << 4,
    ManageUsers = 1u << 5,
    ManageSettings = 1u << 6, // settings and marketplace accounts
    ChangeStatus = 1u << 7,
    Pack = 1u << 8,
};

using PermissionSet = quint32;

const QList<Permission> &allPermissions();
PermissionSet allPermissionsSet();
QString permissionKey(Permission permission); // "edit-rules"
std::optional<Permission> permissionFromKey(const QString &key);
QString permissionName(Permission permission); // translated
QStringList permissionKeys(PermissionSet set);

// A role: a name and its permissions. packer, office and administrator are built in; others are the profile's.
struct Role
{
    QString name;
    PermissionSet permissions = 0;
    bool builtin = false;

    bool can(Permission permission) const { return permissions & quint32(permission); }
    QString displayName() const; // translated for built-in roles
};

const QList<Role> &builtinRoles();
inline const QString kAdministrator = QStringLiteral("administrator");

} // namespace sd::access
