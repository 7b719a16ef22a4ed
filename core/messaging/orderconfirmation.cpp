#include "messaging/orderconfirmation.h"

#include "automation/alerts.h"
#include "automation/sqlrun.h"
#include "inventory/inventorysettings.h"
#include "messaging/messagetemplates.h"
#include "messaging/messagingaccounts.h"
#include "storage/actionledger.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QUrl>

namespace sd::messaging {

using automation::runSql;

namespace {

QString newToken()
{
    QByteArray bytes(18, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

OrderConfirmations::OrderConfirmations(storage::OrderStore &store)
    : m_store(store)
    , m_db(store.sharedDatabase())
{}

QString OrderConfirmations::stateKey(State state)
{
    switch (state) {
    case State::None:
        return u"none"_qs;
    case State::Requested:
        return u"requested"_qs;
    case State::Confirmed:
        return u"confirmed"_qs;
    }
    return {};
}

Result<OrderConfirmations::Status> OrderConfirmations::status(qint64 orderId)
{
    auto q = runSql(*m_db,
                    u"SELECT state, requests, token, confirmed_by, requested_at, confirmed_at FROM order_confirmations "
                    "WHERE order_id = ?"_qs,
                    "read confirmation", {orderId});
    if (!q)
        return q.error();
    Status s;
    if (!q->next())
        return s;
    s.state = q->value(0).toString() == u"confirmed" ? State::Confirmed : State::Requested;
    s.requests = q->value(1).toInt();
    s.token = q->value(2).toString();
    s.confirmedBy = q->value(3).toString();
    if (!q->value(4).isNull())
        s.requestedAt = QDateTime::fromMSecsSinceEpoch(q->value(4).toLongLong());
    if (!q->value(5).isNull())
        s.confirmedAt = QDateTime::fromMSecsSinceEpoch(q->value(5).toLongLong());
    return s;
}

Result<QString> OrderConfirmations::linkFor(const QString &token)
{
    MessagingAccounts settings(m_db);
    auto base = settings.setting(u"confirmation.url"_qs);
    if (!base)
        return base.error();
    QString url = *base;
    if (url.isEmpty()) {
        auto shop = settings.setting(u"shop.url"_qs);
        if (!shop)
            return shop.error();
        if (shop->isEmpty())
            return QString(); // no link: the buyer confirms by replying
        url = *shop + (shop->endsWith(u'/') ? u"confirm"_qs : u"/confirm"_qs);
    }
    return QString(url + (url.contains(u'?') ? u"&token="_qs : u"?token="_qs) + token);
}

Result<OutgoingMessage> OrderConfirmations::request(qint64 orderId, const QString &actor)
{
    storage::Transaction transaction(*m_db, "request confirmation");
    if (!transaction.started())
        return transaction.started().error();
    auto current = status(orderId);
    if (!current)
        return current.error();
    if (current->state == State::Confirmed)
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::messaging", "The order is confirmed already."));
    const QString token = current->token.isEmpty() ? newToken() : current->token;
    const int number = current->requests + 1;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto q =
        current->requests == 0
            ? runSql(*m_db,
                     u"INSERT INTO order_confirmations (order_id, state, token, requests, requested_at) "
                     "VALUES (?, 'requested', ?, 1, ?)"_qs,
                     "insert confirmation", {orderId, token, now})
            : runSql(*m_db,
                     u"UPDATE order_confirmations SET requests = requests + 1, requested_at = ? WHERE order_id = ?"_qs,
                     "update confirmation", {now, orderId});
    if (!q)
        return q.error();
    auto link = linkFor(token);
    if (!link)
        return link.error();
    MessageRequest message;
    message.orderId = orderId;
    message.templateKey = QString::fromLatin1(TemplateKey::kConfirmationRequest);
    message.key = u"confirmation/order:%1/request:%2"_qs.arg(orderId).arg(number);
    message.extra = {{u"confirmationLink"_qs, *link}};
    auto queued = Outbox(m_store).queue(message);
    if (!queued)
        return queued.error();
    if (auto r = m_store.recordEvent("order.confirmation_requested", orderId,
                                     {{u"request"_qs, number}, {u"message"_qs, queued->id}}, {actor, {}, 0});
        !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return queued;
}

Result<void> OrderConfirmations::confirm(qint64 orderId, By by, const QString &actor)
{
    const QString who = by == By::Link ? u"buyer:link"_qs : by == By::Reply ? u"buyer:reply"_qs : actor;
    storage::Transaction transaction(*m_db, "confirm order");
    if (!transaction.started())
        return transaction.started().error();
    auto current = status(orderId);
    if (!current)
        return current.error();
    if (current->state == State::Confirmed)
        return {}; // a second click on the link changes nothing
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto q = current->requests == 0
                 ? runSql(*m_db,
                          u"INSERT INTO order_confirmations (order_id, state, token, requests, confirmed_at, "
                          "confirmed_by) VALUES (?, 'confirmed', ?, 0, ?, ?)"_qs,
                          "insert confirmed", {orderId, newToken(), now, who})
                 : runSql(*m_db,
                          u"UPDATE order_confirmations SET state = 'confirmed', confirmed_at = ?, confirmed_by = ? "
                          "WHERE order_id = ?"_qs,
                          "confirm", {now, who, orderId});
    if (!q)
        return q.error();
    if (auto r =
            m_store.recordEvent("order.confirmed", orderId, {{u"by"_qs, who}}, {actor.isEmpty() ? who : actor, {}, 0});
        !r)
        return r.error();
    return transaction.commit();
}

Result<qint64> OrderConfirmations::confirmByToken(const QString &token)
{
    auto q = runSql(*m_db, u"SELECT order_id FROM order_confirmations WHERE token = ?"_qs, "find confirmation token",
                    {token});
    if (!q)
        return q.error();
    if (token.isEmpty() || !q->next())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::messaging", "This confirmation link is not valid."));
    const qint64 orderId = q->value(0).toLongLong();
    q->finish();
    if (auto r = confirm(orderId, By::Link, u"buyer:link"_qs); !r)
        return r.error();
    return orderId;
}

Result<int> notifyOrdersDownloaded(storage::OrderStore &store, const QList<QPair<QString, int>> &newOrdersPerStore,
                                   const QString &runKey)
{
    MessagingAccounts settings(store.sharedDatabase());
    auto on = settings.setting(u"notify.downloaded"_qs, u"0"_qs);
    if (!on)
        return on.error();
    if (*on != u"1")
        return 0;
    // Only while orders come in by themselves (the stock settings' "automatic order download").
    auto stock = inventory::InventorySettings::load(store.database());
    if (!stock)
        return stock.error();
    if (!stock->autoOrderDownload)
        return 0;
    auto to = settings.setting(u"seller.email"_qs);
    if (!to)
        return to.error();
    if (to->isEmpty())
        to = settings.setting(u"shop.email"_qs);
    if (!to || to->isEmpty())
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::messaging", "Set the seller's e-mail address for notifications first."));
    auto shopName = settings.setting(u"shop.name"_qs);
    MessageTemplates templates(store.sharedDatabase());
    auto tpl = templates.get(QString::fromLatin1(TemplateKey::kOrdersDownloaded), u"pl"_qs);
    if (!tpl)
        return tpl.error();
    Outbox outbox(store);
    int queued = 0;
    for (const auto &[account, count] : newOrdersPerStore) {
        if (count <= 0)
            continue;
        const QHash<QString, QString> values{{u"{account}"_qs, account},
                                             {u"{count}"_qs, QString::number(count)},
                                             {u"{shopName}"_qs, shopName.value_or(QString())}};
        const RenderedMessage text = MessageTemplates::renderWith(*tpl, values, {});
        MessageRequest request;
        request.templateKey = tpl->key;
        request.recipient = *to;
        request.subject = text.subject;
        request.text = text.text;
        request.key = u"downloaded/account:%1/run:%2"_qs.arg(account, runKey);
        auto m = outbox.queue(request);
        if (!m)
            return m.error();
        ++queued;
    }
    return queued;
}

Result<int> alertPassedDeadlines(storage::OrderStore &store, const QDateTime &now, int paymentDays, int dispatchDays)
{
    storage::Database &db = store.database();
    const qint64 nowMs = now.toMSecsSinceEpoch();
    constexpr qint64 kDay = 24 * 3600 * 1000LL;
    struct Late
    {
        qint64 orderId;
        QString external;
        const char *kind;
    };
    QList<Late> late;
    auto collect = [&](const QString &sql, qint64 before, const char *kind) -> Result<void> {
        auto q = runSql(db, sql, "find passed deadlines", {before});
        if (!q)
            return q.error();
        while (q->next())
            late.append({q->value(0).toLongLong(), q->value(1).toString(), kind});
        return {};
    };
    if (paymentDays > 0)
        if (auto r = collect(u"SELECT o.id, o.external_id FROM orders o JOIN statuses s ON s.id = o.status_id "
                             "WHERE o.payment_status = 'unpaid' AND o.created_at < ? "
                             "AND s.group_key NOT IN ('closed', 'cancelled') ORDER BY o.id"_qs,
                             nowMs - paymentDays * kDay, "payment");
            !r)
            return r.error();
    if (dispatchDays > 0)
        if (auto r = collect(u"SELECT o.id, o.external_id FROM orders o JOIN statuses s ON s.id = o.status_id "
                             "WHERE o.payment_status <> 'unpaid' AND o.created_at < ? "
                             "AND s.group_key IN ('new', 'in-progress') ORDER BY o.id"_qs,
                             nowMs - dispatchDays * kDay, "dispatch");
            !r)
            return r.error();
    // "notify.deadlines" = 1: each alert also e-mailed to the seller.
    MessagingAccounts settings(store.sharedDatabase());
    QString sellerEmail;
    if (settings.setting(u"notify.deadlines"_qs, u"0"_qs).value_or(QString()) == u"1") {
        sellerEmail = settings.setting(u"seller.email"_qs).value_or(QString());
        if (sellerEmail.isEmpty())
            sellerEmail = settings.setting(u"shop.email"_qs).value_or(QString());
    }
    storage::ActionLedger ledger(store.sharedDatabase());
    automation::OperatorAlerts alerts(store.sharedDatabase());
    int raised = 0;
    for (const Late &l : std::as_const(late)) {
        const QString key = u"deadline/%1/order:%2"_qs.arg(QLatin1StringView(l.kind)).arg(l.orderId);
        storage::Transaction transaction(db, "deadline alert");
        if (!transaction.started())
            return transaction.started().error();
        auto claim = ledger.claim(key, u"deadline.alert"_qs, l.orderId, u"deadlines"_qs);
        if (!claim)
            return claim.error();
        if (*claim != storage::ActionLedger::Claim::Claimed)
            continue;
        automation::OperatorAlert alert;
        alert.kind = u"deadline."_qs + QLatin1StringView(l.kind);
        alert.orderId = l.orderId;
        alert.message =
            qstrcmp(l.kind, "payment") == 0
                ? QCoreApplication::translate("sd::messaging", "Order %1: the payment deadline has passed.")
                      .arg(l.external)
                : QCoreApplication::translate("sd::messaging", "Order %1: the dispatch deadline has passed.")
                      .arg(l.external);
        if (auto r = alerts.raise(alert); !r)
            return r.error();
        if (!sellerEmail.isEmpty()) {
            // The seller's e-mail too, queued in the same transaction (the outbox sends it under its own key).
            auto order = store.load(l.orderId);
            if (!order)
                return order.error();
            auto tpl = MessageTemplates(store.sharedDatabase())
                           .get(QString::fromLatin1(TemplateKey::kDeadlinePassed), u"pl"_qs);
            if (!tpl)
                return tpl.error();
            const RenderedMessage text = MessageTemplates::renderWith(
                *tpl,
                {{u"{orderIdExternal}"_qs, l.external.isEmpty() ? QString::number(l.orderId) : l.external},
                 {u"{buyerName}"_qs, order->buyer.displayName()},
                 {u"{deadline}"_qs, alert.message}},
                {});
            MessageRequest request;
            request.templateKey = tpl->key;
            request.recipient = sellerEmail;
            request.subject = text.subject;
            request.text = text.text;
            request.key = key + u"/email"_qs;
            if (auto m = Outbox(store).queue(request); !m)
                return m.error();
        }
        if (auto r = ledger.complete(key, {{u"alert"_qs, alert.kind}}); !r)
            return r.error();
        if (auto r = transaction.commit(); !r)
            return r.error();
        ++raised;
    }
    return raised;
}

} // namespace sd::messaging
