#include "messaging/smtpsender.h"
#include "util/trainingmode.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QUrl>

#include <curl/curl.h>

#include <cstring>
#include <memory>

Q_LOGGING_CATEGORY(lcMail, "sd.mail")

namespace sd::messaging {

namespace {

struct Upload
{
    QByteArray data;
    qsizetype offset = 0;
};

size_t readPayload(char *buffer, size_t size, size_t count, void *user)
{
    auto *upload = static_cast<Upload *>(user);
    const size_t room = size * count;
    const size_t left = size_t(upload->data.size() - upload->offset);
    const size_t n = qMin(room, left);
    std::memcpy(buffer, upload->data.constData() + upload->offset, n);
    upload->offset += qsizetype(n);
    return n;
}

void initCurl()
{
    static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
    Q_UNUSED(done);
}

} // namespace

QString MailAccount::securityKey(Security security)
{
    switch (security) {
    case Security::None:
        return u"none"_qs;
    case Security::Ssl:
        return u"ssl"_qs;
    case Security::StartTls:
        return u"starttls"_qs;
    }
    return {};
}

std::optional<MailAccount::Security> MailAccount::securityFromKey(const QString &key)
{
    for (auto s : {Security::None, Security::Ssl, Security::StartTls})
        if (securityKey(s) == key)
            return s;
    return std::nullopt;
}

Result<void> SmtpSender::send(const MailAccount &account, const QByteArray &password, const MailMessage &message)
{
    if (account.host.isEmpty() || account.from.address.isEmpty())
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::messaging", "The mail account needs a server and a sender address."));
    if (message.to.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "The message has no recipient."));
    {
        QUrl target;
        target.setScheme(u"smtp"_qs);
        target.setHost(account.host);
        if (auto allowed = sd::training::checkOutbound(target); !allowed)
            return allowed.error();
    }
    initCurl();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return makeError(Error::Code::Internal,
                         QCoreApplication::translate("sd::messaging", "The mail library could not start."));
    CURL *c = curl.get();
    const QByteArray scheme = account.security == MailAccount::Security::Ssl ? "smtps" : "smtp";
    const QByteArray url = scheme + "://" + account.host.toUtf8() + ':' + QByteArray::number(account.port);
    const QByteArray from = '<' + account.from.address.toUtf8() + '>';
    const QByteArray user = account.user.toUtf8();
    const QByteArray caFile = account.caFile.toLocal8Bit();
    char errorBuffer[CURL_ERROR_SIZE] = {};

    curl_slist *recipients = nullptr;
    for (const MailAddress &to : message.to)
        recipients = curl_slist_append(recipients, QByteArray('<' + to.address.trimmed().toUtf8() + '>').constData());
    auto freeRecipients = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>(recipients, &curl_slist_free_all);

    Upload upload{MimeBuilder::build(message), 0};
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, readPayload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.data.size()));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, long(qBound(1, account.timeoutSeconds, 300)));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, long(qBound(1, account.timeoutSeconds, 300) * 4));
    if (account.security == MailAccount::Security::StartTls)
        curl_easy_setopt(c, CURLOPT_USE_SSL, long(CURLUSESSL_ALL)); // no silent fall back to plain text
    if (!caFile.isEmpty())
        curl_easy_setopt(c, CURLOPT_CAINFO, caFile.constData());
    if (!user.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(c, CURLOPT_PASSWORD, password.constData());
    }

    const CURLcode code = curl_easy_perform(c);
    long response = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response);
    if (code == CURLE_OK) {
        qCInfo(lcMail) << "sent" << message.messageId << "via" << account.host << "to" << message.to.size()
                       << "recipient(s)," << upload.data.size() << "bytes";
        return {};
    }
    // The detail names the server and curl's reason; never the password (curl does not echo it).
    const QString detail = u"%1:%2 %3 (%4, SMTP %5)"_qs.arg(account.host)
                               .arg(account.port)
                               .arg(QString::fromUtf8(*errorBuffer ? errorBuffer : curl_easy_strerror(code)))
                               .arg(int(code))
                               .arg(response);
    qCWarning(lcMail).noquote() << "sending failed:" << detail;
    switch (code) {
    case CURLE_LOGIN_DENIED:
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::messaging", "The mail server refused the user name or password."), detail);
    case CURLE_PEER_FAILED_VERIFICATION:
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "The mail server's certificate is not trusted."),
                         detail);
    case CURLE_USE_SSL_FAILED:
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "The mail server does not offer STARTTLS."),
                         detail);
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
        break;
    default:
        // A permanent SMTP refusal (5xx) of the sender or a recipient will not change by trying again.
        if (response >= 500 && response < 600)
            return makeError(
                Error::Code::Invalid,
                QCoreApplication::translate("sd::messaging", "The mail server refused the message: %1").arg(response),
                detail);
    }
    if (code == CURLE_OPERATION_TIMEDOUT)
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::messaging", "The mail server did not answer in time."),
                         detail);
    return makeError(Error::Code::Io,
                     QCoreApplication::translate("sd::messaging", "The mail server could not be reached or failed."),
                     detail);
}

} // namespace sd::messaging
