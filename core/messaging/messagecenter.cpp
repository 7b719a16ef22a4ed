#include "messaging/messagecenter.h"

#include "automation/sqlrun.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/selleractions.h"
#include "messaging/messagingaccounts.h"
#include "storage/actionledger.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>
#include <QSqlQuery>

namespace sd::messaging {

namespace {

using automation::runSql;

constexpr int kThreadPage = 20;
constexpr int kMaxThreadPages = 10;            // a pass looks at the 200 most recently active threads at most
constexpr qint64 kAnswerWindowMs = 86400000LL; // buyer messages older than a day are not answered automatically
const QString kType = u"messageCenter"_qs;
const QString kDiscussionType = u"discussion"_qs;
const QString kIssueMark = u"issue:"_qs; // a discussion's mark among the threads' (marketplace_threads)
constexpr int kIssuePage = 100;          // a pass looks at the 100 most recently opened discussions

const QString kColumns = u"SELECT id, account_id, message_id, thread_id, order_id, type, author, from_buyer, "
                         "first_in_thread, announced, body, created_at FROM marketplace_messages "_qs;

qint64 msOf(const QJsonValue &value)
{
    const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

ThreadMessage fromRow(const QSqlQuery &q)
{
    ThreadMessage m;
    m.id = q.value(0).toLongLong();
    m.accountId = q.value(1).toLongLong();
    m.messageId = q.value(2).toString();
    m.threadId = q.value(3).toString();
    m.orderId = q.value(4).toLongLong();
    m.type = q.value(5).toString();
    m.author = q.value(6).toString();
    m.fromBuyer = q.value(7).toInt() != 0;
    m.firstInThread = q.value(8).toInt() != 0;
    m.announced = q.value(9).toInt() != 0;
    m.text = q.value(10).toString();
    m.at = QDateTime::fromMSecsSinceEpoch(q.value(11).toLongLong());
    return m;
}

// Whether the pass kept under `key` has not run yet for the account (kept in the settings, even when it found
// nothing): a first pass reads the history only, nothing old is announced or answered.
Result<bool> firstPass(MessagingAccounts &settings, const QString &key)
{
    auto started = settings.setting(key);
    if (!started)
        return started.error();
    return started->isEmpty();
}

// The answer goes into the thread under its own ledger entry below the autoresponder's claim.
Autoresponder::Reply replyThrough(marketplace::allegro::SellerActions &actions)
{
    return [&actions](const QString &key, const IncomingMessage &message, const QString &text) -> Result<void> {
        auto posted = message.type == IncomingMessage::Type::Discussion
                          ? actions.replyToIssue(key + u"/post"_qs, message.threadId, text)
                          : actions.replyToThread(key + u"/post"_qs, message.threadId, text);
        if (!posted)
            return posted.error();
        return {};
    };
}

} // namespace

IncomingMessage ThreadMessage::incoming() const
{
    IncomingMessage m;
    m.account = QString::number(accountId);
    m.type = type == kType ? IncomingMessage::Type::MessageCenter : IncomingMessage::Type::Discussion;
    m.threadId = threadId;
    m.messageId = messageId;
    m.at = at;
    m.firstInThread = firstInThread;
    return m;
}

MessageCenter::MessageCenter(storage::OrderStore &store)
    : m_store(store)
{}

Result<int> MessageCenter::read(marketplace::allegro::AllegroClient &client)
{
    storage::Database &db = m_store.database();
    const marketplace::MarketplaceAccount &account = client.account();
    MessagingAccounts settings(m_store.sharedDatabase());
    const QString startedKey = u"messagecenter.started.%1"_qs.arg(account.id);
    auto history = firstPass(settings, startedKey);
    if (!history)
        return history.error();

    // Threads whose last message is newer than what the previous pass stored (newest first: stop at the first page
    // with nothing new).
    QHash<QString, qint64> seen;
    {
        auto q = runSql(db, u"SELECT thread_id, last_message_at FROM marketplace_threads WHERE account_id = ?"_qs,
                        "thread marks", {account.id});
        if (!q)
            return q.error();
        while (q->next())
            seen.insert(q->value(0).toString(), q->value(1).toLongLong());
    }
    QJsonArray changed;
    for (int page = 0; page < kMaxThreadPages; ++page) {
        auto threads = client.messageThreads(page * kThreadPage, kThreadPage);
        if (!threads)
            return threads.error();
        int fresh = 0;
        for (const QJsonValue &value : *threads) {
            const QJsonObject thread = value.toObject();
            const auto mark = seen.constFind(thread.value(u"id").toString());
            if (mark == seen.cend() || *mark < msOf(thread.value(u"lastMessageDateTime"))) {
                changed.append(thread);
                ++fresh;
            }
        }
        if (threads->size() < kThreadPage || fresh == 0)
            break;
    }

    int announced = 0;
    marketplace::allegro::AllegroRecords records(m_store.sharedDatabase());
    for (const QJsonValue &value : std::as_const(changed)) {
        const QJsonObject thread = value.toObject();
        const QString threadId = thread.value(u"id").toString();
        auto messages = client.threadMessages(threadId, 20);
        if (!messages)
            return messages.error();
        // Oldest first, so "first in thread" and the events follow the conversation.
        QList<QJsonObject> ordered;
        for (const QJsonValue &m : *messages)
            ordered.prepend(m.toObject());
        for (const QJsonObject &m : std::as_const(ordered)) {
            Fetched fetched;
            fetched.messageId = m.value(u"id").toString();
            fetched.threadId = threadId;
            fetched.type = kType;
            fetched.author = m.value(u"author").toObject().value(u"login").toString();
            fetched.fromBuyer = m.value(u"author").toObject().value(u"isInterlocutor").toBool();
            fetched.formId = m.value(u"relatesTo").toObject().value(u"order").toObject().value(u"id").toString();
            fetched.text = m.value(u"text").toString();
            fetched.at = msOf(m.value(u"createdAt"));
            auto stored = store(account, fetched, *history);
            if (!stored)
                return stored.error();
            announced += *stored ? 1 : 0;
        }
    }
    if (auto r = records.storeThreads(account.id, changed); !r)
        return r.error();
    if (*history)
        if (auto r = settings.setSetting(startedKey, u"1"_qs); !r)
            return r.error();
    // Discussions go alongside; a failure there (an account without the disputes scope, Allegro's beta API away)
    // leaves the Message Center's messages read.
    auto discussions = readDiscussions(client, seen);
    if (!discussions)
        qCWarning(lcAllegro).noquote() << "discussions of" << account.name << ":" << discussions.error().text();
    else
        announced += *discussions;
    return announced;
}

Result<int> MessageCenter::readDiscussions(marketplace::allegro::AllegroClient &client,
                                           const QHash<QString, qint64> &seen)
{
    const marketplace::MarketplaceAccount &account = client.account();
    MessagingAccounts settings(m_store.sharedDatabase());
    const QString startedKey = u"discussions.started.%1"_qs.arg(account.id);
    auto history = firstPass(settings, startedKey);
    if (!history)
        return history.error();
    auto issues = client.postPurchaseIssues(0, kIssuePage);
    if (!issues)
        return issues.error();
    int announced = 0;
    QJsonArray marks;
    for (const QJsonValue &value : std::as_const(*issues)) {
        const QJsonObject issue = value.toObject();
        const QString issueId = issue.value(u"id").toString();
        const QJsonValue last = issue.value(u"chat").toObject().value(u"lastMessage").toObject().value(u"createdAt");
        const QString markId = kIssueMark + issueId;
        const auto mark = seen.constFind(markId);
        if (mark != seen.cend() && *mark >= msOf(last))
            continue;
        auto chat = client.issueChat(issueId, kIssuePage);
        if (!chat)
            return chat.error();
        QList<QJsonObject> ordered;
        for (const QJsonValue &m : *chat)
            ordered.prepend(m.toObject());
        for (const QJsonObject &m : std::as_const(ordered)) {
            const QJsonObject author = m.value(u"author").toObject();
            Fetched fetched;
            fetched.messageId = m.value(u"id").toString();
            fetched.threadId = issueId;
            fetched.type = kDiscussionType;
            fetched.author = author.value(u"login").toString(author.value(u"role").toString());
            fetched.fromBuyer = author.value(u"role").toString() == u"BUYER";
            fetched.formId = issue.value(u"checkoutForm").toObject().value(u"id").toString();
            fetched.text = m.value(u"text").toString();
            fetched.at = msOf(m.value(u"createdAt"));
            auto stored = store(account, fetched, *history);
            if (!stored)
                return stored.error();
            announced += *stored ? 1 : 0;
        }
        marks.append(QJsonObject{{u"id"_qs, markId},
                                 {u"lastMessageDateTime"_qs, last},
                                 {u"read"_qs, true},
                                 {u"interlocutor"_qs, issue.value(u"buyer")}});
    }
    if (auto r = marketplace::allegro::AllegroRecords(m_store.sharedDatabase()).storeThreads(account.id, marks); !r)
        return r.error();
    if (*history)
        if (auto r = settings.setSetting(startedKey, u"1"_qs); !r)
            return r.error();
    return announced;
}

Result<bool> MessageCenter::store(const marketplace::MarketplaceAccount &account, const Fetched &m, bool history)
{
    storage::Database &db = m_store.database();
    auto exists = runSql(db, u"SELECT 1 FROM marketplace_messages WHERE account_id = ? AND message_id = ?"_qs,
                         "find message", {account.id, m.messageId});
    if (!exists)
        return exists.error();
    if (exists->next())
        return false;
    bool first = false;
    if (m.fromBuyer) {
        auto earlier = runSql(db,
                              u"SELECT 1 FROM marketplace_messages WHERE account_id = ? AND thread_id = ? "
                              "AND from_buyer = 1"_qs,
                              "earlier buyer message", {account.id, m.threadId});
        if (!earlier)
            return earlier.error();
        first = !earlier->next();
    }
    // The message names the order (checkout form) it is about; an order of another profile stays unlinked.
    qint64 orderId = 0;
    if (!m.formId.isEmpty()) {
        auto order = runSql(db, u"SELECT id FROM orders WHERE account = ? AND external_id = ?"_qs, "message order",
                            {account.orderAccountKey(), m.formId});
        if (!order)
            return order.error();
        if (order->next())
            orderId = order->value(0).toLongLong();
    }
    const bool announce = m.fromBuyer && !history;
    storage::Transaction tx(db, "store message");
    if (!tx.started())
        return tx.started().error();
    auto stored = runSql(
        db,
        u"INSERT INTO marketplace_messages (account_id, message_id, thread_id, order_id, type, author, "
        "from_buyer, first_in_thread, announced, body, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?)"_qs,
        "store message",
        {account.id, m.messageId, m.threadId, automation::nullableId(orderId), m.type, m.author, m.fromBuyer ? 1 : 0,
         first ? 1 : 0, announce ? 1 : 0, m.text, m.at, QDateTime::currentMSecsSinceEpoch()});
    if (!stored)
        return stored.error();
    if (announce && orderId) {
        const QJsonObject payload{{u"account"_qs, account.orderAccountKey()},
                                  {u"accountName"_qs, account.name},
                                  {u"type"_qs, m.type},
                                  {u"thread"_qs, m.threadId},
                                  {u"message"_qs, m.messageId},
                                  {u"first"_qs, first},
                                  {u"text"_qs, m.text.left(500)}};
        auto event = m_store.recordEvent(
            MessageEvent::kReceived, orderId, payload,
            {u"marketplace:allegro"_qs, m.type == kType ? u"Message Center"_qs : u"Discussions"_qs, 0});
        if (!event)
            return event.error();
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return announce;
}

Result<int> MessageCenter::answer(marketplace::allegro::SellerActions &actions, qint64 accountId, const QDateTime &now)
{
    auto settings = Autoresponder::load(m_store.database());
    if (!settings)
        return settings.error();
    if (!settings->enabled)
        return 0;
    auto pending = select(u"WHERE account_id = ? AND from_buyer = 1 AND announced = 1 AND created_at >= ?"_qs,
                          {accountId, now.toMSecsSinceEpoch() - kAnswerWindowMs}, 1000);
    if (!pending)
        return pending.error();
    QList<IncomingMessage> incoming;
    for (const ThreadMessage &m : std::as_const(*pending))
        incoming.append(m.incoming());
    auto shopName = MessagingAccounts(m_store.sharedDatabase()).setting(u"shop.name"_qs);
    Autoresponder::Settings s = *settings;
    s.text.replace(u"{shopName}"_qs, shopName ? *shopName : QString());
    Autoresponder responder(m_store.sharedDatabase(), s);
    return responder.process(incoming, now, replyThrough(actions));
}

Result<int> MessageCenter::pass(storage::OrderStore &store, std::shared_ptr<security::SecretStore> secrets,
                                const marketplace::allegro::ClientOptions &options, const QDateTime &now)
{
    marketplace::AccountStore accounts(store.sharedDatabase());
    auto list = accounts.list();
    if (!list)
        return list.error();
    int announced = 0;
    for (const marketplace::MarketplaceAccount &account : std::as_const(*list)) {
        if (!account.connected || !account.marketplace.startsWith(u"allegro"))
            continue;
        marketplace::allegro::AllegroClient client(account, store.sharedDatabase(), secrets, options);
        MessageCenter center(store);
        auto read = center.read(client);
        if (!read) {
            qCWarning(lcAllegro).noquote() << "Message Center of" << account.name << ":" << read.error().text();
            continue;
        }
        announced += *read;
        storage::ActionLedger ledger(store.sharedDatabase());
        marketplace::allegro::AllegroRecords records(store.sharedDatabase());
        marketplace::allegro::SellerActions actions(client, store, ledger, records, u"autoresponder"_qs);
        if (auto answered = center.answer(actions, account.id, now); !answered)
            qCWarning(lcAllegro).noquote() << "autoresponder of" << account.name << ":" << answered.error().text();
    }
    return announced;
}

Result<QList<ThreadMessage>> MessageCenter::select(const QString &where, const QVariantList &values, int limit)
{
    auto query = storage::prepare(
        m_store.database().connection(),
        kColumns + where + u" ORDER BY created_at DESC, id DESC LIMIT "_qs + QString::number(limit), "list messages");
    if (!query)
        return query.error();
    for (const QVariant &v : values)
        query->addBindValue(v);
    if (auto r = storage::exec(*query, "list messages"); !r)
        return r.error();
    QList<ThreadMessage> out;
    while (query->next())
        out.append(fromRow(*query));
    return out;
}

Result<QList<ThreadMessage>> MessageCenter::forOrder(qint64 orderId)
{
    return select(u"WHERE order_id = ?"_qs, {orderId}, 500);
}

Result<QList<ThreadMessage>> MessageCenter::recent(int limit)
{
    return select(u"WHERE 1 = 1"_qs, {}, qBound(1, limit, 5000));
}

Result<std::optional<ThreadMessage>> MessageCenter::lastFromBuyer(qint64 orderId)
{
    auto list = select(u"WHERE order_id = ? AND from_buyer = 1 AND announced = 1"_qs, {orderId}, 1);
    if (!list)
        return list.error();
    if (list->isEmpty())
        return std::optional<ThreadMessage>();
    return std::optional<ThreadMessage>(list->constFirst());
}

Result<bool> MessageCenter::answerForRule(marketplace::allegro::SellerActions &actions, qint64 orderId,
                                          const QString &text, const QString &hours, bool firstOnly,
                                          const QDateTime &now)
{
    auto message = lastFromBuyer(orderId);
    if (!message)
        return message.error();
    if (!message->has_value())
        return false;
    auto saved = Autoresponder::load(m_store.database());
    if (!saved)
        return saved.error();
    Autoresponder::Settings s;
    s.enabled = true;
    s.messageCenter = true;
    s.discussions = true;
    s.firstOnly = firstOnly;
    s.delayMinutes = 0; // the rule's own delay applies
    s.text = text;
    s.hours = saved->hours;
    s.when = hours == u"working"   ? Autoresponder::When::WorkingHours
             : hours == u"outside" ? Autoresponder::When::OutsideHours
                                   : Autoresponder::When::Always;
    Autoresponder responder(m_store.sharedDatabase(), s);
    // The rule runs because the message arrived: a clock behind the marketplace's must not hold the answer back.
    auto sent = responder.process({(*message)->incoming()}, std::max(now, (*message)->at), replyThrough(actions));
    if (!sent)
        return sent.error();
    return *sent > 0;
}

} // namespace sd::messaging
