#include "openapivalidator.h"

#include <QDate>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QRegularExpression>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>
#include <vector>

namespace sd::test {

namespace {

enum Type : unsigned {
    TObject = 1,
    TArray = 2,
    TString = 4,
    TNumber = 8,
    TInteger = 16,
    TBoolean = 32,
};

enum class Format { None, DateTime, Date, Uuid, Binary };

constexpr int kMaxDepth = 200; // a $ref cycle on one value, a broken spec, must not blow the stack
constexpr int kMaxEnumShown = 12;

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

struct Media
{
    QString type; // normalised: lower case, no parameters, no spaces
    const Schema *schema = nullptr;
};

struct Parameter
{
    QString name;
    const Schema *schema = nullptr;
    bool required = false;
    bool explode = true;
};

struct Operation
{
    QString label; // "GET /order/checkout-forms/{id}"
    QHash<QString, Parameter> query;
    QHash<QString, Parameter> path;
    const Schema *dynamicQuery = nullptr; // an object-typed query parameter: any name, values of this schema
    bool hasBody = false, bodyRequired = false;
    std::vector<Media> bodyMedia;
    QHash<QString, std::vector<Media>> responses; // by status ("200", "default"); empty list: no body
};

struct PathTemplate
{
    QString text;
    QStringList segments; // a segment "{name}" matches any one segment
    std::vector<bool> isParam;
    QJsonObject item;
};

// A JSON path, built only when a problem is reported.
struct Step
{
    const Step *parent = nullptr;
    QStringView key;
    qsizetype index = -1;
    QStringView root; // on the first step: "$" or "query limit"
};

QString render(const Step *step)
{
    if (!step->parent)
        return step->root.toString();
    QString text = render(step->parent);
    if (step->index >= 0)
        return text + u'[' + QString::number(step->index) + u']';
    static const QRegularExpression plain(u"^[A-Za-z_][A-Za-z0-9_-]*$"_qs);
    if (plain.match(step->key).hasMatch())
        return text + u'.' + step->key;
    return text + u"[\""_qs + step->key + u"\"]"_qs;
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_qs;
    case QJsonValue::Bool:
        return u"boolean"_qs;
    case QJsonValue::Double:
        return u"number"_qs;
    case QJsonValue::String:
        return u"string"_qs;
    case QJsonValue::Array:
        return u"array"_qs;
    case QJsonValue::Object:
        return u"object"_qs;
    default:
        return u"undefined"_qs;
    }
}

QString typesText(unsigned types)
{
    QStringList names;
    const std::pair<unsigned, const char16_t *> all[] = {{TObject, u"object"},   {TArray, u"array"},
                                                         {TString, u"string"},   {TNumber, u"number"},
                                                         {TInteger, u"integer"}, {TBoolean, u"boolean"}};
    for (const auto &[bit, name] : all) {
        if (types & bit)
            names << QString::fromUtf16(name);
    }
    return names.join(u" or "_qs);
}

QString shortJson(const QJsonValue &value)
{
    QString text;
    if (value.isString())
        text = u'"' + value.toString() + u'"';
    else if (value.isDouble())
        text = QString::number(value.toDouble(), 'g', 17);
    else if (value.isBool())
        text = value.toBool() ? u"true"_qs : u"false"_qs;
    else if (value.isNull())
        text = u"null"_qs;
    else
        text = typeName(value);
    return text.size() > 80 ? text.left(77) + u"..."_qs : text;
}

bool typeMatches(unsigned types, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return types & TObject;
    case QJsonValue::Array:
        return types & TArray;
    case QJsonValue::String:
        return types & TString;
    case QJsonValue::Bool:
        return types & TBoolean;
    case QJsonValue::Double: {
        if (types & TNumber)
            return true;
        const double number = value.toDouble();
        return (types & TInteger) && std::isfinite(number) && std::trunc(number) == number;
    }
    default:
        return false;
    }
}

qsizetype codePoints(QStringView text)
{
    qsizetype count = 0;
    for (const QChar c : text) {
        if (!c.isLowSurrogate())
            ++count;
    }
    return count;
}

// RFC 3339 date-time as Allegro writes it: upper-case T and Z, seconds required, optional fraction.
bool validDateTime(const QString &text)
{
    static const QRegularExpression re(
        u"^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?(Z|[+-](\\d{2}):(\\d{2}))$"_qs);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return false;
    const auto n = [&m](int i) { return m.capturedView(i).toInt(); };
    if (!QDate(n(1), n(2), n(3)).isValid() || n(4) > 23 || n(5) > 59 || n(6) > 60)
        return false;
    return !m.hasCaptured(9) || (n(9) <= 23 && n(10) <= 59);
}

bool validDate(const QString &text)
{
    static const QRegularExpression re(u"^(\\d{4})-(\\d{2})-(\\d{2})$"_qs);
    const auto m = re.match(text);
    return m.hasMatch() &&
           QDate(m.capturedView(1).toInt(), m.capturedView(2).toInt(), m.capturedView(3).toInt()).isValid();
}

// Loose on purpose: 32 hex digits in the usual 8-4-4-4-12 groups, any case.
bool validUuid(const QString &text)
{
    static const QRegularExpression re(
        u"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"_qs);
    return re.match(text).hasMatch();
}

QString normalisedMediaType(QByteArrayView header)
{
    QString type = QString::fromLatin1(header).section(u';', 0, 0).toLower();
    type.remove(u' ');
    type.remove(u'\t');
    return type;
}

bool isJsonMedia(const QString &type)
{
    return type == u"application/json" || type.endsWith(u"+json");
}

const Media *findMedia(const std::vector<Media> &declared, const QString &actual)
{
    for (const auto &media : declared) {
        if (media.type == actual)
            return &media;
    }
    for (const auto &media : declared) {
        if (media.type == u"*/*" ||
            (media.type.endsWith(u"/*") && actual.startsWith(QStringView(media.type).chopped(1))))
            return &media;
    }
    return nullptr;
}

QString mediaList(const std::vector<Media> &declared)
{
    QStringList types;
    for (const auto &media : declared)
        types << media.type;
    return types.join(u", "_qs);
}

QString escapePointer(QString key)
{
    return key.replace(u'~', u"~0"_qs).replace(u'/', u"~1"_qs);
}

} // namespace

struct OpenApiValidator::Impl
{
    QJsonObject document;
    QStringList skipped = defaultSkippedPrefixes();
    bool strictNulls = false;
    QHash<int, std::vector<PathTemplate>> templates; // by segment count
    std::deque<Schema> schemas;                      // stable addresses
    QHash<QString, Schema *> byPointer;
    QHash<QString, Operation *> operations; // by "METHOD template"
    std::deque<Operation> operationStore;
    QMutex mutex;

    // ---- the spec document

    QJsonValue at(const QString &pointer) const
    {
        if (!pointer.startsWith(u"#/"))
            return {};
        QJsonValue node = document;
        for (const QStringView raw : QStringView(pointer).mid(2).split(u'/')) {
            QString key = raw.toString();
            key.replace(u"~1"_qs, u"/"_qs).replace(u"~0"_qs, u"~"_qs);
            if (node.isObject())
                node = node.toObject().value(key);
            else if (node.isArray())
                node = node.toArray().at(key.toInt());
            else
                return {};
        }
        return node;
    }

    // Follows a $ref of a non-schema object (request body, parameter, response).
    QJsonObject deref(QJsonObject object) const
    {
        for (int i = 0; i < 8 && object.contains(u"$ref"); ++i)
            object = at(object.value(u"$ref").toString()).toObject();
        return object;
    }

    // ---- schemas

    const Schema *schemaAt(const QString &pointer)
    {
        if (Schema *known = byPointer.value(pointer))
            return known;
        return compile(at(pointer).toObject(), pointer);
    }

    const Schema *compile(const QJsonObject &object, const QString &pointer)
    {
        if (Schema *known = byPointer.value(pointer))
            return known;
        Schema &s = schemas.emplace_back();
        s.pointer = pointer;
        byPointer.insert(pointer, &s);
        if (object.contains(u"$ref")) {
            s.ref = object.value(u"$ref").toString();
            return &s;
        }
        const QString type = object.value(u"type").toString();
        static const QHash<QString, unsigned> typeBits = {{u"object"_qs, TObject},   {u"array"_qs, TArray},
                                                          {u"string"_qs, TString},   {u"number"_qs, TNumber},
                                                          {u"integer"_qs, TInteger}, {u"boolean"_qs, TBoolean}};
        s.types = typeBits.value(type);
        // Many schemas in Allegro's file leave out "type: object" beside their properties.
        if (!s.types && (object.contains(u"properties") || object.value(u"additionalProperties").isObject()))
            s.types = TObject;
        else if (!s.types && object.contains(u"items"))
            s.types = TArray;
        s.nullable = object.value(u"nullable").toBool();
        const QJsonObject properties = object.value(u"properties").toObject();
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            if (it.value().isObject())
                s.properties.emplace_back(
                    it.key(), compile(it.value().toObject(), pointer + u"/properties/"_qs + escapePointer(it.key())));
        }
        for (const auto &name : object.value(u"required").toArray())
            s.required << name.toString();
        if (object.value(u"additionalProperties").isObject())
            s.additional =
                compile(object.value(u"additionalProperties").toObject(), pointer + u"/additionalProperties"_qs);
        if (object.value(u"items").isObject())
            s.items = compile(object.value(u"items").toObject(), pointer + u"/items"_qs);
        if (object.contains(u"enum")) {
            s.hasEnum = true;
            s.enumValues = object.value(u"enum").toArray();
        }
        const std::pair<const char16_t *, std::vector<const Schema *> *> lists[] = {
            {u"allOf", &s.allOf}, {u"oneOf", &s.oneOf}, {u"anyOf", &s.anyOf}};
        for (const auto &[key, list] : lists) {
            const QString name = QString::fromUtf16(key);
            const QJsonArray array = object.value(name).toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                list->push_back(compile(array.at(i).toObject(), pointer + u'/' + name + u'/' + QString::number(i)));
        }
        const QJsonObject discriminator = object.value(u"discriminator").toObject();
        if (!discriminator.isEmpty()) {
            s.discriminator = discriminator.value(u"propertyName").toString();
            const QJsonObject mapping = discriminator.value(u"mapping").toObject();
            for (auto it = mapping.begin(); it != mapping.end(); ++it) {
                QJsonObject ref;
                ref.insert(u"$ref"_qs, it.value());
                s.mapping.insert(it.key(),
                                 compile(ref, pointer + u"/discriminator/mapping/"_qs + escapePointer(it.key())));
            }
        }
        const QString format = object.value(u"format").toString();
        if (s.types == TString) {
            s.format = format == u"date-time"                              ? Format::DateTime
                       : format == u"date"                                 ? Format::Date
                       : format.compare(u"uuid", Qt::CaseInsensitive) == 0 ? Format::Uuid
                       : format == u"binary"                               ? Format::Binary
                                                                           : Format::None;
        }
        if (object.contains(u"minimum"))
            s.minimum = object.value(u"minimum").toDouble();
        if (object.contains(u"maximum"))
            s.maximum = object.value(u"maximum").toDouble();
        s.exclusiveMinimum = object.value(u"exclusiveMinimum").toBool();
        s.exclusiveMaximum = object.value(u"exclusiveMaximum").toBool();
        const auto count = [&object](const char16_t *key) {
            const QJsonValue v = object.value(QString::fromUtf16(key));
            return v.isDouble() ? qsizetype(v.toDouble()) : qsizetype(-1);
        };
        s.minLength = count(u"minLength");
        s.maxLength = count(u"maxLength");
        s.minItems = count(u"minItems");
        s.maxItems = count(u"maxItems");
        s.minProperties = count(u"minProperties");
        s.maxProperties = count(u"maxProperties");
        if (object.contains(u"pattern")) {
            QRegularExpression re(object.value(u"pattern").toString());
            if (re.isValid()) {
                re.optimize();
                s.pattern = re;
            } else {
                qWarning("openapi: %s: invalid pattern ignored", qPrintable(pointer));
            }
        }
        return &s;
    }

    const Schema *resolved(const Schema *s)
    {
        for (int i = 0; s && !s->ref.isEmpty() && i < kMaxDepth; ++i) {
            if (!s->target)
                const_cast<Schema *>(s)->target = schemaAt(s->ref);
            s = s->target;
        }
        return s;
    }

    unsigned effectiveTypes(const Schema *s, int depth = 0)
    {
        s = resolved(s);
        if (!s || depth > 16)
            return 0;
        if (s->types)
            return s->types;
        for (const Schema *part : s->allOf) {
            if (const unsigned types = effectiveTypes(part, depth + 1))
                return types;
        }
        return 0;
    }

    // ---- validation

    struct Sink
    {
        QStringList *problems;
        const QString *context;
        int count = 0;

        void add(const Step *at, const QString &message)
        {
            ++count;
            if (problems)
                problems->append((context->isEmpty() ? QString() : *context + u": "_qs) + render(at) + u": "_qs +
                                 message);
        }
    };

    void validate(const Schema *s, const QJsonValue &value, const Step *at, const Schema *dispatching, Sink &out,
                  int depth = 0)
    {
        s = resolved(s);
        if (!s)
            return;
        if (depth > kMaxDepth) {
            out.add(at, u"schema nesting too deep at "_qs + s->pointer);
            return;
        }
        if (value.isNull() && s->nullable)
            return;
        if (s->types && !typeMatches(s->types, value)) {
            const bool fraction = value.isDouble() && (s->types & TInteger);
            out.add(at, u"expected "_qs + typesText(s->types) + u", got "_qs +
                            (fraction ? u"number "_qs + shortJson(value) : typeName(value)));
            return;
        }
        if (s->hasEnum && !s->enumValues.contains(value)) {
            QStringList allowed;
            for (qsizetype i = 0; i < s->enumValues.size() && i < kMaxEnumShown; ++i)
                allowed << shortJson(s->enumValues.at(i));
            if (s->enumValues.size() > kMaxEnumShown)
                allowed << u"..."_qs;
            out.add(at, u"value "_qs + shortJson(value) + u" is not one of "_qs + allowed.join(u", "_qs));
        }
        switch (value.type()) {
        case QJsonValue::String:
            checkString(*s, value.toString(), at, out);
            break;
        case QJsonValue::Double:
            checkNumber(*s, value.toDouble(), at, out);
            break;
        case QJsonValue::Object:
            checkObject(*s, value.toObject(), at, out, depth);
            break;
        case QJsonValue::Array:
            checkArray(*s, value.toArray(), at, out, depth);
            break;
        default:
            break;
        }
        for (const Schema *part : s->allOf)
            validate(part, value, at, dispatching, out, depth + 1);
        // A subtype refers back to its base through allOf: the base's choice is made once per value.
        if (s == dispatching)
            return;
        if (!s->oneOf.empty() || !s->anyOf.empty()) {
            const bool one = !s->oneOf.empty();
            checkAlternatives(*s, one ? s->oneOf : s->anyOf, one, value, at, out, depth);
        } else if (!s->discriminator.isEmpty() && value.isObject()) {
            // A base type naming its subtypes: the value must also satisfy the subtype its discriminator names.
            if (const Schema *sub = subtype(*s, value.toObject()); sub && resolved(sub) != s)
                validate(sub, value, at, s, out, depth + 1);
        }
    }

    const Schema *subtype(const Schema &s, const QJsonObject &object)
    {
        const QString name = object.value(s.discriminator).toString();
        if (name.isEmpty())
            return nullptr;
        if (const Schema *mapped = s.mapping.value(name))
            return mapped;
        const QString implicit = u"#/components/schemas/"_qs + escapePointer(name);
        return at(implicit).isObject() ? schemaAt(implicit) : nullptr;
    }

    void checkAlternatives(const Schema &s, const std::vector<const Schema *> &options, bool exactlyOne,
                           const QJsonValue &value, const Step *at, Sink &out, int depth)
    {
        const QString keyword = exactlyOne ? u"oneOf"_qs : u"anyOf"_qs;
        if (!s.discriminator.isEmpty() && value.isObject()) {
            if (const Schema *sub = subtype(s, value.toObject())) {
                validate(sub, value, at, &s, out, depth + 1);
                return;
            }
        }
        int matches = 0;
        QStringList firstProblems;
        for (const Schema *option : options) {
            QStringList problems;
            const QString none;
            Sink trial{&problems, &none};
            validate(option, value, at, &s, trial, depth + 1);
            if (trial.count == 0)
                ++matches;
            else if (!problems.isEmpty())
                firstProblems << resolved(option)->pointer.section(u'/', -1) + u": "_qs + problems.first();
        }
        if (matches == 0)
            out.add(at, u"matches none of the "_qs + keyword + u" schemas ("_qs + firstProblems.join(u"; "_qs) + u')');
        else if (exactlyOne && matches > 1)
            out.add(at, u"matches "_qs + QString::number(matches) + u" of the oneOf schemas, expected exactly one"_qs);
    }

    void checkString(const Schema &s, const QString &text, const Step *at, Sink &out)
    {
        if (s.minLength >= 0 || s.maxLength >= 0) {
            const qsizetype length = codePoints(text);
            if (s.minLength >= 0 && length < s.minLength)
                out.add(at, u"shorter than minLength %1"_qs.arg(s.minLength));
            if (s.maxLength >= 0 && length > s.maxLength)
                out.add(at, u"longer than maxLength %1 (%2)"_qs.arg(s.maxLength).arg(length));
        }
        if (s.format == Format::DateTime && !validDateTime(text))
            out.add(at, u"not an RFC 3339 date-time: "_qs + shortJson(text));
        else if (s.format == Format::Date && !validDate(text))
            out.add(at, u"not a date (YYYY-MM-DD): "_qs + shortJson(text));
        else if (s.format == Format::Uuid && !validUuid(text))
            out.add(at, u"not a uuid: "_qs + shortJson(text));
        if (s.pattern && !s.pattern->match(text).hasMatch())
            out.add(at, shortJson(text) + u" does not match pattern "_qs + s.pattern->pattern());
    }

    void checkNumber(const Schema &s, double number, const Step *at, Sink &out)
    {
        if (s.minimum && (s.exclusiveMinimum ? number <= *s.minimum : number < *s.minimum))
            out.add(at, u"%1 is below the minimum %2"_qs.arg(number, 0, 'g', 17).arg(*s.minimum, 0, 'g', 17));
        if (s.maximum && (s.exclusiveMaximum ? number >= *s.maximum : number > *s.maximum))
            out.add(at, u"%1 is above the maximum %2"_qs.arg(number, 0, 'g', 17).arg(*s.maximum, 0, 'g', 17));
    }

    void checkObject(const Schema &s, const QJsonObject &object, const Step *at, Sink &out, int depth)
    {
        for (const QString &name : s.required) {
            if (!object.contains(name)) {
                const Step step{at, name, -1, {}};
                out.add(&step, u"required property is missing"_qs);
            }
        }
        for (const auto &[name, schema] : s.properties) {
            const auto it = object.constFind(name);
            if (it == object.constEnd())
                continue;
            if (it.value().isNull() && !strictNulls && !s.required.contains(name))
                continue;
            const Step step{at, name, -1, {}};
            validate(schema, it.value(), &step, nullptr, out, depth + 1);
        }
        if (s.additional) {
            for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
                const QString key = it.key();
                const bool declared = std::any_of(s.properties.begin(), s.properties.end(),
                                                  [&key](const auto &p) { return p.first == key; });
                if (!declared) {
                    const Step step{at, key, -1, {}};
                    validate(s.additional, it.value(), &step, nullptr, out, depth + 1);
                }
            }
        }
        if (s.minProperties >= 0 && object.size() < s.minProperties)
            out.add(at, u"fewer than minProperties %1"_qs.arg(s.minProperties));
        if (s.maxProperties >= 0 && object.size() > s.maxProperties)
            out.add(at, u"more than maxProperties %1"_qs.arg(s.maxProperties));
    }

    void checkArray(const Schema &s, const QJsonArray &array, const Step *at, Sink &out, int depth)
    {
        if (s.minItems >= 0 && array.size() < s.minItems)
            out.add(at, u"%1 items, fewer than minItems %2"_qs.arg(array.size()).arg(s.minItems));
        if (s.maxItems >= 0 && array.size() > s.maxItems)
            out.add(at, u"%1 items, more than maxItems %2"_qs.arg(array.size()).arg(s.maxItems));
        if (!s.items)
            return;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const Step step{at, {}, i, {}};
            validate(s.items, array.at(i), &step, nullptr, out, depth + 1);
        }
    }

    QStringList checkValue(const Schema *schema, const QJsonValue &value, const QString &context,
                           QStringView root = u"$")
    {
        QStringList problems;
        Sink sink{&problems, &context};
        const Step step{nullptr, {}, -1, root};
        validate(schema, value, &step, nullptr, sink);
        return problems;
    }

    // ---- operations

    void indexPaths()
    {
        const QJsonObject paths = document.value(u"paths").toObject();
        for (auto it = paths.begin(); it != paths.end(); ++it) {
            PathTemplate t;
            t.text = it.key();
            t.segments = it.key().mid(1).split(u'/');
            for (const QString &segment : t.segments)
                t.isParam.push_back(segment.startsWith(u'{') && segment.endsWith(u'}'));
            t.item = it.value().toObject();
            templates[t.segments.size()].push_back(std::move(t));
        }
    }

    // The template a path matches for a method: among matching templates, a literal segment beats a parameter
    // at the first position where they differ (as Allegro's routing does).
    const PathTemplate *match(const QString &method, const QStringList &segments, QHash<QString, QString> *params)
    {
        const auto found = templates.constFind(segments.size());
        if (found == templates.constEnd())
            return nullptr;
        const PathTemplate *best = nullptr;
        for (const PathTemplate &t : *found) {
            bool ok = t.item.contains(method);
            for (qsizetype i = 0; ok && i < segments.size(); ++i)
                ok = t.isParam[i] || t.segments[i] == segments[i];
            if (!ok)
                continue;
            if (best) {
                for (qsizetype i = 0; i < segments.size(); ++i) {
                    if (t.isParam[i] != best->isParam[i]) {
                        if (!t.isParam[i])
                            best = &t;
                        break;
                    }
                }
            } else {
                best = &t;
            }
        }
        if (best && params) {
            for (qsizetype i = 0; i < segments.size(); ++i) {
                if (best->isParam[i])
                    params->insert(best->segments[i].mid(1).chopped(1), segments[i]);
            }
        }
        return best;
    }

    std::vector<Media> mediaOf(const QJsonObject &content, const QString &pointer)
    {
        std::vector<Media> list;
        for (auto it = content.begin(); it != content.end(); ++it) {
            Media media;
            media.type = normalisedMediaType(it.key().toUtf8());
            const QJsonObject mediaObject = it.value().toObject();
            if (mediaObject.value(u"schema").isObject())
                media.schema = compile(mediaObject.value(u"schema").toObject(),
                                       pointer + u'/' + escapePointer(it.key()) + u"/schema"_qs);
            list.push_back(std::move(media));
        }
        return list;
    }

    Operation *operation(const QString &method, const PathTemplate &t)
    {
        const QString key = method + u' ' + t.text;
        if (Operation *known = operations.value(key))
            return known;
        Operation &op = operationStore.emplace_back();
        operations.insert(key, &op);
        op.label = method.toUpper() + u' ' + t.text;
        const QString base = u"#/paths/"_qs + escapePointer(t.text);
        const QJsonObject object = t.item.value(method).toObject();
        const auto addParameters = [&](const QJsonArray &list, const QString &pointer) {
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QJsonObject p = deref(list.at(i).toObject());
                Parameter parameter;
                parameter.name = p.value(u"name").toString();
                parameter.required = p.value(u"required").toBool();
                parameter.explode = p.value(u"explode").toBool(true);
                parameter.schema =
                    compile(p.value(u"schema").toObject(), pointer + u'/' + QString::number(i) + u"/schema"_qs);
                const QString in = p.value(u"in").toString();
                if (in == u"query" && effectiveTypes(parameter.schema) == TObject)
                    op.dynamicQuery = resolved(parameter.schema)->additional;
                else if (in == u"query")
                    op.query.insert(parameter.name, parameter);
                else if (in == u"path")
                    op.path.insert(parameter.name, parameter);
            }
        };
        addParameters(t.item.value(u"parameters").toArray(), base + u"/parameters"_qs);
        addParameters(object.value(u"parameters").toArray(), base + u'/' + method + u"/parameters"_qs);
        if (object.contains(u"requestBody")) {
            QString pointer = base + u'/' + method + u"/requestBody"_qs;
            QJsonObject body = object.value(u"requestBody").toObject();
            if (body.contains(u"$ref")) {
                pointer = body.value(u"$ref").toString();
                body = deref(body);
            }
            op.hasBody = true;
            op.bodyRequired = body.value(u"required").toBool();
            op.bodyMedia = mediaOf(body.value(u"content").toObject(), pointer + u"/content"_qs);
        }
        const QJsonObject responses = object.value(u"responses").toObject();
        for (auto it = responses.begin(); it != responses.end(); ++it) {
            QString pointer = base + u'/' + method + u"/responses/"_qs + it.key();
            QJsonObject response = it.value().toObject();
            if (response.contains(u"$ref")) {
                pointer = response.value(u"$ref").toString();
                response = deref(response);
            }
            op.responses.insert(it.key(), mediaOf(response.value(u"content").toObject(), pointer + u"/content"_qs));
        }
        return &op;
    }

    struct Located
    {
        bool skip = false;
        QString path;            // relative to the base, percent-encoded
        Operation *op = nullptr; // null: no such operation
        QHash<QString, QString> params;
    };

    Located locate(const marketplace::HttpExchange &ex, const QUrl &base)
    {
        Located where;
        const QString full = ex.url.path(QUrl::FullyEncoded);
        QString basePath = base.path(QUrl::FullyEncoded);
        while (basePath.endsWith(u'/'))
            basePath.chop(1);
        const bool sameServer =
            ex.url.scheme() == base.scheme() && ex.url.host() == base.host() && ex.url.port(-1) == base.port(-1);
        const bool under = sameServer && (full == basePath || full.startsWith(basePath + u'/'));
        where.path = under ? full.mid(basePath.size()) : full;
        for (const QString &prefix : skipped) {
            if (where.path.startsWith(prefix) || full.startsWith(prefix))
                where.skip = true;
        }
        if (where.skip || !under)
            return where;
        QStringList segments = where.path.mid(1).split(u'/');
        for (QString &segment : segments)
            segment = QUrl::fromPercentEncoding(segment.toUtf8());
        const QString method = QString::fromLatin1(ex.method).toLower();
        if (const PathTemplate *t = match(method, segments, &where.params))
            where.op = operation(method, *t);
        return where;
    }

    QString noOperation(const marketplace::HttpExchange &ex, const QUrl &base, const Located &where)
    {
        QString side = u"request "_qs + QString::fromLatin1(ex.method) + u' ' + where.path;
        const bool sameServer =
            ex.url.scheme() == base.scheme() && ex.url.host() == base.host() && ex.url.port(-1) == base.port(-1);
        if (!sameServer || !where.path.startsWith(u'/'))
            return side + u": URL outside the API base "_qs + base.toString();
        QStringList segments = where.path.mid(1).split(u'/');
        QStringList methods;
        for (const char *m : {"get", "put", "post", "delete", "patch", "head", "options"}) {
            if (match(QString::fromLatin1(m), segments, nullptr))
                methods << QString::fromLatin1(m).toUpper();
        }
        return side + u": no such operation"_qs +
               (methods.isEmpty() ? QString() : u" (the path has "_qs + methods.join(u", "_qs) + u')');
    }

    // A query or path text as the JSON value its schema expects; an error message when it cannot be one.
    std::optional<QJsonValue> typed(const Schema *schema, const QString &text, QString *error)
    {
        const unsigned types = effectiveTypes(schema);
        if (types & (TInteger | TNumber)) {
            bool ok = false;
            const double number = (types & TNumber) ? text.toDouble(&ok) : double(text.toLongLong(&ok));
            if (ok)
                return QJsonValue(number);
            *error = u"expected "_qs + typesText(types) + u", got \""_qs + text + u'"';
            return std::nullopt;
        }
        if (types & TBoolean) {
            if (text == u"true" || text == u"false")
                return QJsonValue(text == u"true");
            *error = u"expected boolean, got \""_qs + text + u'"';
            return std::nullopt;
        }
        return QJsonValue(text);
    }

    void checkParameter(const Parameter &p, const QStringList &values, const QString &label, QStringList &problems)
    {
        const QString where = label + u": "_qs;
        const QString root = u"query "_qs + p.name;
        QJsonValue value;
        QString error;
        if (effectiveTypes(p.schema) & TArray) {
            const Schema *items = resolved(p.schema)->items;
            QJsonArray array;
            for (const QString &text : values) {
                const QStringList parts = p.explode ? QStringList{text} : text.split(u',');
                for (const QString &part : parts) {
                    const auto item = items ? typed(items, part, &error) : QJsonValue(part);
                    if (!item) {
                        problems << where + root + u": "_qs + error;
                        return;
                    }
                    array.append(*item);
                }
            }
            value = array;
        } else {
            if (values.size() > 1) {
                problems << where + root + u": given "_qs + QString::number(values.size()) + u" times"_qs;
                return;
            }
            const auto single = typed(p.schema, values.first(), &error);
            if (!single) {
                problems << where + root + u": "_qs + error;
                return;
            }
            value = *single;
        }
        problems += checkValue(p.schema, value, label, root);
    }

    QStringList request(const marketplace::HttpExchange &ex, const QUrl &base)
    {
        const Located where = locate(ex, base);
        if (where.skip)
            return {};
        if (!where.op)
            return {noOperation(ex, base, where)};
        const Operation &op = *where.op;
        const QString label = u"request "_qs + op.label;
        QStringList problems;

        QHash<QString, QStringList> given;
        const auto items = QUrlQuery(ex.url).queryItems(QUrl::FullyDecoded);
        for (const auto &[name, value] : items)
            given[name] << value;
        for (auto it = given.constBegin(); it != given.constEnd(); ++it) {
            if (const auto known = op.query.constFind(it.key()); known != op.query.constEnd())
                checkParameter(*known, it.value(), label, problems);
            else if (op.dynamicQuery)
                checkParameter({it.key(), op.dynamicQuery, false, true}, it.value(), label, problems);
            else
                problems << label + u": unknown query parameter "_qs + it.key();
        }
        for (const Parameter &p : op.query) {
            if (p.required && !given.contains(p.name))
                problems << label + u": required query parameter "_qs + p.name + u" is missing"_qs;
        }
        for (auto it = where.params.constBegin(); it != where.params.constEnd(); ++it) {
            if (const auto known = op.path.constFind(it.key()); known != op.path.constEnd()) {
                QString error;
                if (const auto value = typed(known->schema, it.value(), &error))
                    problems += checkValue(known->schema, *value, label, QString(u"path "_qs + it.key()));
                else
                    problems << label + u": path "_qs + it.key() + u": "_qs + error;
            }
        }

        if (ex.requestBody.isEmpty()) {
            if (op.bodyRequired)
                problems << label + u": the request body is missing"_qs;
            return problems;
        }
        if (!op.hasBody)
            return problems << label + u": a request body is sent but the operation takes none"_qs;
        const QString type = normalisedMediaType(ex.requestHeader("Content-Type"));
        checkBody(label, op.bodyMedia, type, ex.requestBody, problems);
        return problems;
    }

    void checkBody(const QString &label, const std::vector<Media> &declared, const QString &type,
                   const QByteArray &body, QStringList &problems)
    {
        if (type.isEmpty()) {
            problems << label + u": a body without Content-Type (declared: "_qs + mediaList(declared) + u')';
            return;
        }
        const Media *media = findMedia(declared, type);
        if (!media) {
            problems << label + u": Content-Type "_qs + type + u" is not declared (declared: "_qs +
                            mediaList(declared) + u')';
            return;
        }
        if (!media->schema || !isJsonMedia(type))
            return;
        if (const Schema *schema = resolved(media->schema); schema->format == Format::Binary)
            return;
        QJsonParseError error;
        const QJsonDocument json = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError) {
            problems << label + u": the body is not JSON: "_qs + error.errorString() + u" at offset "_qs +
                            QString::number(error.offset);
            return;
        }
        problems +=
            checkValue(media->schema, json.isArray() ? QJsonValue(json.array()) : QJsonValue(json.object()), label);
    }

    QStringList response(const marketplace::HttpExchange &ex, const QUrl &base)
    {
        if (ex.status == 0)
            return {};
        const Located where = locate(ex, base);
        if (where.skip || !where.op)
            return {};
        const Operation &op = *where.op;
        const QString status = QString::number(ex.status);
        const QString label = u"response "_qs + status + u' ' + op.label;
        auto declared = op.responses.constFind(status);
        if (declared == op.responses.constEnd())
            declared = op.responses.constFind(u"default"_qs);
        if (declared == op.responses.constEnd()) {
            QStringList statuses = op.responses.keys();
            statuses.sort();
            return {label + u": status "_qs + status + u" is not declared (declared: "_qs + statuses.join(u", "_qs) +
                    u')'};
        }
        QStringList problems;
        if (declared->empty()) {
            // Allegro's file describes no body for most 401/403/404 answers, yet Allegro sends one: only a
            // status that cannot carry a body is held to that.
            if (!ex.responseBody.isEmpty() && (ex.status == 204 || ex.status == 304))
                problems << label + u": a body is sent but the status declares none"_qs;
            return problems;
        }
        if (ex.responseBody.isEmpty()) {
            problems << label + u": the body is empty (declared: "_qs + mediaList(*declared) + u')';
            return problems;
        }
        checkBody(label, *declared, normalisedMediaType(ex.responseHeader("Content-Type")), ex.responseBody, problems);
        return problems;
    }
};

QString allegroOpenApiJsonPath()
{
    return QStringLiteral(SD_ALLEGRO_OPENAPI_JSON);
}

QStringList OpenApiValidator::defaultSkippedPrefixes()
{
    return {u"/auth/oauth/"_qs, u"/_training/"_qs};
}

Result<std::shared_ptr<OpenApiValidator>> OpenApiValidator::load(const QString &jsonPath)
{
    QFile file(jsonPath);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, u"cannot read the OpenAPI file"_qs, jsonPath + u": "_qs + file.errorString());
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(file.readAll(), &error);
    if (!json.isObject() || !json.object().contains(u"paths"))
        return makeError(Error::Code::Invalid, u"not an OpenAPI file"_qs, jsonPath + u": "_qs + error.errorString());
    return std::make_shared<OpenApiValidator>(json.object());
}

OpenApiValidator::OpenApiValidator(QJsonObject document)
    : d(std::make_unique<Impl>())
{
    d->document = std::move(document);
    d->indexPaths();
}

OpenApiValidator::~OpenApiValidator() = default;

void OpenApiValidator::setSkippedPrefixes(const QStringList &prefixes)
{
    QMutexLocker lock(&d->mutex);
    d->skipped = prefixes;
}

void OpenApiValidator::setStrictNulls(bool strict)
{
    QMutexLocker lock(&d->mutex);
    d->strictNulls = strict;
}

QStringList OpenApiValidator::checkExchange(const marketplace::HttpExchange &ex, const QUrl &base) const
{
    QMutexLocker lock(&d->mutex);
    return d->request(ex, base) + d->response(ex, base);
}

QStringList OpenApiValidator::checkRequest(const marketplace::HttpExchange &ex, const QUrl &base) const
{
    QMutexLocker lock(&d->mutex);
    return d->request(ex, base);
}

QStringList OpenApiValidator::checkResponse(const marketplace::HttpExchange &ex, const QUrl &base) const
{
    QMutexLocker lock(&d->mutex);
    return d->response(ex, base);
}

QStringList OpenApiValidator::checkValue(const QJsonValue &value, const QString &schemaPointer,
                                         const QString &context) const
{
    QMutexLocker lock(&d->mutex);
    if (!d->at(schemaPointer).isObject())
        return {context + u": no schema at "_qs + schemaPointer};
    return d->checkValue(d->schemaAt(schemaPointer), value, context);
}

QString OpenApiValidator::operationPath(const QByteArray &method, const QString &path) const
{
    QMutexLocker lock(&d->mutex);
    QStringList segments = path.mid(1).split(u'/');
    const PathTemplate *t = d->match(QString::fromLatin1(method).toLower(), segments, nullptr);
    return t ? t->text : QString();
}

const QJsonObject &OpenApiValidator::document() const
{
    return d->document;
}

} // namespace sd::test
