#pragma once

#include "documents/document.h"

#include <QByteArray>
#include <QString>

namespace sd::documents {

struct PdfOptions
{
    QByteArray fa3Xml; // the stored FA(3) bytes: KOD I hashes them
    QString qrBase = QStringLiteral("https://qr.ksef.mf.gov.pl");
};

// The document as a printable A4 PDF (QTextDocument through QPdfWriter): seller and buyer, every art. 106e field,
// the lines, the totals per rate, the amount due and in words, payment, and KOD I with the KSeF number (or
// "OFFLINE") once the invoice has a KSeF number or was issued offline. The text is in the document's language
// (Polish, or English for foreign buyers), not the program's: an invoice reads the same on every workstation.
// Needs a QGuiApplication (fonts).
Result<QByteArray> renderPdf(const Document &doc, const PdfOptions &options = {});
// The same as HTML (the PDF's source; the window's preview and tests read it).
QString renderHtml(const Document &doc, const PdfOptions &options = {});

} // namespace sd::documents
