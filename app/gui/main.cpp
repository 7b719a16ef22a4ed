#include "databaseconnectiondialog.h"
#include "firstrunwizard.h"
#include "helpbrowser.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "scannerfilter.h"
#include "scanning/serialscanner.h"
#include "windowhost.h"

#include "access/session.h"
#include "automation/headless.h"
#include "automation/rulestore.h"
#include "marketplace/accountstore.h"
#include "storage/database.h"
#include "util/offscreen.h"
#include "util/trainingmode.h"
#include "util/translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

#include <cstring>
#include <memory>

int main(int argc, char **argv)
{
    // Headless: no widgets, so no QApplication (a server has no display); a QGuiApplication on the offscreen
    // platform all the same, because invoices (D2's e-mail and upload, the printDocument action) and labels are
    // drawn as PDFs, and fonts need one.
    bool headless = false;
    for (int i = 1; i < argc; ++i)
        headless = headless || std::strcmp(argv[i], "--headless") == 0;
    if (headless)
        sd::util::prepareOffscreenDrawing(/*evenWithDisplay=*/true);
    std::unique_ptr<QCoreApplication> instance(headless ? new QGuiApplication(argc, argv)
                                                        : new QApplication(argc, argv));
    QCoreApplication &app = *instance;
    QApplication::setOrganizationName(QStringLiteral("SellerDesk"));
    QApplication::setApplicationName(QStringLiteral("SellerDesk"));
    QApplication::setApplicationVersion(QStringLiteral(SD_VERSION));
    if (!headless) {
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/sellerdesk.svg")));
        QGuiApplication::setDesktopFileName(QStringLiteral("pl.sellerdesk.SellerDesk"));
    }

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
            "order-items, order-automation, order-receipt-label, rules, rule-editor, rule-test, rule-versions, "
            "rule-templates, "
            "execution-log, printers, print-queue, documents, document-settings, ksef-settings, exchange-rates, "
            "products, "
            "warehouses, "
            "stock-documents, offers, stock-sync, packing (the packing station), scanner-settings, pick-list, "
            "profit-settings, reports, returns, register-return (a return of the newest order), service (the service "
            "cases), "
            "messaging-settings, templates, messages, first-run (first-run:company, :shop, :printers or :rules at that "
            "page), login, users, database-connection or help."),
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
    // A training profile marks its printouts and reaches only this computer (sd::training).
    if (db)
        sd::training::setActive(sd::marketplace::AccountStore(*db).isTrainingProfile().value_or(false));
    // A training profile without rules (made by scripts/run or the command line) gets the starter set, as the
    // first-run guide gives one.
    if (db && sd::training::active()) {
        auto rules = sd::automation::RuleStore(*db).list();
        if (rules && rules->isEmpty())
            if (auto added = sd::ui::FirstRunWizard::addRules(*db, sd::ui::FirstRunWizard::starterRules()); !added)
                qWarning().noquote() << added.error().text();
    }
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
    sd::ui::HelpBrowser::installF1(&app);
    // Keyboard-wedge scanners: scans are told from typing application-wide and never land in a text field.
    sd::ui::ScannerFilter *scanner = sd::ui::ScannerFilter::install();
    // A serial / USB-CDC scanner's codes go the same way as a keyboard scanner's.
    sd::scanning::SerialScanner serialScanner;
    const sd::scanning::ScannerSettings scannerSettings = sd::scanning::ScannerSettings::load();
    if (!scannerSettings.serialPort.isEmpty()) {
        QObject::connect(&serialScanner, &sd::scanning::SerialScanner::scanned, scanner,
                         &sd::ui::ScannerFilter::deliver);
        if (auto opened = serialScanner.open(scannerSettings.serialPort, scannerSettings.baudRate); !opened)
            qWarning().noquote() << opened.error().userMessage;
    }
    // Who works here: the workstation's automatic login (a profile without users needs none), else the login.
    // --open login always asks.
    const bool askLogin = parser.value(page) == u"login";
    const auto session = sd::ui::LoginDialog::startSession(*db, askLogin);
    if (!session)
        return 0;
    sd::access::Session::setCurrent(*session);
    // A new profile starts with the first-run guide (unless a page was asked for).
    const QString start = parser.isSet(page)                          ? parser.value(page)
                          : sd::ui::FirstRunWizard::isNewProfile(*db) ? u"first-run"_qs
                                                                      : QString();
    // The window, built again when another language is chosen.
    sd::ui::WindowHost host(*db, profileDir);
    host.start(askLogin ? QString() : start);
    return app.exec();
}
