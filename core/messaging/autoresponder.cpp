#include "messaging/autoresponder.h"

#include "messaging/messagingaccounts.h"
#include "storage/actionledger.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace sd::messaging {

namespace {

const QString kSettingsKey = u"autoresponder"_qs;

QString whenKey(Autoresponder::When when)
{
    switch (when) {
    case Autoresponder::When::Always:
        return u"always"_qs;
    case Autoresponder::When::WorkingHours:
        return u"working"_qs;
    case Autoresponder::When::OutsideHours:
        return u"outside"_qs;
    }
    return {};
}

} // namespace

WorkingHours WorkingHours::officeHours()
{
    WorkingHours h;
    for (int d = 0; d < 5; ++d)
        h.days[d] = Span{QTime(8, 0), QTime(16, 0)};
    return h;
}

bool WorkingHours::isOpen(const QDateTime &local) const
{
    const QDateTime t = local.toLocalTime();
    if (holidays.contains(t.date()))
        return false;
    const auto &span = days[t.date().dayOfWeek() - 1];
    return span && t.time() >= span->start && t.time() < span->end;
}

QJsonObject WorkingHours::toJson() const
{
    QJsonArray week;
    for (const auto &d : days)
        week.append(d ? QJsonValue(QJsonArray{d->start.toString(u"HH:mm"_qs), d->end.toString(u"HH:mm"_qs)})
                      : QJsonValue());
    QJsonArray off;
    for (const QDate &day : holidays)
        off.append(day.toString(Qt::ISODate));
    return {{u"week"_qs, week}, {u"holidays"_qs, off}};
}

WorkingHours WorkingHours::fromJson(const QJsonObject &json)
{
    WorkingHours h;
    const QJsonArray week = json.value(u"week").toArray();
    for (int d = 0; d < 7 && d < week.size(); ++d) {
        const QJsonArray span = week.at(d).toArray();
        const QTime start = QTime::fromString(span.at(0).toString(), u"HH:mm"_qs);
        const QTime end = QTime::fromString(span.at(1).toString(), u"HH:mm"_qs);
        if (start.isValid() && end.isValid() && start < end)
            h.days[d] = Span{start, end};
    }
    for (const QJsonValue &v : json.value(u"holidays").toArray())
        if (const QDate day = QDate::fromString(v.toString(), Qt::ISODate); day.isValid())
            h.holidays.append(day);
    return h;
}

QJsonObject Autoresponder::Settings::toJson() const
{
    return {{u"enabled"_qs, enabled},
            {u"accounts"_qs, QJsonArray::fromStringList(accounts)},
            {u"messageCenter"_qs, messageCenter},
            {u"discussions"_qs, discussions},
            {u"when"_qs, whenKey(when)},
            {u"firstOnly"_qs, firstOnly},
            {u"delayMinutes"_qs, delayMinutes},
            {u"text"_qs, text},
            {u"hours"_qs, hours.toJson()}};
}

Autoresponder::Settings Autoresponder::Settings::fromJson(const QJsonObject &json)
{
    Settings s;
    s.enabled = json.value(u"enabled").toBool();
    for (const QJsonValue &v : json.value(u"accounts").toArray())
        s.accounts.append(v.toString());
    s.messageCenter = json.value(u"messageCenter").toBool(true);
    s.discussions = json.value(u"discussions").toBool(false);
    for (When w : {When::Always, When::WorkingHours, When::OutsideHours})
        if (json.value(u"when").toString() == whenKey(w))
            s.when = w;
    s.firstOnly = json.value(u"firstOnly").toBool(true);
    const int delay = json.value(u"delayMinutes").toInt(15);
    s.delayMinutes = (delay == 0 || delay == 15 || delay == 30 || delay == 60) ? delay : 15;
    s.text = json.value(u"text").toString();
    if (json.contains(u"hours"_qs))
        s.hours = WorkingHours::fromJson(json.value(u"hours").toObject());
    return s;
}

Autoresponder::Autoresponder(std::shared_ptr<storage::Database> db, Settings settings)
    : m_db(std::move(db))
    , m_settings(std::move(settings))
{}

Result<Autoresponder::Settings> Autoresponder::load(storage::Database &db)
{
    auto shared = std::shared_ptr<storage::Database>(&db, [](storage::Database *) {});
    auto json = MessagingAccounts(shared).setting(kSettingsKey);
    if (!json)
        return json.error();
    return Settings::fromJson(QJsonDocument::fromJson(json->toUtf8()).object());
}

Result<void> Autoresponder::save(storage::Database &db, const Settings &settings)
{
    auto shared = std::shared_ptr<storage::Database>(&db, [](storage::Database *) {});
    return MessagingAccounts(shared).setSetting(
        kSettingsKey, QString::fromUtf8(QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact)));
}

QString Autoresponder::keyFor(const IncomingMessage &message, bool firstOnly)
{
    const QString base = u"autoresponder/account:%1/thread:%2"_qs.arg(message.account, message.threadId);
    return firstOnly ? QString(base + u"/first"_qs) : QString(base + u"/message:"_qs + message.messageId);
}

std::optional<QDateTime> Autoresponder::replyAt(const IncomingMessage &message) const
{
    const Settings &s = m_settings;
    if (!s.enabled || s.text.trimmed().isEmpty())
        return std::nullopt;
    if (!s.accounts.isEmpty() && !s.accounts.contains(message.account))
        return std::nullopt;
    if (message.type == IncomingMessage::Type::MessageCenter ? !s.messageCenter : !s.discussions)
        return std::nullopt;
    if (s.firstOnly && !message.firstInThread)
        return std::nullopt;
    const bool open = s.hours.isOpen(message.at);
    if ((s.when == When::WorkingHours && !open) || (s.when == When::OutsideHours && open))
        return std::nullopt;
    return message.at.addSecs(qint64(s.delayMinutes) * 60);
}

Result<int> Autoresponder::process(const QList<IncomingMessage> &messages, const QDateTime &now, const Reply &reply)
{
    storage::ActionLedger ledger(m_db);
    int sent = 0;
    for (const IncomingMessage &message : messages) {
        const auto due = replyAt(message);
        if (!due || *due > now)
            continue;
        const QString key = keyFor(message, m_settings.firstOnly);
        auto claim = ledger.claim(key, u"autoresponder"_qs, 0, u"autoresponder"_qs);
        if (claim && *claim == storage::ActionLedger::Claim::FailedBefore)
            claim = ledger.claimRetry(key, u"autoresponder"_qs);
        if (!claim)
            return claim.error();
        if (*claim != storage::ActionLedger::Claim::Claimed)
            continue; // answered already (or being answered): never twice
        if (auto r = reply(key, message, m_settings.text); !r) {
            if (auto f = ledger.fail(key, r.error().userMessage); !f)
                return f.error();
            continue;
        }
        if (auto r = ledger.complete(key, {{u"thread"_qs, message.threadId}, {u"message"_qs, message.messageId}}); !r)
            return r.error();
        ++sent;
    }
    return sent;
}

} // namespace sd::messaging
