#include "util/logging.h"

Q_LOGGING_CATEGORY(lcStorage, "sd.storage")
Q_LOGGING_CATEGORY(lcImport, "sd.import")
Q_LOGGING_CATEGORY(lcDomain, "sd.domain")
Q_LOGGING_CATEGORY(lcAllegro, "sd.allegro")
Q_LOGGING_CATEGORY(lcSecurity, "sd.security")

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>

namespace sd::util {

namespace {

struct FileLog
{
    QMutex mutex;
    QFile file;
    qint64 maxBytes = 0;
    int keep = 0;
    QtMessageHandler previous = nullptr;
};

FileLog *s_log = nullptr;

void rotate(FileLog &log)
{
    const QString path = log.file.fileName();
    log.file.close();
    QFile::remove(path + u'.' + QString::number(log.keep));
    for (int i = log.keep - 1; i >= 1; --i)
        QFile::rename(path + u'.' + QString::number(i), path + u'.' + QString::number(i + 1));
    if (log.keep > 0)
        QFile::rename(path, path + u".1"_qs);
    else
        QFile::remove(path);
    log.file.setFileName(path);
    log.file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text);
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static const char *const kLevels[] = {"debug", "warning", "critical", "fatal", "info"};
    const QByteArray line = QDateTime::currentDateTime().toString(Qt::ISODateWithMs).toUtf8() + ' ' +
                            kLevels[qBound(0, int(type), 4)] + ' ' + (context.category ? context.category : "") + ": " +
                            message.toUtf8() + '\n';
    QMutexLocker lock(&s_log->mutex);
    if (s_log->file.isOpen()) {
        s_log->file.write(line);
        s_log->file.flush();
        if (s_log->file.size() >= s_log->maxBytes)
            rotate(*s_log);
    }
}

} // namespace

bool installFileLog(const QString &path, qint64 maxBytes, int keep)
{
    removeFileLog();
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto *log = new FileLog;
    log->file.setFileName(path);
    log->maxBytes = qMax<qint64>(maxBytes, 1024);
    log->keep = qMax(keep, 0);
    if (!log->file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
        delete log;
        return false;
    }
    s_log = log;
    log->previous = qInstallMessageHandler(handler);
    return true;
}

void removeFileLog()
{
    if (!s_log)
        return;
    qInstallMessageHandler(s_log->previous);
    delete s_log;
    s_log = nullptr;
}

} // namespace sd::util
