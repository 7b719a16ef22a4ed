#pragma once

#include "messaging/outbox.h"

namespace sd::messaging {

// A7: the buyer confirms an order by a link or a reply, or the operator confirms it by hand (after a phone call).
// The state is kept per order (order_confirmations, schema 16); every step is an order event, and each request is
// a message of its own ("send again" is a new one, never a repeat of the last).
class OrderConfirmations
{
public:
    enum class State { None, Requested, Confirmed };
    enum class By { Link, Reply, Operator };

    struct Status
    {
        State state = State::None;
        int requests = 0;
        QString token;
        QString confirmedBy; // "buyer:link", "buyer:reply", "user:anna"
        QDateTime requestedAt;
        QDateTime confirmedAt;
    };

    explicit OrderConfirmations(storage::OrderStore &store);

    // Sends the confirmation request (first or again); returns the queued message.
    Result<OutgoingMessage> request(qint64 orderId, const QString &actor);
    Result<void> confirm(qint64 orderId, By by, const QString &actor);
    // The link's token: confirms its order; returns the order id.
    Result<qint64> confirmByToken(const QString &token);
    Result<Status> status(qint64 orderId);
    // The address the buyer opens: the setting "confirmation.url" (or the shop's address + "/confirm") + "?token=".
    Result<QString> linkFor(const QString &token);

    static QString stateKey(State state);

private:
    storage::OrderStore &m_store;
    std::shared_ptr<storage::Database> m_db;
};

// E1: after an automatic download (the headless node's, the window's connector), one e-mail per store with the
// number of new orders, to the seller's address (setting "seller.email", else the shop's), only when the setting
// "notify.downloaded" and the stock settings' automatic order download are on. Returns how many were queued. `runKey`
// names the download (its cursor or time), so a repeat queues nothing.
Result<int> notifyOrdersDownloaded(storage::OrderStore &store, const QList<QPair<QString, int>> &newOrdersPerStore,
                                   const QString &runKey);

// E3: an operator alert per order whose payment or dispatch deadline has passed (and, with "notify.deadlines" on,
// an e-mail to the seller); each order and deadline only once. Returns how many alerts were raised.
Result<int> alertPassedDeadlines(storage::OrderStore &store, const QDateTime &now, int paymentDays, int dispatchDays);

} // namespace sd::messaging
