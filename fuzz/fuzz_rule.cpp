// Rule JSON (imported files, the editor's output): read, validated against the catalog, compiled. Properties: no
// crash; a rule that reads and compiles reads again, the same, from its own JSON.
#include "fuzzsupport.h"

#include "automation/engine.h"
#include "automation/rule.h"

#include <QJsonDocument>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureApplication();
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    auto rule = sd::automation::Rule::fromText(bytes);
    if (!rule)
        return 0;
    const QJsonObject json = rule->toJson();
    auto again = sd::automation::Rule::fromJson(json);
    FUZZ_ASSERT(bool(again));
    FUZZ_ASSERT(again->toJson() == json);
    (void)sd::automation::CompiledRule::compile(*rule);
    return 0;
}
