#pragma once

#include <QStringList>

namespace sd::cli {

enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2 };

// Runs one sellerdesk-cli command line (without the program name) and returns the exit code.
int run(const QStringList &arguments);

} // namespace sd::cli
