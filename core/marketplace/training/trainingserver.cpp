#include "marketplace/training/trainingserver.h"

#include "marketplace/training/traininglog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSaveFile>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace sd::marketplace::training {

namespace {

constexpr QByteArrayView kPublicMedia = "application/vnd.allegro.public.v1+json";
constexpr QByteArrayView kBetaMedia = "application/vnd.allegro.beta.v1+json";
constexpr int kStateVersion = 1;
constexpr int kClientLimitPerMinute = 9000;

QByteArray header(const QHttpServerRequest &request, const char *name)
{
    for (const auto &[key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

QString htmlEscape(const QString &text)
{
    return text.toHtmlEscaped();
}

TrainingResponse controlError(int status, const QString &message)
{
    return TrainingResponse::raw(
        status, QJsonDocument(QJsonObject{{u"error"_s, message}}).toJson(QJsonDocument::Compact), "application/json");
}

TrainingResponse controlOk(const QJsonObject &body)
{
    return TrainingResponse::raw(200, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json");
}

TrainingResponse methodNotAllowed()
{
    return TrainingResponse::error(405, u"METHOD_NOT_ALLOWED"_s, u"Method not allowed"_s,
                                   QT_TRANSLATE_NOOP("sd::training", "This operation is not available."));
}

TrainingResponse notFound(const QString &path)
{
    return TrainingResponse::error(404, u"NotFoundException"_s, u"No resource at "_s + path,
                                   QT_TRANSLATE_NOOP("sd::training", "The resource was not found."), path);
}

} // namespace

TrainingServer::TrainingServer(TrainingOptions options, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_options(std::move(options))
    , m_random(m_options.seed)
    , m_auth(&m_random)
    , m_shop(m_options.seed, &m_random)
{
    m_auth.setAutoApprove(m_options.autoApprove);
    m_shop.setFaults(m_options.faults);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &TrainingServer::tick);
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(500);
    connect(&m_saveTimer, &QTimer::timeout, this, [this] {
        if (auto r = saveNow(); !r)
            qCWarning(lcTraining) << r.error().text();
    });
}

TrainingServer::~TrainingServer()
{
    if (!m_options.stateFile.isEmpty() && m_baseUrl.isValid()) {
        if (auto r = saveNow(); !r)
            qCWarning(lcTraining) << r.error().text();
    }
}

qint64 TrainingServer::now() const
{
    return QDateTime::currentMSecsSinceEpoch() + m_clockOffsetMs;
}

double TrainingServer::chance()
{
    return double(m_random() >> 11) * (1.0 / 9007199254740992.0);
}

Result<QUrl> TrainingServer::start()
{
    if (!m_options.stateFile.isEmpty() && QFile::exists(m_options.stateFile)) {
        if (auto r = load(); !r)
            return r.error();
    } else {
        m_shop.generateOrders(m_options.orders, true, now());
    }
    const quint16 port = listen(QHostAddress::LocalHost, m_options.port);
    if (port == 0)
        return makeError(Error::Code::Io, QCoreApplication::translate(
                                              "sd::training", "The training marketplace cannot listen on port %1.")
                                              .arg(m_options.port));
    m_baseUrl = QUrl(u"http://127.0.0.1:"_s + QString::number(port));
    m_tick.start();
    changed();
    qCInfo(lcTraining) << "training marketplace on" << m_baseUrl.toString() << "faults" << m_options.faults.toString();
    return m_baseUrl;
}

Result<void> TrainingServer::load()
{
    QFile file(m_options.stateFile);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::training", "Cannot read the training state file %1.")
                             .arg(m_options.stateFile),
                         file.errorString());
    QJsonParseError error;
    const QJsonObject state = QJsonDocument::fromJson(file.readAll(), &error).object();
    if (error.error != QJsonParseError::NoError || state.value(u"version"_s).toInt() != kStateVersion)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::training", "The file %1 is not a training marketplace state file.")
                .arg(m_options.stateFile),
            error.errorString());
    m_clockOffsetMs = qint64(state.value(u"clockOffsetMs"_s).toDouble());
    m_shop.fromJson(state.value(u"shop"_s).toObject(), now());
    m_auth.fromJson(state.value(u"auth"_s).toObject());
    return {};
}

Result<void> TrainingServer::saveNow()
{
    if (m_options.stateFile.isEmpty())
        return {};
    const QJsonObject state{{u"version"_s, kStateVersion},
                            {u"seed"_s, QString::number(m_options.seed)},
                            {u"clockOffsetMs"_s, double(m_clockOffsetMs)},
                            {u"shop"_s, m_shop.toJson()},
                            {u"auth"_s, m_auth.toJson()}};
    QSaveFile file(m_options.stateFile);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(state).toJson(QJsonDocument::Compact)) < 0 ||
        !file.commit())
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::training", "Cannot save the training state file %1.")
                             .arg(m_options.stateFile),
                         file.errorString());
    return {};
}

void TrainingServer::changed()
{
    if (!m_options.stateFile.isEmpty() && !m_saveTimer.isActive())
        m_saveTimer.start();
}

void TrainingServer::tick()
{
    bool any = m_shop.advance(now());
    if (m_options.ratePerMinute > 0) {
        m_rateCarry += m_options.ratePerMinute / 60.0;
        const int count = int(m_rateCarry);
        if (count > 0) {
            m_rateCarry -= count;
            m_shop.generateOrders(count, false, now());
            any = true;
        }
    }
    if (any)
        changed();
}

void TrainingServer::advanceClock(qint64 seconds)
{
    m_clockOffsetMs += seconds * 1000;
    m_shop.advance(now());
    changed();
}

void TrainingServer::setFaults(const FaultPlan &plan)
{
    m_options.faults = plan;
    m_shop.setFaults(plan);
}

QStringList TrainingServer::generateOrders(int count)
{
    const QStringList ids = m_shop.generateOrders(count, false, now());
    changed();
    return ids;
}

QString TrainingServer::addOffer(const QString &name, const QString &externalId, const QString &format, int available)
{
    const QString id = m_shop.addOffer(name, externalId, format, available, now());
    changed();
    return id;
}

bool TrainingServer::archiveOffer(const QString &offerId)
{
    const bool archived = m_shop.archiveOffer(offerId);
    if (archived)
        changed();
    return archived;
}

bool TrainingServer::changeDeliveryAddress(const QString &orderId)
{
    const bool ok = m_shop.buyerChangesAddress(orderId, now());
    changed();
    return ok;
}

bool TrainingServer::buyerPays(const QString &orderId)
{
    const bool ok = m_shop.buyerPays(orderId, now());
    changed();
    return ok;
}

QString TrainingServer::buyerReturns(const QString &orderId, int quantity)
{
    const QString id = m_shop.buyerReturns(orderId, quantity, now());
    changed();
    return id;
}

bool TrainingServer::buyerCancels(const QString &orderId)
{
    const bool ok = m_shop.buyerCancels(orderId, now());
    changed();
    return ok;
}

bool TrainingServer::buyerWrites(const QString &orderId, const QString &text)
{
    const bool ok = m_shop.buyerWrites(orderId, text, now());
    changed();
    return ok;
}

QString TrainingServer::buyerOpensIssue(const QString &orderId, const QString &text)
{
    const QString id = m_shop.buyerOpensIssue(orderId, text, now());
    changed();
    return id;
}

bool TrainingServer::buyerWritesInIssue(const QString &issueId, const QString &text)
{
    const bool ok = m_shop.buyerWritesInIssue(issueId, text, now());
    changed();
    return ok;
}

bool TrainingServer::closeIssue(const QString &issueId)
{
    const bool ok = m_shop.closeIssue(issueId);
    changed();
    return ok;
}

QString TrainingServer::mergeOrders(const QStringList &orderIds)
{
    const QString id = m_shop.merge(orderIds, now());
    changed();
    return id;
}

void TrainingServer::expireTokens()
{
    m_auth.expireAccessTokens(now());
    changed();
}

void TrainingServer::revokeTokens()
{
    m_auth.revokeAll();
    changed();
}

bool TrainingServer::approveDevice(const QString &userCode)
{
    const bool ok = m_auth.approve(userCode, now());
    changed();
    return ok;
}

QJsonObject TrainingServer::issueTokens(const QString &clientId)
{
    const QJsonObject pair = m_auth.issuePair(clientId, now());
    changed();
    return pair;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

void TrainingServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto responder = makeResponder(request, socket);
    send(responder, notFound(request.url().path()), Area::Api, false);
}

bool TrainingServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    const QStringList segments = path.split(u'/', Qt::SkipEmptyParts);
    const bool polish = header(request, "Accept-Language").toLower().startsWith("pl");
    Area area = Area::Api;
    TrainingResponse response;
    bool orderFetch = false;
    if (segments.value(0) == u"_training") {
        area = Area::Control;
        response = control(request, segments);
    } else if (segments.value(0) == u"skojarz-aplikacje") {
        area = Area::Page;
        response = page(request);
    } else if (segments.value(0) == u"auth" && segments.value(1) == u"oauth") {
        area = Area::OAuth;
        response = oauth(request, segments);
    } else {
        response = api(request, segments, &orderFetch);
    }
    qCInfo(lcTraining).noquote() << methodName(request.method()) << request.url().toString(QUrl::RemoveQuery) << "->"
                                 << response.status;

    auto responder = makeResponder(request, socket);
    QByteArray override;
    if (orderFetch && response.status == 200) {
        // Broken bodies for one order fetch: the status is fine, the JSON is not.
        const QByteArray body = response.body(polish);
        if (chance() < m_options.faults.truncated)
            override = body.left(body.size() / 2);
        else if (chance() < m_options.faults.malformed)
            override = QByteArray(body).replace("\":", "\";").replace(",\"", ",'");
    }
    if (area == Area::Api && m_options.faults.slow > 0 && chance() < m_options.faults.slow) {
        auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
        QPointer<QTcpSocket> alive(socket);
        QTimer::singleShot(m_options.faults.slowMs, this, [this, held, alive, response, area, polish, override] {
            if (alive)
                send(*held, response, area, polish, override);
        });
        return true;
    }
    send(responder, response, area, polish, override);
    return true;
}

void TrainingServer::send(QHttpServerResponder &responder, const TrainingResponse &response, Area area, bool polish,
                          const QByteArray &override)
{
    using Status = QHttpServerResponder::StatusCode;
    const QByteArray body = override.isNull() ? response.body(polish) : override;
    QByteArray contentType = response.contentType;
    if (contentType.isEmpty() && response.kind != TrainingResponse::Kind::Empty)
        contentType = area == Area::Api ? kPublicMedia.toByteArray() : QByteArrayLiteral("application/json");
    responder.writeStatusLine(Status(response.status));
    const QByteArray trace =
        QByteArray::number(++m_traceSerial, 16).rightJustified(8, '0') + QByteArray::number(quint32(m_random()), 16);
    responder.writeHeader("trace-id", trace);
    if (!contentType.isEmpty())
        responder.writeHeader("Content-Type", contentType);
    for (const auto &[name, value] : response.headers) {
        // The shop names resources by path; Location carries the absolute URL, as Allegro sends it.
        if (name == "Location" && value.startsWith('/'))
            responder.writeHeader(name, m_baseUrl.toString().toUtf8() + value);
        else
            responder.writeHeader(name, value);
    }
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

std::optional<TrainingResponse> TrainingServer::rateLimit(const QString &client, const QStringList &path, bool post)
{
    const qint64 t = now();
    QList<qint64> &calls = m_clientCalls[client];
    while (!calls.isEmpty() && calls.constFirst() <= t - 60000)
        calls.removeFirst();
    const auto tooMany = [](int retryAfter) {
        return TrainingResponse::error(
                   429, u"TOO_MANY_REQUESTS"_s, u"Too many requests"_s,
                   QT_TRANSLATE_NOOP("sd::training", "Too many requests. Wait a moment and try again."))
            .withHeader("Retry-After", QByteArray::number(retryAfter));
    };
    if (calls.size() >= kClientLimitPerMinute) {
        // Hammering while blocked extends the block.
        calls.append(t);
        return tooMany(60);
    }
    calls.append(t);
    if (post && path.value(0) == u"messaging" && path.constLast() == u"messages") {
        const qint64 last = m_lastMessagePost.value(client, LLONG_MIN / 2);
        if (t - last < 1000)
            return tooMany(1);
        m_lastMessagePost.insert(client, t);
    }
    // Invoice metadata added "too fast": the same client again within a second.
    if (post && path.size() == 4 && path.at(0) == u"order" && path.at(1) == u"checkout-forms" &&
        path.at(3) == u"invoices") {
        const qint64 last = m_lastInvoicePost.value(client, LLONG_MIN / 2);
        if (t - last < 1000)
            return tooMany(1);
        m_lastInvoicePost.insert(client, t);
    }
    return std::nullopt;
}

TrainingResponse TrainingServer::api(const QHttpServerRequest &request, const QStringList &p, bool *orderFetch)
{
    const QString path = request.url().path();
    const bool beta = (p.value(0) == u"sale" && p.value(1) == u"issues") ||
                      (p.value(0) == u"order" && p.value(1) == u"customer-returns");
    const QByteArrayView media = beta ? kBetaMedia : kPublicMedia;
    // A shipment's label answers with the file itself.
    const bool file = p.size() == 2 && p.value(0) == u"shipment-management" && p.value(1) == u"label";
    if (!header(request, "Accept").contains(media) &&
        !(file && header(request, "Accept").contains("application/octet-stream")))
        return TrainingResponse::error(
            406, u"NotAcceptableException"_s,
            u"Not acceptable representation requested. Please check 'Accept' request header"_s,
            QT_TRANSLATE_NOOP("sd::training",
                              "The request contains incorrect data. Contact the author of the application."));
    const QByteArray authorization = header(request, "Authorization");
    if (p.value(0) != u"order" || p.value(1) != u"carriers" || p.size() != 2) {
        if (auto denied = m_auth.checkAccess(authorization, now()))
            return *denied;
    }
    const auto method = request.method();
    using M = QHttpServerRequest::Method;
    const bool write = method == M::Post || method == M::Put || method == M::Patch;
    if (auto limited = rateLimit(m_auth.clientOf(authorization), p, method == M::Post))
        return *limited;
    if (chance() < m_options.faults.tooManyRequests)
        return TrainingResponse::error(
                   429, u"TOO_MANY_REQUESTS"_s, u"Too many requests"_s,
                   QT_TRANSLATE_NOOP("sd::training", "Too many requests. Wait a moment and try again."))
            .withHeader("Retry-After", "1");
    if (chance() < m_options.faults.serverError)
        return TrainingResponse::error(m_options.faults.serverErrorStatus, u"INTERNAL_SERVER_ERROR"_s,
                                       u"Internal server error (injected)"_s,
                                       QT_TRANSLATE_NOOP("sd::training", "Allegro has a problem. Try again later."));

    const bool invoiceFile = p.size() == 6 && p.value(3) == u"invoices" && p.value(5) == u"file";
    QJsonObject body;
    if (write && !invoiceFile && !(method == M::Put && p.value(0) == u"messaging" && false)) {
        const QByteArray type = header(request, "Content-Type");
        if (!request.body().isEmpty() || method != M::Post) {
            if (!type.startsWith(media.toByteArray()))
                return TrainingResponse::error(415, u"UnsupportedMediaTypeException"_s,
                                               u"Content type '"_s + QString::fromLatin1(type) + u"' not supported"_s,
                                               QT_TRANSLATE_NOOP("sd::training",
                                                                 "The request contains incorrect data. Contact the "
                                                                 "author of the application."));
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &error);
            if (!request.body().isEmpty() && (error.error != QJsonParseError::NoError || !doc.isObject()))
                return TrainingResponse::error(400, u"VALIDATION_ERROR"_s, u"Malformed JSON: "_s + error.errorString(),
                                               QT_TRANSLATE_NOOP("sd::training",
                                                                 "The request contains incorrect data. Contact the "
                                                                 "author of the application."));
            body = doc.object();
        }
    }
    const QUrlQuery query(request.url());
    const qint64 t = now();
    const auto is = [&](std::initializer_list<QStringView> pattern) {
        if (qsizetype(pattern.size()) != p.size())
            return false;
        qsizetype i = 0;
        for (QStringView part : pattern) {
            if (part != u"*" && part != p.at(i))
                return false;
            ++i;
        }
        return true;
    };
    TrainingResponse r = notFound(path);
    bool routed = true;
    const auto result = [&](M wanted, auto &&call) {
        if (method != wanted) {
            routed = false;
            return;
        }
        r = call();
        if (!r.isError() && write)
            changed();
    };
    if (is({u"me"}))
        result(M::Get, [&] { return m_shop.me(); });
    else if (is({u"order", u"events"}))
        result(M::Get, [&] { return m_shop.events(query); });
    else if (is({u"order", u"event-stats"}))
        result(M::Get, [&] { return m_shop.eventStats(); });
    else if (is({u"order", u"checkout-forms"}))
        result(M::Get, [&] { return m_shop.checkoutForms(query); });
    else if (is({u"order", u"checkout-forms", u"*"})) {
        *orderFetch = true;
        result(M::Get, [&] { return m_shop.checkoutForm(p.at(2)); });
    } else if (is({u"order", u"checkout-forms", u"*", u"fulfillment"}))
        result(M::Put, [&] { return m_shop.setFulfillment(p.at(2), query, body, t); });
    else if (is({u"order", u"checkout-forms", u"*", u"shipments"})) {
        if (method == M::Post)
            result(M::Post, [&] { return m_shop.addShipment(p.at(2), body, t); });
        else
            result(M::Get, [&] { return m_shop.shipments(p.at(2)); });
    } else if (is({u"order", u"checkout-forms", u"*", u"invoices"})) {
        if (method == M::Post)
            result(M::Post, [&] { return m_shop.addInvoice(p.at(2), body, t); });
        else
            result(M::Get, [&] { return m_shop.invoices(p.at(2)); });
    } else if (invoiceFile && p.value(0) == u"order")
        result(M::Put, [&] {
            return m_shop.uploadInvoice(p.at(2), p.at(4), header(request, "Content-Type"), request.body(), t);
        });
    else if (is({u"order", u"carriers"}))
        result(M::Get, [&] { return m_shop.carriers(); });
    else if (is({u"order", u"carriers", u"*", u"tracking"}))
        result(M::Get, [&] { return m_shop.tracking(p.at(2), query, t); });
    else if (is({u"order", u"refund-claims"})) {
        if (method == M::Post)
            result(M::Post, [&] { return m_shop.addClaim(body, t); });
        else
            result(M::Get, [&] { return m_shop.claims(query); });
    } else if (is({u"order", u"refund-claims", u"*"})) {
        if (method == M::Delete) {
            r = m_shop.deleteClaim(p.at(2));
            changed();
        } else {
            result(M::Get, [&] { return m_shop.claim(p.at(2)); });
        }
    } else if (is({u"sale", u"offers"}))
        result(M::Get, [&] { return m_shop.offers(query); });
    else if (is({u"sale", u"product-offers", u"*"})) {
        if (method == M::Patch)
            result(M::Patch, [&] { return m_shop.patchOffer(p.at(2), body, t); });
        else
            result(M::Get, [&] { return m_shop.productOffer(p.at(2), t); });
    } else if (is({u"sale", u"product-offers", u"*", u"operations", u"*"}))
        result(M::Get, [&] { return m_shop.offerOperation(p.at(2), p.at(4), t); });
    else if (is({u"sale", u"offer-quantity-change-commands", u"*"}) ||
             is({u"sale", u"offer-publication-commands", u"*"})) {
        const QString kind = p.at(1).contains(u"quantity") ? u"quantity"_s : u"publication"_s;
        if (method == M::Put)
            result(M::Put, [&] { return m_shop.putCommand(kind, p.at(2), body, t); });
        else
            result(M::Get, [&] { return m_shop.command(kind, p.at(2), t); });
    } else if (is({u"sale", u"offer-quantity-change-commands", u"*", u"tasks"}) ||
               is({u"sale", u"offer-publication-commands", u"*", u"tasks"})) {
        const QString kind = p.at(1).contains(u"quantity") ? u"quantity"_s : u"publication"_s;
        result(M::Get, [&] { return m_shop.commandTasks(kind, p.at(2), query, t); });
    } else if (is({u"messaging", u"threads"}))
        result(M::Get, [&] { return m_shop.threads(query); });
    else if (is({u"messaging", u"threads", u"*"}))
        result(M::Get, [&] { return m_shop.thread(p.at(2)); });
    else if (is({u"messaging", u"threads", u"*", u"messages"})) {
        if (method == M::Post)
            result(M::Post, [&] { return m_shop.reply(p.at(2), body, t); });
        else
            result(M::Get, [&] { return m_shop.threadMessages(p.at(2), query); });
    } else if (is({u"messaging", u"threads", u"*", u"read"}))
        result(M::Put, [&] { return m_shop.markRead(p.at(2), body); });
    else if (is({u"messaging", u"messages"}))
        result(M::Post, [&] { return m_shop.newMessage(body, t); });
    else if (is({u"sale", u"issues"}))
        result(M::Get, [&] { return m_shop.issues(query); });
    else if (is({u"sale", u"issues", u"*"}))
        result(M::Get, [&] { return m_shop.issue(p.at(2)); });
    else if (is({u"sale", u"issues", u"*", u"chat"}))
        result(M::Get, [&] { return m_shop.issueChat(p.at(2), query); });
    else if (is({u"sale", u"issues", u"*", u"message"}))
        result(M::Post, [&] { return m_shop.issueMessage(p.at(2), body, t); });
    else if (is({u"payments", u"refunds"})) {
        if (method == M::Post)
            result(M::Post, [&] { return m_shop.refund(body, t); });
        else
            result(M::Get, [&] { return m_shop.refunds(query, t); });
    } else if (is({u"shipment-management", u"shipments", u"create-commands"}))
        result(M::Post, [&] { return m_shop.createShipmentCommand(body, t); });
    else if (is({u"shipment-management", u"shipments", u"create-commands", u"*"}))
        result(M::Get, [&] { return m_shop.shipmentCommand(p.at(3), t); });
    else if (is({u"shipment-management", u"shipments", u"*"}))
        result(M::Get, [&] { return m_shop.managedShipment(p.at(2)); });
    else if (file)
        result(M::Post, [&] { return m_shop.shipmentLabel(body); });
    else if (is({u"order", u"customer-returns"})) {
        result(M::Get, [&] { return m_shop.customerReturns(query); });
        r.contentType = kBetaMedia.toByteArray();
    } else if (is({u"billing", u"billing-entries"}))
        result(M::Get, [&] { return m_shop.billing(query); });
    else
        return notFound(path);
    return routed ? r : methodNotAllowed();
}

TrainingResponse TrainingServer::oauth(const QHttpServerRequest &request, const QStringList &p)
{
    if (request.method() != QHttpServerRequest::Method::Post)
        return TrainingResponse::oauth(405, u"invalid_request"_s, u"Use POST"_s);
    QUrlQuery params(request.url());
    if (header(request, "Content-Type").startsWith("application/x-www-form-urlencoded")) {
        const QUrlQuery form(QString::fromUtf8(request.body()).replace(u'+', u' '));
        for (const auto &[key, value] : form.queryItems(QUrl::FullyEncoded))
            params.addQueryItem(key, value);
    }
    const QByteArray authorization = header(request, "Authorization");
    TrainingResponse r;
    if (p.size() == 3 && p.at(2) == u"device")
        r = m_auth.startDevice(authorization, params, m_baseUrl.toString(), now());
    else if (p.size() == 3 && p.at(2) == u"token")
        r = m_auth.token(authorization, params, now());
    else
        return TrainingResponse::oauth(404, u"not_found"_s, u"No such endpoint"_s);
    changed();
    return r;
}

TrainingResponse TrainingServer::page(const QHttpServerRequest &request)
{
    const bool post = request.method() == QHttpServerRequest::Method::Post;
    QUrlQuery params(request.url());
    if (post)
        params = QUrlQuery(QString::fromUtf8(request.body()).replace(u'+', u' '));
    const QString code = params.queryItemValue(u"code"_s, QUrl::FullyDecoded).trimmed();
    const QString title = QCoreApplication::translate("sd::training", "SellerDesk training marketplace");
    QString content;
    if (post) {
        const bool ok = approveDevice(code);
        content = ok ? QCoreApplication::translate("sd::training",
                                                   "The application is connected. You can close this page and go "
                                                   "back to SellerDesk.")
                     : QCoreApplication::translate("sd::training",
                                                   "This code is unknown or has expired. Start connecting again in "
                                                   "SellerDesk.");
        content = u"<p>"_s + htmlEscape(content) + u"</p>"_s;
    } else {
        const bool known = m_auth.knowsUserCode(code, now());
        content = u"<p>"_s +
                  htmlEscape(QCoreApplication::translate("sd::training",
                                                         "An application asks for access to the training shop's "
                                                         "account. Check that the code matches the one the "
                                                         "application shows.")) +
                  u"</p><form method=\"post\" action=\"/skojarz-aplikacje\"><label>"_s +
                  htmlEscape(QCoreApplication::translate("sd::training", "Code:")) +
                  u" <input name=\"code\" value=\""_s + htmlEscape(code) + u"\"></label> <button type=\"submit\">"_s +
                  htmlEscape(QCoreApplication::translate("sd::training", "Approve")) + u"</button></form>"_s;
        if (!code.isEmpty() && !known)
            content += u"<p>"_s +
                       htmlEscape(QCoreApplication::translate("sd::training", "This code is unknown or has expired.")) +
                       u"</p>"_s;
    }
    const QString html = u"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"_s + htmlEscape(title) +
                         u"</title></head><body><h1>"_s + htmlEscape(title) + u"</h1>"_s + content +
                         u"</body></html>"_s;
    return TrainingResponse::raw(200, html.toUtf8(), "text/html; charset=utf-8");
}

TrainingResponse TrainingServer::control(const QHttpServerRequest &request, const QStringList &p)
{
    const QUrlQuery query(request.url());
    const bool post = request.method() == QHttpServerRequest::Method::Post;
    const auto value = [&](const QString &name) { return query.queryItemValue(name, QUrl::FullyDecoded); };
    if (p.size() == 2 && p.at(1) == u"status") {
        return controlOk({{u"now"_s, QDateTime::fromMSecsSinceEpoch(now(), Qt::UTC).toString(Qt::ISODateWithMs)},
                          {u"clockOffsetSeconds"_s, double(m_clockOffsetMs / 1000)},
                          {u"faults"_s, m_options.faults.toString()},
                          {u"orders"_s, QJsonArray::fromStringList(m_shop.orderIds())},
                          {u"events"_s, m_shop.eventCount()}});
    }
    if (!post)
        return controlError(405, u"Control endpoints other than status take POST"_s);
    if (p.size() == 2 && p.at(1) == u"faults") {
        QString spec = value(u"spec"_s);
        if (!query.hasQueryItem(u"spec"_s))
            spec = QJsonDocument::fromJson(request.body()).object().value(u"spec"_s).toString();
        auto plan = FaultPlan::parse(spec);
        if (!plan)
            return controlError(400, plan.error().userMessage);
        setFaults(*plan);
        return controlOk({{u"faults"_s, plan->toString()}});
    }
    if (p.size() == 3 && p.at(1) == u"clock" && p.at(2) == u"advance") {
        bool ok = false;
        const qint64 seconds = value(u"seconds"_s).toLongLong(&ok);
        if (!ok || seconds < 0)
            return controlError(400, u"seconds must be a whole number of at least 0"_s);
        advanceClock(seconds);
        return controlOk({{u"now"_s, QDateTime::fromMSecsSinceEpoch(now(), Qt::UTC).toString(Qt::ISODateWithMs)}});
    }
    if (p.size() == 2 && p.at(1) == u"orders") {
        bool ok = false;
        const int count = value(u"count"_s).toInt(&ok);
        if (!ok || count < 1 || count > 10000)
            return controlError(400, u"count must be from 1 to 10000"_s);
        return controlOk({{u"orders"_s, QJsonArray::fromStringList(generateOrders(count))}});
    }
    if (p.size() == 3 && p.at(1) == u"orders" && p.at(2) == u"merge") {
        const QString id = mergeOrders(value(u"ids"_s).split(u',', Qt::SkipEmptyParts));
        if (id.isEmpty())
            return controlError(409, u"Give at least two known orders that are not paid or cancelled yet"_s);
        return controlOk({{u"id"_s, id}});
    }
    if (p.size() == 4 && p.at(1) == u"orders" && p.at(3) == u"dispute") {
        const QString issue = buyerOpensIssue(p.at(2), value(u"text"_s));
        if (issue.isEmpty())
            return controlError(404, u"Unknown order, or no text"_s);
        return controlOk({{u"id"_s, issue}});
    }
    if (p.size() == 4 && p.at(1) == u"issues") {
        const bool ok = p.at(3) == u"message" ? buyerWritesInIssue(p.at(2), value(u"text"_s))
                        : p.at(3) == u"close" ? closeIssue(p.at(2))
                                              : false;
        if (!ok)
            return controlError(404, u"Unknown issue or action, a closed chat, or no text"_s);
        return controlOk({{u"id"_s, p.at(2)}});
    }
    if (p.size() == 4 && p.at(1) == u"orders") {
        const QString &id = p.at(2);
        bool ok = false;
        if (p.at(3) == u"return") {
            const QString made = buyerReturns(id, value(u"quantity"_s).isEmpty() ? 1 : value(u"quantity"_s).toInt());
            if (made.isEmpty())
                return controlError(404, u"Unknown order, or it is not paid"_s);
            return controlOk({{u"id"_s, made}});
        }
        if (p.at(3) == u"address")
            ok = changeDeliveryAddress(id);
        else if (p.at(3) == u"pay")
            ok = buyerPays(id);
        else if (p.at(3) == u"cancel")
            ok = buyerCancels(id);
        else if (p.at(3) == u"message")
            ok = buyerWrites(id, value(u"text"_s));
        else
            return controlError(404, u"Unknown order action"_s);
        if (!ok)
            return controlError(404, u"Unknown order, or the change does not fit its state"_s);
        return controlOk({{u"order"_s, m_shop.form(id)}});
    }
    if (p.size() == 3 && p.at(1) == u"tokens") {
        if (p.at(2) == u"expire")
            expireTokens();
        else if (p.at(2) == u"revoke")
            revokeTokens();
        else
            return controlError(404, u"Unknown token action"_s);
        return controlOk({});
    }
    if (p.size() == 3 && p.at(1) == u"device" && p.at(2) == u"approve") {
        if (!approveDevice(value(u"code"_s)))
            return controlError(404, u"Unknown or expired user code"_s);
        return controlOk({});
    }
    if (p.size() == 2 && p.at(1) == u"save") {
        if (auto r = saveNow(); !r)
            return controlError(500, r.error().text());
        return controlOk({});
    }
    return controlError(404, u"Unknown control endpoint"_s);
}

} // namespace sd::marketplace::training
