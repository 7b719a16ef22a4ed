#pragma once

#include "marketplace/httpexchange.h"
#include "util/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace sd::test {

// The JSON copy of tests/data/allegro/allegro-openapi.yaml that the build writes into the build tree.
QString allegroOpenApiJsonPath();

// Checks HTTP traffic against an OpenAPI 3.0 file (Allegro's): operation, query and path parameters, request
// and response media types, status codes, and JSON bodies against their schemas. Every check returns a list of
// problems, empty when the traffic conforms; each problem names the side, the operation and the JSON path:
//   response 200 GET /order/checkout-forms/{id}: $.lineItems[0].price.amount: expected string, got number
//
// Use from a test that records the client's traffic:
//
//   auto spec = sd::test::OpenApiValidator::load(sd::test::allegroOpenApiJsonPath());
//   SD_VERIFY_OK(spec);
//   QList<sd::marketplace::HttpExchange> seen;
//   client.setExchangeObserver([&seen](const sd::marketplace::HttpExchange &ex) { seen.append(ex); });
//   ... run the sync against the training server ...
//   QStringList problems;
//   for (const auto &ex : seen)
//       problems += (*spec)->checkExchange(ex, trainingServer.baseUrl());
//   QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
//
// Loading takes a fraction of a second; schemas are compiled on first use and kept, so checking thousands of
// exchanges costs little. Calls may come from any thread (one lock per check).
//
// What it knows it cannot check: header parameters (Accept, Accept-Language, ...), security scopes, and
// binary bodies beyond their media type. Properties a schema does not declare are allowed, as OpenAPI says
// (this file never sets additionalProperties: false).
class OpenApiValidator
{
public:
    // Paths the spec does not describe that a client or the training server use on purpose: the OAuth
    // endpoints and the training server's control endpoints. Anything else the spec lacks is a problem.
    static QStringList defaultSkippedPrefixes();

    static Result<std::shared_ptr<OpenApiValidator>> load(const QString &jsonPath);
    explicit OpenApiValidator(QJsonObject document);
    ~OpenApiValidator();
    OpenApiValidator(const OpenApiValidator &) = delete;
    OpenApiValidator &operator=(const OpenApiValidator &) = delete;

    void setSkippedPrefixes(const QStringList &prefixes);

    // Allegro's file marks few fields nullable, yet the live API sends null for optional fields it has no value
    // for (buyer.companyName, publication.endedAt, carrierName, ...; see the fixtures and the API notes). By
    // default null is therefore accepted for a property the object's schema does not require; a required
    // property, an array item or a whole body must still be declared nullable. Strict: null only where
    // nullable: true.
    void setStrictNulls(bool strict);

    // base is the API root the client was given (scheme, host, port, optional path); the exchange's URL
    // is taken relative to it. A URL elsewhere is checked only against the skipped prefixes. A path the spec
    // lacks gives one problem, "request GET /x: no such operation", from each of the three. A status of 0
    // (no answer) leaves the response side unchecked.
    QStringList checkExchange(const marketplace::HttpExchange &ex, const QUrl &base) const;
    QStringList checkRequest(const marketplace::HttpExchange &ex, const QUrl &base) const;
    QStringList checkResponse(const marketplace::HttpExchange &ex, const QUrl &base) const;

    // A JSON value against the schema at a JSON pointer into the spec, e.g. "#/components/schemas/Price".
    // Problems start with context (when given) and the JSON path.
    QStringList checkValue(const QJsonValue &value, const QString &schemaPointer, const QString &context = {}) const;

    // The path template an API path resolves to for a method ("/order/checkout-forms/{id}"), empty if none.
    QString operationPath(const QByteArray &method, const QString &path) const;

    const QJsonObject &document() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace sd::test
