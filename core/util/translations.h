#pragma once

#include <QString>

class QCoreApplication;

namespace sd {

// Loads SellerDesk's and Qt's translations for the language: "pl", "en", or empty for the system's, in place of
// the ones an earlier call loaded (a language switch while running). Returns the language that is in effect.
QString installTranslations(QCoreApplication &app, const QString &language = {});
// The language the last installTranslations() put in effect ("en" before any).
QString currentLanguage();

} // namespace sd
