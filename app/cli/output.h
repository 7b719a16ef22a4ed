#pragma once

#include "util/result.h"

#include <QTextStream>

namespace sd::cli {

// What the subcommands in their own files share: the translated text of context sd::cli, standard output and error,
// and the one-line usage and failure messages (exit codes 2 and 1).
QString cliText(const char *text);
QTextStream &cliOut();
QTextStream &cliErr();
int usageLine(const QString &message);
int failureLine(const Error &error);

} // namespace sd::cli
