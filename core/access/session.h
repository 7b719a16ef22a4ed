#pragma once

#include "access/permission.h"
#include "util/result.h"

#include <QString>

namespace sd::access {

// Who works at this process: the logged-in user and their role's permissions. One current session per process
// (the window's login, the CLI's --user, a headless node's implicit administrator). A profile without users runs
// as the implicit administrator, so a single-user setup never sees a login.
class Session
{
public:
    QString user; // the user's name; empty for the implicit administrator
    QString role; // the role's name
    PermissionSet permissions = 0;
    bool implicit = false; // no user logged in: the profile has no users (or a headless node)

    bool can(Permission permission) const { return permissions & quint32(permission); }
    // For history rows and messages: the user's name, or the OS account for the implicit administrator.
    QString displayUser() const;

    static Session implicitAdministrator();
    static Session forRole(const QString &user, const Role &role);

    static Session current();
    static void setCurrent(const Session &session);
    static QString currentUserName(); // current().displayUser(), cheap

    // This workstation's name: SD_WORKSTATION when set (scripts, headless nodes), else the setting
    // "workstation/name", else the host name. Printed in every history row and print job.
    static QString workstation();
    static void setWorkstation(const QString &name);

private:
    static QString readWorkstation();
};

// The check every service makes at its entry point. Changes made by the automation (actor "rule:...") or inside a
// SystemScope pass: the rules were allowed by whoever saved them. Otherwise the current session must hold the
// permission; the error says which one is missing, translated.
Result<void> require(Permission permission, const QString &actor = {});

// The calling thread runs the program's own work for the rest of its life (background services, headless nodes).
void markSystemThread();

// Work the program does on its own (background services, migrations, seeding) runs unrestricted on this thread.
class SystemScope
{
public:
    SystemScope();
    ~SystemScope();
    SystemScope(const SystemScope &) = delete;
    SystemScope &operator=(const SystemScope &) = delete;

private:
    bool m_previous;
};

} // namespace sd::access
