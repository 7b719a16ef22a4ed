#include "console.h"

#include "cli.h"

#include <QCoreApplication>

namespace sd::cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int usage(const QString &message)
{
    err() << "sellerdesk-cli: " << message << u' '
          << QCoreApplication::translate("sd::cli", "(see sellerdesk-cli --help)") << Qt::endl;
    return kUsage;
}

int fail(const Error &error)
{
    err() << "sellerdesk-cli: " << QCoreApplication::translate("sd::cli", "error:") << u' ' << error.userMessage
          << Qt::endl;
    return kFailure;
}

} // namespace sd::cli
