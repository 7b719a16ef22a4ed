#include "databaseconnectiondialog.h"
#include "logindialog.h"
#include "mainwindow.h"

#include "access/session.h"
#include "automation/headless.h"
#include "storage/database.h"
#include "util/translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

#include <cstring>
#include <memory>

int main(int argc, char **argv)
{
    // Headless: no widgets, so no QApplication (a server has no display).
    bool headless = false;
    for (int i = 1; i < argc; ++i)
        headless = headless || std::strcmp(argv[i], "--headless") == 0;
    std::unique_ptr<QCoreApplication> instance(headless ? new QCoreApplication(argc, argv)
                                                        : new QApplication(argc, argv));
    QCoreApplication &app = *instance;
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
            "Open a page at start: statuses, new-order, shortcuts, order (the newest order in its own window), "
            "order-automation, rules, rule-editor, rule-test, rule-versions, rule-templates, execution-log, login, "
            "users or database-connection."),
        QStringLiteral("page"));
    const QCommandLineOption headlessOption(
        QStringLiteral("headless"),
        QApplication::translate("main", "Run the automation and the marketplace download without a window (a "
                                        "server); stop with SIGTERM."));
    const QCommandLineOption logFile(QStringLiteral("log"),
                                     QApplication::translate("main", "With --headless: write the log to <file>."),
                                     QStringLiteral("file"));
    parser.addOptions({profile, database, language, page, headlessOption, logFile});
    parser.process(app);
    // The language chosen in the settings, unless the command line says otherwise.
    sd::installTranslations(app, parser.isSet(language) ? parser.value(language)
                                                        : QSettings().value(QStringLiteral("language")).toString());

    const QString profileDir = parser.isSet(profile)
                                   ? parser.value(profile)
                                   : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/default"_qs;
    // The warehouse database saved in "Connect to the warehouse database", unless the command line names one.
    QString databaseUrl = parser.value(database);
    if (!headless && databaseUrl.isEmpty() && !parser.isSet(profile)) {
        auto stored = sd::ui::DatabaseConnectionDialog::storedUrl();
        if (!stored) {
            QMessageBox::critical(nullptr, QApplication::translate("main", "SellerDesk"), stored.error().userMessage);
            return 1;
        }
        databaseUrl = *stored;
    }
    auto db = !databaseUrl.isEmpty() ? sd::storage::Database::openUrl(databaseUrl)
                                     : sd::storage::Database::openProfile(profileDir);
    if (headless) {
        if (!db) {
            qCritical().noquote() << db.error().userMessage;
            return 1;
        }
        sd::automation::HeadlessRunner runner(*db, {profileDir, parser.value(logFile)});
        return runner.exec();
    }
    if (!db) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "SellerDesk"), db.error().userMessage);
        return 1;
    }
    // Who works here: the workstation's automatic login (a profile without users needs none), else the login.
    // --open login always asks.
    const bool askLogin = parser.value(page) == u"login";
    const auto session = sd::ui::LoginDialog::startSession(*db, askLogin);
    if (!session)
        return 0;
    sd::access::Session::setCurrent(*session);
    sd::ui::MainWindow window(*db);
    window.show();
    window.startAutomation(profileDir);
    if (parser.isSet(page) && !askLogin)
        QMetaObject::invokeMethod(&window, "openPage", Qt::QueuedConnection, Q_ARG(QString, parser.value(page)));
    return app.exec();
}
