#include "fakeksef.h"

#include "documents/ksef/ksefnumber.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpServer>

#include <utility>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace sd::test {

namespace ksef = sd::documents::ksef;

namespace {

QString isoNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// A self-signed certificate for a fresh RSA-2048 key: what the Ministry publishes, in shape.
std::pair<ksef::PKey, QByteArray> makeKeyAndCertificate(const char *commonName)
{
    ksef::PKey key(EVP_RSA_gen(2048), &EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), long(QRandomGenerator::global()->bounded(1, 1 << 30)));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -86400);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * 365);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(commonName), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), name);
    X509_sign(cert.get(), key.get(), EVP_sha256());
    unsigned char *der = nullptr;
    const int length = i2d_X509(cert.get(), &der);
    QByteArray bytes(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return {key, bytes};
}

QByteArray bearerOf(const QHttpServerRequest &request)
{
    const QByteArray value = request.value("Authorization");
    return value.startsWith("Bearer ") ? value.mid(7) : QByteArray();
}

void collectError(void *context, const xmlError *error)
{
    auto *list = static_cast<QStringList *>(context);
    list->append(QStringLiteral("line %1: %2").arg(error->line).arg(QString::fromUtf8(error->message).trimmed()));
}

} // namespace

struct FakeKsef::Keys
{
    ksef::PKey tokenKey;
    QByteArray tokenCert;
    ksef::PKey symmetricKey;
    QByteArray symmetricCert;
};

struct FakeKsef::Schema
{
    xmlSchemaPtr schema = nullptr;
    ~Schema()
    {
        if (schema)
            xmlSchemaFree(schema);
    }
};

FakeKsef::FakeKsef(const QString &xsdPath, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_keys(std::make_unique<Keys>())
    , m_schema(std::make_unique<Schema>())
{
    std::tie(m_keys->tokenKey, m_keys->tokenCert) = makeKeyAndCertificate("Fake KSeF token encryption");
    std::tie(m_keys->symmetricKey, m_keys->symmetricCert) = makeKeyAndCertificate("Fake KSeF symmetric key encryption");
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(QFile::encodeName(xsdPath).constData());
    m_schema->schema = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    if (!m_schema->schema)
        m_problems.append(u"the FA(3) schema did not load from "_qs + xsdPath);
}

FakeKsef::~FakeKsef() = default;

Result<void> FakeKsef::start()
{
    m_port = listen(QHostAddress::LocalHost, m_port);
    if (m_port == 0)
        return makeError(Error::Code::Io, u"the fake KSeF cannot listen"_qs);
    return {};
}

QUrl FakeKsef::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/v2"_qs.arg(m_port));
}

void FakeKsef::setToken(const QByteArray &token, const QString &nip)
{
    m_token = token;
    m_nip = nip;
}

void FakeKsef::setVerdict(Verdict verdict, int code, const QString &reason)
{
    m_verdict = verdict;
    m_rejectCode = code;
    m_rejectReason = reason;
}

void FakeKsef::setDown(Down down)
{
    const bool wasRefusing = m_down == Down::Refuse;
    m_down = down;
    const auto listeners = servers();
    if (down == Down::Refuse && !wasRefusing) {
        for (QTcpServer *server : listeners)
            server->close();
    } else if (down != Down::Refuse && wasRefusing) {
        for (QTcpServer *server : listeners)
            server->listen(QHostAddress::LocalHost, m_port);
    }
}

void FakeKsef::missingHandler(const QHttpServerRequest &, QTcpSocket *) {}

bool FakeKsef::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QStringList path = request.url().path().split(u'/', Qt::SkipEmptyParts);
    Reply reply;
    if (m_down == Down::ServerError)
        reply = error(503, 503, u"Service Unavailable"_qs);
    else if (path.value(0) != u"v2")
        reply = error(404, 404, u"Not found"_qs);
    else
        reply = route(request, path.mid(1));
    if (std::exchange(m_dropThisAnswer, false))
        return true;
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
    if (!reply.body.isEmpty())
        responder.writeHeader("Content-Type", reply.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
    responder.writeBody(reply.body);
    return true;
}

FakeKsef::Reply FakeKsef::route(const QHttpServerRequest &request, const QStringList &p)
{
    const bool get = request.method() == QHttpServerRequest::Method::Get;
    const bool post = request.method() == QHttpServerRequest::Method::Post;
    const QJsonObject body = QJsonDocument::fromJson(request.body()).object();
    const QByteArray bearer = bearerOf(request);
    const auto is = [&p](std::initializer_list<const char16_t *> shape) {
        if (qsizetype(shape.size()) != p.size())
            return false;
        qsizetype i = 0;
        for (const char16_t *part : shape) {
            if (part[0] != u'*' && p.at(i) != QStringView(part))
                return false;
            ++i;
        }
        return true;
    };
    if (get && is({u"security", u"public-key-certificates"}))
        return publicKeys();
    if (post && is({u"auth", u"challenge"}))
        return challenge();
    if (post && is({u"auth", u"ksef-token"}))
        return tokenAuth(body);
    if (post && is({u"auth", u"token", u"redeem"}))
        return redeem(bearer);
    if (get && is({u"auth", u"*"}))
        return authStatus(p.at(1), bearer);
    if (post && is({u"sessions", u"online"}))
        return openSession(body, bearer);
    if (post && is({u"sessions", u"online", u"*", u"invoices"}))
        return sendInvoice(p.at(2), body, bearer);
    if (post && is({u"sessions", u"online", u"*", u"close"}))
        return closeSession(p.at(2), bearer);
    if (get && is({u"sessions", u"*", u"invoices"}))
        return sessionInvoices(p.at(1), bearer);
    if (get && is({u"sessions", u"*", u"invoices", u"*", u"upo"}))
        return upo(p.at(1), p.at(3), bearer);
    if (get && is({u"sessions", u"*", u"invoices", u"*"}))
        return invoiceStatus(p.at(1), p.at(3), bearer);
    return error(404, 404, u"Not found"_qs);
}

FakeKsef::Reply FakeKsef::error(int status, int code, const QString &description, const QStringList &details)
{
    QJsonObject detail{{u"exceptionCode"_qs, code}, {u"exceptionDescription"_qs, description}};
    if (!details.isEmpty())
        detail.insert(u"details"_qs, QJsonArray::fromStringList(details));
    const QJsonObject exception{
        {u"exceptionDetailList"_qs, QJsonArray{detail}},
        {u"referenceNumber"_qs, newReference("EX")},
        {u"serviceCode"_qs, u"fake"_qs},
        {u"serviceCtx"_qs, u"fake"_qs},
        {u"serviceName"_qs, u"FakeKsef"_qs},
        {u"timestamp"_qs, isoNow()},
    };
    return {status, QJsonDocument(QJsonObject{{u"exception"_qs, exception}}).toJson(QJsonDocument::Compact)};
}

QString FakeKsef::newReference(const char *kind)
{
    // 36 characters, in KSeF's shape: date, kind, two 10-digit hex parts, two hex digits.
    const QString a = QString::number(++m_serial, 16).rightJustified(10, u'0').toUpper();
    const QString b = QString::number(QRandomGenerator::global()->generate64() & 0xFFFFFFFFFFull, 16)
                          .rightJustified(10, u'0')
                          .toUpper();
    return QDate::currentDate().toString(u"yyyyMMdd") + u'-' + QLatin1String(kind) + u'-' + a + u'-' + b + u"-00"_qs;
}

QString FakeKsef::newKsefNumber(const QString &nip)
{
    const QString first = nip + u'-' + QDate::currentDate().toString(u"yyyyMMdd") + u'-' +
                          QString::number(0x0100000000ull + quint64(++m_serial), 16).rightJustified(12, u'0').toUpper();
    return first + u'-' + ksef::ksefnumber::checksum(first);
}

FakeKsef::Reply FakeKsef::publicKeys() const
{
    const auto entry = [](const QByteArray &der, const char *usage) {
        return QJsonObject{
            {u"certificate"_qs, QString::fromLatin1(der.toBase64())},
            {u"certificateId"_qs,
             QString::fromLatin1(QCryptographicHash::hash(der, QCryptographicHash::Sha1).toBase64())},
            {u"publicKeyId"_qs,
             QString::fromLatin1(QCryptographicHash::hash(der, QCryptographicHash::Sha256).toBase64())},
            {u"validFrom"_qs, QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate)},
            {u"validTo"_qs, QDateTime::currentDateTimeUtc().addYears(1).toString(Qt::ISODate)},
            {u"usage"_qs, QJsonArray{QString::fromLatin1(usage)}},
        };
    };
    const QJsonArray list{entry(m_keys->tokenCert, "KsefTokenEncryption"),
                          entry(m_keys->symmetricCert, "SymmetricKeyEncryption")};
    return {200, QJsonDocument(list).toJson(QJsonDocument::Compact)};
}

FakeKsef::Reply FakeKsef::challenge()
{
    const QString value = newReference("CR");
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    m_challenges.insert(value, ms);
    const QJsonObject out{{u"challenge"_qs, value},
                          {u"timestamp"_qs, QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs)},
                          {u"timestampMs"_qs, ms},
                          {u"clientIp"_qs, u"127.0.0.1"_qs}};
    return {200, QJsonDocument(out).toJson(QJsonDocument::Compact)};
}

FakeKsef::Reply FakeKsef::tokenAuth(const QJsonObject &body)
{
    const QString challengeValue = body.value(u"challenge").toString();
    const QJsonObject context = body.value(u"contextIdentifier").toObject();
    if (!m_challenges.contains(challengeValue))
        return error(400, 21401, u"Nieprawidłowy challenge."_qs);
    if (context.value(u"type").toString() != u"Nip" || context.value(u"value").toString().isEmpty())
        return error(400, 21405, u"Błąd walidacji danych wejściowych."_qs, {u"contextIdentifier"_qs});
    const qint64 timestampMs = m_challenges.take(challengeValue);
    Auth auth;
    auth.authToken = "auth-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    auth.nip = context.value(u"value").toString();
    auto plain = ksef::crypto::rsaOaepDecrypt(
        m_keys->tokenKey, QByteArray::fromBase64(body.value(u"encryptedToken").toString().toLatin1()));
    if (!plain) {
        m_problems.append(u"the KSeF token could not be decrypted: "_qs + plain.error().text());
        auth.code = 450;
        auth.description = u"Nie udało się odszyfrować tokenu."_qs;
    } else if (*plain != ksef::crypto::tokenAuthPlaintext(m_token, timestampMs) || auth.nip != m_nip) {
        auth.code = 450;
        auth.description = u"Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu."_qs;
    }
    const QString reference = newReference("AU");
    m_auths.insert(reference, auth);
    const QJsonObject out{
        {u"referenceNumber"_qs, reference},
        {u"authenticationToken"_qs,
         QJsonObject{{u"token"_qs, QString::fromLatin1(auth.authToken)},
                     {u"validUntil"_qs, QDateTime::currentDateTimeUtc().addSecs(900).toString(Qt::ISODate)}}},
    };
    return {202, QJsonDocument(out).toJson(QJsonDocument::Compact)};
}

FakeKsef::Reply FakeKsef::authStatus(const QString &ref, const QByteArray &bearer)
{
    auto it = m_auths.find(ref);
    if (it == m_auths.end() || it->authToken != bearer)
        return error(401, 401, u"Unauthorized"_qs);
    // The first poll says "in progress", as KSeF does while it checks the token.
    const int code = it->polls++ == 0 ? 100 : (it->code == 100 ? 200 : it->code);
    if (code == 200)
        it->code = 200;
    QJsonObject status{{u"code"_qs, code},
                       {u"description"_qs, code == 100   ? u"Uwierzytelnianie w toku"_qs
                                           : code == 200 ? u"Uwierzytelnianie zakończone sukcesem"_qs
                                                         : it->description}};
    const QJsonObject out{
        {u"startDate"_qs, isoNow()},
        {u"authenticationMethod"_qs, u"Token"_qs},
        {u"authenticationMethodInfo"_qs, QJsonObject{{u"category"_qs, u"Token"_qs},
                                                     {u"code"_qs, u"token.ksef"_qs},
                                                     {u"displayName"_qs, u"Token KSeF"_qs}}},
        {u"status"_qs, status},
    };
    return {200, QJsonDocument(out).toJson(QJsonDocument::Compact)};
}

FakeKsef::Reply FakeKsef::redeem(const QByteArray &bearer)
{
    for (Auth &auth : m_auths) {
        if (auth.authToken != bearer)
            continue;
        if (auth.code != 200 || auth.redeemed)
            return error(400, 21301, u"Brak autoryzacji."_qs);
        auth.redeemed = true;
        const QByteArray access = "access-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
        m_accessTokens.insert(access, auth.nip);
        const auto info = [](const QByteArray &token, int seconds) {
            return QJsonObject{
                {u"token"_qs, QString::fromLatin1(token)},
                {u"validUntil"_qs, QDateTime::currentDateTimeUtc().addSecs(seconds).toString(Qt::ISODate)}};
        };
        const QJsonObject out{{u"accessToken"_qs, info(access, 900)},
                              {u"refreshToken"_qs, info("refresh-" + access.mid(7), 7 * 86400)}};
        return {200, QJsonDocument(out).toJson(QJsonDocument::Compact)};
    }
    return error(401, 401, u"Unauthorized"_qs);
}

QString FakeKsef::nipFor(const QByteArray &accessToken) const
{
    return m_accessTokens.value(accessToken);
}

FakeKsef::Reply FakeKsef::openSession(const QJsonObject &body, const QByteArray &bearer)
{
    const QString nip = nipFor(bearer);
    if (nip.isEmpty())
        return error(401, 401, u"Unauthorized"_qs);
    const QJsonObject form = body.value(u"formCode").toObject();
    if (form.value(u"systemCode").toString() != u"FA (3)" || form.value(u"schemaVersion").toString() != u"1-0E" ||
        form.value(u"value").toString() != u"FA")
        return error(400, 21405, u"Błąd walidacji danych wejściowych."_qs, {u"formCode"_qs});
    const QJsonObject encryption = body.value(u"encryption").toObject();
    auto key = ksef::crypto::rsaOaepDecrypt(
        m_keys->symmetricKey, QByteArray::fromBase64(encryption.value(u"encryptedSymmetricKey").toString().toLatin1()));
    const QByteArray iv = QByteArray::fromBase64(encryption.value(u"initializationVector").toString().toLatin1());
    if (!key || key->size() != 32 || iv.size() != 16) {
        m_problems.append(u"the session key could not be decrypted or has the wrong size"_qs);
        return error(400, 21405, u"Błąd walidacji danych wejściowych."_qs, {u"encryption"_qs});
    }
    const QString ref = newReference("SO");
    m_sessions.insert(ref, Session{nip, *key, iv});
    const QJsonObject out{{u"referenceNumber"_qs, ref},
                          {u"validUntil"_qs, QDateTime::currentDateTimeUtc().addSecs(12 * 3600).toString(Qt::ISODate)}};
    return {201, QJsonDocument(out).toJson(QJsonDocument::Compact)};
}

QStringList FakeKsef::validate(const QByteArray &xml) const
{
    QStringList errors;
    if (!m_schema->schema)
        return {u"no schema"_qs};
    xmlDocPtr doc = xmlReadMemory(xml.constData(), int(xml.size()), "invoice.xml", nullptr, XML_PARSE_NONET);
    if (!doc)
        return {u"not well-formed XML"_qs};
    xmlSchemaValidCtxtPtr ctx = xmlSchemaNewValidCtxt(m_schema->schema);
    xmlSchemaSetValidStructuredErrors(ctx, reinterpret_cast<xmlStructuredErrorFunc>(&collectError), &errors);
    const int rc = xmlSchemaValidateDoc(ctx, doc);
    xmlSchemaFreeValidCtxt(ctx);
    xmlFreeDoc(doc);
    if (rc != 0 && errors.isEmpty())
        errors.append(u"schema validation failed"_qs);
    return errors;
}

FakeKsef::Reply FakeKsef::sendInvoice(const QString &sessionRef, const QJsonObject &body, const QByteArray &bearer)
{
    ++m_invoicePosts;
    const QString nip = nipFor(bearer);
    auto session = m_sessions.find(sessionRef);
    if (nip.isEmpty() || session == m_sessions.end() || session->nip != nip)
        return error(401, 401, u"Unauthorized"_qs);
    if (m_closed.contains(sessionRef))
        return error(400, 21180, u"Sesja jest zamknięta."_qs);
    for (const char16_t *field : {u"invoiceHash", u"invoiceSize", u"encryptedInvoiceHash", u"encryptedInvoiceSize",
                                  u"encryptedInvoiceContent"}) {
        if (!body.contains(QStringView(field)))
            return error(400, 21405, u"Błąd walidacji danych wejściowych."_qs, {QStringView(field).toString()});
    }
    const QByteArray cipher = QByteArray::fromBase64(body.value(u"encryptedInvoiceContent").toString().toLatin1());
    Invoice invoice;
    invoice.sessionRef = sessionRef;
    invoice.referenceNumber = newReference("EE");
    invoice.invoiceHash = body.value(u"invoiceHash").toString().toLatin1();
    invoice.ordinal = int(m_invoices.size()) + 1;
    if (ksef::crypto::sha256Base64(cipher) != body.value(u"encryptedInvoiceHash").toString().toLatin1() ||
        cipher.size() != body.value(u"encryptedInvoiceSize").toInteger())
        m_problems.append(u"encryptedInvoiceHash or encryptedInvoiceSize do not match the content"_qs);
    auto plain = ksef::crypto::aesCbcDecrypt(session->key, session->iv, cipher);
    if (!plain) {
        m_problems.append(u"the invoice could not be decrypted: "_qs + plain.error().text());
        invoice.code = 435;
        invoice.description = u"Błąd odszyfrowania pliku"_qs;
    } else {
        invoice.xml = *plain;
        if (ksef::crypto::sha256Base64(*plain) != invoice.invoiceHash ||
            plain->size() != body.value(u"invoiceSize").toInteger())
            m_problems.append(u"invoiceHash or invoiceSize do not match the decrypted invoice"_qs);
        const QStringList errors = validate(*plain);
        if (!errors.isEmpty()) {
            invoice.code = 450;
            invoice.description = u"Błąd weryfikacji semantyki dokumentu faktury"_qs;
            invoice.details = errors;
        } else if (m_verdict == Verdict::Reject) {
            invoice.code = m_rejectCode;
            invoice.description =
                m_rejectReason.isEmpty() ? u"Błąd weryfikacji semantyki dokumentu faktury"_qs : m_rejectReason;
        }
    }
    m_invoices.append(invoice);
    m_dropThisAnswer = m_dropInvoiceAnswers;
    emit invoiceReceived(invoice.referenceNumber);
    return {
        202,
        QJsonDocument(QJsonObject{{u"referenceNumber"_qs, invoice.referenceNumber}}).toJson(QJsonDocument::Compact)};
}

FakeKsef::Invoice *FakeKsef::findInvoice(const QString &sessionRef, const QString &invoiceRef)
{
    for (Invoice &invoice : m_invoices) {
        if (invoice.sessionRef == sessionRef && invoice.referenceNumber == invoiceRef)
            return &invoice;
    }
    return nullptr;
}

QJsonObject FakeKsef::statusJson(const Invoice &invoice) const
{
    QJsonObject status{{u"code"_qs, invoice.code},
                       {u"description"_qs, invoice.code == 150   ? u"Trwa przetwarzanie"_qs
                                           : invoice.code == 200 ? u"Sukces"_qs
                                                                 : invoice.description}};
    if (!invoice.details.isEmpty())
        status.insert(u"details"_qs, QJsonArray::fromStringList(invoice.details));
    QJsonObject out{{u"ordinalNumber"_qs, invoice.ordinal},
                    {u"referenceNumber"_qs, invoice.referenceNumber},
                    {u"invoiceHash"_qs, QString::fromLatin1(invoice.invoiceHash)},
                    {u"invoicingDate"_qs, isoNow()},
                    {u"invoicingMode"_qs, u"Online"_qs},
                    {u"status"_qs, status}};
    if (!invoice.ksefNumber.isEmpty()) {
        out.insert(u"ksefNumber"_qs, invoice.ksefNumber);
        out.insert(u"acquisitionDate"_qs, isoNow());
    }
    return out;
}

FakeKsef::Reply FakeKsef::invoiceStatus(const QString &sessionRef, const QString &invoiceRef, const QByteArray &bearer)
{
    const QString nip = nipFor(bearer);
    if (nip.isEmpty() || m_sessions.value(sessionRef).nip != nip)
        return error(401, 401, u"Unauthorized"_qs);
    Invoice *invoice = findInvoice(sessionRef, invoiceRef);
    if (!invoice)
        return error(400, 21405, u"Nie znaleziono faktury."_qs);
    // "Processing" on the first poll; the verdict after that.
    if (invoice->code == 150 && invoice->polls++ > 0) {
        invoice->code = 200;
        invoice->ksefNumber = newKsefNumber(nip);
    }
    return {200, QJsonDocument(statusJson(*invoice)).toJson(QJsonDocument::Compact)};
}

FakeKsef::Reply FakeKsef::sessionInvoices(const QString &sessionRef, const QByteArray &bearer)
{
    const QString nip = nipFor(bearer);
    if (nip.isEmpty() || m_sessions.value(sessionRef).nip != nip)
        return error(401, 401, u"Unauthorized"_qs);
    QJsonArray list;
    for (const Invoice &invoice : std::as_const(m_invoices)) {
        if (invoice.sessionRef == sessionRef)
            list.append(statusJson(invoice));
    }
    return {200, QJsonDocument(QJsonObject{{u"invoices"_qs, list}}).toJson(QJsonDocument::Compact)};
}

FakeKsef::Reply FakeKsef::upo(const QString &sessionRef, const QString &invoiceRef, const QByteArray &bearer)
{
    const QString nip = nipFor(bearer);
    if (nip.isEmpty() || m_sessions.value(sessionRef).nip != nip)
        return error(401, 401, u"Unauthorized"_qs);
    const Invoice *invoice = findInvoice(sessionRef, invoiceRef);
    if (!invoice || invoice->code != 200)
        return error(400, 21405, u"UPO nie jest dostępne."_qs);
    const QString xml =
        u"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Potwierdzenie xmlns=\"http://upo.schematy.mf.gov.pl/KSeF/v4-3\">"
        "<NazwaPodmiotuPrzyjmujacego>Fake KSeF</NazwaPodmiotuPrzyjmujacego><NumerReferencyjnySesji>%1"
        "</NumerReferencyjnySesji><NazwaStrukturyLogicznej>Schemat_FA(3)_v1-0E.xsd</NazwaStrukturyLogicznej>"
        "<KodFormularza>FA (3)</KodFormularza><Dokument><NipSprzedawcy>%2</NipSprzedawcy><NumerKSeFDokumentu>%3"
        "</NumerKSeFDokumentu><SkrotDokumentu>%4</SkrotDokumentu><TrybWysylki>Online</TrybWysylki></Dokument>"
        "</Potwierdzenie>\n"_qs.arg(sessionRef, nip, invoice->ksefNumber, QString::fromLatin1(invoice->invoiceHash));
    return {200, xml.toUtf8(), "application/xml"};
}

FakeKsef::Reply FakeKsef::closeSession(const QString &sessionRef, const QByteArray &bearer)
{
    const QString nip = nipFor(bearer);
    if (nip.isEmpty() || m_sessions.value(sessionRef).nip != nip)
        return error(401, 401, u"Unauthorized"_qs);
    m_closed.insert(sessionRef);
    return {204, {}};
}

} // namespace sd::test
