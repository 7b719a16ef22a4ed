#include "cli.h"
#include "documents.h"

#include "util/offscreen.h"
#include "util/translations.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstring>
#include <memory>

int main(int argc, char **argv)
{
    // Documents with --pdf, labels, test pages, rule runs (the printDocument action) and the training servers draw
    // PDFs (fonts need a QGuiApplication);
    // the other commands start without a platform plugin. No display is needed: offscreen unless the caller chose
    // a platform.
    QStringList raw;
    for (int i = 1; i < argc; ++i)
        raw.append(QString::fromLocal8Bit(argv[i]));
    bool drawing = sd::cli::documentsNeedGui(raw);
    for (int i = 1; i < argc; ++i)
        drawing = drawing || !std::strcmp(argv[i], "label") || !std::strcmp(argv[i], "print") ||
                  !std::strcmp(argv[i], "rules") || !std::strcmp(argv[i], "training");
    if (drawing)
        sd::util::prepareOffscreenDrawing(/*evenWithDisplay=*/false);
    std::unique_ptr<QCoreApplication> application =
        drawing ? std::make_unique<QGuiApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication &app = *application;
    QCoreApplication::setOrganizationName(QStringLiteral("SellerDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("SellerDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SD_VERSION));
    sd::installTranslations(app);
    return sd::cli::run(QCoreApplication::arguments().mid(1));
}
