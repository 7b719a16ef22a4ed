#include "openapivalidator.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>

using sd::marketplace::HttpExchange;
using sd::test::OpenApiValidator;

namespace {

const QByteArray kV1 = "application/vnd.allegro.public.v1+json";
const QString kOrderId = u"29738e61-7f6a-11e8-ac45-09db60ede9d6"_qs;
const QString kLineItemId = u"62ae358b-8f65-4fc4-9c77-bedf604a2e2b"_qs;

struct Example
{
    QString where;  // JSON pointer of the example
    QString schema; // JSON pointer of the schema it sits next to
    QJsonValue value;
};

} // namespace

// Declared before the JSON bodies below: moc reads "//" inside a raw string as a comment.
class TestOpenApiValidator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void specExamples_data();
    void specExamples();
    void exampleCount();
    void validExchanges_data();
    void validExchanges();
    void invalidExchanges_data();
    void invalidExchanges();
    void skippedPaths();
    void pathPrecedence_data();
    void pathPrecedence();
    void formats_data();
    void formats();
    void discriminator();
    void strictNulls();
    void baseWithSubtypes();
    void manyExchanges();
    void unknownPathAlone();

private:
    static void addExchange(const char *tag, const char *method, const QString &pathAndQuery, int status,
                            const QByteArray &responseBody = {}, const QByteArray &requestBody = {},
                            const QByteArray &responseType = kV1, const QByteArray &requestType = kV1,
                            const QString &problem = {});
    HttpExchange exchangeFromRow() const;

    std::shared_ptr<OpenApiValidator> m_spec;
    QList<Example> m_examples;
    const QUrl m_base = QUrl(u"http://127.0.0.1:18443"_qs);
};

namespace {

// Spec examples that do not validate against their own schema: the spec is wrong there, not the checker.
// Each entry is the example's JSON pointer and why. An entry whose example starts to validate fails the test
// (XPASS), so this list stays true.
const QHash<QString, QString> &invalidSpecExamples()
{
    static const QHash<QString, QString> list = {
        {u"#/components/schemas/AdditionalMarketplacesRefusalReasonResponse/properties/parameters/example"_qs,
         u"$: expected object, got string"_qs},
        {u"#/components/schemas/AlleDiscountSubmittedOfferDto/properties/process/properties/errors/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/AvailableProductResponse/properties/gtins/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/CategoryParameterOptions/properties/ambiguousValueId/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/CategoryParameterWithValue/properties/oneOfValueIds/example"_qs,
         u"$[0]: expected string, got number"_qs},
        {u"#/components/schemas/Coordinates/properties/lat/example"_qs, u"$: expected number, got string"_qs},
        {u"#/components/schemas/Coordinates/properties/lon/example"_qs, u"$: expected number, got string"_qs},
        {u"#/components/schemas/CpsConversion/properties/offer/properties/id/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/DictionaryCategoryParameter/allOf/1/properties/dictionary/items/properties/dependsOnValueIds/items/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/DictionaryCategoryParameter/allOf/1/properties/dictionary/items/properties/id/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/DictionaryCategoryProductParameter/allOf/1/properties/dictionary/items/properties/id/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/FormerParameterValueData/properties/ids/items/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/NewAttachmentDeclaration/properties/size/example"_qs,
         u"$: expected integer, got string"_qs},
        {u"#/components/schemas/NewProductParameterDto/properties/values/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/NewProductParameterDto/properties/valuesIds/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/OfferMarketplacesPublication/properties/updatedMarketplaces/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/Parameter/properties/valuesIds/items/example"_qs, u"$: expected string, got number"_qs},
        {u"#/components/schemas/ParameterProductOfferRequest/properties/valuesIds/items/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/ParameterProductOfferResponse/properties/valuesIds/items/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/PhoneNumberWithCountryCode/properties/countryCode/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/PhoneNumberWithCountryCode/properties/number/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/PostPurchaseIssue/properties/decisionDueDate/example"_qs,
         u"$: not an RFC 3339 date-time: \"2025-06-29T18:12:12.000.019Z\""_qs},
        {u"#/components/schemas/PostPurchaseIssue/properties/openedDate/example"_qs,
         u"$: not an RFC 3339 date-time: \"2025-06-15T18:12:12.000.019Z\""_qs},
        {u"#/components/schemas/ProductParameter/properties/unit/example"_qs,
         u"$: expected string, got null (null example for an optional property not marked nullable; the default null policy accepts it inside an object)"_qs},
        {u"#/components/schemas/ProductParameter/properties/values/example"_qs, u"$: expected array, got string"_qs},
        {u"#/components/schemas/ProductParameter/properties/valuesIds/example"_qs, u"$: expected array, got string"_qs},
        {u"#/components/schemas/ProductParameter/properties/valuesLabels/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/ProductParameterDto/properties/unit/example"_qs,
         u"$: expected string, got null (null example for an optional property not marked nullable; the default null policy accepts it inside an object)"_qs},
        {u"#/components/schemas/ProductParameterDto/properties/values/example"_qs, u"$: expected array, got string"_qs},
        {u"#/components/schemas/ProductParameterDto/properties/valuesIds/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/ProductParameterDto/properties/valuesLabels/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/ProductParameterValueProposal/properties/current/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/ProductParameterValueProposal/properties/proposal/example"_qs,
         u"$: expected string, got number"_qs},
        {u"#/components/schemas/RefundLineItemDeposit/properties/totalValue/example"_qs,
         u"$: expected object, got null (null example for an optional property not marked nullable; the default null policy accepts it inside an object)"_qs},
        {u"#/components/schemas/RefusalReason/allOf/0/properties/parameters/example"_qs,
         u"$: expected object, got null (null example for an optional property not marked nullable; the default null policy accepts it inside an object)"_qs},
        {u"#/components/schemas/RefusalReason/allOf/0/properties/parameters/additionalProperties/example"_qs,
         u"$: expected array, got string"_qs},
        {u"#/components/schemas/RelatedReason/allOf/0/properties/parameters/example"_qs,
         u"$: expected object, got string"_qs},
        {u"#/components/schemas/ShipmentDto/properties/canceledDate/example"_qs,
         u"$: expected string, got null (null example for an optional property not marked nullable; the default null policy accepts it inside an object)"_qs},
        {u"#/components/schemas/StockProduct/properties/gtins/example"_qs, u"$: expected array, got string"_qs},
        {u"#/components/schemas/Thread/properties/read/example"_qs, u"$: expected boolean, got string"_qs},
        {u"#/components/schemas/ThreadReadFlag/properties/read/example"_qs, u"$: expected boolean, got string"_qs},
        {u"#/components/schemas/WeightValue/properties/value/example"_qs, u"$: expected number, got string"_qs},
        {u"#/paths/~1sale~1categories~1{categoryId}~1parameters/get/responses/200/content/application~1vnd.allegro.public.v1+json/examples/dictionary/value"_qs,
         u"$.parameters[0].displayedIf.parametersWithValue[0].oneOfValueIds[0]: expected string, got number"_qs},
        {u"#/paths/~1sale~1categories~1{categoryId}~1parameters/get/responses/200/content/application~1vnd.allegro.public.v1+json/examples/float/value"_qs,
         u"$.parameters[0].displayedIf.parametersWithValue[0].oneOfValueIds[0]: expected string, got number"_qs},
        {u"#/paths/~1sale~1categories~1{categoryId}~1parameters/get/responses/200/content/application~1vnd.allegro.public.v1+json/examples/float_range/value"_qs,
         u"$.parameters[0].displayedIf.parametersWithValue[0].oneOfValueIds[0]: expected string, got number"_qs},
        {u"#/paths/~1sale~1categories~1{categoryId}~1parameters/get/responses/200/content/application~1vnd.allegro.public.v1+json/examples/integer/value"_qs,
         u"$.parameters[0].displayedIf.parametersWithValue[0].oneOfValueIds[0]: expected string, got number"_qs},
        {u"#/paths/~1sale~1categories~1{categoryId}~1parameters/get/responses/200/content/application~1vnd.allegro.public.v1+json/examples/string_single/value"_qs,
         u"$.parameters[0].displayedIf.parametersWithValue[0].oneOfValueIds[0]: expected string, got number"_qs},
        {u"#/paths/~1sale~1categories~1{categoryId}~1product-parameters/get/responses/200/content/application~1vnd.allegro.public.v1+json/examples/dictionary/value"_qs,
         u"$.parameters[0].dictionary[0].id: expected string, got number"_qs},
        {u"#/paths/~1sale~1offer-events/get/responses/200/content/application~1vnd.allegro.public.v1+json/examples/visibilityChanged/value"_qs,
         u"$.offerEvents[0].offer.publication.marketplaces.additional[0].status: expected string, got object (a schema pasted in place of the value)"_qs},
    };
    return list;
}

QString escaped(QString key)
{
    return key.replace(u'~', u"~0"_qs).replace(u'/', u"~1"_qs);
}

void schemaExamples(const QJsonObject &schema, const QString &pointer, QList<Example> &out)
{
    if (schema.contains(u"$ref"))
        return; // siblings of $ref mean nothing in OpenAPI 3.0
    if (schema.contains(u"example"))
        out.append({pointer + u"/example"_qs, pointer, schema.value(u"example")});
    const QJsonObject properties = schema.value(u"properties").toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        schemaExamples(it.value().toObject(), pointer + u"/properties/"_qs + escaped(it.key()), out);
    for (const char16_t *key : {u"items", u"additionalProperties"}) {
        const QString name = QString::fromUtf16(key);
        if (schema.value(name).isObject())
            schemaExamples(schema.value(name).toObject(), pointer + u'/' + name, out);
    }
    for (const char16_t *key : {u"allOf", u"oneOf", u"anyOf"}) {
        const QString name = QString::fromUtf16(key);
        const QJsonArray list = schema.value(name).toArray();
        for (qsizetype i = 0; i < list.size(); ++i)
            schemaExamples(list.at(i).toObject(), pointer + u'/' + name + u'/' + QString::number(i), out);
    }
}

void mediaExamples(const QJsonObject &content, const QString &pointer, QList<Example> &out)
{
    for (auto it = content.begin(); it != content.end(); ++it) {
        const QJsonObject media = it.value().toObject();
        const QString at = pointer + u'/' + escaped(it.key());
        if (!media.value(u"schema").isObject())
            continue;
        const QString schema = at + u"/schema"_qs;
        schemaExamples(media.value(u"schema").toObject(), schema, out);
        if (media.contains(u"example"))
            out.append({at + u"/example"_qs, schema, media.value(u"example")});
        const QJsonObject examples = media.value(u"examples").toObject();
        for (auto e = examples.begin(); e != examples.end(); ++e)
            out.append({at + u"/examples/"_qs + escaped(e.key()) + u"/value"_qs, schema,
                        e.value().toObject().value(u"value")});
    }
}

// Every example in the spec that sits next to a schema: in component schemas (at any depth), in parameters,
// request bodies and responses.
QList<Example> specExamples(const QJsonObject &spec)
{
    QList<Example> out;
    const QJsonObject components = spec.value(u"components").toObject();
    const QJsonObject schemas = components.value(u"schemas").toObject();
    for (auto it = schemas.begin(); it != schemas.end(); ++it)
        schemaExamples(it.value().toObject(), u"#/components/schemas/"_qs + escaped(it.key()), out);
    const QJsonObject bodies = components.value(u"requestBodies").toObject();
    for (auto it = bodies.begin(); it != bodies.end(); ++it)
        mediaExamples(it.value().toObject().value(u"content").toObject(),
                      u"#/components/requestBodies/"_qs + escaped(it.key()) + u"/content"_qs, out);
    const QJsonObject paths = spec.value(u"paths").toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject item = path.value().toObject();
        for (auto op = item.begin(); op != item.end(); ++op) {
            const QString at = u"#/paths/"_qs + escaped(path.key()) + u'/' + op.key();
            const QJsonObject operation = op.value().toObject();
            const QJsonArray parameters = operation.value(u"parameters").toArray();
            for (qsizetype i = 0; i < parameters.size(); ++i) {
                const QJsonObject p = parameters.at(i).toObject();
                const QString schema = at + u"/parameters/"_qs + QString::number(i) + u"/schema"_qs;
                schemaExamples(p.value(u"schema").toObject(), schema, out);
                if (p.contains(u"example") && p.value(u"schema").isObject())
                    out.append(
                        {at + u"/parameters/"_qs + QString::number(i) + u"/example"_qs, schema, p.value(u"example")});
            }
            const QJsonObject body = operation.value(u"requestBody").toObject();
            mediaExamples(body.value(u"content").toObject(), at + u"/requestBody/content"_qs, out);
            const QJsonObject responses = operation.value(u"responses").toObject();
            for (auto r = responses.begin(); r != responses.end(); ++r)
                mediaExamples(r.value().toObject().value(u"content").toObject(),
                              at + u"/responses/"_qs + r.key() + u"/content"_qs, out);
        }
    }
    return out;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray json(const char *text)
{
    return QByteArray(text);
}

// Sets a value deep inside a JSON object: path items are object keys (QString) or array indexes (int).
QJsonValue withValue(const QJsonValue &node, QList<QVariant> path, const QJsonValue &value, bool remove = false)
{
    if (path.isEmpty())
        return value;
    const QVariant step = path.takeFirst();
    if (step.typeId() == QMetaType::Int) {
        QJsonArray array = node.toArray();
        array[step.toInt()] = withValue(array.at(step.toInt()), path, value, remove);
        return array;
    }
    QJsonObject object = node.toObject();
    if (remove && path.isEmpty())
        object.remove(step.toString());
    else
        object[step.toString()] = withValue(object.value(step.toString()), path, value, remove);
    return object;
}

QByteArray checkoutForm()
{
    return sd::test::readFile(QFINDTESTDATA("../data/allegro/checkout-form-full.json"));
}

QByteArray checkoutFormWith(const QList<QVariant> &path, const QJsonValue &value, bool remove = false)
{
    const QJsonObject form = QJsonDocument::fromJson(checkoutForm()).object();
    return json(withValue(form, path, value, remove).toObject());
}

const char *const kEvents = R"({"events": [{
    "id": "MTEzMjQzODU3NA",
    "order": {
        "seller": {"id": "40507"},
        "buyer": {"id": "23123123", "email": "kasia.nowak+a1b2c3@allegromail.pl", "login": "kasia_nowak",
                  "guest": false, "preferences": {"language": "pl-PL"}},
        "lineItems": [{"id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2b",
                       "offer": {"id": "7934627290", "name": "Kubek termiczny 450 ml", "external": {"id": "KUB-450"}},
                       "quantity": 2, "originalPrice": {"amount": "59.99", "currency": "PLN"},
                       "price": {"amount": "54.99", "currency": "PLN"}, "boughtAt": "2026-11-20T10:00:41.000Z"}],
        "checkoutForm": {"id": "29738e61-7f6a-11e8-ac45-09db60ede9d6", "revision": "819b5836"},
        "marketplace": {"id": "allegro-pl"}
    },
    "type": "READY_FOR_PROCESSING",
    "occurredAt": "2026-11-20T10:01:02.123Z"
}]})";

QByteArray eventsWith(const QList<QVariant> &path, const QJsonValue &value, bool remove = false)
{
    return json(withValue(QJsonDocument::fromJson(kEvents).object(), path, value, remove).toObject());
}

const char *const kErrors = R"({"errors": [{"code": "VALIDATION_ERROR", "message": "Invalid fulfillment status",
    "details": null, "path": "status", "userMessage": "Nieprawidłowy status", "metadata": {}}]})";

const char *const kRefundRequest = R"({
    "payment": {"id": "0f8f1d13-7e9e-11e8-9b00-c5b0dfb78ea6"},
    "order": {"id": "29738e61-7f6a-11e8-ac45-09db60ede9d6"},
    "commandId": "5f0b3c5e-0d5b-4c36-9a53-7a0f7c8b3a11",
    "reason": "REFUND",
    "lineItems": [{"id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2b", "type": "QUANTITY", "quantity": 1}],
    "delivery": {"value": {"amount": "12.99", "currency": "PLN"}},
    "sellerComment": "Zwrot za jeden kubek"
})";

const char *const kRefundDetails = R"({
    "id": "b6c3a3de-6d5e-4b0a-8d7e-1f5d1b2c3d4e",
    "payment": {"id": "0f8f1d13-7e9e-11e8-9b00-c5b0dfb78ea6"},
    "order": {"id": "29738e61-7f6a-11e8-ac45-09db60ede9d6"},
    "reason": "REFUND",
    "status": "IN_PROGRESS",
    "createdAt": "2026-11-21T08:15:00.000Z",
    "totalValue": {"amount": "67.98", "currency": "PLN"},
    "lineItems": [{"id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2b", "type": "QUANTITY", "quantity": 1,
                   "value": null}],
    "delivery": {"value": {"amount": "12.99", "currency": "PLN"}},
    "sellerComment": "Zwrot za jeden kubek"
})";

const char *const kMessage = R"({
    "id": "7b4d0e5a-5a9f-4f7e-a5bd-0a9b6f3a7a10",
    "status": "DELIVERED",
    "type": "MESSAGE_CENTER",
    "createdAt": "2026-11-21T09:00:00.000Z",
    "thread": {"id": "mXi0dN7bSBBR3nyw5oqv9hQ"},
    "author": {"login": "sklep_kubki", "isInterlocutor": false},
    "text": "Dzień dobry, paczka wyjdzie jutro.",
    "subject": null,
    "relatesTo": {"offer": null, "order": {"id": "29738e61-7f6a-11e8-ac45-09db60ede9d6"}},
    "hasAdditionalAttachments": false,
    "attachments": [],
    "additionalInformation": null
})";

const char *const kOffers = R"({
    "offers": [{
        "id": "7934627290",
        "name": "Kubek termiczny 450 ml",
        "category": {"id": "257931"},
        "primaryImage": {"url": "https://a.allegroimg.com/original/11a4c1/kubek.jpg"},
        "sellingMode": {"format": "BUY_NOW", "price": {"amount": "54.99", "currency": "PLN"}},
        "stock": {"available": 17, "sold": 3},
        "publication": {"status": "ACTIVE", "startingAt": null, "startedAt": "2026-10-01T12:00:00.000Z",
                        "endingAt": null, "endedAt": null, "marketplaces": {"base": {"id": "allegro-pl"}}},
        "external": {"id": "KUB-450"}
    }],
    "count": 1,
    "totalCount": 1
})";

const char *const kBillingEntries = R"({"billingEntries": [{
    "id": "09f0b4cc-7880-11e9-8f9e-2a86e4085a59",
    "occurredAt": "2026-11-20T10:05:00.000Z",
    "type": {"id": "SUC", "name": "Prowizja od sprzedaży"},
    "offer": {"id": "7934627290", "name": "Kubek termiczny 450 ml"},
    "value": {"amount": "-5.50", "currency": "PLN"},
    "tax": {"percentage": "23"},
    "balance": {"amount": "1204.50", "currency": "PLN"},
    "order": {"id": "29738e61-7f6a-11e8-ac45-09db60ede9d6"}
}]})";

} // namespace

void TestOpenApiValidator::initTestCase()
{
    auto spec = OpenApiValidator::load(sd::test::allegroOpenApiJsonPath());
    SD_VERIFY_OK(spec);
    m_spec = *spec;
    m_examples = ::specExamples(m_spec->document());
}

void TestOpenApiValidator::specExamples_data()
{
    QTest::addColumn<int>("index");
    for (qsizetype i = 0; i < m_examples.size(); ++i)
        QTest::newRow(qPrintable(m_examples[i].where)) << int(i);
}

void TestOpenApiValidator::specExamples()
{
    QFETCH(int, index);
    const Example &example = m_examples[index];
    const QStringList problems = m_spec->checkValue(example.value, example.schema, example.where);
    if (const QString reason = invalidSpecExamples().value(example.where); !reason.isEmpty())
        QEXPECT_FAIL("", qPrintable(reason), Continue);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestOpenApiValidator::exampleCount()
{
    qInfo("%lld spec examples next to a schema, %lld of them listed as invalid in the spec itself",
          qlonglong(m_examples.size()), qlonglong(invalidSpecExamples().size()));
    QVERIFY2(m_examples.size() > 1500, "the example walk lost its way in the spec");
    for (auto it = invalidSpecExamples().begin(); it != invalidSpecExamples().end(); ++it) {
        const bool listed =
            std::any_of(m_examples.begin(), m_examples.end(), [&it](const Example &e) { return e.where == it.key(); });
        QVERIFY2(listed, qPrintable(u"no such example: "_qs + it.key()));
    }
}

void TestOpenApiValidator::addExchange(const char *tag, const char *method, const QString &pathAndQuery, int status,
                                       const QByteArray &responseBody, const QByteArray &requestBody,
                                       const QByteArray &responseType, const QByteArray &requestType,
                                       const QString &problem)
{
    QTest::newRow(tag) << QByteArray(method) << pathAndQuery << requestBody << requestType << status << responseBody
                       << responseType << problem;
}

HttpExchange TestOpenApiValidator::exchangeFromRow() const
{
    QFETCH(QByteArray, method);
    QFETCH(QString, pathAndQuery);
    QFETCH(QByteArray, requestBody);
    QFETCH(QByteArray, requestType);
    QFETCH(int, status);
    QFETCH(QByteArray, responseBody);
    QFETCH(QByteArray, responseType);
    HttpExchange ex;
    ex.method = method;
    ex.url = QUrl(m_base.toString() + pathAndQuery);
    ex.requestHeaders = {{"Accept", kV1}};
    if (!requestBody.isEmpty() && !requestType.isEmpty())
        ex.requestHeaders.append({"Content-Type", requestType});
    ex.requestBody = requestBody;
    ex.status = status;
    if (!responseType.isEmpty())
        ex.responseHeaders = {{"Content-Type", responseType}, {"trace-id", "0af1c2d3"}};
    ex.responseBody = responseBody;
    return ex;
}

static void exchangeColumns()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("pathAndQuery");
    QTest::addColumn<QByteArray>("requestBody");
    QTest::addColumn<QByteArray>("requestType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("responseBody");
    QTest::addColumn<QByteArray>("responseType");
    QTest::addColumn<QString>("problem");
}

void TestOpenApiValidator::validExchanges_data()
{
    exchangeColumns();
    const QString form = u"/order/checkout-forms/"_qs + kOrderId;
    addExchange("events", "GET", u"/order/events?from=MTEzMjQzODU3NA&type=READY_FOR_PROCESSING&limit=100"_qs, 200,
                json(kEvents));
    addExchange("events, repeated type", "GET", u"/order/events?type=BOUGHT&type=BUYER_CANCELLED"_qs, 200,
                json(R"({"events": []})"));
    addExchange("checkout form", "GET", form, 200, checkoutForm());
    addExchange("checkout form, newer revision", "GET", form, 200,
                sd::test::readFile(QFINDTESTDATA("../data/allegro/checkout-form-full-newer.json")));
    addExchange("checkout form, charset", "GET", form, 200, checkoutForm(), {}, kV1 + ";charset=UTF-8");
    addExchange("checkout form 404", "GET", form, 404,
                json(R"({"errors": [{"code": "NotFoundException", "message": "Not found"}]})"));
    addExchange("fulfillment", "PUT", form + u"/fulfillment?checkoutForm.revision=819b5836"_qs, 204, {},
                json(R"({"status": "SENT", "shipmentSummary": {"lineItemsSent": "ALL"}})"), {});
    addExchange("fulfillment 409", "PUT", form + u"/fulfillment?checkoutForm.revision=old"_qs, 409, json(kErrors),
                json(R"({"status": "PROCESSING"})"));
    addExchange("shipment", "POST", form + u"/shipments"_qs, 201,
                json(R"({"id": "REhMOjEyMzQ1Njc4OTEwUEw=", "waybill": "620000012345678901234567",
                         "carrierId": "INPOST", "createdAt": "2026-11-21T10:00:00.000Z",
                         "lineItems": [{"id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2b"}]})"),
                json(R"({"carrierId": "INPOST", "waybill": "620000012345678901234567",
                         "lineItems": [{"id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2b"}]})"));
    addExchange("refund", "POST", u"/payments/refunds"_qs, 200, json(kRefundDetails), json(kRefundRequest));
    addExchange("quantity command", "PUT",
                u"/sale/offer-quantity-change-commands/0b5a1c6e-2f3d-4e5f-8a9b-0c1d2e3f4a5b"_qs, 201,
                json(R"({"id": "0b5a1c6e-2f3d-4e5f-8a9b-0c1d2e3f4a5b", "createdAt": "2026-11-21T10:00:00.000Z",
                         "completedAt": null, "taskCount": {"failed": 0, "success": 0, "total": 1}})"),
                json(R"({"modification": {"changeType": "FIXED", "value": 17},
                         "offerCriteria": [{"offers": [{"id": "7934627290"}], "type": "CONTAINS_OFFERS"}]})"));
    addExchange("offers", "GET",
                u"/sale/offers?limit=20&offset=0&publication.status=ACTIVE&publication.status=INACTIVE"
                u"&external.id=KUB-450&sellingMode.price.amount.gte=9.99&publication.marketplace=allegro-pl"_qs,
                200, json(kOffers));
    addExchange("message", "POST", u"/messaging/threads/mXi0dN7bSBBR3nyw5oqv9hQ/messages"_qs, 201, json(kMessage),
                json(R"({"text": "Dzień dobry, paczka wyjdzie jutro.", "attachments": null})"));
    addExchange("refund claim", "POST", u"/order/refund-claims"_qs, 201,
                json(R"({"id": "3b5e4f2a-1c2d-4e5f-9a8b-7c6d5e4f3a2b"})"),
                json(R"({"lineItem": {"id": "62ae358b-8f65-4fc4-9c77-bedf604a2e2b"}, "quantity": 1})"));
    addExchange("billing entries", "GET",
                u"/billing/billing-entries?occurredAt.gte=2026-11-01T00:00:00.000Z&occurredAt.lte=2026-11-30T23:59:59Z"
                u"&order.id="_qs +
                    kOrderId + u"&limit=100&offset=0"_qs,
                200, json(kBillingEntries));
    addExchange("events 401, body not described", "GET", u"/order/events"_qs, 401,
                json(R"({"error": "invalid_token", "error_description": "Access token expired"})"), {},
                "application/json");
    addExchange("no answer", "GET", u"/order/events"_qs, 0, {}, {}, {});
}

void TestOpenApiValidator::validExchanges()
{
    const HttpExchange ex = exchangeFromRow();
    const QStringList problems = m_spec->checkExchange(ex, m_base);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestOpenApiValidator::invalidExchanges_data()
{
    exchangeColumns();
    const QString form = u"/order/checkout-forms/"_qs + kOrderId;
    const QByteArray fulfillment = json(R"({"status": "SENT"})");
    const auto bad = [](const char *tag, const char *method, const QString &pathAndQuery, int status,
                        const QByteArray &responseBody, const QByteArray &requestBody, const QString &problem,
                        const QByteArray &responseType = kV1, const QByteArray &requestType = kV1) {
        addExchange(tag, method, pathAndQuery, status, responseBody, requestBody, responseType, requestType, problem);
    };

    bad("wrong type", "GET", form, 200, checkoutFormWith({u"lineItems"_qs, 0, u"price"_qs, u"amount"_qs}, 54.99), {},
        u"response 200 GET /order/checkout-forms/{id}: $.lineItems[0].price.amount: expected string, got number"_qs);
    bad("integer with a fraction", "PUT", u"/sale/offer-quantity-change-commands/c1"_qs, 201, json("{}"),
        json(R"({"modification": {"changeType": "FIXED", "value": 1.5}})"),
        u"request PUT /sale/offer-quantity-change-commands/{commandId}: $.modification.value: "
        u"expected integer, got number 1.5"_qs);
    bad("missing required", "GET", u"/order/events"_qs, 200, eventsWith({u"events"_qs, 0, u"occurredAt"_qs}, {}, true),
        {}, u"response 200 GET /order/events: $.events[0].occurredAt: required property is missing"_qs);
    bad("missing required at the top", "GET", form, 200, checkoutFormWith({u"buyer"_qs}, {}, true), {},
        u"response 200 GET /order/checkout-forms/{id}: $.buyer: required property is missing"_qs);
    bad("bad enum in request", "PUT", form + u"/fulfillment"_qs, 204, {}, json(R"({"status": "SHIPPED"})"),
        u"request PUT /order/checkout-forms/{id}/fulfillment: $.status: value \"SHIPPED\" is not one of \"NEW\""_qs);
    bad("bad enum in response", "GET", u"/order/events"_qs, 200, eventsWith({u"events"_qs, 0, u"type"_qs}, u"PAID"_qs),
        {}, u"response 200 GET /order/events: $.events[0].type: value \"PAID\" is not one of"_qs);
    bad("date-time without zone", "GET", u"/order/events"_qs, 200,
        eventsWith({u"events"_qs, 0, u"occurredAt"_qs}, u"2026-11-20T10:01:02.123"_qs), {},
        u"response 200 GET /order/events: $.events[0].occurredAt: not an RFC 3339 date-time: "
        u"\"2026-11-20T10:01:02.123\""_qs);
    bad("date-time with a space", "GET", u"/order/events"_qs, 200,
        eventsWith({u"events"_qs, 0, u"occurredAt"_qs}, u"2026-11-20 10:01:02Z"_qs), {},
        u"$.events[0].occurredAt: not an RFC 3339 date-time"_qs);
    bad("date-time on 30 February", "GET", u"/order/events"_qs, 200,
        eventsWith({u"events"_qs, 0, u"order"_qs, u"lineItems"_qs, 0, u"boughtAt"_qs}, u"2026-02-30T10:00:00Z"_qs), {},
        u"$.events[0].order.lineItems[0].boughtAt: not an RFC 3339 date-time"_qs);
    bad("date-time in the query", "GET", u"/billing/billing-entries?occurredAt.gte=2026-11-01"_qs, 200,
        json(R"({"billingEntries": []})"), {},
        u"request GET /billing/billing-entries: query occurredAt.gte: not an RFC 3339 date-time"_qs);
    bad("unknown path", "GET", u"/order/checkout-form/"_qs + kOrderId, 200, checkoutForm(), {},
        u"request GET /order/checkout-form/"_qs + kOrderId + u": no such operation"_qs);
    bad("unknown method", "DELETE", u"/order/events"_qs, 204, {}, {},
        u"request DELETE /order/events: no such operation (the path has GET)"_qs);
    bad("trailing slash", "GET", u"/order/events/"_qs, 200, json(kEvents), {},
        u"request GET /order/events/: no such operation"_qs);
    bad("undeclared status", "GET", u"/order/events"_qs, 500, json(kErrors), {},
        u"response 500 GET /order/events: status 500 is not declared (declared: 200, 401, 403, 422)"_qs);
    bad("wrong response media type", "GET", u"/order/events"_qs, 200, json(kEvents), {},
        u"response 200 GET /order/events: Content-Type application/json is not declared "
        u"(declared: application/vnd.allegro.public.v1+json)"_qs,
        "application/json");
    bad("wrong request media type", "PUT", form + u"/fulfillment"_qs, 204, {}, fulfillment,
        u"request PUT /order/checkout-forms/{id}/fulfillment: Content-Type text/plain is not declared"_qs, kV1,
        "text/plain; charset=utf-8");
    bad("request body without type", "PUT", form + u"/fulfillment"_qs, 204, {}, fulfillment,
        u"request PUT /order/checkout-forms/{id}/fulfillment: a body without Content-Type"_qs, kV1, {});
    bad("request body missing", "PUT", form + u"/fulfillment"_qs, 204, {}, {},
        u"request PUT /order/checkout-forms/{id}/fulfillment: the request body is missing"_qs);
    bad("request body not JSON", "PUT", form + u"/fulfillment"_qs, 204, {},
        "{\"status\": ", u"request PUT /order/checkout-forms/{id}/fulfillment: the body is not JSON"_qs);
    bad("body on 204", "PUT", form + u"/fulfillment"_qs, 204, json("{}"), fulfillment,
        u"response 204 PUT /order/checkout-forms/{id}/fulfillment: a body is sent but the status declares none"_qs);
    bad("empty 200", "GET", u"/order/events"_qs, 200, {}, {}, u"response 200 GET /order/events: the body is empty"_qs);
    bad("unknown query parameter", "GET", u"/order/events?limit=10&since=2026-11-01"_qs, 200, json(kEvents), {},
        u"request GET /order/events: unknown query parameter since"_qs);
    bad("query above maximum", "GET", u"/order/events?limit=1001"_qs, 200, json(kEvents), {},
        u"request GET /order/events: query limit: 1001 is above the maximum 1000"_qs);
    bad("query below minimum", "GET", u"/order/events?limit=0"_qs, 200, json(kEvents), {},
        u"request GET /order/events: query limit: 0 is below the minimum 1"_qs);
    bad("query not an integer", "GET", u"/order/events?limit=ten"_qs, 200, json(kEvents), {},
        u"request GET /order/events: query limit: expected integer, got \"ten\""_qs);
    bad("query given twice", "GET", u"/order/events?limit=10&limit=20"_qs, 200, json(kEvents), {},
        u"request GET /order/events: query limit: given 2 times"_qs);
    bad("query enum in an array", "GET", u"/sale/offers?publication.status=LIVE"_qs, 200, json(kOffers), {},
        u"request GET /sale/offers: query publication.status[0]: value \"LIVE\" is not one of"_qs);
    bad("required query missing", "GET", u"/order/carriers/INPOST/tracking"_qs, 0, {}, {},
        u"request GET /order/carriers/{carrierId}/tracking: required query parameter waybill is missing"_qs);
    bad("path parameter not a uuid", "GET", u"/order/checkout-forms/12345"_qs, 200, checkoutForm(), {},
        u"request GET /order/checkout-forms/{id}: path id: not a uuid: \"12345\""_qs);
    bad("null where not nullable", "GET", form, 200, checkoutFormWith({u"buyer"_qs, u"login"_qs}, QJsonValue()), {},
        u"response 200 GET /order/checkout-forms/{id}: $.buyer.login: expected string, got null"_qs);
    bad("null object where not nullable", "POST", u"/messaging/threads/t1/messages"_qs, 201,
        json(withValue(QJsonDocument::fromJson(kMessage).object(), {u"relatesTo"_qs}, QJsonValue()).toObject()),
        json(R"({"text": "Dzień dobry"})"),
        u"response 201 POST /messaging/threads/{threadId}/messages: $.relatesTo: expected object, got null"_qs);
    bad("null array item", "GET", u"/order/events"_qs, 200, eventsWith({u"events"_qs, 0}, QJsonValue()), {},
        u"response 200 GET /order/events: $.events[0]: expected object, got null"_qs);
    bad("maxLength", "POST", form + u"/shipments"_qs, 201, json("{}"),
        json(R"({"carrierId": "OTHER", "waybill": "W1", "carrierName": "A carrier name longer than thirty"})"),
        u"request POST /order/checkout-forms/{id}/shipments: $.carrierName: longer than maxLength 30 (33)"_qs);
    bad("outside the base", "GET", u"/../other/order/events"_qs, 200, json(kEvents), {},
        u"URL outside the API base"_qs);
}

void TestOpenApiValidator::invalidExchanges()
{
    QFETCH(QString, problem);
    HttpExchange ex = exchangeFromRow();
    if (problem.contains(u"outside the API base"))
        ex.url = QUrl(u"http://127.0.0.1:9/order/events"_qs);
    const QStringList problems = m_spec->checkExchange(ex, m_base);
    const bool found =
        std::any_of(problems.begin(), problems.end(), [&problem](const QString &p) { return p.contains(problem); });
    QVERIFY2(found, qPrintable(u"expected a problem containing\n  "_qs + problem + u"\ngot\n  "_qs +
                               problems.join(u"\n  "_qs)));
    QCOMPARE(problems.size(), 1); // one fault, one problem: nothing else in the exchange is wrong
}

void TestOpenApiValidator::skippedPaths()
{
    HttpExchange token;
    token.method = "POST";
    token.url = QUrl(m_base.toString() + u"/auth/oauth/token?grant_type=refresh_token&refresh_token=***"_qs);
    token.status = 200;
    token.responseBody = R"({"access_token": "***"})";
    QVERIFY(m_spec->checkExchange(token, m_base).isEmpty());
    token.url = QUrl(u"https://allegro.pl.allegrosandbox.pl/auth/oauth/device"_qs);
    QVERIFY(m_spec->checkExchange(token, m_base).isEmpty());

    HttpExchange control;
    control.method = "POST";
    control.url = QUrl(m_base.toString() + u"/_training/reset"_qs);
    control.status = 204;
    QVERIFY(m_spec->checkExchange(control, m_base).isEmpty());

    // The base may carry a path of its own.
    HttpExchange events;
    events.method = "GET";
    events.url = QUrl(u"http://127.0.0.1:18443/allegro/order/events?limit=5"_qs);
    events.status = 200;
    events.responseHeaders = {{"Content-Type", kV1}};
    events.responseBody = kEvents;
    QVERIFY(m_spec->checkExchange(events, QUrl(u"http://127.0.0.1:18443/allegro/"_qs)).isEmpty());
    QCOMPARE(m_spec->checkRequest(events, m_base).size(), 1);
}

void TestOpenApiValidator::pathPrecedence_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("operation");
    QTest::newRow("literal beats parameter")
        << QByteArray("GET") << u"/sale/offers/unfilled-parameters"_qs << u"/sale/offers/unfilled-parameters"_qs;
    QTest::newRow("parameter") << QByteArray("DELETE") << u"/sale/offers/7934627290"_qs << u"/sale/offers/{offerId}"_qs;
    QTest::newRow("literal first, deeper") << QByteArray("PUT") << u"/sale/offers/promo-options-commands/c1"_qs
                                           << u"/sale/offers/promo-options-commands/{commandId}"_qs;
    QTest::newRow("literal command") << QByteArray("POST") << u"/shipment-management/shipments/create-commands"_qs
                                     << u"/shipment-management/shipments/create-commands"_qs;
    QTest::newRow("shipment by id") << QByteArray("GET") << u"/shipment-management/shipments/abc"_qs
                                    << u"/shipment-management/shipments/{shipmentId}"_qs;
    // As Allegro's (Spring) routing does: the method is part of the match, so the template serves a DELETE.
    QTest::newRow("only the template has the method")
        << QByteArray("DELETE") << u"/sale/offers/promo-options"_qs << u"/sale/offers/{offerId}"_qs;
    QTest::newRow("no template has the method") << QByteArray("PUT") << u"/sale/offers/promo-options"_qs << QString();
    QTest::newRow("literal under a template")
        << QByteArray("GET") << u"/order/carriers/ALLEGRO/points"_qs << u"/order/carriers/ALLEGRO/points"_qs;
}

void TestOpenApiValidator::pathPrecedence()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, operation);
    QCOMPARE(m_spec->operationPath(method, path), operation);
}

void TestOpenApiValidator::formats_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    const QString dateTime = u"#/components/schemas/CheckoutFormPaymentReference/properties/finishedAt"_qs;
    QTest::newRow("date-time Z") << dateTime << u"2026-11-20T10:01:02Z"_qs << true;
    QTest::newRow("date-time millis") << dateTime << u"2026-11-20T10:01:02.123Z"_qs << true;
    QTest::newRow("date-time offset") << dateTime << u"2026-11-20T11:01:02+01:00"_qs << true;
    QTest::newRow("date-time leap day") << dateTime << u"2028-02-29T00:00:00Z"_qs << true;
    QTest::newRow("date-time no leap day") << dateTime << u"2026-02-29T00:00:00Z"_qs << false;
    QTest::newRow("date-time no seconds") << dateTime << u"2026-11-20T10:01Z"_qs << false;
    QTest::newRow("date-time hour 24") << dateTime << u"2026-11-20T24:00:00Z"_qs << false;
    QTest::newRow("date-time lower t") << dateTime << u"2026-11-20t10:01:02z"_qs << false;
    QTest::newRow("date-time offset no colon") << dateTime << u"2026-11-20T10:01:02+0100"_qs << false;
    QTest::newRow("date-time date only") << dateTime << u"2026-11-20"_qs << false;
    const QString uuid = u"#/components/schemas/CheckoutFormLineItem/properties/id"_qs;
    QTest::newRow("uuid") << uuid << u"62ae358b-8f65-4fc4-9c77-bedf604a2e2b"_qs << true;
    QTest::newRow("uuid upper case") << uuid << u"62AE358B-8F65-4FC4-9C77-BEDF604A2E2B"_qs << true;
    QTest::newRow("uuid short") << uuid << u"62ae358b-8f65-4fc4-9c77"_qs << false;
    QTest::newRow("uuid not hex") << uuid << u"62ae358b-8f65-4fc4-9c77-bedf604a2e2x"_qs << false;
}

void TestOpenApiValidator::formats()
{
    QFETCH(QString, schema);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const QStringList problems = m_spec->checkValue(value, schema);
    QVERIFY2(problems.isEmpty() == valid, qPrintable(problems.join(u'\n')));
}

void TestOpenApiValidator::discriminator()
{
    // CompatibilityListItem is oneOf TEXT / ID items chosen by "type".
    const QString schema = u"#/components/schemas/CompatibilityListItem"_qs;
    QVERIFY(
        m_spec->checkValue(QJsonObject{{u"type"_qs, u"TEXT"_qs}, {u"text"_qs, u"Audi A4 B8"_qs}}, schema).isEmpty());
    const QStringList problems = m_spec->checkValue(QJsonObject{{u"type"_qs, u"TEXT"_qs}}, schema);
    QCOMPARE(problems, QStringList{u"$.text: required property is missing"_qs});
}

void TestOpenApiValidator::strictNulls()
{
    HttpExchange ex;
    ex.method = "GET";
    ex.url = QUrl(m_base.toString() + u"/order/checkout-forms/"_qs + kOrderId);
    ex.status = 200;
    ex.responseHeaders = {{"Content-Type", kV1}};
    ex.responseBody = checkoutForm(); // buyer.companyName and buyer.personalIdentity are null, as Allegro sends them
    QVERIFY(m_spec->checkResponse(ex, m_base).isEmpty());
    m_spec->setStrictNulls(true);
    const QStringList problems = m_spec->checkResponse(ex, m_base);
    m_spec->setStrictNulls(false);
    QVERIFY2(problems.contains(
                 u"response 200 GET /order/checkout-forms/{id}: $.buyer.companyName: expected string, got null"_qs),
             qPrintable(problems.join(u'\n')));
}

void TestOpenApiValidator::baseWithSubtypes()
{
    // BenefitSpecification names its subtypes in a discriminator mapping, without oneOf; each subtype repeats the
    // base through allOf. A value is held to the subtype its "type" names, and a fault is reported once.
    const QString schema = u"#/components/schemas/BenefitSpecification"_qs;
    const QJsonObject threshold{
        {u"orderValue"_qs,
         QJsonObject{{u"lowerBound"_qs, QJsonObject{{u"amount"_qs, u"100.00"_qs}, {u"currency"_qs, u"PLN"_qs}}}}},
        {u"discount"_qs, QJsonObject{{u"percentage"_qs, u"5"_qs}}}};
    QJsonObject benefit{{u"type"_qs, u"LARGE_ORDER_DISCOUNT"_qs}, {u"thresholds"_qs, QJsonArray{threshold}}};
    QVERIFY(m_spec->checkValue(benefit, schema).isEmpty());
    benefit.remove(u"thresholds"_qs);
    QCOMPARE(m_spec->checkValue(benefit, schema), QStringList{u"$.thresholds: required property is missing"_qs});
    QCOMPARE(m_spec->checkValue(QJsonObject{{u"type"_qs, 7}}, schema),
             QStringList{u"$.type: expected string, got number"_qs});
}

void TestOpenApiValidator::manyExchanges()
{
    // A sync run's worth of traffic; the figure is printed, never asserted.
    HttpExchange ex;
    ex.method = "GET";
    ex.url = QUrl(m_base.toString() + u"/order/checkout-forms/"_qs + kOrderId);
    ex.status = 200;
    ex.responseHeaders = {{"Content-Type", kV1}};
    ex.responseBody = checkoutForm();
    qsizetype problems = 0;
    QBENCHMARK
    {
        for (int i = 0; i < 1000; ++i)
            problems += m_spec->checkExchange(ex, m_base).size();
    }
    QCOMPARE(problems, 0);
}

void TestOpenApiValidator::unknownPathAlone()
{
    HttpExchange ex;
    ex.method = "GET";
    ex.url = QUrl(m_base.toString() + u"/order/nothing"_qs);
    ex.status = 404;
    QCOMPARE(m_spec->checkResponse(ex, m_base), QStringList{u"request GET /order/nothing: no such operation"_qs});
    QCOMPARE(m_spec->checkExchange(ex, m_base).size(), 1);
}

QTEST_GUILESS_MAIN(TestOpenApiValidator)
#include "tst_openapivalidator.moc"
