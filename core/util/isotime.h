#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QStringView>

namespace sd::util {

// ISO-8601 times as the marketplaces send them and as SellerDesk stores them. QDateTime's own ISO parser and
// formatter cost more than the database insert of an order, so the one UTC form in use is read and written
// directly; anything else goes through Qt, with Qt's result.

// "2026-11-20T10:01:02.123Z", "2026-11-20T10:01:02Z" or with "+00:00": read exactly; other forms (offsets,
// no zone, other fraction lengths) by QDateTime::fromString(Qt::ISODateWithMs). The result is in UTC; an
// invalid QDateTime when the text is not a time.
QDateTime parseIsoTime(QStringView text);
QDateTime parseIsoTime(QUtf8StringView text);

// The text QDateTime::toString(Qt::ISODateWithMs) gives for the time in UTC ("2026-11-20T10:01:02.123Z");
// empty for an invalid time.
QString isoTimeText(const QDateTime &time);
// The same for UTC milliseconds since the epoch, appended as UTF-8.
void appendIsoTime(QByteArray &out, qint64 msecsSinceEpoch);

} // namespace sd::util
