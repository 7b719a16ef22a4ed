#pragma once

#include "storage/database.h"

#include <QStringList>

#include <functional>
#include <memory>

namespace sd::cli {

using OpenDatabase = std::function<Result<std::shared_ptr<storage::Database>>()>;

// `rules ...`, `jobs ...` and `bench rules ...`: command is "rules", "jobs" or "bench"; words follow it. profileDir
// holds the secret file the marketplace actions of `rules run` read their tokens from (empty: the default).
int automationCommand(const QString &command, const QStringList &words, const OpenDatabase &open,
                      const QString &profileDir = {});
QString automationHelp();

} // namespace sd::cli
