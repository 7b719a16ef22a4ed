#include "util/translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace sd {

QString installTranslations(QCoreApplication &app, const QString &language)
{
    QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    // English is the source language; its file carries only the plural forms. C means English too.
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    QLocale::setDefault(locale);
    const QStringList places = {
        QCoreApplication::applicationDirPath() + u"/translations"_qs,
        QCoreApplication::applicationDirPath() + u"/../share/sellerdesk/translations"_qs,
    };
    bool loaded = false;
    for (const QString &dir : places) {
        auto *translator = new QTranslator(&app);
        if (translator->load(locale, QStringLiteral("sellerdesk"), QStringLiteral("_"), dir)) {
            QCoreApplication::installTranslator(translator);
            loaded = true;
            break;
        }
        delete translator;
    }
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return loaded ? locale.name().left(2) : QStringLiteral("en");
}

} // namespace sd
