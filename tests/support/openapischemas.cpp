#include "openapischemas.h"

#include <QDate>

#include <algorithm>
#include <cmath>

namespace sd::test::openapi {

namespace {

constexpr int kMaxDepth = 200; // a $ref cycle on one value, a broken spec, must not blow the stack
constexpr int kMaxEnumShown = 12;

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

} // namespace

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

namespace {

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

} // namespace

QString escapePointer(QString key)
{
    return key.replace(u'~', u"~0"_qs).replace(u'/', u"~1"_qs);
}

OpenApiSchemas::OpenApiSchemas(QJsonObject document)
    : m_document(std::move(document))
{}

void OpenApiSchemas::Sink::add(const Step *at, const QString &message)
{
    ++count;
    if (problems)
        problems->append((context->isEmpty() ? QString() : *context + u": "_qs) + render(at) + u": "_qs + message);
}

QJsonValue OpenApiSchemas::at(const QString &pointer) const
{
    if (!pointer.startsWith(u"#/"))
        return {};
    QJsonValue node = m_document;
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
QJsonObject OpenApiSchemas::deref(QJsonObject object) const
{
    for (int i = 0; i < 8 && object.contains(u"$ref"); ++i)
        object = at(object.value(u"$ref").toString()).toObject();
    return object;
}

const Schema *OpenApiSchemas::schemaAt(const QString &pointer)
{
    if (Schema *known = m_byPointer.value(pointer))
        return known;
    return compile(at(pointer).toObject(), pointer);
}

const Schema *OpenApiSchemas::compile(const QJsonObject &object, const QString &pointer)
{
    if (Schema *known = m_byPointer.value(pointer))
        return known;
    Schema &s = m_schemas.emplace_back();
    s.pointer = pointer;
    m_byPointer.insert(pointer, &s);
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
        s.additional = compile(object.value(u"additionalProperties").toObject(), pointer + u"/additionalProperties"_qs);
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
            s.mapping.insert(it.key(), compile(ref, pointer + u"/discriminator/mapping/"_qs + escapePointer(it.key())));
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

const Schema *OpenApiSchemas::resolved(const Schema *s)
{
    for (int i = 0; s && !s->ref.isEmpty() && i < kMaxDepth; ++i) {
        if (!s->target)
            const_cast<Schema *>(s)->target = schemaAt(s->ref);
        s = s->target;
    }
    return s;
}

unsigned OpenApiSchemas::effectiveTypes(const Schema *s, int depth)
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

void OpenApiSchemas::validate(const Schema *s, const QJsonValue &value, const Step *at, const Schema *dispatching,
                              Sink &out, int depth)
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

const Schema *OpenApiSchemas::subtype(const Schema &s, const QJsonObject &object)
{
    const QString name = object.value(s.discriminator).toString();
    if (name.isEmpty())
        return nullptr;
    if (const Schema *mapped = s.mapping.value(name))
        return mapped;
    const QString implicit = u"#/components/schemas/"_qs + escapePointer(name);
    return at(implicit).isObject() ? schemaAt(implicit) : nullptr;
}

void OpenApiSchemas::checkAlternatives(const Schema &s, const std::vector<const Schema *> &options, bool exactlyOne,
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

void OpenApiSchemas::checkString(const Schema &s, const QString &text, const Step *at, Sink &out)
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

void OpenApiSchemas::checkNumber(const Schema &s, double number, const Step *at, Sink &out)
{
    if (s.minimum && (s.exclusiveMinimum ? number <= *s.minimum : number < *s.minimum))
        out.add(at, u"%1 is below the minimum %2"_qs.arg(number, 0, 'g', 17).arg(*s.minimum, 0, 'g', 17));
    if (s.maximum && (s.exclusiveMaximum ? number >= *s.maximum : number > *s.maximum))
        out.add(at, u"%1 is above the maximum %2"_qs.arg(number, 0, 'g', 17).arg(*s.maximum, 0, 'g', 17));
}

void OpenApiSchemas::checkObject(const Schema &s, const QJsonObject &object, const Step *at, Sink &out, int depth)
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
        if (it.value().isNull() && !m_strictNulls && !s.required.contains(name))
            continue;
        const Step step{at, name, -1, {}};
        validate(schema, it.value(), &step, nullptr, out, depth + 1);
    }
    if (s.additional) {
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString key = it.key();
            const bool declared =
                std::any_of(s.properties.begin(), s.properties.end(), [&key](const auto &p) { return p.first == key; });
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

void OpenApiSchemas::checkArray(const Schema &s, const QJsonArray &array, const Step *at, Sink &out, int depth)
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

QStringList OpenApiSchemas::checkValue(const Schema *schema, const QJsonValue &value, const QString &context,
                                       QStringView root)
{
    QStringList problems;
    Sink sink{&problems, &context};
    const Step step{nullptr, {}, -1, root};
    validate(schema, value, &step, nullptr, sink);
    problems.removeDuplicates(); // a subtype's allOf checks its base again
    return problems;
}

} // namespace sd::test::openapi
