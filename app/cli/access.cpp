#include "access.h"

#include "access/backup.h"
#include "access/selftest.h"
#include "access/userstore.h"
#include "args.h"
#include "cli.h"
#include "console.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

#include <cstdio>

namespace sd::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

// One line of stdin (the login password first, then a new password): scripts pipe them in.
QString readLine()
{
    static QTextStream in(stdin);
    return in.readLine();
}

QString secretInput(const char *variable)
{
    const QString fromEnvironment = qEnvironmentVariable(variable);
    return fromEnvironment.isEmpty() ? readLine() : fromEnvironment;
}

int users(const QStringList &words, const OpenDatabase &open)
{
    const QString sub = words.value(0);
    const Args args = Args::parse(words.mid(1), {u"role"_qs}, {});
    if (!args.problem.isEmpty())
        return usage(args.problem);
    auto db = open();
    if (!db)
        return fail(db.error());
    access::UserStore store(*db);
    if (sub == u"list") {
        auto list = store.users();
        if (!list)
            return fail(list.error());
        for (const auto &user : *list)
            out() << user.name << u'\t' << user.role << u'\t' << (user.active ? tr("active") : tr("switched off"))
                  << Qt::endl;
        if (list->isEmpty())
            out() << tr("No users: this profile runs as the implicit administrator without a login.") << Qt::endl;
        return kOk;
    }
    if (sub == u"add" || sub == u"passwd") {
        if (args.positional.size() != 1)
            return usage(tr("users %1 needs exactly one NAME").arg(sub));
        const QString name = args.positional.constFirst();
        if (sub == u"add" && !args.values.contains(u"role"_qs))
            return usage(tr("users add needs --role ROLE (see roles list)"));
        // The new password: SD_NEW_PASSWORD, else the next line of stdin.
        const QString password = secretInput("SD_NEW_PASSWORD");
        if (sub == u"add") {
            auto added = store.add(name, args.values.value(u"role"_qs), password);
            if (!added)
                return fail(added.error());
            out() << tr("User %1 added with the role %2.").arg(added->name, added->role) << Qt::endl;
            return kOk;
        }
        if (auto r = store.setPassword(name, password); !r)
            return fail(r.error());
        out() << tr("The password of %1 was changed.").arg(name) << Qt::endl;
        return kOk;
    }
    return usage(tr("users needs a subcommand: add, list or passwd"));
}

int roles(const QStringList &words, const OpenDatabase &open)
{
    const QString sub = words.value(0);
    const Args args = Args::parse(words.mid(1), {u"permissions"_qs}, {});
    if (!args.problem.isEmpty())
        return usage(args.problem);
    auto db = open();
    if (!db)
        return fail(db.error());
    access::UserStore store(*db);
    if (sub == u"list") {
        auto list = store.roles();
        if (!list)
            return fail(list.error());
        for (const auto &role : *list)
            out() << role.name << u'\t' << access::permissionKeys(role.permissions).join(u',') << Qt::endl;
        return kOk;
    }
    if (sub == u"add") {
        if (args.positional.size() != 1)
            return usage(tr("roles add needs exactly one NAME"));
        access::PermissionSet set = 0;
        for (const QString &key : args.values.value(u"permissions"_qs).split(u',', Qt::SkipEmptyParts)) {
            const auto permission = access::permissionFromKey(key.trimmed());
            if (!permission)
                return usage(tr("unknown permission %1; see roles list").arg(key.trimmed()));
            set |= quint32(*permission);
        }
        auto added = store.addRole(args.positional.constFirst(), set);
        if (!added)
            return fail(added.error());
        out() << tr("Role %1 added.").arg(added->name) << Qt::endl;
        return kOk;
    }
    return usage(tr("roles needs a subcommand: list or add"));
}

int backup(const QStringList &words, const OpenDatabase &open, const QString &databaseFile,
           const std::function<void()> &closeDatabase)
{
    const QString sub = words.value(0);
    if ((sub != u"create" && sub != u"restore") || words.size() != 2)
        return usage(tr("backup needs create FILE or restore FILE"));
    if (databaseFile.isEmpty())
        return fail(makeError(Error::Code::Invalid,
                              tr("A PostgreSQL database is backed up with pg_dump (see docs/deployment.md).")));
    auto db = open();
    if (sub == u"create") {
        if (!db)
            return fail(db.error());
        auto report = access::createBackup(databaseFile, words.at(1));
        if (!report)
            return fail(report.error());
        out() << tr("Backup written to %1 (%2 pages, %3 bytes).")
                     .arg(QDir::toNativeSeparators(words.at(1)))
                     .arg(report->pages)
                     .arg(report->bytes)
              << Qt::endl;
        return kOk;
    }
    // Restoring replaces everything: only someone who manages settings may do it. A damaged profile cannot be
    // opened to ask, so then the restore goes ahead (that is what the damage message tells the user to do).
    if (db)
        if (auto r = access::require(access::Permission::ManageSettings); !r)
            return fail(r.error());
    closeDatabase();
    auto report = access::restoreBackup(words.at(1), databaseFile);
    if (!report)
        return fail(report.error());
    out() << tr("Backup %1 restored (%2 pages).").arg(QDir::toNativeSeparators(words.at(1))).arg(report->pages)
          << Qt::endl;
    return kOk;
}

int selftest(const OpenDatabase &open, const QString &profileDir)
{
    auto db = open();
    if (!db) {
        out() << tr("FAIL") << u"  "_qs << tr("Database") << u": "_qs << db.error().userMessage << Qt::endl;
        return kFailure;
    }
    bool allOk = true;
    for (const auto &line : access::runSelfTest(*db, profileDir)) {
        allOk = allOk && line.ok;
        out() << (line.ok ? tr("OK") : tr("FAIL")) << u"  "_qs << line.what;
        if (!line.detail.isEmpty())
            out() << u": "_qs << line.detail;
        out() << Qt::endl;
    }
    return allOk ? kOk : kFailure;
}

} // namespace

Result<void> startSession(const std::shared_ptr<storage::Database> &db, const QString &user)
{
    access::UserStore store(db);
    if (!user.isEmpty()) {
        auto session = store.login(user, secretInput("SD_PASSWORD"));
        if (!session)
            return session.error();
        access::Session::setCurrent(*session);
        return {};
    }
    auto automatic = store.autoLogin(access::Session::workstation());
    if (!automatic)
        return automatic.error();
    if (!automatic->has_value())
        return makeError(Error::Code::Forbidden,
                         tr("This profile has users and this workstation (%1) has no automatic login: "
                            "pass --user NAME (the password from SD_PASSWORD or stdin).")
                             .arg(access::Session::workstation()));
    access::Session::setCurrent(**automatic);
    return {};
}

int accessCommand(const QString &command, const QStringList &words, const OpenDatabase &open, const QString &profileDir,
                  const QString &databaseFile, const std::function<void()> &closeDatabase)
{
    if (command == u"users")
        return users(words, open);
    if (command == u"roles")
        return roles(words, open);
    if (command == u"backup")
        return backup(words, open, databaseFile, closeDatabase);
    if (!words.isEmpty())
        return usage(tr("selftest takes no arguments"));
    return selftest(open, profileDir);
}

QString accessHelp()
{
    return tr("  --user NAME                              (global) work as NAME; password from SD_PASSWORD or "
              "stdin\n"
              "  users list                               the profile's users and roles\n"
              "  users add NAME --role ROLE               add a user (password from SD_NEW_PASSWORD or stdin)\n"
              "  users passwd NAME                        set a password (from SD_NEW_PASSWORD or stdin)\n"
              "  roles list                               roles and their permissions\n"
              "  roles add NAME --permissions KEY,...     a custom role\n"
              "  backup create FILE                       a consistent copy of the SQLite profile, also while it "
              "runs\n"
              "  backup restore FILE                      replace the profile with a backup (checked first)\n"
              "  selftest                                 check database, keychain, printers, marketplace tokens\n");
}

} // namespace sd::cli
