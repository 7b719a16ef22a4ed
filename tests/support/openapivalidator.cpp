#include "openapivalidator.h"
#include "openapischemas.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QMutex>
#include <QUrlQuery>

#include <deque>
#include <optional>
#include <vector>

namespace sd::test {

using namespace openapi;

namespace {

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

} // namespace

struct OpenApiValidator::Impl
{
    explicit Impl(QJsonObject document)
        : spec(std::move(document))
    {}

    OpenApiSchemas spec;
    QStringList skipped = defaultSkippedPrefixes();
    QHash<int, std::vector<PathTemplate>> templates; // by segment count
    QHash<QString, Operation *> operations;          // by "METHOD template"
    std::deque<Operation> operationStore;
    QMutex mutex;

    void indexPaths()
    {
        const QJsonObject paths = spec.document().value(u"paths").toObject();
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
                media.schema = spec.compile(mediaObject.value(u"schema").toObject(),
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
                const QJsonObject p = spec.deref(list.at(i).toObject());
                Parameter parameter;
                parameter.name = p.value(u"name").toString();
                parameter.required = p.value(u"required").toBool();
                parameter.explode = p.value(u"explode").toBool(true);
                parameter.schema =
                    spec.compile(p.value(u"schema").toObject(), pointer + u'/' + QString::number(i) + u"/schema"_qs);
                const QString in = p.value(u"in").toString();
                if (in == u"query" && spec.effectiveTypes(parameter.schema) == TObject)
                    op.dynamicQuery = spec.resolved(parameter.schema)->additional;
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
                body = spec.deref(body);
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
                response = spec.deref(response);
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

    enum Sides { Request = 1, Response = 2 };

    QStringList check(const marketplace::HttpExchange &ex, const QUrl &base, int sides)
    {
        const Located where = locate(ex, base);
        if (where.skip)
            return {};
        if (!where.op)
            return {noOperation(ex, base, where)};
        QStringList problems;
        if (sides & Request)
            problems += request(ex, where);
        if (sides & Response)
            problems += response(ex, where);
        return problems;
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
        const unsigned types = spec.effectiveTypes(schema);
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
        if (spec.effectiveTypes(p.schema) & TArray) {
            const Schema *items = spec.resolved(p.schema)->items;
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
        problems += spec.checkValue(p.schema, value, label, root);
    }

    QStringList request(const marketplace::HttpExchange &ex, const Located &where)
    {
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
                    problems += spec.checkValue(known->schema, *value, label, QString(u"path "_qs + it.key()));
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
        if (const Schema *schema = spec.resolved(media->schema); schema->format == Format::Binary)
            return;
        QJsonParseError error;
        const QJsonDocument json = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError) {
            problems << label + u": the body is not JSON: "_qs + error.errorString() + u" at offset "_qs +
                            QString::number(error.offset);
            return;
        }
        problems += spec.checkValue(media->schema,
                                    json.isArray() ? QJsonValue(json.array()) : QJsonValue(json.object()), label);
    }

    QStringList response(const marketplace::HttpExchange &ex, const Located &where)
    {
        if (ex.status == 0)
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
    : d(std::make_unique<Impl>(std::move(document)))
{
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
    d->spec.setStrictNulls(strict);
}

QStringList OpenApiValidator::checkExchange(const marketplace::HttpExchange &ex, const QUrl &base) const
{
    QMutexLocker lock(&d->mutex);
    return d->check(ex, base, Impl::Request | Impl::Response);
}

QStringList OpenApiValidator::checkRequest(const marketplace::HttpExchange &ex, const QUrl &base) const
{
    QMutexLocker lock(&d->mutex);
    return d->check(ex, base, Impl::Request);
}

QStringList OpenApiValidator::checkResponse(const marketplace::HttpExchange &ex, const QUrl &base) const
{
    QMutexLocker lock(&d->mutex);
    return d->check(ex, base, Impl::Response);
}

QStringList OpenApiValidator::checkValue(const QJsonValue &value, const QString &schemaPointer,
                                         const QString &context) const
{
    QMutexLocker lock(&d->mutex);
    if (!d->spec.at(schemaPointer).isObject())
        return {context + u": no schema at "_qs + schemaPointer};
    return d->spec.checkValue(d->spec.schemaAt(schemaPointer), value, context);
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
    return d->spec.document();
}

} // namespace sd::test
