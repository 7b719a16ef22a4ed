#include "cli.h"
#include "documents.h"

#include "util/translations.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <memory>

int main(int argc, char **argv)
{
    // Drawing a PDF needs fonts, which need a QGuiApplication; without a display it runs offscreen.
    std::unique_ptr<QCoreApplication> application;
    const QStringList raw = [&] {
        QStringList words;
        for (int i = 1; i < argc; ++i)
            words.append(QString::fromLocal8Bit(argv[i]));
        return words;
    }();
    if (sd::cli::documentsNeedGui(raw)) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        application = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        application = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication &app = *application;
    QCoreApplication::setOrganizationName(QStringLiteral("SellerDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("SellerDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SD_VERSION));
    sd::installTranslations(app);
    return sd::cli::run(QCoreApplication::arguments().mid(1));
}
