#pragma once

#include <QByteArray>
#include <QStringView>

namespace sd::util {

// Appends value as a JSON string, quotes included, in UTF-8: written straight into the buffer, since the
// stored order document and the event payloads are written for every imported order.
// Escapes as QJsonDocument does; a lone surrogate becomes U+FFFD.
void appendJsonString(QByteArray &out, QStringView value);

} // namespace sd::util
