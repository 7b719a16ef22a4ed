#include "devices/printing/printeraddress.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

namespace sd::devices::printing {

Result<PrinterAddress> PrinterAddress::parse(const QString &input)
{
    const QString text = input.trimmed();
    const auto bad = [&]() {
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::printing",
                                                     "\"%1\" is not a printer address; use tcp://HOST:9100, "
                                                     "cups:QUEUE or pdf:FILE.")
                             .arg(text));
    };
    PrinterAddress a;
    if (text.startsWith(u"tcp://")) {
        const QUrl url(text);
        if (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty())
            return bad();
        a.kind = Kind::Tcp;
        a.host = url.host();
        const int port = url.port(9100);
        if (port <= 0 || port > 65535)
            return bad();
        a.port = quint16(port);
        return a;
    }
    if (text.startsWith(u"cups:")) {
        // CUPS queue names: printable characters except space, "/", "\\", "#" and quotes.
        static const QRegularExpression name(u"^[^\\s/\\\\#'\"]{1,127}$"_qs);
        a.kind = Kind::Cups;
        a.queue = text.mid(5);
        if (!name.match(a.queue).hasMatch())
            return bad();
        return a;
    }
    if (text.startsWith(u"pdf:")) {
        a.kind = Kind::PdfFile;
        a.path = text.mid(4);
        if (a.path.isEmpty())
            return bad();
        return a;
    }
    return bad();
}

QString PrinterAddress::toString() const
{
    switch (kind) {
    case Kind::Tcp:
        return u"tcp://"_qs + host + u':' + QString::number(port);
    case Kind::Cups:
        return u"cups:"_qs + queue;
    case Kind::PdfFile:
        return u"pdf:"_qs + path;
    }
    return {};
}

} // namespace sd::devices::printing
