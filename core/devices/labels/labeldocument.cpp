#include "devices/labels/labeldocument.h"

namespace sd::devices::labels {

bool LabelDocument::parseFormat(const QString &text, Format *format)
{
    if (text.compare(u"pdf", Qt::CaseInsensitive) == 0) {
        *format = Format::Pdf;
        return true;
    }
    if (text.compare(u"zpl", Qt::CaseInsensitive) == 0) {
        *format = Format::Zpl;
        return true;
    }
    return false;
}

} // namespace sd::devices::labels
