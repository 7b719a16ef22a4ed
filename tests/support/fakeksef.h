#pragma once

#include "documents/ksef/ksefcrypto.h"
#include "util/result.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QUrl>

#include <memory>
#include <tuple>

namespace sd::test {

// A local stand-in for KSeF API 2.0 (test support only, never shipped): the subset SellerDesk uses, on
// 127.0.0.1 under /v2. It holds two RSA key pairs and serves their self-signed certificates as
// GET /security/public-key-certificates does (one for KSeF tokens, one for session keys), DECRYPTS everything the
// client sends (the token with its challenge timestamp, the session key, each invoice), checks the hashes and
// sizes, validates each decrypted invoice against the local FA(3) XSD with libxml2, and then accepts it (a KSeF
// number with a correct CRC and a UPO after one "processing" poll) or rejects it with a code and reason. It can
// be down: refusing connections or answering 503.
class FakeKsef : public QAbstractHttpServer
{
    Q_OBJECT

public:
    enum class Verdict { Accept, Reject };
    enum class Down { No, Refuse, ServerError };

    struct Invoice
    {
        QString sessionRef;
        QString referenceNumber;
        QByteArray xml; // decrypted
        QByteArray invoiceHash;
        int code = 150;
        QString description;
        QStringList details;
        QString ksefNumber;
        int ordinal = 0;
        int polls = 0;
    };

    // xsdPath: the FA(3) .local.xsd (imports resolved beside it).
    explicit FakeKsef(const QString &xsdPath, QObject *parent = nullptr);
    ~FakeKsef() override;

    Result<void> start();
    QUrl baseUrl() const;

    void setToken(const QByteArray &token, const QString &nip);
    void setVerdict(Verdict verdict, int code = 450, const QString &reason = {});
    void setDown(Down down);
    // Keeps the invoice but never answers the POST (the answer is lost on the way): the client times out.
    void setDropInvoiceAnswers(bool drop) { m_dropInvoiceAnswers = drop; }

    const QList<Invoice> &invoices() const { return m_invoices; }
    int invoicePosts() const { return m_invoicePosts; }
    int sessionsOpened() const { return m_sessions.size(); }
    int sessionsClosed() const { return m_closed.size(); }
    // Anything the client did wrong that a real KSeF would refuse (bad hash, undecryptable data, ...).
    const QStringList &problems() const { return m_problems; }

signals:
    void invoiceReceived(const QString &referenceNumber);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Reply
    {
        int status = 200;
        QByteArray body;
        QByteArray contentType = "application/json";
    };
    struct Session
    {
        QString nip;
        QByteArray key;
        QByteArray iv;
    };

    Reply route(const QHttpServerRequest &request, const QStringList &path);
    Reply publicKeys() const;
    Reply challenge();
    Reply tokenAuth(const QJsonObject &body);
    Reply authStatus(const QString &ref, const QByteArray &bearer);
    Reply redeem(const QByteArray &bearer);
    Reply openSession(const QJsonObject &body, const QByteArray &bearer);
    Reply sendInvoice(const QString &sessionRef, const QJsonObject &body, const QByteArray &bearer);
    Reply invoiceStatus(const QString &sessionRef, const QString &invoiceRef, const QByteArray &bearer);
    Reply sessionInvoices(const QString &sessionRef, const QByteArray &bearer);
    Reply upo(const QString &sessionRef, const QString &invoiceRef, const QByteArray &bearer);
    Reply closeSession(const QString &sessionRef, const QByteArray &bearer);
    Reply error(int status, int code, const QString &description, const QStringList &details = {});
    QString nipFor(const QByteArray &accessToken) const;
    QJsonObject statusJson(const Invoice &invoice) const;
    QStringList validate(const QByteArray &xml) const;
    QString newReference(const char *kind);
    QString newKsefNumber(const QString &nip);
    Invoice *findInvoice(const QString &sessionRef, const QString &invoiceRef);

    struct Keys;
    std::unique_ptr<Keys> m_keys;
    struct Schema;
    std::unique_ptr<Schema> m_schema;

    quint16 m_port = 0;
    Down m_down = Down::No;
    Verdict m_verdict = Verdict::Accept;
    int m_rejectCode = 450;
    QString m_rejectReason;
    QByteArray m_token;
    QString m_nip;
    QHash<QString, qint64> m_challenges; // challenge -> timestampMs
    struct Auth
    {
        QByteArray authToken;
        QString nip;
        int code = 100;
        QString description;
        int polls = 0;
        bool redeemed = false;
    };
    QHash<QString, Auth> m_auths;              // reference -> operation
    QHash<QByteArray, QString> m_accessTokens; // token -> NIP
    QHash<QString, Session> m_sessions;
    QSet<QString> m_closed;
    QList<Invoice> m_invoices;
    QStringList m_problems;
    int m_invoicePosts = 0;
    bool m_dropInvoiceAnswers = false;
    bool m_dropThisAnswer = false;
    int m_serial = 0;
};

} // namespace sd::test
