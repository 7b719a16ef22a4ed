#pragma once

#include "messaging/mailmessage.h"
#include "util/result.h"

namespace sd::messaging {

// Where and how to send e-mail. The password is never here: it lives in the SecretStore under secretKey.
struct MailAccount
{
    enum class Security { None, Ssl, StartTls };

    qint64 id = 0;
    QString name;
    QString host;
    int port = 587;
    Security security = Security::StartTls;
    QString user; // empty: no AUTH
    MailAddress from;
    int timeoutSeconds = 30;
    QString caFile;             // extra CA certificates (a company's own or a test's self-signed one); empty: system
    QString marketplaceAccount; // the store whose mail goes through this account; empty: the default account
    QString secretKey;          // the password's key in the SecretStore

    static QString securityKey(Security security);
    static std::optional<Security> securityFromKey(const QString &key);
};

// Sends one message over SMTP with libcurl (SSL on connect, STARTTLS required, or plain; AUTH when a user is
// set; connect and whole-transfer timeouts). Blocking: run it on a worker or job thread.
class SmtpSender
{
public:
    // Error::Code::Io for a network failure or a server's temporary refusal (worth a retry), Invalid for what will
    // not get better by trying again (bad address, authentication refused, TLS certificate not trusted).
    static Result<void> send(const MailAccount &account, const QByteArray &password, const MailMessage &message);
};

} // namespace sd::messaging
