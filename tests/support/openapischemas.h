#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>
#include <vector>

// Part of OpenApiValidator, not for tests to use directly: the schemas of one OpenAPI document, compiled once,
// and the JSON Schema subset that Allegro's file uses.
namespace sd::test::openapi {

enum Type : unsigned {
    TObject = 1,
    TArray = 2,
    TString = 4,
    TNumber = 8,
    TInteger = 16,
    TBoolean = 32,
};

enum class Format { None, DateTime, Date, Uuid, Binary };

// One schema object of the spec, compiled once. A $ref node only names its target; the target is compiled
// the first time a value reaches it.
struct Schema
{
    QString pointer;
    QString ref;
    const Schema *target = nullptr;
    unsigned types = 0; // 0: any type
    bool nullable = false;
    std::vector<std::pair<QString, const Schema *>> properties;
    QStringList required;
    const Schema *additional = nullptr;
    const Schema *items = nullptr;
    bool hasEnum = false;
    QJsonArray enumValues;
    std::vector<const Schema *> allOf, oneOf, anyOf;
    QString discriminator;
    QHash<QString, const Schema *> mapping;
    Format format = Format::None;
    std::optional<double> minimum, maximum;
    bool exclusiveMinimum = false, exclusiveMaximum = false;
    qsizetype minLength = -1, maxLength = -1, minItems = -1, maxItems = -1, minProperties = -1, maxProperties = -1;
    std::optional<QRegularExpression> pattern;
};

// A JSON path, built only when a problem is reported.
struct Step
{
    const Step *parent = nullptr;
    QStringView key;
    qsizetype index = -1;
    QStringView root; // on the first step: "$" or "query limit"
};

QString typesText(unsigned types);  // "string or number"
QString escapePointer(QString key); // one JSON pointer segment

class OpenApiSchemas
{
public:
    explicit OpenApiSchemas(QJsonObject document);

    const QJsonObject &document() const { return m_document; }
    void setStrictNulls(bool strict) { m_strictNulls = strict; }

    QJsonValue at(const QString &pointer) const;
    // Follows a $ref of a non-schema object (request body, parameter, response).
    QJsonObject deref(QJsonObject object) const;
    const Schema *schemaAt(const QString &pointer);
    const Schema *compile(const QJsonObject &object, const QString &pointer);
    const Schema *resolved(const Schema *s);
    unsigned effectiveTypes(const Schema *s, int depth = 0);
    QStringList checkValue(const Schema *schema, const QJsonValue &value, const QString &context,
                           QStringView root = u"$");

private:
    struct Sink
    {
        QStringList *problems;
        const QString *context;
        int count = 0;

        void add(const Step *at, const QString &message);
    };

    void validate(const Schema *s, const QJsonValue &value, const Step *at, const Schema *dispatching, Sink &out,
                  int depth = 0);
    const Schema *subtype(const Schema &s, const QJsonObject &object);
    void checkAlternatives(const Schema &s, const std::vector<const Schema *> &options, bool exactlyOne,
                           const QJsonValue &value, const Step *at, Sink &out, int depth);
    void checkString(const Schema &s, const QString &text, const Step *at, Sink &out);
    void checkNumber(const Schema &s, double number, const Step *at, Sink &out);
    void checkObject(const Schema &s, const QJsonObject &object, const Step *at, Sink &out, int depth);
    void checkArray(const Schema &s, const QJsonArray &array, const Step *at, Sink &out, int depth);

    QJsonObject m_document;
    bool m_strictNulls = false;
    std::deque<Schema> m_schemas; // stable addresses
    QHash<QString, Schema *> m_byPointer;
};

} // namespace sd::test::openapi
