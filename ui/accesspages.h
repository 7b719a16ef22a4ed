#pragma once

#include "storage/database.h"

#include <QString>

#include <memory>

class QMenu;
class QWidget;

namespace sd::ui {

// The window's users, database and backup entries: the Settings menu items and the --open pages "login", "users"
// and "database-connection".
namespace AccessPages {

void addActions(QMenu *settingsMenu, const std::shared_ptr<storage::Database> &db, QWidget *parent);
// True when page is one of these pages (and it was opened).
bool openPage(const QString &page, const std::shared_ptr<storage::Database> &db, QWidget *parent);

} // namespace AccessPages

} // namespace sd::ui
