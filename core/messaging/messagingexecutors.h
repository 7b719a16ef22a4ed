#pragma once

#include "automation/executors.h"
#include "messaging/messagingaccounts.h"
#include "messaging/outbox.h"

namespace sd::messaging {

// The rule actions "Send an e-mail" / "Send an SMS" (param: template). The message is recorded under the action's
// key and sent at once; a failure worth retrying is retried by the scheduler with backoff, and the message's own
// ledger entry keeps it from going out twice.
class SendMessageExecutor : public automation::ActionExecutor
{
public:
    explicit SendMessageExecutor(QString channel)
        : m_channel(std::move(channel))
    {}
    bool internal() const override { return false; }
    // A run cut by a crash may run again: the message's own ledger entry finds the cut attempt and marks the
    // message (and so the job) failed with the reason instead of sending it a second time.
    bool repeatable() const override { return true; }
    automation::ActionOutcome run(const automation::ActionRun &run, automation::ExecutorEnv &env) override;

private:
    QString m_channel;
};

// "message.send": sends a message queued by Outbox::queue().
class MessageSendJob : public automation::JobHandler
{
public:
    automation::ActionOutcome run(const automation::JobRun &job, automation::ExecutorEnv &env) override;
};

// "notify.status" (A6, queued by a status change with "Inform customer" on): the status template by e-mail and,
// when an SMS gateway is set up and the setting "notify.sms" is on, by SMS.
class NotifyStatusJob : public automation::JobHandler
{
public:
    automation::ActionOutcome run(const automation::JobRun &job, automation::ExecutorEnv &env) override;
};

// Turns deliveries into one outcome for the scheduler: failed (and retried) when any failed.
automation::ActionOutcome outcomeOf(const QList<Result<Delivery>> &deliveries);

void addMessagingExecutors(automation::Executors &executors);

} // namespace sd::messaging
