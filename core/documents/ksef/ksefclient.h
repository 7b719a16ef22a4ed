#pragma once

#include "documents/ksef/ksefcrypto.h"
#include "marketplace/httpexchange.h"
#include "util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;

Q_DECLARE_LOGGING_CATEGORY(lcKsef)

namespace sd::documents::ksef {

// How KSeF saw one invoice of a session (GET /sessions/{ref}/invoices/{invoiceRef}).
struct InvoiceStatus
{
    QString referenceNumber;
    QByteArray invoiceHash;
    int code = 0; // 100 accepted for processing, 150 processing, 200 success, 4xx/5xx failures
    QString description;
    QStringList details;
    QString ksefNumber;

    bool pending() const { return code == 100 || code == 150; }
    bool succeeded() const { return code == 200; }
};

// The KSeF API 2.0 subset SellerDesk uses, asynchronous on a QNetworkAccessManager of the owner's thread.
// Every call ends in its callback exactly once (unless the client is destroyed first). Failures are sd::Error:
// Error::Code::Io when the service was unreachable, timed out or answered 5xx/429 (try again later; see
// deliveryUnknown), Invalid when it refused the authentication (401/403, a bad token or NIP), Conflict when it
// refused the request itself (another 4xx). The KSeF token, the authentication and access
// tokens never reach the log or the exchange observer.
class KsefClient : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(Result<void>)>;
    using TextDone = std::function<void(Result<QString>)>;

    explicit KsefClient(QUrl baseUrl, QObject *parent = nullptr);
    ~KsefClient() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setAuthPollIntervalMs(int ms) { m_authPollMs = ms; }
    void setExchangeObserver(marketplace::HttpExchangeObserver observer) { m_observer = std::move(observer); }
    QUrl baseUrl() const { return m_baseUrl; }

    // True after an Io failure of a request that may have reached KSeF (timeout, 5xx): only a refused or
    // unresolvable connection proves nothing left.
    static bool deliveryUnknown(const Error &error);

    // Challenge -> KSeF token encrypted with the Ministry's key -> status polling -> token redeem.
    void authenticate(const QByteArray &ksefToken, const QString &nip, Done done);
    bool authenticated() const;
    void forgetAuthentication();

    // Opens an interactive FA (3) session with a fresh AES-256 key and IV (kept in memory only).
    void openSession(TextDone done);
    QString sessionRef() const { return m_session.ref; }
    void closeSession(Done done);

    // Sends one invoice in the open session; the answer is the invoice's reference number.
    void sendInvoice(const QByteArray &xml, TextDone done);
    void invoiceStatus(const QString &sessionRef, const QString &invoiceRef,
                       std::function<void(Result<InvoiceStatus>)> done);
    // Every invoice KSeF holds for a session (follows continuation tokens).
    void sessionInvoices(const QString &sessionRef, std::function<void(Result<QList<InvoiceStatus>>)> done);
    void downloadUpo(const QString &sessionRef, const QString &invoiceRef,
                     std::function<void(Result<QByteArray>)> done);

private:
    struct Reply
    {
        int status = 0;
        QByteArray body;
        QString networkError;
        bool refused = false; // nothing reached the server
    };
    using ReplyDone = std::function<void(const Reply &)>;

    struct PublicKeys
    {
        PKey tokenKey;
        QByteArray tokenKeyId;
        PKey symmetricKey;
        QByteArray symmetricKeyId;
    };

    void call(const QByteArray &method, const QString &path, const QJsonObject *body, const QByteArray &bearer,
              ReplyDone done, const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
    Error replyError(const Reply &reply, const char *what) const;
    void fetchPublicKeys(Done done);
    void pollAuthStatus(const QString &reference, const QByteArray &authToken, int polls, Done done);
    void listPage(const QString &sessionRef, const QByteArray &continuation, QList<InvoiceStatus> soFar,
                  std::function<void(Result<QList<InvoiceStatus>>)> done);
    static InvoiceStatus parseStatus(const QJsonObject &object);

    QUrl m_baseUrl;
    QNetworkAccessManager *m_network = nullptr;
    int m_timeoutMs = 30000;
    int m_authPollMs = 500;
    marketplace::HttpExchangeObserver m_observer;
    std::optional<PublicKeys> m_keys;
    QByteArray m_accessToken;
    QDateTime m_accessValidUntil;
    struct
    {
        QString ref;
        QByteArray key;
        QByteArray iv;
    } m_session;
};

} // namespace sd::documents::ksef
