// Posnet replies from a fiscal printer (or whatever is on the line): the frame reader and decoder. Properties: no
// crash; a decoded frame encodes to bytes that decode to the same command and fields.
#include "fuzzsupport.h"

#include "devices/fiscal/posnetframe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureApplication();
    using sd::devices::fiscal::PosnetFrame;
    using sd::devices::fiscal::PosnetReader;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)PosnetFrame::decode(bytes);
    PosnetReader reader;
    // Fed in two pieces, as a serial line delivers it.
    reader.feed(bytes.first(size / 2));
    reader.feed(bytes.sliced(size / 2));
    while (auto inner = reader.next()) {
        auto frame = PosnetFrame::decode(*inner);
        if (!frame)
            continue;
        const QByteArray encoded = frame->encode();
        FUZZ_ASSERT(encoded.size() >= 2 && encoded.front() == PosnetFrame::kStx && encoded.back() == PosnetFrame::kEtx);
        auto again = PosnetFrame::decode(QByteArrayView(encoded).sliced(1, encoded.size() - 2));
        FUZZ_ASSERT(bool(again));
        FUZZ_ASSERT(again->command == frame->command && again->fields == frame->fields);
    }
    return 0;
}
