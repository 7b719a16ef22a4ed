#include "mainwindow.h"

#include "storage/database.h"
#include "util/translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SellerDesk"));
    QApplication::setApplicationName(QStringLiteral("SellerDesk"));
    QApplication::setApplicationVersion(QStringLiteral(SD_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "SellerDesk: orders, documents and shipping for online sellers"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(
        QStringLiteral("profile"), QApplication::translate("main", "Use the profile in <dir>."), QStringLiteral("dir"));
    const QCommandLineOption database(QStringLiteral("database"),
                                      QApplication::translate("main", "Use the shared PostgreSQL database at <url>."),
                                      QStringLiteral("url"));
    const QCommandLineOption language(QStringLiteral("language"),
                                      QApplication::translate("main", "Interface language: pl or en."),
                                      QStringLiteral("code"));
    const QCommandLineOption page(
        QStringLiteral("open"),
        QApplication::translate(
            "main",
            "Open a page at start: statuses, new-order, shortcuts or order (the newest order in its own window)."),
        QStringLiteral("page"));
    parser.addOptions({profile, database, language, page});
    parser.process(app);
    // The language chosen in the settings, unless the command line says otherwise.
    sd::installTranslations(app, parser.isSet(language) ? parser.value(language)
                                                        : QSettings().value(QStringLiteral("language")).toString());

    auto db = parser.isSet(database)
                  ? sd::storage::Database::openUrl(parser.value(database))
                  : sd::storage::Database::openProfile(
                        parser.isSet(profile)
                            ? parser.value(profile)
                            : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/default"_qs);
    if (!db) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "SellerDesk"), db.error().userMessage);
        return 1;
    }
    sd::ui::MainWindow window(*db);
    window.show();
    if (parser.isSet(page))
        QMetaObject::invokeMethod(&window, "openPage", Qt::QueuedConnection, Q_ARG(QString, parser.value(page)));
    return app.exec();
}
