#include "output.h"

#include "cli.h"

#include <QCoreApplication>

namespace sd::cli {

QString cliText(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

QTextStream &cliOut()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &cliErr()
{
    static QTextStream stream(stderr);
    return stream;
}

int usageLine(const QString &message)
{
    cliErr() << "sellerdesk-cli: " << message << u' ' << cliText("(see sellerdesk-cli --help)") << Qt::endl;
    return kUsage;
}

int failureLine(const Error &error)
{
    cliErr() << "sellerdesk-cli: " << cliText("error:") << u' ' << error.userMessage << Qt::endl;
    return kFailure;
}

} // namespace sd::cli
