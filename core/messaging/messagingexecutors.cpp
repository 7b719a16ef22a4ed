#include "messaging/messagingexecutors.h"

#include "automation/catalog.h"
#include "automation/rule.h"
#include "automation/scheduler.h"
#include "automation/sqlrun.h"
#include "storage/jobqueue.h"

#include <QCoreApplication>

namespace sd::messaging {

using automation::ActionOutcome;

namespace {

Result<Delivery> prepareAndDeliver(Outbox &outbox, const MessageRequest &request, bool lastAttempt)
{
    auto message = outbox.prepare(request);
    if (!message)
        return message.error();
    return outbox.deliver(message->id, lastAttempt);
}

// Whether the scheduler will give the job no further try after this one (its tries are counted when claimed).
bool lastAttemptOf(int attempts)
{
    return attempts >= automation::Scheduler::kMaxAttempts;
}

bool lastAttemptOfJob(storage::Database &db, qint64 jobId)
{
    auto q = automation::runSql(db, u"SELECT attempts FROM jobs WHERE id = ?"_qs, "job attempts", {jobId});
    return q && q->next() && lastAttemptOf(q->value(0).toInt());
}

} // namespace

ActionOutcome outcomeOf(const QList<Result<Delivery>> &deliveries)
{
    ActionOutcome outcome;
    QStringList messages;
    bool retry = false;
    for (const Result<Delivery> &d : deliveries) {
        if (!d) {
            outcome.kind = ActionOutcome::Kind::Failed;
            retry = retry || d.error().code == Error::Code::Io || d.error().code == Error::Code::Storage;
            messages.append(d.error().userMessage);
            continue;
        }
        if (d->kind == Delivery::Kind::Failed) {
            outcome.kind = ActionOutcome::Kind::Failed;
            retry = retry || d->retry;
        }
        messages.append(d->message);
    }
    outcome.retry = retry;
    outcome.message = messages.join(u' ');
    return outcome;
}

ActionOutcome SendMessageExecutor::run(const automation::ActionRun &run, automation::ExecutorEnv &env)
{
    const automation::ActionDef *def = automation::Catalog::instance().action(run.action.type);
    const QString templateKey =
        def ? automation::Rule::param(run.action.params, def->params, "template").toString() : QString();
    Outbox outbox(env.store);
    MessageRequest request;
    request.orderId = run.order.id;
    request.channel = m_channel;
    request.templateKey = templateKey;
    request.key = run.key + u'/' + m_channel;
    ActionOutcome outcome =
        outcomeOf({prepareAndDeliver(outbox, request, lastAttemptOfJob(env.store.database(), run.jobId))});
    outcome.detail = QJsonObject{{u"channel"_qs, m_channel}, {u"template"_qs, templateKey}};
    return outcome;
}

ActionOutcome MessageSendJob::run(const automation::JobRun &job, automation::ExecutorEnv &env)
{
    Outbox outbox(env.store);
    return outcomeOf({outbox.deliver(job.payload.value(u"message").toInteger(), lastAttemptOf(job.attempts))});
}

ActionOutcome NotifyStatusJob::run(const automation::JobRun &job, automation::ExecutorEnv &env)
{
    Outbox outbox(env.store);
    MessagingAccounts accounts(env.store.sharedDatabase());
    auto order = env.store.load(job.orderId);
    if (!order)
        return outcomeOf({order.error()});
    QList<Result<Delivery>> deliveries;
    MessageRequest request;
    request.orderId = job.orderId;
    request.templateKey = QString::fromLatin1(TemplateKey::kStatusChanged);
    auto mail = accounts.mailAccountFor(order->account);
    if (mail && !order->buyer.email.isEmpty()) {
        request.channel = QString::fromLatin1(Channel::kEmail);
        request.key = job.key + u"/email"_qs;
        deliveries.append(prepareAndDeliver(outbox, request, lastAttemptOf(job.attempts)));
    }
    auto sms = accounts.smsAccount();
    const bool smsOn = accounts.setting(u"notify.sms"_qs, u"1"_qs).value_or(u"1"_qs) == u"1";
    const QString phone = order->buyer.phone.isEmpty() ? order->delivery.address.phone : order->buyer.phone;
    if (sms && sms->has_value() && smsOn && !phone.isEmpty()) {
        request.channel = QString::fromLatin1(Channel::kSms);
        request.key = job.key + u"/sms"_qs;
        deliveries.append(prepareAndDeliver(outbox, request, lastAttemptOf(job.attempts)));
    }
    if (deliveries.isEmpty())
        return {
            ActionOutcome::Kind::Done,
            mail ? QCoreApplication::translate(
                       "sd::messaging", "The buyer has neither an e-mail address nor a phone number: nothing was sent.")
                 : QCoreApplication::translate("sd::messaging", "No mail account is configured yet"),
            {},
            false};
    return outcomeOf(deliveries);
}

void addMessagingExecutors(automation::Executors &executors)
{
    executors.add(u"sendEmail"_qs, std::make_shared<SendMessageExecutor>(QString::fromLatin1(Channel::kEmail)));
    executors.add(u"sendSms"_qs, std::make_shared<SendMessageExecutor>(QString::fromLatin1(Channel::kSms)));
    executors.addJobHandler(QString::fromLatin1(MessageJob::kSend), std::make_shared<MessageSendJob>());
    executors.addJobHandler(QString::fromLatin1(storage::JobKind::kNotifyStatus), std::make_shared<NotifyStatusJob>());
}

} // namespace sd::messaging
