#pragma once

#include "storage/database.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QTime>

#include <functional>
#include <memory>
#include <optional>

namespace sd::messaging {

// The shop's working hours: per weekday one span (start < end, local time; no span: closed), and holidays (whole
// days closed).
struct WorkingHours
{
    struct Span
    {
        QTime start;
        QTime end;
    };
    std::optional<Span> days[7]; // Monday = 0
    QList<QDate> holidays;

    static WorkingHours officeHours(); // Monday to Friday 8:00-16:00
    bool isOpen(const QDateTime &local) const;
    QJsonObject toJson() const;
    static WorkingHours fromJson(const QJsonObject &json);
};

// A buyer's message in a marketplace's Message Center thread or discussion, as the autoresponder sees it.
struct IncomingMessage
{
    enum class Type { MessageCenter, Discussion };
    QString account; // the marketplace account's key
    Type type = Type::MessageCenter;
    QString threadId;
    QString messageId;
    QDateTime at;               // when the buyer sent it
    bool firstInThread = false; // the buyer's first message in the thread
};

// B6: answers buyers' messages automatically. Conditions: the account(s), the message type, when (always, within or
// outside working hours, judged at the time the buyer wrote), every message or only the first in a thread; the
// answer goes out a delay (0, 15, 30 or 60 minutes) after the message. Each answer is claimed in the action ledger
// under its thread and message (or its thread alone for first-only), so nothing is answered twice.
class Autoresponder
{
public:
    enum class When { Always, WorkingHours, OutsideHours };

    struct Settings
    {
        bool enabled = false;
        QStringList accounts; // empty: every account
        bool messageCenter = true;
        bool discussions = false;
        When when = When::Always;
        bool firstOnly = true;
        int delayMinutes = 15;
        QString text; // the reply; placeholders {shopName}
        WorkingHours hours = WorkingHours::officeHours();

        QJsonObject toJson() const;
        static Settings fromJson(const QJsonObject &json);
    };

    // Sends a reply into a thread; the key is the ledger's (the marketplace client passes it on as its own key).
    using Reply = std::function<Result<void>(const QString &key, const IncomingMessage &message, const QString &text)>;

    Autoresponder(std::shared_ptr<storage::Database> db, Settings settings);

    static Result<Settings> load(storage::Database &db);
    static Result<void> save(storage::Database &db, const Settings &settings);

    // When the answer to this message is due, or nothing when the conditions say no.
    std::optional<QDateTime> replyAt(const IncomingMessage &message) const;
    static QString keyFor(const IncomingMessage &message, bool firstOnly);
    // Answers every message whose time has come by `now`; messages not yet due are left for a later call. Returns
    // how many answers were sent now.
    Result<int> process(const QList<IncomingMessage> &messages, const QDateTime &now, const Reply &reply);

private:
    std::shared_ptr<storage::Database> m_db;
    Settings m_settings;
};

} // namespace sd::messaging
