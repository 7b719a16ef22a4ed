// Novitus XML replies from a fiscal printer (or whatever is on the line): the packet splitter, the packet decoder
// and the amount reader. Properties: no crash; a decoded packet (of bytes the code page defines) encodes to bytes that
// decode again and encode the same (with and without the CRC); an amount that reads, written back, reads the same.
#include "fuzzsupport.h"

#include "devices/fiscal/cp1250.h"
#include "devices/fiscal/novitusxml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureApplication();
    using sd::devices::fiscal::NovitusPacket;
    using sd::devices::fiscal::NovitusReader;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)NovitusPacket::decode(bytes);
    NovitusReader reader;
    // Fed in two pieces, as a serial line or a socket delivers it.
    reader.feed(bytes.first(size / 2));
    reader.feed(bytes.sliced(size / 2));
    while (auto packet = reader.next()) {
        FUZZ_ASSERT(packet->startsWith("<packet") && packet->endsWith("</packet>"));
        auto decoded = NovitusPacket::decode(*packet);
        // A byte Windows-1250 leaves undefined reads as U+FFFD, which cannot be written back: no round trip then.
        bool lossless = true;
        (void)sd::devices::fiscal::cp1250::encode(sd::devices::fiscal::cp1250::decode(*packet), &lossless);
        if (!decoded || !lossless)
            continue;
        for (const bool crc : {false, true}) {
            const QByteArray encoded = decoded->encode(crc);
            auto again = NovitusPacket::decode(encoded);
            FUZZ_ASSERT(bool(again));
            FUZZ_ASSERT(again->encode(crc) == encoded);
        }
    }
    const QString text = QString::fromLatin1(bytes.first(qMin<qsizetype>(bytes.size(), 40)));
    if (const auto grosze = sd::devices::fiscal::parseNovitusAmount(text)) {
        const auto back = sd::devices::fiscal::parseNovitusAmount(sd::devices::fiscal::novitusAmount(*grosze));
        FUZZ_ASSERT(back && *back == *grosze);
    }
    return 0;
}
