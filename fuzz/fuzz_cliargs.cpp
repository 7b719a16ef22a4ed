// sellerdesk-cli's option parser on arbitrary words. Properties: no crash; a parse either names its problem or
// accounts for every word (positional, option value or flag).
#include "fuzzsupport.h"

#include "args.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureApplication();
    // Words are separated by NUL bytes, as in argv.
    const QList<QByteArray> raw = QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)).split('\0');
    QStringList words;
    for (const QByteArray &word : raw)
        words << QString::fromLocal8Bit(word);
    const QStringList valueOptions = {QStringLiteral("status"), QStringLiteral("limit"), QStringLiteral("to")};
    const QStringList flagOptions = {QStringLiteral("json"), QStringLiteral("inform")};
    const auto args = sd::cli::Args::parse(words, valueOptions, flagOptions);
    if (!args.problem.isEmpty())
        return 0;
    for (const QString &key : args.values.keys())
        FUZZ_ASSERT(valueOptions.contains(key));
    for (const QString &flag : args.flags)
        FUZZ_ASSERT(flagOptions.contains(flag));
    FUZZ_ASSERT(args.positional.size() + args.values.size() + args.flags.size() <= words.size());
    return 0;
}
