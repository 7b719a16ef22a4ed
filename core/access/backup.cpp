#include "access/backup.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

namespace sd::access {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::access", text);
}

// One sqlite3 handle, closed on every path.
struct Handle
{
    sqlite3 *db = nullptr;
    ~Handle() { sqlite3_close_v2(db); }
    QString message() const { return QString::fromUtf8(sqlite3_errmsg(db)); }
};

Result<void> openHandle(Handle &handle, const QString &file, int flags)
{
    if (sqlite3_open_v2(QFile::encodeName(file).constData(), &handle.db, flags, nullptr) != SQLITE_OK)
        return makeError(Error::Code::Io, tr("The database %1 cannot be opened.").arg(file), handle.message());
    sqlite3_busy_timeout(handle.db, 10000);
    return {};
}

Result<BackupReport> copy(sqlite3 *from, sqlite3 *to, const QString &target)
{
    sqlite3_backup *backup = sqlite3_backup_init(to, "main", from, "main");
    if (!backup)
        return makeError(Error::Code::Io, tr("The backup to %1 cannot start.").arg(target),
                         QString::fromUtf8(sqlite3_errmsg(to)));
    // All pages in one step: one read transaction, so the copy is one consistent moment of the source.
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(backup, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    BackupReport report;
    report.pages = sqlite3_backup_pagecount(backup);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        return makeError(Error::Code::Io, tr("The backup to %1 failed.").arg(target),
                         QString::fromUtf8(sqlite3_errstr(rc)));
    report.bytes = QFileInfo(target).size();
    return report;
}

} // namespace

Result<QString> quickCheck(const QString &file)
{
    Handle handle;
    if (auto r = openHandle(handle, file, SQLITE_OPEN_READONLY); !r)
        return r.error();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(handle.db, "PRAGMA quick_check", -1, &statement, nullptr) != SQLITE_OK)
        return QString(handle.message());
    QString problem;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        const QString first = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(statement, 0)));
        if (first != u"ok")
            problem = first;
    } else {
        problem = handle.message();
    }
    sqlite3_finalize(statement);
    return problem;
}

Result<BackupReport> createBackup(const QString &source, const QString &target)
{
    if (!QFileInfo::exists(source))
        return makeError(Error::Code::NotFound, tr("There is no database at %1.").arg(source));
    if (QFileInfo(target).absoluteFilePath() == QFileInfo(source).absoluteFilePath())
        return makeError(Error::Code::Invalid, tr("The backup cannot overwrite the database itself."));
    // Into a temporary file beside the target, renamed at the end: a failed backup never leaves half a file.
    const QString temporary = target + u".partial"_qs;
    QFile::remove(temporary);
    Handle from;
    Handle to;
    if (auto r = openHandle(from, source, SQLITE_OPEN_READONLY); !r)
        return r.error();
    if (auto r = openHandle(to, temporary, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE); !r)
        return makeError(Error::Code::Io, tr("The backup file %1 cannot be written.").arg(target), r.error().detail);
    auto report = copy(from.db, to.db, temporary);
    sqlite3_close_v2(to.db);
    to.db = nullptr;
    if (!report) {
        QFile::remove(temporary);
        return report.error();
    }
    QFile::remove(target);
    if (!QFile::rename(temporary, target)) {
        QFile::remove(temporary);
        return makeError(Error::Code::Io, tr("The backup file %1 cannot be written.").arg(target));
    }
    report->bytes = QFileInfo(target).size();
    return report;
}

Result<BackupReport> restoreBackup(const QString &backup, const QString &target)
{
    if (!QFileInfo::exists(backup))
        return makeError(Error::Code::NotFound, tr("There is no backup file %1.").arg(backup));
    auto problem = quickCheck(backup);
    if (!problem)
        return problem.error();
    if (!problem->isEmpty())
        return makeError(Error::Code::WrongDatabase, tr("The backup %1 is damaged; it was not restored.").arg(backup),
                         *problem);
    Handle from;
    if (auto r = openHandle(from, backup, SQLITE_OPEN_READONLY); !r)
        return r.error();
    {
        sqlite3_stmt *statement = nullptr;
        bool ours = sqlite3_prepare_v2(from.db, "SELECT value FROM meta WHERE key = 'application'", -1, &statement,
                                       nullptr) == SQLITE_OK &&
                    sqlite3_step(statement) == SQLITE_ROW &&
                    qstrcmp(reinterpret_cast<const char *>(sqlite3_column_text(statement, 0)), "sellerdesk") == 0;
        sqlite3_finalize(statement);
        if (!ours)
            return makeError(Error::Code::WrongDatabase,
                             tr("%1 is not a SellerDesk backup; nothing was restored.").arg(backup));
    }
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return makeError(Error::Code::Io, tr("The folder of %1 cannot be created.").arg(target));
    Handle to;
    if (auto r = openHandle(to, target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE); !r)
        return r.error();
    return copy(from.db, to.db, target);
}

} // namespace sd::access
