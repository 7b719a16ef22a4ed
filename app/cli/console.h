#pragma once

#include "util/result.h"

#include <QString>
#include <QTextStream>

namespace sd::cli {

// Standard output and error of the subcommands that live in their own files, and their one-line failures.
QTextStream &out();
QTextStream &err();
// "sellerdesk-cli: MESSAGE (see sellerdesk-cli --help)" on stderr; returns kUsage.
int usage(const QString &message);
// "sellerdesk-cli: error: MESSAGE" on stderr; returns kFailure.
int fail(const Error &error);

} // namespace sd::cli
