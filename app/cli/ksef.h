#pragma once

#include "storage/database.h"

#include <QStringList>

#include <memory>

namespace sd::cli {

// sellerdesk-cli ksef send|status|settings ...: returns the exit code.
int ksef(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words);

} // namespace sd::cli
