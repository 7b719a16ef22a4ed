#include "documents/ksef/ksefclient.h"
#include "util/trainingmode.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcKsef, "sd.ksef")

namespace sd::documents::ksef {

namespace {

constexpr int kMaxAuthPolls = 60;
constexpr auto kUnknownDelivery = "delivery-unknown";

// Token values in authentication answers become "***" before anyone sees the exchange.
QByteArray redactTokens(const QByteArray &body)
{
    static const QRegularExpression token(QStringLiteral("(\"token\"\\s*:\\s*\")[^\"]*"));
    return QString::fromUtf8(body).replace(token, QStringLiteral("\\1***")).toUtf8();
}

QJsonObject parseObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

// The reasons KSeF gives, from either error shape (ExceptionResponse or problem details).
QString describeFailure(const QByteArray &body)
{
    const QJsonObject object = parseObject(body);
    QStringList parts;
    const QJsonArray list = object.value(u"exception").toObject().value(u"exceptionDetailList").toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject d = v.toObject();
        QString line =
            QString::number(d.value(u"exceptionCode").toInt()) + u' ' + d.value(u"exceptionDescription").toString();
        const QJsonArray details = d.value(u"details").toArray();
        for (const QJsonValue &detail : details)
            line += u"; "_qs + detail.toString();
        parts.append(line);
    }
    if (parts.isEmpty() && object.contains(u"title"))
        parts.append(object.value(u"title").toString() + u": "_qs + object.value(u"detail").toString());
    return parts.join(u" | ");
}

} // namespace

KsefClient::KsefClient(QUrl baseUrl, QObject *parent)
    : QObject(parent)
    , m_baseUrl(std::move(baseUrl))
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

KsefClient::~KsefClient() = default;

bool KsefClient::deliveryUnknown(const Error &error)
{
    return error.code == Error::Code::Io && error.detail.startsWith(QLatin1String(kUnknownDelivery));
}

bool KsefClient::authenticated() const
{
    return !m_accessToken.isEmpty() &&
           (!m_accessValidUntil.isValid() || m_accessValidUntil > QDateTime::currentDateTimeUtc().addSecs(30));
}

void KsefClient::forgetAuthentication()
{
    m_accessToken.clear();
    m_accessValidUntil = {};
}

void KsefClient::call(const QByteArray &method, const QString &path, const QJsonObject *body, const QByteArray &bearer,
                      ReplyDone done, const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    QUrl url = m_baseUrl;
    const QString basePath = url.path().endsWith(u'/') ? url.path().chopped(1) : url.path();
    const qsizetype query = path.indexOf(u'?');
    url.setPath(basePath + (query < 0 ? path : path.left(query)));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    if (auto allowed = sd::training::checkOutbound(url); !allowed) {
        Reply refused;
        refused.networkError = allowed.error().userMessage;
        QMetaObject::invokeMethod(
            this, [done, refused] { done(refused); }, Qt::QueuedConnection);
        return;
    }
    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs);
    QList<QPair<QByteArray, QByteArray>> headers = extraHeaders;
    if (marketplace::headerValue(headers, "Accept").isEmpty())
        headers.prepend(qMakePair(QByteArray("Accept"), QByteArray("application/json")));
    QByteArray payload;
    if (body) {
        payload = QJsonDocument(*body).toJson(QJsonDocument::Compact);
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    }
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);

    QNetworkReply *reply = m_network->sendCustomRequest(request, method, payload);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    connect(reply, &QNetworkReply::finished, this, [this, reply, method, url, headers, payload, timer, done] {
        reply->deleteLater();
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        if (r.status == 0) {
            r.networkError = reply->errorString();
            const auto e = reply->error();
            r.refused = e == QNetworkReply::ConnectionRefusedError || e == QNetworkReply::HostNotFoundError;
        }
        qCInfo(lcKsef).noquote() << method << url.path() << "->" << r.status << r.networkError;
        if (m_observer) {
            marketplace::HttpExchange ex;
            ex.method = method;
            ex.url = url;
            ex.requestHeaders = headers;
            ex.requestBody = payload;
            ex.status = r.status;
            for (const auto &pair : reply->rawHeaderPairs())
                ex.responseHeaders.append(pair);
            ex.responseBody = redactTokens(r.body);
            ex.elapsedMs = timer->elapsed();
            m_observer(ex);
        }
        done(r);
    });
}

Error KsefClient::replyError(const Reply &reply, const char *what) const
{
    if (reply.status == 0 || reply.status >= 500 || reply.status == 429) {
        const QString detail = QString::fromLatin1(what) + u": " +
                               (reply.status == 0 ? reply.networkError : u"HTTP "_qs + QString::number(reply.status));
        return makeError(Error::Code::Io,
                         tr("KSeF cannot be reached at %1 right now; the invoice waits in the queue.")
                             .arg(m_baseUrl.toDisplayString()),
                         reply.refused ? detail : QLatin1String(kUnknownDelivery) + u' ' + detail);
    }
    const QString reason = describeFailure(reply.body);
    return makeError(
        reply.status == 401 || reply.status == 403 ? Error::Code::Invalid : Error::Code::Conflict,
        tr("KSeF refused the request: %1").arg(reason.isEmpty() ? u"HTTP "_qs + QString::number(reply.status) : reason),
        QString::fromLatin1(what) + u": HTTP " + QString::number(reply.status));
}

void KsefClient::fetchPublicKeys(Done done)
{
    if (m_keys)
        return done({});
    call("GET", u"/security/public-key-certificates"_qs, nullptr, {}, [this, done](const Reply &reply) {
        if (reply.status != 200)
            return done(replyError(reply, "public keys"));
        PublicKeys keys;
        const QJsonArray list = QJsonDocument::fromJson(reply.body).array();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const QJsonValue &v : list) {
            const QJsonObject cert = v.toObject();
            const QDateTime from = QDateTime::fromString(cert.value(u"validFrom").toString(), Qt::ISODateWithMs);
            const QDateTime to = QDateTime::fromString(cert.value(u"validTo").toString(), Qt::ISODateWithMs);
            if ((from.isValid() && from > now) || (to.isValid() && to < now))
                continue;
            auto key = crypto::publicKeyFromCertificate(
                QByteArray::fromBase64(cert.value(u"certificate").toString().toLatin1()));
            if (!key)
                return done(key.error());
            const QJsonArray usage = cert.value(u"usage").toArray();
            const QByteArray id = cert.value(u"publicKeyId").toString().toLatin1();
            if (usage.contains(u"KsefTokenEncryption"_qs) && !keys.tokenKey) {
                keys.tokenKey = *key;
                keys.tokenKeyId = id;
            }
            if (usage.contains(u"SymmetricKeyEncryption"_qs) && !keys.symmetricKey) {
                keys.symmetricKey = *key;
                keys.symmetricKeyId = id;
            }
        }
        if (!keys.tokenKey || !keys.symmetricKey)
            return done(makeError(Error::Code::Invalid, tr("KSeF did not offer a valid public key certificate."),
                                  QStringLiteral("no certificate for token or symmetric key encryption")));
        m_keys = keys;
        done({});
    });
}

void KsefClient::authenticate(const QByteArray &ksefToken, const QString &nip, Done done)
{
    forgetAuthentication();
    fetchPublicKeys([this, ksefToken, nip, done](Result<void> keys) {
        if (!keys)
            return done(keys);
        call("POST", u"/auth/challenge"_qs, nullptr, {}, [this, ksefToken, nip, done](const Reply &reply) {
            if (reply.status != 200)
                return done(replyError(reply, "auth challenge"));
            const QJsonObject challenge = parseObject(reply.body);
            auto encrypted = crypto::rsaOaepEncrypt(
                m_keys->tokenKey, crypto::tokenAuthPlaintext(ksefToken, challenge.value(u"timestampMs").toInteger()));
            if (!encrypted)
                return done(encrypted.error());
            QJsonObject body{
                {u"challenge"_qs, challenge.value(u"challenge")},
                {u"contextIdentifier"_qs, QJsonObject{{u"type"_qs, u"Nip"_qs}, {u"value"_qs, nip}}},
                {u"encryptedToken"_qs, QString::fromLatin1(encrypted->toBase64())},
                {u"publicKeyId"_qs, QString::fromLatin1(m_keys->tokenKeyId)},
            };
            call("POST", u"/auth/ksef-token"_qs, &body, {}, [this, done](const Reply &reply) {
                if (reply.status != 202)
                    return done(replyError(reply, "auth ksef-token"));
                const QJsonObject init = parseObject(reply.body);
                const QString reference = init.value(u"referenceNumber").toString();
                const QByteArray authToken =
                    init.value(u"authenticationToken").toObject().value(u"token").toString().toLatin1();
                pollAuthStatus(reference, authToken, 0, done);
            });
        });
    });
}

void KsefClient::pollAuthStatus(const QString &reference, const QByteArray &authToken, int polls, Done done)
{
    call("GET", u"/auth/"_qs + reference, nullptr, authToken, [=, this](const Reply &reply) {
        if (reply.status != 200)
            return done(replyError(reply, "auth status"));
        const QJsonObject status = parseObject(reply.body).value(u"status").toObject();
        const int code = status.value(u"code").toInt();
        if (code == 100) {
            if (polls + 1 >= kMaxAuthPolls)
                return done(makeError(Error::Code::Io, tr("KSeF did not finish the authentication in time."),
                                      QStringLiteral("auth status still 100")));
            QTimer::singleShot(m_authPollMs, this,
                               [=, this] { pollAuthStatus(reference, authToken, polls + 1, done); });
            return;
        }
        if (code != 200) {
            QString reason = status.value(u"description").toString();
            for (const QJsonValue &d : status.value(u"details").toArray())
                reason += u"; "_qs + d.toString();
            return done(makeError(Error::Code::Invalid,
                                  tr("KSeF did not accept the KSeF token (%1 %2). Check the token and the NIP in the "
                                     "KSeF settings.")
                                      .arg(code)
                                      .arg(reason),
                                  QStringLiteral("auth status %1").arg(code)));
        }
        call("POST", u"/auth/token/redeem"_qs, nullptr, authToken, [this, done](const Reply &reply) {
            if (reply.status != 200)
                return done(replyError(reply, "auth redeem"));
            const QJsonObject access = parseObject(reply.body).value(u"accessToken").toObject();
            m_accessToken = access.value(u"token").toString().toLatin1();
            m_accessValidUntil = QDateTime::fromString(access.value(u"validUntil").toString(), Qt::ISODateWithMs);
            done({});
        });
    });
}

void KsefClient::openSession(TextDone done)
{
    auto key = crypto::randomBytes(crypto::kSymmetricKeyBytes);
    auto iv = crypto::randomBytes(crypto::kIvBytes);
    if (!key)
        return done(key.error());
    if (!iv)
        return done(iv.error());
    auto encryptedKey = crypto::rsaOaepEncrypt(m_keys->symmetricKey, *key);
    if (!encryptedKey)
        return done(encryptedKey.error());
    QJsonObject body{
        {u"formCode"_qs,
         QJsonObject{{u"systemCode"_qs, u"FA (3)"_qs}, {u"schemaVersion"_qs, u"1-0E"_qs}, {u"value"_qs, u"FA"_qs}}},
        {u"encryption"_qs, QJsonObject{{u"encryptedSymmetricKey"_qs, QString::fromLatin1(encryptedKey->toBase64())},
                                       {u"initializationVector"_qs, QString::fromLatin1(iv->toBase64())},
                                       {u"publicKeyId"_qs, QString::fromLatin1(m_keys->symmetricKeyId)}}},
    };
    const QByteArray sessionKey = *key;
    const QByteArray sessionIv = *iv;
    call("POST", u"/sessions/online"_qs, &body, m_accessToken, [this, done, sessionKey, sessionIv](const Reply &reply) {
        if (reply.status != 201)
            return done(replyError(reply, "open session"));
        m_session.ref = parseObject(reply.body).value(u"referenceNumber").toString();
        m_session.key = sessionKey;
        m_session.iv = sessionIv;
        done(m_session.ref);
    });
}

void KsefClient::closeSession(Done done)
{
    const QString ref = m_session.ref;
    m_session = {};
    if (ref.isEmpty())
        return done({});
    call("POST", u"/sessions/online/"_qs + ref + u"/close"_qs, nullptr, m_accessToken, [this, done](const Reply &r) {
        if (r.status != 204)
            return done(replyError(r, "close session"));
        done({});
    });
}

void KsefClient::sendInvoice(const QByteArray &xml, TextDone done)
{
    auto invoice = crypto::encryptInvoice(xml, m_session.key, m_session.iv);
    if (!invoice)
        return done(invoice.error());
    QJsonObject body{
        {u"invoiceHash"_qs, QString::fromLatin1(invoice->invoiceHash)},
        {u"invoiceSize"_qs, invoice->invoiceSize},
        {u"encryptedInvoiceHash"_qs, QString::fromLatin1(invoice->encryptedInvoiceHash)},
        {u"encryptedInvoiceSize"_qs, invoice->encryptedInvoiceSize},
        {u"encryptedInvoiceContent"_qs, QString::fromLatin1(invoice->ciphertext.toBase64())},
    };
    call("POST", u"/sessions/online/"_qs + m_session.ref + u"/invoices"_qs, &body, m_accessToken,
         [this, done](const Reply &reply) {
             if (reply.status != 202)
                 return done(replyError(reply, "send invoice"));
             done(parseObject(reply.body).value(u"referenceNumber").toString());
         });
}

InvoiceStatus KsefClient::parseStatus(const QJsonObject &object)
{
    InvoiceStatus s;
    s.referenceNumber = object.value(u"referenceNumber").toString();
    s.invoiceHash = object.value(u"invoiceHash").toString().toLatin1();
    s.ksefNumber = object.value(u"ksefNumber").toString();
    const QJsonObject status = object.value(u"status").toObject();
    s.code = status.value(u"code").toInt();
    s.description = status.value(u"description").toString();
    for (const QJsonValue &d : status.value(u"details").toArray())
        s.details.append(d.toString());
    return s;
}

void KsefClient::invoiceStatus(const QString &sessionRef, const QString &invoiceRef,
                               std::function<void(Result<InvoiceStatus>)> done)
{
    call("GET", u"/sessions/"_qs + sessionRef + u"/invoices/"_qs + invoiceRef, nullptr, m_accessToken,
         [this, done](const Reply &reply) {
             if (reply.status != 200)
                 return done(replyError(reply, "invoice status"));
             done(parseStatus(parseObject(reply.body)));
         });
}

void KsefClient::sessionInvoices(const QString &sessionRef, std::function<void(Result<QList<InvoiceStatus>>)> done)
{
    listPage(sessionRef, {}, {}, std::move(done));
}

void KsefClient::listPage(const QString &sessionRef, const QByteArray &continuation, QList<InvoiceStatus> soFar,
                          std::function<void(Result<QList<InvoiceStatus>>)> done)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!continuation.isEmpty())
        headers.append(qMakePair(QByteArray("x-continuation-token"), continuation));
    call(
        "GET", u"/sessions/"_qs + sessionRef + u"/invoices?pageSize=100"_qs, nullptr, m_accessToken,
        [this, sessionRef, soFar, done](const Reply &reply) mutable {
            if (reply.status != 200)
                return done(replyError(reply, "session invoices"));
            const QJsonObject page = parseObject(reply.body);
            for (const QJsonValue &v : page.value(u"invoices").toArray())
                soFar.append(parseStatus(v.toObject()));
            const QByteArray next = page.value(u"continuationToken").toString().toUtf8();
            if (next.isEmpty())
                return done(soFar);
            listPage(sessionRef, next, soFar, done);
        },
        headers);
}

void KsefClient::downloadUpo(const QString &sessionRef, const QString &invoiceRef,
                             std::function<void(Result<QByteArray>)> done)
{
    call("GET", u"/sessions/"_qs + sessionRef + u"/invoices/"_qs + invoiceRef + u"/upo"_qs, nullptr, m_accessToken,
         [this, done](const Reply &reply) {
             if (reply.status != 200)
                 return done(replyError(reply, "download upo"));
             done(reply.body);
         },
         {{"Accept", "application/xml"}});
}

} // namespace sd::documents::ksef
