#include "messaging/outbox.h"

#include "automation/sqlrun.h"
#include "messaging/smsgateway.h"
#include "security/secretstore.h"
#include "storage/actionledger.h"
#include "storage/jobqueue.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>

namespace sd::messaging {

using automation::nullableId;
using automation::runSql;

namespace {

QMutex s_secretsMutex;
std::shared_ptr<security::SecretStore> s_secrets;

constexpr char kMessageSentEvent[] = "message.sent";

const QString kColumns = u"id, order_id, channel, template_key, language, recipient, subject, body_text, body_html, "
                         "attachments, state, idempotency_key, attempts, last_error, account_id, external_id, "
                         "created_at, sent_at"_qs;

QJsonArray attachmentsJson(const QList<Attachment> &list)
{
    QJsonArray array;
    for (const Attachment &a : list)
        array.append(QJsonObject{{u"path"_qs, a.path}, {u"name"_qs, a.name}, {u"type"_qs, a.mimeType}});
    return array;
}

OutgoingMessage messageFrom(const QSqlQuery &q)
{
    OutgoingMessage m;
    m.id = q.value(0).toLongLong();
    m.orderId = q.value(1).toLongLong();
    m.channel = q.value(2).toString();
    m.templateKey = q.value(3).toString();
    m.language = q.value(4).toString();
    m.recipient = q.value(5).toString();
    m.subject = q.value(6).toString();
    m.text = q.value(7).toString();
    m.html = q.value(8).toString();
    for (const QJsonValue &v : QJsonDocument::fromJson(q.value(9).toString().toUtf8()).array()) {
        const QJsonObject o = v.toObject();
        m.attachments.append({o.value(u"path").toString(), o.value(u"name").toString(), o.value(u"type").toString()});
    }
    m.state = q.value(10).toString();
    m.key = q.value(11).toString();
    m.attempts = q.value(12).toInt();
    m.lastError = q.value(13).toString();
    m.accountId = q.value(14).toLongLong();
    m.externalId = q.value(15).toString();
    m.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(16).toLongLong());
    if (!q.value(17).isNull())
        m.sentAt = QDateTime::fromMSecsSinceEpoch(q.value(17).toLongLong());
    return m;
}

QByteArray messageIdFor(const QString &key, const QString &fromAddress)
{
    const QString domain = fromAddress.section(u'@', 1);
    return QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(32) + '@' +
           (domain.isEmpty() ? QByteArray("sellerdesk.invalid") : domain.toUtf8());
}

} // namespace

Outbox::Outbox(storage::OrderStore &store, std::shared_ptr<security::SecretStore> secrets)
    : m_store(store)
    , m_db(store.sharedDatabase())
    , m_secrets(std::move(secrets))
{}

void Outbox::setDefaultSecrets(std::shared_ptr<security::SecretStore> secrets)
{
    QMutexLocker lock(&s_secretsMutex);
    s_secrets = std::move(secrets);
}

std::shared_ptr<security::SecretStore> Outbox::defaultSecrets()
{
    QMutexLocker lock(&s_secretsMutex);
    return s_secrets;
}

Result<OutgoingMessage> Outbox::prepare(const MessageRequest &request)
{
    if (request.key.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "A message needs an idempotency key."));
    {
        auto q = runSql(*m_db, u"SELECT %1 FROM messages WHERE idempotency_key = ?"_qs.arg(kColumns),
                        "find message by key", {request.key});
        if (!q)
            return q.error();
        if (q->next())
            return messageFrom(*q);
    }
    const bool sms = request.channel == QLatin1StringView(Channel::kSms);
    if (!sms && request.channel != QLatin1StringView(Channel::kEmail))
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::messaging", "Unknown message channel \"%1\".").arg(request.channel));
    OutgoingMessage m;
    m.orderId = request.orderId;
    m.channel = request.channel;
    m.templateKey = MessageTemplates::canonicalKey(request.templateKey);
    m.key = request.key;
    m.attachments = request.attachments;
    m.recipient = request.recipient;
    if (request.orderId) {
        auto order = m_store.load(request.orderId);
        if (!order)
            return order.error();
        if (m.recipient.isEmpty())
            m.recipient = sms ? (order->buyer.phone.isEmpty() ? order->delivery.address.phone : order->buyer.phone)
                              : order->buyer.email;
        auto rendered = MessageTemplates(m_db).render(request.templateKey, *order, request.extra, request.language);
        if (!rendered)
            return rendered.error();
        m.language = rendered->language;
        m.subject = rendered->subject;
        m.text = sms ? rendered->sms : rendered->text;
        m.html = sms ? QString() : rendered->html;
    } else {
        m.subject = request.subject;
        m.text = request.text;
    }
    if (m.recipient.trimmed().isEmpty())
        return makeError(Error::Code::Invalid,
                         sms ? QCoreApplication::translate("sd::messaging", "The buyer has no phone number.")
                             : QCoreApplication::translate("sd::messaging", "The buyer has no e-mail address."));
    if (sms) {
        auto number = SmsGateway::msisdn(m.recipient);
        if (!number)
            return number.error();
        m.recipient = *number;
    }
    if (m.text.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, QCoreApplication::translate(
                                                   "sd::messaging", "The template \"%1\" has no text for this channel.")
                                                   .arg(MessageTemplates::displayName(request.templateKey)));
    m.state = u"queued"_qs;
    m.createdAt = QDateTime::currentDateTimeUtc();
    auto q =
        runSql(*m_db,
               u"INSERT INTO messages (order_id, channel, template_key, language, recipient, subject, body_text, "
               "body_html, attachments, state, idempotency_key, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_qs,
               "insert message",
               {nullableId(m.orderId), m.channel, m.templateKey, m.language, m.recipient, m.subject, m.text, m.html,
                QString::fromUtf8(QJsonDocument(attachmentsJson(m.attachments)).toJson(QJsonDocument::Compact)),
                m.state, m.key, m.createdAt.toMSecsSinceEpoch()});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::Storage,
                         QCoreApplication::translate("sd::messaging", "The message could not be recorded."));
    m.id = q->value(0).toLongLong();
    return m;
}

Result<OutgoingMessage> Outbox::queue(const MessageRequest &request, const QDateTime &dueAt)
{
    storage::Transaction transaction(*m_db, "queue message");
    if (!transaction.started())
        return transaction.started().error();
    auto m = prepare(request);
    if (!m)
        return m.error();
    storage::JobQueue jobs(m_db);
    auto job = jobs.enqueue(QString::fromLatin1(MessageJob::kSend), m->orderId, QJsonObject{{u"message"_qs, m->id}},
                            QLatin1StringView(MessageJob::kSend) + u'/' + m->key, dueAt);
    if (!job)
        return job.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return m;
}

Result<OutgoingMessage> Outbox::message(qint64 id)
{
    auto q = runSql(*m_db, u"SELECT %1 FROM messages WHERE id = ?"_qs.arg(kColumns), "read message", {id});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::messaging", "There is no message %1.").arg(id));
    return messageFrom(*q);
}

Result<QList<OutgoingMessage>> Outbox::list(qint64 orderId, int limit)
{
    auto q =
        orderId ? runSql(*m_db, u"SELECT %1 FROM messages WHERE order_id = ? ORDER BY id DESC LIMIT ?"_qs.arg(kColumns),
                         "list order messages", {orderId, limit})
                : runSql(*m_db, u"SELECT %1 FROM messages ORDER BY id DESC LIMIT ?"_qs.arg(kColumns), "list messages",
                         {limit});
    if (!q)
        return q.error();
    QList<OutgoingMessage> list;
    while (q->next())
        list.append(messageFrom(*q));
    return list;
}

Result<Delivery> Outbox::send(const OutgoingMessage &m, QString *externalId, qint64 *accountId)
{
    if (!m_secrets)
        return Delivery{Delivery::Kind::Failed,
                        QCoreApplication::translate(
                            "sd::messaging",
                            "The secret store is not open, so the password cannot be read; it will be tried again."),
                        true};
    MessagingAccounts accounts(m_db);
    auto failure = [](const Error &e) {
        return Delivery{Delivery::Kind::Failed, e.userMessage, e.code == Error::Code::Io};
    };
    if (m.channel == QLatin1StringView(Channel::kSms)) {
        auto account = accounts.smsAccount();
        if (!account)
            return account.error();
        if (!account->has_value())
            return Delivery{Delivery::Kind::Failed,
                            QCoreApplication::translate("sd::messaging", "No SMS gateway is configured."), false};
        auto token = m_secrets->read((*account)->secretKey);
        if (!token)
            return failure(token.error());
        auto sent = SmsGateway::send(**account, token->value_or(QByteArray()), m.recipient, m.text, m.key);
        if (!sent)
            return failure(sent.error());
        *externalId = sent->id;
        *accountId = (*account)->id;
        return Delivery{
            Delivery::Kind::Sent,
            QCoreApplication::translate("sd::messaging", "SMS sent to %1 (%n part(s)).", nullptr, sent->parts)
                .arg(m.recipient),
            false};
    }
    QString store;
    if (m.orderId)
        if (auto order = m_store.load(m.orderId))
            store = order->account;
    auto account = accounts.mailAccountFor(store);
    if (!account)
        return account.error().code == Error::Code::NotFound
                   ? Delivery{Delivery::Kind::Failed, account.error().userMessage, false}
                   : failure(account.error());
    QByteArray password;
    if (!account->user.isEmpty()) {
        auto secret = m_secrets->read(account->secretKey);
        if (!secret)
            return failure(secret.error());
        password = secret->value_or(QByteArray());
    }
    MailMessage mail;
    mail.from = account->from;
    mail.to = {{m.recipient, {}}};
    mail.subject = m.subject;
    mail.text = m.text;
    mail.html = m.html;
    mail.messageId = messageIdFor(m.key, account->from.address);
    for (const Attachment &a : m.attachments) {
        QFile file(a.path);
        if (!file.open(QIODevice::ReadOnly))
            return Delivery{Delivery::Kind::Failed,
                            QCoreApplication::translate("sd::messaging", "The attachment %1 cannot be read: %2")
                                .arg(a.path, file.errorString()),
                            false};
        mail.attachments.append(
            {a.name.isEmpty() ? QFileInfo(a.path).fileName() : a.name, a.mimeType.toLatin1(), file.readAll()});
    }
    if (auto r = SmtpSender::send(*account, password, mail); !r)
        return failure(r.error());
    *externalId = QString::fromLatin1(mail.messageId);
    *accountId = account->id;
    return Delivery{Delivery::Kind::Sent,
                    QCoreApplication::translate("sd::messaging", "E-mail sent to %1.").arg(m.recipient), false};
}

Result<Delivery> Outbox::deliver(qint64 messageId, bool lastAttempt)
{
    auto m = message(messageId);
    if (!m)
        return m.error();
    if (m->state == u"sent")
        return Delivery{Delivery::Kind::AlreadySent, QCoreApplication::translate("sd::messaging", "Already sent."),
                        false};
    storage::ActionLedger ledger(m_db);
    const QString owner = u"%1:%2"_qs.arg(QHostInfo::localHostName()).arg(QCoreApplication::applicationPid());
    auto claim = ledger.claim(m->key, u"message."_qs + m->channel, m->orderId, owner);
    if (claim && *claim == storage::ActionLedger::Claim::FailedBefore)
        claim = ledger.claimRetry(m->key, owner);
    if (!claim)
        return claim.error();
    auto setState = [&](const QString &state, const QString &error, const QString &externalId, qint64 accountId,
                        bool sent) -> Result<void> {
        auto q = runSql(*m_db,
                        u"UPDATE messages SET state = ?, last_error = ?, attempts = attempts + ?, "
                        "external_id = CASE WHEN ? = '' THEN external_id ELSE ? END, "
                        "account_id = COALESCE(?, account_id), sent_at = ? WHERE id = ?"_qs,
                        "update message state",
                        {state, error, sent || !error.isEmpty() ? 1 : 0, externalId, externalId, nullableId(accountId),
                         sent ? QVariant(QDateTime::currentMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>()),
                         messageId});
        if (!q)
            return q.error();
        return {};
    };
    if (*claim == storage::ActionLedger::Claim::AlreadyDone) {
        if (auto r = setState(u"sent"_qs, {}, {}, 0, false); !r)
            return r.error();
        return Delivery{Delivery::Kind::AlreadySent, QCoreApplication::translate("sd::messaging", "Already sent."),
                        false};
    }
    if (*claim == storage::ActionLedger::Claim::InProgress) {
        // Claimed by a run that never finished: whether it went out is unknown, so it is not sent again.
        const QString why = QCoreApplication::translate(
            "sd::messaging", "An earlier attempt was interrupted; the message may or may not have gone out, so it "
                             "is not sent again. Check and send it by hand if needed.");
        if (auto r = setState(u"failed"_qs, why, {}, 0, false); !r)
            return r.error();
        return Delivery{Delivery::Kind::Failed, why, false};
    }
    // Claimed: until the answer is recorded the message is being sent (a crash leaves it so, and its job's next run
    // finds the claim interrupted and says so on the message).
    if (auto r = setState(u"sending"_qs, {}, {}, 0, false); !r)
        return r.error();
    QString externalId;
    qint64 accountId = 0;
    auto outcome = send(*m, &externalId, &accountId);
    if (!outcome)
        outcome =
            Delivery{Delivery::Kind::Failed, outcome.error().userMessage, outcome.error().code == Error::Code::Io};
    storage::Transaction transaction(*m_db, "record message delivery");
    if (!transaction.started())
        return transaction.started().error();
    if (outcome->kind == Delivery::Kind::Sent) {
        if (auto r = ledger.complete(m->key, {{u"message"_qs, messageId}, {u"externalId"_qs, externalId}}); !r)
            return r.error();
        if (auto r = setState(u"sent"_qs, {}, externalId, accountId, true); !r)
            return r.error();
        if (m->orderId) {
            const QJsonObject payload{{u"message"_qs, messageId},
                                      {u"channel"_qs, m->channel},
                                      {u"template"_qs, m->templateKey},
                                      {u"recipient"_qs, m->recipient},
                                      {u"subject"_qs, m->subject}};
            if (auto r = m_store.recordEvent(kMessageSentEvent, m->orderId, payload, {u"messaging"_qs, {}, 0}); !r)
                return r.error();
        }
    } else {
        if (auto r = ledger.fail(m->key, outcome->message); !r)
            return r.error();
        if (auto r = setState(outcome->retry && !lastAttempt ? u"retrying"_qs : u"failed"_qs, outcome->message, {}, 0,
                              false);
            !r)
            return r.error();
    }
    if (auto r = transaction.commit(); !r)
        return r.error();
    return *outcome;
}

Result<void> Outbox::sendTestMail(qint64 accountId, const QString &to)
{
    auto account = MessagingAccounts(m_db).mailAccount(accountId);
    if (!account)
        return account.error();
    QByteArray password;
    if (!account->user.isEmpty()) {
        if (!m_secrets)
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate(
                                 "sd::messaging", "The secret store is not open, so the password cannot be read."));
        auto secret = m_secrets->read(account->secretKey);
        if (!secret)
            return secret.error();
        password = secret->value_or(QByteArray());
    }
    MailMessage mail;
    mail.from = account->from;
    mail.to = {{to, {}}};
    mail.subject = QCoreApplication::translate("sd::messaging", "SellerDesk test message");
    mail.text = QCoreApplication::translate("sd::messaging",
                                            "This is a test message from SellerDesk. The mail account \"%1\" works.")
                    .arg(account->name);
    return SmtpSender::send(*account, password, mail);
}

} // namespace sd::messaging
