// The training shop's post-purchase issues (/sale/issues, beta): disputes a buyer opens about an order, their chat,
// and the seller's messages into it, with the API's rules (409 once the chat is closed).
#include "marketplace/training/trainingshop_p.h"

using namespace Qt::StringLiterals;

namespace sd::marketplace::training {

using namespace shop;

namespace {

const QStringList kIssueStatuses = {u"DISPUTE_ONGOING"_s, u"DISPUTE_CLOSED"_s, u"DISPUTE_UNRESOLVED"_s,
                                    u"CLAIM_SUBMITTED"_s, u"CLAIM_ACCEPTED"_s, u"CLAIM_REJECTED"_s};

// The chat message as the API shows it (the issue it belongs to is kept beside it, not sent).
QJsonObject chatView(QJsonObject message)
{
    message.remove(u"issue"_s);
    return message;
}

TrainingResponse issueNotFound(const QString &issueId)
{
    return TrainingResponse::error(404, u"NotFoundException"_s, u"Issue "_s + issueId + u" not found"_s,
                                   QT_TRANSLATE_NOOP("sd::training", "The discussion was not found."));
}

} // namespace

QString TrainingShop::buyerOpensIssue(const QString &orderId, const QString &text, qint64 now)
{
    const auto order = m_orders.constFind(orderId);
    if (order == m_orders.cend() || text.trimmed().isEmpty())
        return {};
    const QJsonObject buyer = order->form.value(u"buyer"_s).toObject();
    const QString id = uuid();
    const QJsonObject first{{u"id"_s, uuid()},
                            {u"text"_s, text},
                            {u"attachments"_s, QJsonArray()},
                            {u"author"_s, QJsonObject{{u"login"_s, buyer.value(u"login"_s)}, {u"role"_s, u"BUYER"_s}}},
                            {u"createdAt"_s, iso(now)}};
    m_issues.append(QJsonObject{
        {u"id"_s, id},
        {u"type"_s, u"DISPUTE"_s},
        {u"referenceNumber"_s, QJsonValue::Null},
        {u"decisionDueDate"_s, QJsonValue::Null},
        {u"openedDate"_s, iso(now)},
        {u"subject"_s, u"I have not received the product"_s},
        {u"buyer"_s, QJsonObject{{u"id"_s, buyer.value(u"id"_s)}, {u"login"_s, buyer.value(u"login"_s)}}},
        {u"checkoutForm"_s, QJsonObject{{u"id"_s, orderId}, {u"createdAt"_s, order->form.value(u"updatedAt"_s)}}},
        {u"currentState"_s, QJsonObject{{u"status"_s, u"DISPUTE_ONGOING"_s},
                                        {u"statusDueDate"_s, QJsonValue::Null},
                                        {u"returnRequired"_s, QJsonValue::Null},
                                        {u"chatActive"_s, true}}},
        {u"chat"_s, QJsonObject{{u"lastMessage"_s, QJsonObject{{u"status"_s, u"NEW"_s}, {u"createdAt"_s, iso(now)}}},
                                {u"messagesCount"_s, 1},
                                {u"initialMessage"_s, first}}},
        {u"expectations"_s, QJsonArray()},
        {u"description"_s, QJsonValue::Null},
        {u"offer"_s, QJsonValue::Null},
        {u"product"_s, QJsonValue::Null},
        {u"reason"_s, QJsonValue::Null},
        {u"right"_s, QJsonValue::Null},
        {u"attachments"_s, QJsonArray()}});
    QJsonObject stored = first;
    stored.insert(u"issue"_s, id);
    m_issueChat.append(stored);
    return id;
}

bool TrainingShop::addIssueMessage(const QString &issueId, const QString &text, bool fromBuyer, qint64 now,
                                   QJsonObject *added)
{
    for (qsizetype i = 0; i < m_issues.size(); ++i) {
        QJsonObject issue = m_issues.at(i).toObject();
        if (issue.value(u"id"_s).toString() != issueId)
            continue;
        if (!issue.value(u"currentState"_s).toObject().value(u"chatActive"_s).toBool())
            return false;
        const QString login = fromBuyer ? issue.value(u"buyer"_s).toObject().value(u"login"_s).toString()
                                        : QString::fromLatin1(kSellerLogin);
        const QJsonObject message{
            {u"id"_s, uuid()},
            {u"text"_s, text},
            {u"attachments"_s, QJsonArray()},
            {u"author"_s, QJsonObject{{u"login"_s, login}, {u"role"_s, fromBuyer ? u"BUYER"_s : u"SELLER"_s}}},
            {u"createdAt"_s, iso(now)}};
        QJsonObject stored = message;
        stored.insert(u"issue"_s, issueId);
        m_issueChat.append(stored);
        QJsonObject chat = issue.value(u"chat"_s).toObject();
        const bool sellerWrote =
            !fromBuyer || chat.value(u"lastMessage"_s).toObject().value(u"status"_s).toString() != u"NEW";
        chat.insert(u"lastMessage"_s, QJsonObject{{u"status"_s, !fromBuyer    ? u"SELLER_REPLIED"_s
                                                                : sellerWrote ? u"BUYER_REPLIED"_s
                                                                              : u"NEW"_s},
                                                  {u"createdAt"_s, iso(now)}});
        chat.insert(u"messagesCount"_s, chat.value(u"messagesCount"_s).toInt() + 1);
        issue.insert(u"chat"_s, chat);
        m_issues[i] = issue;
        if (added)
            *added = message;
        return true;
    }
    return false;
}

bool TrainingShop::buyerWritesInIssue(const QString &issueId, const QString &text, qint64 now)
{
    return !text.trimmed().isEmpty() && addIssueMessage(issueId, text, true, now, nullptr);
}

bool TrainingShop::closeIssue(const QString &issueId)
{
    for (qsizetype i = 0; i < m_issues.size(); ++i) {
        QJsonObject issue = m_issues.at(i).toObject();
        if (issue.value(u"id"_s).toString() != issueId)
            continue;
        QJsonObject state = issue.value(u"currentState"_s).toObject();
        state.insert(u"status"_s, u"DISPUTE_CLOSED"_s);
        state.insert(u"chatActive"_s, false);
        issue.insert(u"currentState"_s, state);
        m_issues[i] = issue;
        return true;
    }
    return false;
}

TrainingResponse TrainingShop::issues(const QUrlQuery &query) const
{
    int limit = 0;
    int offset = 0;
    if (auto invalid = pageParams(query, 10, 100, &limit, &offset))
        return *invalid;
    const QString form = query.queryItemValue(u"checkoutForm.id"_s);
    const QStringList statuses = query.allQueryItemValues(u"status"_s);
    for (const QString &status : statuses)
        if (!kIssueStatuses.contains(status))
            return TrainingResponse::validation(u"Unknown status "_s + status,
                                                QT_TRANSLATE_NOOP("sd::training", "The status filter is not valid."),
                                                u"status"_s);
    QList<QJsonObject> chosen;
    for (const QJsonValue &value : m_issues) {
        const QJsonObject issue = value.toObject();
        if (!form.isEmpty() && issue.value(u"checkoutForm"_s).toObject().value(u"id"_s).toString() != form)
            continue;
        if (!statuses.isEmpty() &&
            !statuses.contains(issue.value(u"currentState"_s).toObject().value(u"status"_s).toString()))
            continue;
        chosen.append(issue);
    }
    // Newest opened first.
    std::stable_sort(chosen.begin(), chosen.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return msOf(a.value(u"openedDate"_s)) > msOf(b.value(u"openedDate"_s));
    });
    QJsonArray all;
    for (const QJsonObject &issue : std::as_const(chosen))
        all.append(issue);
    return TrainingResponse::ok({{u"issues"_s, page(all, offset, limit)}});
}

TrainingResponse TrainingShop::issue(const QString &issueId) const
{
    for (const QJsonValue &value : m_issues)
        if (value.toObject().value(u"id"_s).toString() == issueId)
            return TrainingResponse::ok(value.toObject());
    return issueNotFound(issueId);
}

TrainingResponse TrainingShop::issueChat(const QString &issueId, const QUrlQuery &query) const
{
    const TrainingResponse found = issue(issueId);
    if (found.isError())
        return found;
    int limit = 0;
    int offset = 0;
    if (auto invalid = pageParams(query, 10, 100, &limit, &offset))
        return *invalid;
    QJsonArray chat;
    // Newest first, as the Message Center's messages.
    for (qsizetype i = m_issueChat.size() - 1; i >= 0; --i)
        if (m_issueChat.at(i).toObject().value(u"issue"_s).toString() == issueId)
            chat.append(chatView(m_issueChat.at(i).toObject()));
    return TrainingResponse::ok({{u"chat"_s, page(chat, offset, limit)}});
}

TrainingResponse TrainingShop::issueMessage(const QString &issueId, const QJsonObject &body, qint64 now)
{
    const TrainingResponse found = issue(issueId);
    if (found.isError())
        return found;
    const QString text = body.value(u"text"_s).toString();
    const QString type = body.value(u"type"_s).toString(u"REGULAR"_s);
    if (text.trimmed().isEmpty() || text.size() > 20000)
        return TrainingResponse::validation(
            u"text must have 1 to 20000 characters"_s,
            QT_TRANSLATE_NOOP("sd::training", "The message must have 1 to 20000 characters."), u"text"_s);
    if (type != u"REGULAR" && type != u"END_REQUEST")
        return TrainingResponse::error(
            422, u"VALIDATION_ERROR"_s, u"This message type is not allowed for a dispute"_s,
            QT_TRANSLATE_NOOP("sd::training", "This message type is not allowed in a discussion."), u"type"_s);
    if (!found.json.value(u"currentState"_s).toObject().value(u"chatActive"_s).toBool())
        return TrainingResponse::error(
            409, u"CONFLICT"_s, u"Dispute is in a state that forbids adding new messages"_s,
            QT_TRANSLATE_NOOP("sd::training", "The discussion is closed: no more messages can be added."));
    QJsonObject added;
    addIssueMessage(issueId, text, false, now, &added);
    return TrainingResponse::ok(added, 201);
}

} // namespace sd::marketplace::training
