#include "documents/ksef/ksefnumber.h"

#include <QRegularExpression>

namespace sd::documents::ksef::ksefnumber {

QString checksum(const QString &first32)
{
    quint8 crc = 0;
    for (const char c : first32.toLatin1()) {
        crc ^= quint8(c);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x80) ? quint8((crc << 1) ^ 0x07) : quint8(crc << 1);
    }
    return QStringLiteral("%1").arg(crc, 2, 16, QLatin1Char('0')).toUpper();
}

bool isValid(const QString &number)
{
    static const QRegularExpression shape(QStringLiteral("^\\d{10}-\\d{8}-[0-9A-F]{12}-[0-9A-F]{2}$"));
    return shape.match(number).hasMatch() && checksum(number.left(32)) == number.right(2);
}

} // namespace sd::documents::ksef::ksefnumber
