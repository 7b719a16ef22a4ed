#pragma once

#include "messaging/autoresponder.h"
#include "storage/orderstore.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>

namespace sd::marketplace::allegro {
class AllegroClient;
class SellerActions;
struct ClientOptions;
} // namespace sd::marketplace::allegro

namespace sd::marketplace {
struct MarketplaceAccount;
}

namespace sd::security {
class SecretStore;
}

namespace sd::messaging {

namespace MessageEvent {
inline constexpr char kReceived[] = "message.received"; // payload: account, type, thread, message, text, first
} // namespace MessageEvent

// One message of a marketplace thread as stored (marketplace_messages): the buyer's and the seller's alike.
struct ThreadMessage
{
    qint64 id = 0;
    qint64 accountId = 0;
    QString messageId;
    QString threadId;
    qint64 orderId = 0; // 0: the thread names no order of this profile
    QString type;       // "messageCenter" or "discussion"
    QString author;     // the login
    bool fromBuyer = false;
    bool firstInThread = false; // the buyer's first message in the thread
    bool announced = false;     // false: history read on the account's first pass (no event, no answer)
    QString text;
    QDateTime at;

    IncomingMessage incoming() const;
};

// The Allegro Message Center reader: reads the threads of a connected account, stores the messages it has not seen,
// links them to the order the message names and records a `message.received` order event (through OrderStore, so
// rules fire) for each new buyer message; then answers due buyer messages under the autoresponder settings (B6)
// through SellerActions (POST /messaging/threads/{id}/messages), each once (the ledger). The account's first pass
// only records the history: nothing old is announced or answered.
class MessageCenter
{
public:
    explicit MessageCenter(storage::OrderStore &store);

    // New messages of one account (threads whose last message changed since the last pass). Returns how many new
    // buyer messages were announced.
    Result<int> read(marketplace::allegro::AllegroClient &client);
    // Answers the account's buyer messages due by `now` under the saved autoresponder settings.
    Result<int> answer(marketplace::allegro::SellerActions &actions, qint64 accountId, const QDateTime &now);
    // read() and answer() for every connected Allegro account (the background services' pass).
    static Result<int> pass(storage::OrderStore &store, std::shared_ptr<security::SecretStore> secrets,
                            const marketplace::allegro::ClientOptions &options, const QDateTime &now);

    Result<QList<ThreadMessage>> forOrder(qint64 orderId);
    Result<QList<ThreadMessage>> recent(int limit = 200);
    // The newest announced buyer message of an order (what the rule action "autoresponder" answers).
    Result<std::optional<ThreadMessage>> lastFromBuyer(qint64 orderId);
    // The rule action "autoresponder": answers the order's newest buyer message with `text` when `hours` (always,
    // working, outside: the saved working hours) and first-only allow, under the same ledger keys as the settings'
    // answers, so a thread or message is never answered twice. Returns whether a reply was sent now.
    Result<bool> answerForRule(marketplace::allegro::SellerActions &actions, qint64 orderId, const QString &text,
                               const QString &hours, bool firstOnly, const QDateTime &now);

private:
    // One message as read from a thread or a discussion's chat.
    struct Fetched
    {
        QString messageId;
        QString threadId; // the thread's, or the discussion's (issue) id
        QString type;     // messageCenter, discussion
        QString author;
        bool fromBuyer = false;
        QString formId; // the checkout form it is about
        QString text;
        qint64 at = 0;
    };
    // Stores a message not seen before and, for a new buyer message of a known order outside the history pass,
    // records `message.received`. Returns whether it was announced.
    Result<bool> store(const marketplace::MarketplaceAccount &account, const Fetched &message, bool history);
    // The discussions (/sale/issues) whose chat moved since the marks in `seen`; their first pass reads history.
    Result<int> readDiscussions(marketplace::allegro::AllegroClient &client, const QHash<QString, qint64> &seen);
    Result<QList<ThreadMessage>> select(const QString &where, const QVariantList &values, int limit);

    storage::OrderStore &m_store;
};

} // namespace sd::messaging
