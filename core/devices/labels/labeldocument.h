#pragma once

#include <QByteArray>
#include <QString>

namespace sd::devices::labels {

// A printable document as a courier or our templates made it: an opaque PDF or ZPL blob.
struct LabelDocument
{
    enum class Format { Pdf, Zpl };

    Format format = Format::Pdf;
    QByteArray data;

    static QString formatName(Format format) { return format == Format::Pdf ? u"PDF"_qs : u"ZPL"_qs; }
    // "PDF" / "ZPL" in any case; false for anything else.
    static bool parseFormat(const QString &text, Format *format);
};

} // namespace sd::devices::labels
