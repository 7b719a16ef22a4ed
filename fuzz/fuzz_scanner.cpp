// Scanner input decoding: the keyboard-wedge decoder on arbitrary keystrokes (kinds, characters, timing, settings)
// and the serial scanner's line reader on arbitrary bytes. Properties: no crash; the decoder loses no key and adds
// none (what it gives back plus what it recognised as scans is what was typed, in order); a serial code is never
// empty and never holds a line end.
#include "fuzzsupport.h"

#include "scanning/scandecoder.h"
#include "scanning/serialscanner.h"

#include <limits>

namespace {

using sd::scanning::KeyStroke;
using sd::scanning::ScanDecoder;

void collect(const ScanDecoder::Outcome &outcome, const QString &prefix, QString *text, qsizetype *keys)
{
    for (const KeyStroke &key : outcome.release)
        *text += key.text;
    *keys += outcome.release.size();
    if (!outcome.scan.isEmpty()) {
        *text += prefix + outcome.scan;
        *keys += prefix.size() + outcome.scan.size() + 1; // the characters and the suffix key
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureApplication();
    if (size < 4)
        return 0;
    sd::scanning::ScannerSettings settings;
    settings.maxGapMs = 5 + data[0] % 100;
    settings.minLength = 1 + data[1] % 16;
    settings.suffixEnter = data[2] & 1;
    settings.suffixTab = data[2] & 2;
    if (data[2] & 4)
        settings.prefix = QString(QChar(u'A' + data[3] % 4));
    ScanDecoder decoder(settings);
    QString typed, delivered;
    qsizetype fed = 0, accounted = 0;
    qint64 now = 0;
    for (size_t i = 4; i + 2 < size; i += 3) {
        KeyStroke key;
        const uint8_t kind = data[i] & 7;
        key.kind = kind == 0   ? KeyStroke::Kind::Enter
                   : kind == 1 ? KeyStroke::Kind::Tab
                   : kind == 2 ? KeyStroke::Kind::Other
                               : KeyStroke::Kind::Text;
        if (key.kind == KeyStroke::Kind::Text)
            key.text = (data[i] & 8) ? QStringLiteral("ab") : QString(QChar(u'A' + data[i + 1] % 8));
        now += data[i + 2] % 64;
        key.atMs = now;
        if (data[i] & 16)
            collect(decoder.flush(now), settings.prefix, &delivered, &accounted);
        typed += key.text;
        ++fed;
        collect(decoder.feed(key), settings.prefix, &delivered, &accounted);
        FUZZ_ASSERT(decoder.holding() == (decoder.flushDueMs() != 0));
    }
    collect(decoder.flush(std::numeric_limits<qint64>::max() / 2), settings.prefix, &delivered, &accounted);
    FUZZ_ASSERT(!decoder.holding());
    FUZZ_ASSERT(accounted == fed);
    FUZZ_ASSERT(delivered == typed);

    sd::scanning::SerialScanner serial;
    QObject::connect(&serial, &sd::scanning::SerialScanner::scanned, [](const QString &code) {
        FUZZ_ASSERT(!code.isEmpty() && !code.contains(u'\r') && !code.contains(u'\n'));
    });
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    serial.consume(bytes.first(size / 3));
    serial.consume(bytes.sliced(size / 3));
    return 0;
}
