#pragma once

#include <QByteArray>
#include <QString>

namespace sd::devices::fiscal::cp1250 {

// Windows-1250, the code page Posnet and Novitus printers expect by default. A fixed table rather than
// QStringEncoder: Qt 6.4 reaches this code page only through ICU, and the bytes sent to a fiscal printer must not
// depend on how Qt was built. Characters the code page lacks become '?' and are reported through `lossless`.
QByteArray encode(QStringView text, bool *lossless = nullptr);
QString decode(QByteArrayView bytes);

} // namespace sd::devices::fiscal::cp1250
