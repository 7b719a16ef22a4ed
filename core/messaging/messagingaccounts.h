#pragma once

#include "messaging/smtpsender.h"
#include "storage/database.h"

#include <QUrl>

#include <memory>
#include <optional>

namespace sd::security {
class SecretStore;
}

namespace sd::messaging {

struct SmsAccount
{
    qint64 id = 0;
    QString name;
    QUrl baseUrl;   // https://api.smsapi.pl (or a local gateway in tests)
    QString sender; // a registered sender name; empty: the gateway's default
    QString secretKey;
};

// The mail and SMS accounts of a profile (schema 16) and the messaging settings. Several mail accounts: one may be
// tied to a marketplace account (that store's mail goes out through it), the first untied one is the default.
// Passwords and tokens go to the SecretStore; the database keeps only their key.
class MessagingAccounts
{
public:
    explicit MessagingAccounts(std::shared_ptr<storage::Database> db);

    // Saves the account (new when id is 0) and, when a password is given, writes it to the secret store first.
    Result<qint64> saveMail(MailAccount account, const std::optional<QByteArray> &password,
                            security::SecretStore *secrets);
    Result<QList<MailAccount>> mailAccounts();
    Result<MailAccount> mailAccount(qint64 id);
    // The account for a store (its marketplace account key), else the default one; NotFound when there is none.
    Result<MailAccount> mailAccountFor(const QString &marketplaceAccount);
    Result<void> removeMail(qint64 id, security::SecretStore *secrets);

    Result<qint64> saveSms(SmsAccount account, const std::optional<QByteArray> &token, security::SecretStore *secrets);
    Result<std::optional<SmsAccount>> smsAccount(); // the first one: SMS go through one gateway

    // Free-form settings ("notify.sms" = "1", shop data for templates, ...).
    Result<QString> setting(const QString &name, const QString &fallback = {});
    Result<void> setSetting(const QString &name, const QString &value);

    // Jobs that waited for an account ("No mail account is configured yet") may run once one exists.
    Result<int> releaseWaitingNotifications();
    // Why a new notification must wait, or empty when a mail or SMS account exists.
    static QString notificationWaitingReason(storage::Database &db);

private:
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::messaging
