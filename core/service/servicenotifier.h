#pragma once

#include "service/servicecase.h"
#include "storage/orderstore.h"

#include <QCoreApplication>

namespace sd::service {

// The messaging templates the buyer's e-mails use (built in, pl and en, in messaging/messagetemplates.cpp).
namespace ServiceTemplate {
inline constexpr char kStateChanged[] = "serviceStateChanged";
inline constexpr char kReminder[] = "serviceReminder";
} // namespace ServiceTemplate

// The buyer's e-mails about a service case, through the Outbox (recorded, then sent by the scheduler's
// "message.send" job under the action ledger): one at every state change, and while the product is away (sent,
// at the service) a reminder every `service.reminderDays` days (messaging setting, 7 by default, 0: none) counted
// from the day it entered its state. Each e-mail has its own key, so neither a second pass, a restart nor a second
// workstation sends one twice; a pass after a long pause sends only the latest reminder, not every one it missed.
class ServiceNotifier
{
    Q_DECLARE_TR_FUNCTIONS(ServiceNotifier)

public:
    explicit ServiceNotifier(storage::OrderStore &orders);

    static QString reminderDaysSetting() { return QStringLiteral("service.reminderDays"); }
    static constexpr int kDefaultReminderDays = 7;
    Result<int> reminderDays();

    static QString stepKey(qint64 caseId, int seq);
    static QString reminderKey(qint64 caseId, int seq, int reminder);
    // The state as the buyer reads it, in the buyer's language (pl or en): buyer-facing text is data, like the
    // templates, not the user interface's language.
    static QString buyerStateName(ServiceState state, const QString &language);

    // Queues the e-mail about the case's current state (its last step); false when the buyer has no e-mail.
    Result<bool> notifyStep(const ServiceCase &c, const QString &note);
    // Queues the reminders due at `now`; returns how many were queued.
    Result<int> pass(const QDateTime &now);

private:
    Result<bool> queue(const ServiceCase &c, const char *templateKey, const QString &key, const QString &note);

    storage::OrderStore &m_orders;
};

} // namespace sd::service
