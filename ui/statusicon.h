#pragma once

#include <QIcon>
#include <QString>

namespace sd::ui {

// A small round swatch of a status colour, for tabs, lists and combo boxes.
QIcon statusIcon(const QString &color);

} // namespace sd::ui
