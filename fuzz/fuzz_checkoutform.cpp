// The order import: SellerDesk's own JSON reader and the checkout-form parser on arbitrary bytes. Properties: no
// crash; what the strict reader accepts, QJsonDocument accepts too; both readers give the parser the same verdict.
#include "fuzzsupport.h"

#include "marketplace/allegro/checkoutformparser.h"
#include "util/jsontree.h"

#include <QJsonArray>
#include <QJsonDocument>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureApplication();
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto tree = sd::util::JsonTree::parse(bytes);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (!tree)
        return 0;
    FUZZ_ASSERT(error.error == QJsonParseError::NoError);
    const sd::marketplace::allegro::CheckoutFormParser parser(QStringLiteral("fuzz"));
    const sd::util::JsonRef root = tree->root();
    if (root.isObject() && doc.isObject()) {
        const auto fromTree = parser.parse(root);
        const auto fromDoc = parser.parse(doc.object());
        FUZZ_ASSERT(bool(fromTree) == bool(fromDoc));
        if (fromTree)
            FUZZ_ASSERT(fromTree->externalId == fromDoc->externalId && fromTree->items.size() == fromDoc->items.size());
    } else if (root.isArray() && doc.isArray()) {
        const QJsonArray array = doc.array();
        FUZZ_ASSERT(root.size() == array.size());
        for (qsizetype i = 0; i < array.size(); ++i)
            if (root.at(i).isObject())
                FUZZ_ASSERT(bool(parser.parse(root.at(i))) == bool(parser.parse(array.at(i).toObject())));
    }
    return 0;
}
