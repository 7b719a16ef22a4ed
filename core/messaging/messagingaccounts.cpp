#include "messaging/messagingaccounts.h"

#include "access/session.h"
#include "automation/sqlrun.h"
#include "security/secretstore.h"
#include "storage/jobqueue.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QUuid>

namespace sd::messaging {

using automation::runSql;

namespace {

const QString kMailColumns = u"id, name, host, port, security, username, from_address, from_name, timeout_seconds, "
                             "ca_file, marketplace_account, secret_key"_qs;

MailAccount mailFrom(const QSqlQuery &q)
{
    MailAccount a;
    a.id = q.value(0).toLongLong();
    a.name = q.value(1).toString();
    a.host = q.value(2).toString();
    a.port = q.value(3).toInt();
    a.security = MailAccount::securityFromKey(q.value(4).toString()).value_or(MailAccount::Security::StartTls);
    a.user = q.value(5).toString();
    a.from = {q.value(6).toString(), q.value(7).toString()};
    a.timeoutSeconds = q.value(8).toInt();
    a.caFile = q.value(9).toString();
    a.marketplaceAccount = q.value(10).toString();
    a.secretKey = q.value(11).toString();
    return a;
}

Result<void> checkMail(const MailAccount &a)
{
    if (a.host.trimmed().isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "Enter the mail server's host name."));
    if (a.port < 1 || a.port > 65535)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "The port must be a number from 1 to 65535."));
    const QString from = a.from.address.trimmed();
    if (from.isEmpty() || !from.contains(u'@') || from.contains(u' '))
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging",
                                                     "Enter the sender's e-mail address, such as shop@example.pl."));
    if (a.timeoutSeconds < 1 || a.timeoutSeconds > 300)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "The timeout must be from 1 to 300 seconds."));
    return {};
}

} // namespace

MessagingAccounts::MessagingAccounts(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

Result<qint64> MessagingAccounts::saveMail(MailAccount a, const std::optional<QByteArray> &password,
                                           security::SecretStore *secrets)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r.error();
    if (auto r = checkMail(a); !r)
        return r.error();
    if (a.name.trimmed().isEmpty())
        a.name = a.from.address;
    if (a.secretKey.isEmpty())
        a.secretKey = u"mail/"_qs + QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (password) {
        if (!secrets)
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::messaging",
                                                         "The password needs the secret store, which is not open."));
        if (auto r = secrets->write(a.secretKey, *password); !r)
            return r.error();
    }
    storage::Transaction transaction(*m_db, "save mail account");
    if (!transaction.started())
        return transaction.started().error();
    qint64 id = a.id;
    if (id == 0) {
        auto q = runSql(*m_db,
                        u"INSERT INTO mail_accounts (name, host, port, security, username, from_address, from_name, "
                        "timeout_seconds, ca_file, marketplace_account, secret_key, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_qs,
                        "insert mail account",
                        {a.name, a.host.trimmed(), a.port, MailAccount::securityKey(a.security), a.user,
                         a.from.address.trimmed(), a.from.name, a.timeoutSeconds, a.caFile, a.marketplaceAccount,
                         a.secretKey, QDateTime::currentMSecsSinceEpoch()});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(Error::Code::Storage,
                             QCoreApplication::translate("sd::messaging", "The mail account could not be saved."));
        id = q->value(0).toLongLong();
    } else {
        auto q = runSql(*m_db,
                        u"UPDATE mail_accounts SET name = ?, host = ?, port = ?, security = ?, username = ?, "
                        "from_address = ?, from_name = ?, timeout_seconds = ?, ca_file = ?, marketplace_account = ?, "
                        "secret_key = ? WHERE id = ?"_qs,
                        "update mail account",
                        {a.name, a.host.trimmed(), a.port, MailAccount::securityKey(a.security), a.user,
                         a.from.address.trimmed(), a.from.name, a.timeoutSeconds, a.caFile, a.marketplaceAccount,
                         a.secretKey, id});
        if (!q)
            return q.error();
        if (q->numRowsAffected() == 0)
            return makeError(Error::Code::NotFound,
                             QCoreApplication::translate("sd::messaging", "There is no mail account %1.").arg(id));
    }
    if (auto r = releaseWaitingNotifications(); !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return id;
}

Result<QList<MailAccount>> MessagingAccounts::mailAccounts()
{
    auto q = runSql(*m_db, u"SELECT %1 FROM mail_accounts ORDER BY id"_qs.arg(kMailColumns), "list mail accounts");
    if (!q)
        return q.error();
    QList<MailAccount> list;
    while (q->next())
        list.append(mailFrom(*q));
    return list;
}

Result<MailAccount> MessagingAccounts::mailAccount(qint64 id)
{
    auto q =
        runSql(*m_db, u"SELECT %1 FROM mail_accounts WHERE id = ?"_qs.arg(kMailColumns), "read mail account", {id});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::messaging", "There is no mail account %1.").arg(id));
    return mailFrom(*q);
}

Result<MailAccount> MessagingAccounts::mailAccountFor(const QString &marketplaceAccount)
{
    auto list = mailAccounts();
    if (!list)
        return list.error();
    const MailAccount *fallback = nullptr;
    for (const MailAccount &a : std::as_const(*list)) {
        if (!marketplaceAccount.isEmpty() && a.marketplaceAccount == marketplaceAccount)
            return a;
        if (!fallback && a.marketplaceAccount.isEmpty())
            fallback = &a;
    }
    if (!fallback && !list->isEmpty())
        fallback = &list->constFirst();
    if (!fallback)
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::messaging", "No mail account is configured yet."));
    return *fallback;
}

Result<void> MessagingAccounts::removeMail(qint64 id, security::SecretStore *secrets)
{
    auto account = mailAccount(id);
    if (!account)
        return account.error();
    if (secrets)
        if (auto r = secrets->remove(account->secretKey); !r)
            return r.error();
    auto q = runSql(*m_db, u"DELETE FROM mail_accounts WHERE id = ?"_qs, "remove mail account", {id});
    if (!q)
        return q.error();
    return {};
}

Result<qint64> MessagingAccounts::saveSms(SmsAccount a, const std::optional<QByteArray> &token,
                                          security::SecretStore *secrets)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r.error();
    if (!a.baseUrl.isValid() || !(a.baseUrl.scheme() == u"https" || a.baseUrl.scheme() == u"http"))
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate(
                             "sd::messaging", "Enter the SMS gateway's address, such as https://api.smsapi.pl."));
    if (a.secretKey.isEmpty())
        a.secretKey = u"sms/"_qs + QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (a.name.isEmpty())
        a.name = a.baseUrl.host();
    if (token) {
        if (!secrets)
            return makeError(
                Error::Code::Invalid,
                QCoreApplication::translate("sd::messaging", "The token needs the secret store, which is not open."));
        if (auto r = secrets->write(a.secretKey, *token); !r)
            return r.error();
    }
    storage::Transaction transaction(*m_db, "save sms account");
    if (!transaction.started())
        return transaction.started().error();
    qint64 id = a.id;
    if (id == 0) {
        auto q = runSql(*m_db,
                        u"INSERT INTO sms_accounts (name, base_url, sender, secret_key, created_at) "
                        "VALUES (?, ?, ?, ?, ?) RETURNING id"_qs,
                        "insert sms account",
                        {a.name, a.baseUrl.toString(), a.sender, a.secretKey, QDateTime::currentMSecsSinceEpoch()});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(Error::Code::Storage,
                             QCoreApplication::translate("sd::messaging", "The SMS account could not be saved."));
        id = q->value(0).toLongLong();
    } else {
        auto q =
            runSql(*m_db, u"UPDATE sms_accounts SET name = ?, base_url = ?, sender = ?, secret_key = ? WHERE id = ?"_qs,
                   "update sms account", {a.name, a.baseUrl.toString(), a.sender, a.secretKey, id});
        if (!q)
            return q.error();
    }
    if (auto r = releaseWaitingNotifications(); !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return id;
}

Result<std::optional<SmsAccount>> MessagingAccounts::smsAccount()
{
    auto q = runSql(*m_db, u"SELECT id, name, base_url, sender, secret_key FROM sms_accounts ORDER BY id LIMIT 1"_qs,
                    "read sms account");
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<SmsAccount>();
    SmsAccount a;
    a.id = q->value(0).toLongLong();
    a.name = q->value(1).toString();
    a.baseUrl = QUrl(q->value(2).toString());
    a.sender = q->value(3).toString();
    a.secretKey = q->value(4).toString();
    return std::optional<SmsAccount>(a);
}

Result<QString> MessagingAccounts::setting(const QString &name, const QString &fallback)
{
    auto q = runSql(*m_db, u"SELECT value FROM messaging_settings WHERE name = ?"_qs, "read messaging setting", {name});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toString() : fallback;
}

Result<void> MessagingAccounts::setSetting(const QString &name, const QString &value)
{
    auto q = runSql(*m_db,
                    u"INSERT INTO messaging_settings (name, value) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value"_qs,
                    "write messaging setting", {name, value});
    if (!q)
        return q.error();
    return {};
}

Result<int> MessagingAccounts::releaseWaitingNotifications()
{
    auto q = runSql(
        *m_db,
        u"UPDATE jobs SET state = 'pending', last_error = '', due_at = ? WHERE kind = ? AND state = 'waiting'"_qs,
        "release waiting notifications",
        {QDateTime::currentMSecsSinceEpoch(), QString::fromLatin1(storage::JobKind::kNotifyStatus)});
    if (!q)
        return q.error();
    return q->numRowsAffected();
}

QString MessagingAccounts::notificationWaitingReason(storage::Database &db)
{
    auto q = runSql(db, u"SELECT (SELECT COUNT(*) FROM mail_accounts) + (SELECT COUNT(*) FROM sms_accounts)"_qs,
                    "count messaging accounts");
    if (q && q->next() && q->value(0).toLongLong() > 0)
        return {};
    return QCoreApplication::translate("sd::storage", "No mail account is configured yet");
}

} // namespace sd::messaging
