#pragma once

#include <QStringList>

namespace sd::cli {

// sellerdesk-cli training serve [--port P] [--state FILE] [--orders N] [--rate PER_MIN] [--auto-approve]
//                               [--faults SPEC] [--seed S]
// Prints the base URL alone on the first line of stdout, then logs to stderr until SIGINT or SIGTERM.
int training(const QStringList &words);

} // namespace sd::cli
