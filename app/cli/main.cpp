#include "cli.h"

#include "util/translations.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("SellerDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("SellerDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SD_VERSION));
    sd::installTranslations(app);
    return sd::cli::run(QCoreApplication::arguments().mid(1));
}
