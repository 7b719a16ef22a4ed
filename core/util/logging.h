#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcImport)
Q_DECLARE_LOGGING_CATEGORY(lcDomain)
Q_DECLARE_LOGGING_CATEGORY(lcAllegro)
Q_DECLARE_LOGGING_CATEGORY(lcSecurity)

#include <QString>

namespace sd::util {

// Sends every log message to `path` (one line each: time, level, category, text), starting a new file when it
// passes maxBytes and keeping `keep` older ones (path.1 is the newest of them). Messages from any thread.
bool installFileLog(const QString &path, qint64 maxBytes = 5 * 1024 * 1024, int keep = 3);
// Back to Qt's own handler; closes the file.
void removeFileLog();

} // namespace sd::util
