#pragma once

#include "rules.h"

namespace sd::cli {

// `mail ...`, `sms ...`, `messages ...`, `confirm ...` and `templates ...`: command is the first word; words follow it.
int messagingCommand(const QString &command, const QStringList &words, const OpenDatabase &open,
                     const QString &profileDir);
QString messagingHelp();

} // namespace sd::cli
