#pragma once

#include "devices/labels/labeldocument.h"
#include "devices/printing/printeraddress.h"

#include <QSizeF>

namespace sd::devices::printing {

struct SendReceipt
{
    QString externalId;   // the CUPS job ("QUEUE-12"); empty for the raw port and files
    bool printed = false; // the printer or file has it all; false: CUPS still has to print it
};

// Puts bytes on a printer. Failures are Error::Code::Io when the printer may come back (not reachable, CUPS not
// running, queue stopped) and Invalid when the document can never go there (a PDF to a raw ZPL port).
class PrintSender
{
public:
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    Result<SendReceipt> send(const PrinterAddress &printer, const labels::LabelDocument &document,
                             const QString &title) const;
    // Whether CUPS has finished the job (lpstat's completed list names it).
    Result<bool> cupsJobCompleted(const QString &queue, const QString &jobId) const;

    // A courier's PDF made ready for a label printer: each page rendered by QtPdf at `dpi`, turned black and white
    // by a threshold (no dithering, so bars stay crisp) and placed on a page of exactly `pageMm`.
    static Result<QByteArray> renderForLabel(const QByteArray &pdf, const QSizeF &pageMm, int dpi = 203);

private:
    Result<SendReceipt> sendTcp(const PrinterAddress &printer, const QByteArray &bytes) const;
    Result<SendReceipt> sendCups(const PrinterAddress &printer, const labels::LabelDocument &document,
                                 const QString &title) const;

    int m_timeoutMs = 5000;
};

} // namespace sd::devices::printing
