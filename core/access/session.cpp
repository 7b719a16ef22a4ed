#include "access/session.h"

#include <QCoreApplication>
#include <QMutex>
#include <QSettings>
#include <QSysInfo>

namespace sd::access {

namespace {

QMutex s_mutex;
Session s_current = Session::implicitAdministrator();
QString s_user;        // s_current.displayUser(), kept for the history rows
QString s_workstation; // cached: read once per process (the history writes one row per changed field)
thread_local bool t_system = false;

// Changes the program makes on its own: a rule, the automatic invoicing after a download, a marketplace import.
bool isAutomated(const QString &actor)
{
    return actor.startsWith(u"rule:") || actor.startsWith(u"auto-") || actor.startsWith(u"marketplace:");
}

} // namespace

void markSystemThread()
{
    t_system = true;
}

QString Session::displayUser() const
{
    if (!user.isEmpty())
        return user;
    const QString os = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return os.isEmpty() ? kAdministrator : os;
}

Session Session::implicitAdministrator()
{
    Session session;
    session.role = kAdministrator;
    session.permissions = allPermissionsSet();
    session.implicit = true;
    return session;
}

Session Session::forRole(const QString &user, const Role &role)
{
    Session session;
    session.user = user;
    session.role = role.name;
    session.permissions = role.permissions;
    return session;
}

Session Session::current()
{
    QMutexLocker lock(&s_mutex);
    return s_current;
}

void Session::setCurrent(const Session &session)
{
    QMutexLocker lock(&s_mutex);
    s_current = session;
    s_user = session.displayUser();
}

QString Session::currentUserName()
{
    QMutexLocker lock(&s_mutex);
    if (s_user.isEmpty())
        s_user = s_current.displayUser();
    return s_user;
}

QString Session::workstation()
{
    QMutexLocker lock(&s_mutex);
    if (s_workstation.isEmpty())
        s_workstation = readWorkstation();
    return s_workstation;
}

QString Session::readWorkstation()
{
    const QString forced = qEnvironmentVariable("SD_WORKSTATION").trimmed();
    if (!forced.isEmpty())
        return forced;
    const QString name = QSettings().value(u"workstation/name"_qs).toString();
    return name.isEmpty() ? QSysInfo::machineHostName() : name;
}

void Session::setWorkstation(const QString &name)
{
    QSettings().setValue(u"workstation/name"_qs, name.trimmed());
    QMutexLocker lock(&s_mutex);
    s_workstation = readWorkstation();
}

Result<void> require(Permission permission, const QString &actor)
{
    if (t_system || isAutomated(actor))
        return {};
    const Session session = Session::current();
    if (session.can(permission))
        return {};
    return makeError(Error::Code::Forbidden,
                     QCoreApplication::translate("sd::access", "Not allowed: %1 may not %2 (role %3).")
                         .arg(session.displayUser(), permissionName(permission).toLower(), session.role),
                     u"permission "_qs + permissionKey(permission));
}

SystemScope::SystemScope()
    : m_previous(t_system)
{
    t_system = true;
}

SystemScope::~SystemScope()
{
    t_system = m_previous;
}

} // namespace sd::access
