#include "util/translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QHash>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace sd {

namespace {

// lupdate (Qt 6.4) files the strings of a class declared in a three-level namespace (`namespace sd::a::b {`) under
// the bare class name, while tr() at run time asks for the qualified one; and the files that translate through a
// module-wide helper (`tr(text)` -> translate("sd::allegro", text)) inside member functions are filed under the
// class. Without help those strings would stay English. When the asked context has no translation, this translator
// also tries the bare class name and the classes a helper's context covers.
class SellerDeskTranslator : public QTranslator
{
public:
    using QTranslator::QTranslator;

    QString translate(const char *context, const char *sourceText, const char *disambiguation, int n) const override
    {
        QString text = QTranslator::translate(context, sourceText, disambiguation, n);
        if (!text.isEmpty() || !context)
            return text;
        const QByteArray asked(context);
        const qsizetype colon = asked.lastIndexOf("::");
        if (colon >= 0) {
            text = QTranslator::translate(asked.constData() + colon + 2, sourceText, disambiguation, n);
            if (!text.isEmpty())
                return text;
        }
        static const QHash<QByteArray, QList<QByteArray>> kHelperClasses = {
            {"sd::allegro", {"AllegroClient", "SellerActions", "OAuthClient", "TokenKeeper"}},
            {"sd::marketplace", {"AccountStore"}},
            {"sd::security", {"FileSecretStore"}},
        };
        for (const QByteArray &alias : kHelperClasses.value(asked)) {
            text = QTranslator::translate(alias.constData(), sourceText, disambiguation, n);
            if (!text.isEmpty())
                return text;
        }
        return {};
    }
};

QString g_current = QStringLiteral("en");
constexpr auto kTranslatorName = "sellerdesk-translation";

} // namespace

QString currentLanguage()
{
    return g_current;
}

QString installTranslations(QCoreApplication &app, const QString &language)
{
    // A switch while running: the earlier language's translators go first (Qt asks the newest first, and English
    // has no file of its own to hide Polish behind).
    for (QTranslator *earlier :
         app.findChildren<QTranslator *>(QString::fromLatin1(kTranslatorName), Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(earlier);
        delete earlier;
    }
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
        auto *translator = new SellerDeskTranslator(&app);
        translator->setObjectName(QString::fromLatin1(kTranslatorName));
        if (translator->load(locale, QStringLiteral("sellerdesk"), QStringLiteral("_"), dir)) {
            QCoreApplication::installTranslator(translator);
            loaded = true;
            break;
        }
        delete translator;
    }
    auto *qt = new QTranslator(&app);
    qt->setObjectName(QString::fromLatin1(kTranslatorName));
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    g_current = loaded ? locale.name().left(2) : QStringLiteral("en");
    return g_current;
}

} // namespace sd
