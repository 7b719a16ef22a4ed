#pragma once

#include "messaging/messagetemplates.h"
#include "storage/orderstore.h"

#include <QDateTime>
#include <QJsonObject>

#include <memory>

namespace sd::security {
class SecretStore;
}

namespace sd::messaging {

namespace Channel {
inline constexpr char kEmail[] = "email";
inline constexpr char kSms[] = "sms";
} // namespace Channel

namespace MessageJob {
inline constexpr char kSend[] = "message.send"; // payload {"message": id}
} // namespace MessageJob

struct Attachment
{
    QString path; // read when the message is sent
    QString name; // as the buyer sees it
    QString mimeType = QStringLiteral("application/pdf");
};

// One message to a buyer or the seller, as it was (or will be) sent: its content is kept, so the order's history
// shows exactly what went out.
struct OutgoingMessage
{
    qint64 id = 0;
    qint64 orderId = 0;
    QString channel;
    QString templateKey;
    QString language;
    QString recipient;
    QString subject;
    QString text;
    QString html;
    QList<Attachment> attachments;
    // queued (recorded, not tried yet), sending (claimed: a crash leaves it so until its job runs again and finds
    // the attempt interrupted), retrying (failed for a reason worth another try; last_error says why), failed (for
    // good, or its job's tries are used up; last_error says why), sent. It follows the job that sends it.
    QString state;
    QString key; // the idempotency key (also the ledger's)
    int attempts = 0;
    QString lastError;
    qint64 accountId = 0;
    QString externalId; // the SMS gateway's id, the e-mail's Message-ID
    QDateTime createdAt;
    QDateTime sentAt;
};

struct MessageRequest
{
    qint64 orderId = 0;
    QString channel = QString::fromLatin1(Channel::kEmail);
    QString templateKey;
    QString key;       // what caused it: "rule:3@v1/action:0/order:7/event:12", "notify.status/order:7/event:9", ...
    QString recipient; // empty: the buyer's e-mail or phone
    QString language;  // empty: by the buyer's country
    QHash<QString, QString> extra;
    QList<Attachment> attachments;
    // Without an order (seller notifications): the text as given.
    QString subject;
    QString text;
};

struct Delivery
{
    enum class Kind { Sent, AlreadySent, Failed };
    Kind kind = Kind::Sent;
    QString message; // translated
    bool retry = false;
};

// Messages: recorded (rendered content, recipient, state) and sent through the action ledger under their key, so a
// retry, a restart or a second workstation never sends one twice. queue() records the message and its
// "message.send" job in one transaction; the scheduler's job handler (messagingexecutors.h) sends it and retries
// failures with backoff.
class Outbox
{
public:
    explicit Outbox(storage::OrderStore &store, std::shared_ptr<security::SecretStore> secrets = defaultSecrets());

    // Where the running program keeps passwords and tokens (set once at start by the window, the headless runner
    // or the CLI); jobs find it here.
    static void setDefaultSecrets(std::shared_ptr<security::SecretStore> secrets);
    static std::shared_ptr<security::SecretStore> defaultSecrets();

    // Renders and records the message; the same key returns the message recorded before (nothing new).
    Result<OutgoingMessage> prepare(const MessageRequest &request);
    // prepare() plus a job that sends it, in one transaction.
    Result<OutgoingMessage> queue(const MessageRequest &request, const QDateTime &dueAt = {});
    // Sends a recorded message now, under the ledger. `lastAttempt`: the job sending it will not try again, so a
    // failure worth a retry leaves the message "failed" (like its job) instead of "retrying".
    Result<Delivery> deliver(qint64 messageId, bool lastAttempt = false);

    Result<OutgoingMessage> message(qint64 id);
    Result<QList<OutgoingMessage>> list(qint64 orderId = 0, int limit = 200);

    // A test message through a mail account (the settings' "Send test e-mail").
    Result<void> sendTestMail(qint64 accountId, const QString &to);

private:
    Result<Delivery> send(const OutgoingMessage &message, QString *externalId, qint64 *accountId);

    storage::OrderStore &m_store;
    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
};

} // namespace sd::messaging
