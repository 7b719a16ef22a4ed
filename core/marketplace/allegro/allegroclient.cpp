#include "marketplace/allegro/allegroclient.h"

#include "marketplace/allegro/apierror.h"
#include "security/secretstore.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QThread>

namespace sd::marketplace::allegro {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::allegro", text);
}

constexpr char kPublicMedia[] = "application/vnd.allegro.public.v1+json";
constexpr char kBetaMedia[] = "application/vnd.allegro.beta.v1+json";

QString enc(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

QJsonObject offerCriteria(const QStringList &offerIds, QJsonObject command)
{
    QJsonArray offers;
    for (const QString &id : offerIds)
        offers.append(QJsonObject{{u"id"_qs, id}});
    command.insert(u"offerCriteria"_qs,
                   QJsonArray{QJsonObject{{u"type"_qs, u"CONTAINS_OFFERS"_qs}, {u"offers"_qs, offers}}});
    return command;
}

} // namespace

QJsonObject AllegroClient::Response::json() const
{
    return QJsonDocument::fromJson(body).object();
}

AllegroClient::AllegroClient(MarketplaceAccount account, std::shared_ptr<storage::Database> db,
                             std::shared_ptr<security::SecretStore> secrets, ClientOptions options)
    : m_account(std::move(account))
    , m_options(options)
    , m_transport(options.retry.requestTimeoutMs)
{
    QByteArray clientSecret;
    if (secrets) {
        if (auto stored = secrets->read(TokenKeeper::clientSecretKey(m_account.secretRef));
            stored && stored->has_value())
            clientSecret = **stored;
    }
    m_oauth = std::make_unique<OAuthClient>(m_transport, m_account.authBaseUrl, m_account.clientId, clientSecret,
                                            m_options.retry);
    m_tokens = std::make_unique<TokenKeeper>(std::move(db), std::move(secrets), m_account.id);
}

AllegroClient::~AllegroClient() = default;

void AllegroClient::setObserver(HttpExchangeObserver observer)
{
    m_transport.setObserver(std::move(observer));
}

bool AllegroClient::waitMs(qint64 ms)
{
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        if (m_cancelled && m_cancelled())
            return false;
        QThread::msleep(quint64(qBound(qint64(1), deadline.remainingTime(), qint64(100))));
    }
    return !(m_cancelled && m_cancelled());
}

Result<AllegroClient::Response> AllegroClient::call(const QByteArray &method, const QString &path,
                                                    const QUrlQuery &query, const QByteArray &body, Media media,
                                                    const QByteArray &contentType)
{
    const QString what = QString::fromLatin1(method) + u' ' + path;
    const RetryPolicy &policy = m_options.retry;
    const QByteArray accept = media == Media::Beta   ? kBetaMedia
                              : media == Media::File ? QByteArrayLiteral("application/octet-stream")
                                                     : kPublicMedia;
    const QByteArray bodyType = media == Media::Beta ? kBetaMedia : kPublicMedia;
    bool refreshed = false;
    int failures = 0;
    int limited = 0;
    Response last;
    while (true) {
        if (m_cancelled && m_cancelled())
            return makeError(Error::Code::Io, tr("The download was stopped."), what);
        // A 429 pauses every call of this client, not just the one that got it.
        if (const qint64 wait = m_pausedUntilMs - QDateTime::currentMSecsSinceEpoch(); wait > 0) {
            if (!waitMs(wait))
                return makeError(Error::Code::Io, tr("The download was stopped."), what);
        }
        auto token = m_tokens->accessToken();
        if (!token)
            return token.error();

        HttpRequest request;
        request.method = method;
        QUrl url = m_account.apiBaseUrl;
        url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path);
        if (!query.isEmpty())
            url.setQuery(query);
        request.url = url;
        request.body = body;
        request.headers = {{"Authorization", "Bearer " + *token}, {"Accept", accept}};
        if (!m_options.acceptLanguage.isEmpty())
            request.headers.append({"Accept-Language", m_options.acceptLanguage});
        if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
            request.headers.append({"Content-Type", contentType.isEmpty() ? bodyType : contentType});

        const HttpResponse response = m_transport.send(request);
        ++m_attempts;
        last = Response{response.status, response.body, response.headers};

        if (response.status == 401 && !refreshed) {
            refreshed = true;
            auto renewed = m_tokens->refreshAfterRejected(*token, *m_oauth);
            if (!renewed)
                return renewed.error();
            continue;
        }
        if (response.status == 429) {
            ++limited;
            ++m_pauses;
            bool numeric = false;
            const qint64 retryAfter = response.header("Retry-After").trimmed().toLongLong(&numeric);
            const qint64 delay =
                policy.delayMs(++m_rateLimitStreak, numeric ? std::optional<qint64>(retryAfter) : std::nullopt, false);
            qCWarning(lcAllegro).noquote() << what << "rate limited; pausing the client for" << delay << "ms";
            if (limited >= policy.maxAttempts * 3)
                return ApiError::parse(response.status, response.body).toError(what);
            m_pausedUntilMs = QDateTime::currentMSecsSinceEpoch() + delay;
            continue;
        }
        if (response.status == 0 || response.status >= 500) {
            ++failures;
            if (failures >= policy.maxAttempts) {
                ApiError error = ApiError::parse(response.status, response.body);
                if (response.status == 0)
                    error.message = response.networkError;
                return error.toError(what);
            }
            const qint64 delay = policy.delayMs(failures, std::nullopt, true);
            qCInfo(lcAllegro).noquote() << what << "failed with" << response.status << "; try" << failures + 1 << "in"
                                        << delay << "ms";
            if (!waitMs(delay))
                return makeError(Error::Code::Io, tr("The download was stopped."), what);
            continue;
        }
        m_rateLimitStreak = 0;
        // 3xx too: redirects are not followed (an operation's 303 names the finished resource).
        if (response.status >= 200 && response.status < 400)
            return last;
        return ApiError::parse(response.status, response.body).toError(what);
    }
}

Result<QJsonObject> AllegroClient::getJson(const QString &path, const QUrlQuery &query, Media media)
{
    auto response = call("GET", path, query, {}, media);
    if (!response)
        return response.error();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(response->body, &parseError);
    if (!doc.isObject())
        return makeError(Error::Code::Invalid, tr("Allegro sent an answer that cannot be read."),
                         path + u": " + parseError.errorString());
    return doc.object();
}

Result<AllegroClient::Response> AllegroClient::sendJson(const QByteArray &method, const QString &path,
                                                        const QJsonObject &body, const QUrlQuery &query, Media media)
{
    return call(method, path, query, QJsonDocument(body).toJson(QJsonDocument::Compact), media);
}

Result<QJsonObject> AllegroClient::me()
{
    return getJson(QStringLiteral("/me"));
}

Result<QJsonArray> AllegroClient::orderEvents(const QString &fromEventId, int limit)
{
    QUrlQuery query;
    if (!fromEventId.isEmpty())
        query.addQueryItem(QStringLiteral("from"), fromEventId);
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 1000)));
    auto json = getJson(QStringLiteral("/order/events"), query);
    if (!json)
        return json.error();
    return json->value(u"events").toArray();
}

Result<QString> AllegroClient::latestOrderEventId()
{
    auto json = getJson(QStringLiteral("/order/event-stats"));
    if (!json)
        return json.error();
    return json->value(u"latestEvent").toObject().value(u"id").toString();
}

Result<QByteArray> AllegroClient::checkoutForm(const QString &checkoutFormId)
{
    auto response = call("GET", QStringLiteral("/order/checkout-forms/") + enc(checkoutFormId));
    if (!response)
        return response.error();
    return response->body;
}

Result<void> AllegroClient::setFulfillmentStatus(const QString &checkoutFormId, const QString &status,
                                                 const QString &revision)
{
    QUrlQuery query;
    if (!revision.isEmpty())
        query.addQueryItem(QStringLiteral("checkoutForm.revision"), revision);
    auto response = sendJson("PUT", QStringLiteral("/order/checkout-forms/") + enc(checkoutFormId) + u"/fulfillment",
                             QJsonObject{{u"status"_qs, status}}, query);
    if (!response)
        return response.error();
    return {};
}

Result<QJsonObject> AllegroClient::addShipment(const QString &checkoutFormId, const QString &carrierId,
                                               const QString &waybill, const QString &carrierName)
{
    QJsonObject body{{u"carrierId"_qs, carrierId}, {u"waybill"_qs, waybill}};
    if (carrierId == u"OTHER" && !carrierName.isEmpty())
        body.insert(u"carrierName"_qs, carrierName.left(30));
    auto response =
        sendJson("POST", QStringLiteral("/order/checkout-forms/") + enc(checkoutFormId) + u"/shipments", body);
    if (!response)
        return response.error();
    return response->json();
}

Result<QJsonObject> AllegroClient::carrierTracking(const QString &carrierId, const QStringList &waybills)
{
    QUrlQuery query;
    for (const QString &waybill : waybills.mid(0, 20))
        query.addQueryItem(QStringLiteral("waybill"), waybill);
    return getJson(QStringLiteral("/order/carriers/") + enc(carrierId) + u"/tracking", query);
}

Result<QString> AllegroClient::addInvoiceMetadata(const QString &checkoutFormId, const QString &fileName,
                                                  const QString &invoiceNumber)
{
    QJsonObject body{{u"file"_qs, QJsonObject{{u"name"_qs, fileName}}}};
    if (!invoiceNumber.isEmpty())
        body.insert(u"invoiceNumber"_qs, invoiceNumber);
    auto response =
        sendJson("POST", QStringLiteral("/order/checkout-forms/") + enc(checkoutFormId) + u"/invoices", body);
    if (!response)
        return response.error();
    const QString id = response->json().value(u"id").toString();
    if (id.isEmpty())
        return makeError(Error::Code::Invalid, tr("Allegro did not return the invoice's id."));
    return id;
}

Result<void> AllegroClient::uploadInvoiceFile(const QString &checkoutFormId, const QString &invoiceId,
                                              const QByteArray &pdf)
{
    auto response =
        call("PUT",
             QStringLiteral("/order/checkout-forms/") + enc(checkoutFormId) + u"/invoices/" + enc(invoiceId) + u"/file",
             {}, pdf, Media::Public, "application/pdf");
    if (!response)
        return response.error();
    return {};
}

Result<QJsonArray> AllegroClient::billingEntries(const QString &checkoutFormId)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("order.id"), checkoutFormId);
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
    auto json = getJson(QStringLiteral("/billing/billing-entries"), query);
    if (!json)
        return json.error();
    return json->value(u"billingEntries").toArray();
}

Result<QJsonObject> AllegroClient::offers(const QUrlQuery &query)
{
    return getJson(QStringLiteral("/sale/offers"), query);
}

Result<QJsonObject> AllegroClient::productOffer(const QString &offerId)
{
    return getJson(QStringLiteral("/sale/product-offers/") + enc(offerId));
}

QString AllegroClient::apiPath(const QByteArray &location) const
{
    const QUrl url = m_account.apiBaseUrl.resolved(QUrl::fromEncoded(location.trimmed()));
    const QUrl &base = m_account.apiBaseUrl;
    if (url.scheme() != base.scheme() || url.host() != base.host() || url.port() != base.port())
        return {};
    QString basePath = base.path();
    if (basePath.endsWith(u'/'))
        basePath.chop(1);
    const QString path = url.path(QUrl::FullyEncoded);
    if (!path.startsWith(basePath + u'/'))
        return {};
    return QUrl::fromPercentEncoding(path.mid(basePath.size()).toUtf8());
}

Result<QJsonObject> AllegroClient::editOffer(const QString &offerId, const QJsonObject &patch)
{
    const QString path = QStringLiteral("/sale/product-offers/") + enc(offerId);
    const RetryPolicy &policy = m_options.retry;
    Result<Response> sent = makeError(Error::Code::Conflict, tr("The offer could not be changed."), path);
    for (int attempt = 1; attempt <= kEditConflictTries; ++attempt) {
        sent = sendJson("PATCH", path, patch);
        if (sent || sent.error().code != Error::Code::Conflict)
            break;
        if (attempt == kEditConflictTries)
            return makeError(
                Error::Code::Conflict,
                tr("Allegro is still processing an earlier change of offer %1; try again later.").arg(offerId),
                sent.error().detail);
        // An earlier edit of this offer is still being processed: wait for it, then send this one again.
        const qint64 delay = policy.delayMs(attempt, std::nullopt, false);
        qCInfo(lcAllegro).noquote() << "PATCH" << path << "conflicts with an edit in progress; again in" << delay
                                    << "ms";
        if (!waitMs(delay))
            return makeError(Error::Code::Io, tr("The download was stopped."), path);
    }
    if (!sent)
        return sent.error();
    if (sent->status != 202)
        return sent->json();

    // Accepted, still processing: poll the operation until it names the finished offer.
    QByteArray location = sent->header("Location");
    QByteArray retryAfter = sent->header("Retry-After");
    for (int poll = 0; poll < kOperationPollLimit; ++poll) {
        const QString operation = apiPath(location);
        if (operation.isEmpty())
            return makeError(Error::Code::Invalid,
                             tr("Allegro accepted the offer change but did not say where to "
                                "follow it."),
                             path + u": Location " + QString::fromUtf8(location));
        bool numeric = false;
        const qint64 seconds = retryAfter.trimmed().toLongLong(&numeric);
        if (!waitMs(policy.delayMs(1, numeric ? std::optional<qint64>(seconds) : std::optional<qint64>(1), false)))
            return makeError(Error::Code::Io, tr("The download was stopped."), path);
        auto status = call("GET", operation);
        if (!status)
            return status.error();
        if (status->status == 303) {
            const QString done = apiPath(status->header("Location"));
            return getJson(done.isEmpty() ? path : done);
        }
        if (status->status != 202)
            return productOffer(offerId);
        if (const QByteArray next = status->header("Location"); !next.isEmpty())
            location = next;
        retryAfter = status->header("Retry-After");
    }
    return makeError(Error::Code::Io, tr("Allegro is taking too long to apply the change of offer %1.").arg(offerId),
                     path);
}

Result<QJsonObject> AllegroClient::quantityCommand(const QString &commandId, const QStringList &offerIds, int quantity)
{
    const QJsonObject body = offerCriteria(
        offerIds,
        QJsonObject{{u"modification"_qs, QJsonObject{{u"changeType"_qs, u"FIXED"_qs}, {u"value"_qs, quantity}}}});
    auto response = sendJson("PUT", QStringLiteral("/sale/offer-quantity-change-commands/") + enc(commandId), body);
    if (!response)
        return response.error();
    return response->json();
}

Result<QJsonObject> AllegroClient::publicationCommand(const QString &commandId, const QStringList &offerIds,
                                                      bool activate)
{
    const QJsonObject body = offerCriteria(
        offerIds, QJsonObject{{u"publication"_qs, QJsonObject{{u"action"_qs, activate ? u"ACTIVATE"_qs : u"END"_qs}}}});
    auto response = sendJson("PUT", QStringLiteral("/sale/offer-publication-commands/") + enc(commandId), body);
    if (!response)
        return response.error();
    return response->json();
}

Result<QJsonObject> AllegroClient::commandReport(const QString &kind, const QString &commandId)
{
    return getJson(QStringLiteral("/sale/") + kind + u'/' + enc(commandId));
}

Result<QJsonArray> AllegroClient::commandTasks(const QString &kind, const QString &commandId)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1000"));
    query.addQueryItem(QStringLiteral("offset"), QStringLiteral("0"));
    auto json = getJson(QStringLiteral("/sale/") + kind + u'/' + enc(commandId) + u"/tasks", query);
    if (!json)
        return json.error();
    return json->value(u"tasks").toArray();
}

Result<QJsonArray> AllegroClient::messageThreads(int offset, int limit)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 20)));
    query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    auto json = getJson(QStringLiteral("/messaging/threads"), query);
    if (!json)
        return json.error();
    return json->value(u"threads").toArray();
}

Result<QJsonArray> AllegroClient::threadMessages(const QString &threadId, int limit)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 20)));
    auto json = getJson(QStringLiteral("/messaging/threads/") + enc(threadId) + u"/messages", query);
    if (!json)
        return json.error();
    return json->value(u"messages").toArray();
}

Result<QJsonObject> AllegroClient::replyInThread(const QString &threadId, const QString &text)
{
    auto response = sendJson("POST", QStringLiteral("/messaging/threads/") + enc(threadId) + u"/messages",
                             QJsonObject{{u"text"_qs, text.left(2000)}});
    if (!response)
        return response.error();
    return response->json();
}

Result<QJsonArray> AllegroClient::postPurchaseIssues(int offset, int limit)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 100)));
    query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    auto json = getJson(QStringLiteral("/sale/issues"), query, Media::Beta);
    if (!json)
        return json.error();
    return json->value(u"issues").toArray();
}

Result<QJsonArray> AllegroClient::issueChat(const QString &issueId, int limit)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 100)));
    auto json = getJson(QStringLiteral("/sale/issues/") + enc(issueId) + u"/chat", query, Media::Beta);
    if (!json)
        return json.error();
    return json->value(u"chat").toArray();
}

Result<QJsonObject> AllegroClient::replyInIssue(const QString &issueId, const QString &text)
{
    auto response = sendJson("POST", QStringLiteral("/sale/issues/") + enc(issueId) + u"/message",
                             QJsonObject{{u"text"_qs, text.left(20000)}, {u"type"_qs, u"REGULAR"_qs}}, {}, Media::Beta);
    if (!response)
        return response.error();
    return response->json();
}

Result<QJsonObject> AllegroClient::paymentRefund(const QJsonObject &body)
{
    auto response = sendJson("POST", QStringLiteral("/payments/refunds"), body);
    if (!response)
        return response.error();
    return response->json();
}

Result<QJsonObject> AllegroClient::commissionRefundClaim(const QString &lineItemId, int quantity)
{
    auto response = sendJson(
        "POST", QStringLiteral("/order/refund-claims"),
        QJsonObject{{u"lineItem"_qs, QJsonObject{{u"id"_qs, lineItemId}}}, {u"quantity"_qs, qMax(1, quantity)}});
    if (!response)
        return response.error();
    return response->json();
}

} // namespace sd::marketplace::allegro
