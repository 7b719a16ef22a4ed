#pragma once

#include "util/result.h"

#include <QString>

namespace sd::devices::printing {

// Where a document goes: a label printer's raw port (tcp://HOST:9100), a CUPS queue (cups:QUEUE; ZPL goes raw, a
// PDF through the queue's driver) or a PDF file (pdf:FILE, for a look before printing and for tests).
struct PrinterAddress
{
    enum class Kind { Tcp, Cups, PdfFile };

    Kind kind = Kind::Tcp;
    QString host;
    quint16 port = 9100;
    QString queue;
    QString path;

    static Result<PrinterAddress> parse(const QString &text);
    QString toString() const;
};

} // namespace sd::devices::printing
