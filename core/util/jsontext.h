#pragma once

#include <QByteArray>
#include <QStringView>

namespace sd::util {

// Appends value as a JSON string, quotes included, in UTF-8: written straight into the buffer, since the
// stored order document and the event payloads are written for every imported order.
// Escapes as QJsonDocument does; a lone surrogate becomes U+FFFD.
void appendJsonString(QByteArray &out, QStringView value);
// Writes value as UTF-8 (a lone surrogate becomes U+FFFD) to out, which has room for 3 bytes per UTF-16 unit;
// returns the end. For binding text to SQLite without its slower conversion and a copy on the heap.
char *writeUtf8(char *out, QStringView value);

} // namespace sd::util
