#pragma once

#include <QString>

class QCoreApplication;

namespace sd {

// Loads SellerDesk's and Qt's translations for the language: "pl", "en", or empty for the system's.
// Returns the language that is in effect.
QString installTranslations(QCoreApplication &app, const QString &language = {});

} // namespace sd
