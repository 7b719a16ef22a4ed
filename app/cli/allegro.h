#pragma once

#include "storage/database.h"

#include <QStringList>

#include <memory>

namespace sd::cli {

// sellerdesk-cli allegro connect|sync|accounts ...: returns the exit code.
int allegro(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words);

} // namespace sd::cli
