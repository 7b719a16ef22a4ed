#pragma once

#include "storage/database.h"

#include <QStringList>

#include <memory>

namespace sd::cli {

// `label ...` and `print ...`: command is "label" or "print"; words follow it. The database is opened only by the
// subcommands that need it (`label training-shipx` does not).
int labelsCommand(const QString &command, const QStringList &words,
                  const std::function<Result<std::shared_ptr<storage::Database>>()> &open, const QString &profileDir);
QString labelsHelp();

} // namespace sd::cli
