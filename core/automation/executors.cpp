#include "automation/executors.h"
#include "util/trainingmode.h"

#include "automation/alerts.h"
#include "automation/dispatcher.h"
#include "automation/engine.h"
#include "automation/marketplaceexecutors.h"
#include "automation/rulestore.h"
#include "devices/fiscal/receiptexecutor.h"
#include "devices/labels/labelexecutors.h"
#include "documents/documentactions.h"
#include "inventory/stocksyncjob.h"
#include "messaging/messagingexecutors.h"
#include "storage/jobqueue.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

namespace sd::automation {

namespace {

ActionOutcome failed(const QString &message, bool retry = false)
{
    return {ActionOutcome::Kind::Failed, message, {}, retry};
}

QJsonValue param(const ActionRun &run, const char *key)
{
    return Rule::param(run.action.params, Catalog::instance().action(run.action.type)->params, key);
}

storage::ChangeContext contextFor(const ActionRun &run)
{
    return {u"rule:"_qs + QString::number(run.rule.id), run.rule.name, run.depth};
}

class SetStatus : public ActionExecutor
{
public:
    bool internal() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &env) override
    {
        const QString status = param(run, "status").toString();
        auto changed = env.store.apply(storage::OrderChange::setStatus(run.order.id, status, contextFor(run)));
        if (!changed)
            return failed(changed.error().userMessage);
        QJsonObject detail{{u"status"_qs, status}, {u"changed"_qs, !changed->changedFields.isEmpty()}};
        if (param(run, "informCustomer").toBool() && !changed->changedFields.isEmpty()) {
            storage::JobQueue jobs(env.store.sharedDatabase());
            const qint64 eventId = changed->eventIds.constFirst();
            auto job = jobs.enqueue(QString::fromLatin1(storage::JobKind::kNotifyStatus), run.order.id,
                                    QJsonObject{{u"orderId"_qs, run.order.id}, {u"status"_qs, status}},
                                    u"%1/order:%2/event:%3"_qs.arg(QLatin1StringView(storage::JobKind::kNotifyStatus))
                                        .arg(run.order.id)
                                        .arg(eventId),
                                    {}, eventId,
                                    messaging::MessagingAccounts::notificationWaitingReason(env.store.database()));
            if (!job)
                return failed(job.error().userMessage);
            detail.insert(u"notificationJob"_qs, *job);
        }
        return {
            ActionOutcome::Kind::Done,
            changed->changedFields.isEmpty()
                ? QCoreApplication::translate("sd::automation::Executors", "The order had the status \"%1\" already.")
                      .arg(status)
                : QCoreApplication::translate("sd::automation::Executors", "Status set to \"%1\".").arg(status),
            detail};
    }
};

class Tag : public ActionExecutor
{
public:
    explicit Tag(bool add)
        : m_add(add)
    {}
    bool internal() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &env) override
    {
        const QString tag = param(run, "tag").toString();
        const bool add = m_add;
        auto changed = env.store.apply(storage::OrderChange::update(
            run.order.id,
            [tag, add](domain::Order &order) -> Result<void> {
                const bool has = order.tags.contains(tag, Qt::CaseInsensitive);
                if (add && !has)
                    order.tags.append(tag);
                if (!add)
                    order.tags.removeIf([&](const QString &t) { return t.compare(tag, Qt::CaseInsensitive) == 0; });
                return {};
            },
            contextFor(run)));
        if (!changed)
            return failed(changed.error().userMessage);
        return {ActionOutcome::Kind::Done,
                add ? QCoreApplication::translate("sd::automation::Executors", "Tag \"%1\" added.").arg(tag)
                    : QCoreApplication::translate("sd::automation::Executors", "Tag \"%1\" removed.").arg(tag),
                {{u"tag"_qs, tag}}};
    }

private:
    bool m_add;
};

// Calls the URL with its placeholders filled in; the response code is recorded. A 5xx or a network failure is
// tried again later, a 4xx is not (the address or its data is wrong). Every call carries the action's idempotency
// key in an `Idempotency-Key` header: a process killed after the receiver got the call but before the ledger
// recorded it calls again after its restart (at least once), and a receiver that keeps the keys it has seen acts
// exactly once. It does not wait for the answer: the scheduler runs other jobs while the call is in flight.
class CallUrl : public ActionExecutor
{
public:
    bool internal() const override { return false; }
    bool repeatable() const override { return true; }
    bool asynchronous() const override { return true; }
    ActionOutcome run(const ActionRun &, ExecutorEnv &) override
    {
        return failed(QCoreApplication::translate("sd::automation::Executors",
                                                  "A URL call is made only by the scheduler, without waiting."));
    }
    void begin(const ActionRun &run, ExecutorEnv &, std::function<void(ActionOutcome)> done) override
    {
        const QUrl url(expandPlaceholders(param(run, "url").toString(), run.order));
        const bool post = param(run, "method").toString() == u"POST";
        const int timeoutMs = int(param(run, "timeoutSeconds").toInteger(10)) * 1000;
        if (auto allowed = sd::training::checkOutbound(url); !allowed) {
            done(failed(allowed.error().userMessage));
            return;
        }
        if (!m_manager)
            m_manager = std::make_unique<QNetworkAccessManager>();
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        request.setTransferTimeout(timeoutMs);
        request.setRawHeader("Idempotency-Key", run.key.toUtf8());
        QNetworkReply *reply = nullptr;
        if (post) {
            request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_qs);
            reply = m_manager->post(request, url.query(QUrl::FullyEncoded).toUtf8());
        } else {
            reply = m_manager->get(request);
        }
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, url, post, done = std::move(done)] {
            reply->deleteLater();
            done(outcomeOf(*reply, url, post));
        });
    }

private:
    static ActionOutcome outcomeOf(const QNetworkReply &reply, const QUrl &url, bool post)
    {
        const int code = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject detail{{u"url"_qs, url.toString(QUrl::RemoveUserInfo)},
                                 {u"method"_qs, post ? u"POST"_qs : u"GET"_qs},
                                 {u"responseCode"_qs, code}};
        if (code >= 200 && code < 300)
            return {ActionOutcome::Kind::Done,
                    QCoreApplication::translate("sd::automation::Executors", "The address answered %1.").arg(code),
                    detail};
        ActionOutcome outcome = failed(
            code ? QCoreApplication::translate("sd::automation::Executors", "The address answered %1.").arg(code)
                 : QCoreApplication::translate("sd::automation::Executors", "The address could not be called: %1")
                       .arg(reply.errorString()),
            code == 0 || code >= 500);
        outcome.detail = detail;
        return outcome;
    }

    // Lives on the scheduler's thread (made at the first call there); its replies answer through that thread's
    // event loop.
    std::unique_ptr<QNetworkAccessManager> m_manager;
};

class RunRule : public ActionExecutor
{
public:
    bool internal() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &env) override
    {
        const qint64 id = param(run, "rule").toInteger();
        auto target = env.rules.get(id);
        if (!target)
            return failed(target.error().userMessage);
        auto compiled = CompiledRule::compile(*target);
        if (!compiled)
            return failed(compiled.error().userMessage);
        if (run.depth >= kMaxCauseDepth)
            return failed(QCoreApplication::translate("sd::automation::Executors",
                                                      "Stopped: a chain of %1 rules; rule %2 is not run.")
                              .arg(run.depth)
                              .arg(id));
        const Trace trace = compiled->trace(run.order, QDateTime::currentMSecsSinceEpoch());
        StoredTrace stored{0,
                           run.order.id,
                           target->id,
                           target->version,
                           0,
                           u"rule"_qs,
                           trace.matched ? u"fired"_qs : u"not-fired"_qs,
                           trace.toJson(),
                           {}};
        stored.trace.insert(u"rule"_qs, target->id);
        stored.trace.insert(u"name"_qs, target->name);
        stored.trace.insert(u"calledBy"_qs, run.rule.id);
        if (auto r = env.rules.addTrace(stored); !r)
            return failed(r.error().userMessage, true);
        if (!trace.matched)
            return {ActionOutcome::Kind::Done,
                    QCoreApplication::translate("sd::automation::Executors", "Rule %1 did not fire: %2")
                        .arg(id)
                        .arg(trace.reason),
                    {}};
        auto job = env.dispatcher.enqueueAction(*target, run.order.id, u"job:"_qs + QString::number(run.jobId), 0,
                                                run.depth + 1, 0);
        if (!job)
            return failed(job.error().userMessage, true);
        return {ActionOutcome::Kind::Done,
                QCoreApplication::translate("sd::automation::Executors", "Rule %1 fired.").arg(id),
                {{u"job"_qs, *job}}};
    }
};

class NotifyOperator : public ActionExecutor
{
public:
    bool internal() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &env) override
    {
        const QString message = param(run, "message").toString();
        qCWarning(lcAutomation).noquote() << "operator alert, order" << run.order.id << ":" << message;
        OperatorAlert alert;
        alert.kind = QString::fromLatin1(OperatorAlert::kNotice);
        alert.orderId = run.order.id;
        alert.ruleId = run.rule.id;
        alert.jobId = run.jobId;
        alert.action = run.action.type;
        alert.message = message;
        if (auto r = OperatorAlerts(env.store.sharedDatabase()).raise(alert); !r)
            return failed(r.error().userMessage, true);
        return {ActionOutcome::Kind::Done,
                QCoreApplication::translate("sd::automation::Executors", "Operator alert: %1").arg(message),
                {{u"message"_qs, message}}};
    }
};

class NotConfigured : public ActionExecutor
{
public:
    bool internal() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &) override
    {
        const ActionDef *def = Catalog::instance().action(run.action.type);
        return {ActionOutcome::Kind::NotConfigured,
                QCoreApplication::translate("sd::automation::Executors",
                                            "Not configured: \"%1\" arrives with a later version; nothing was done.")
                    .arg(def ? Catalog::label(def->label) : run.action.type),
                {}};
    }
};

} // namespace

Executors Executors::withDefaults(std::shared_ptr<const MarketplaceAccess> marketplace)
{
    Executors e;
    e.m_notConfigured = std::make_shared<NotConfigured>();
    e.add(u"setStatus"_qs, std::make_shared<SetStatus>());
    e.add(u"addTag"_qs, std::make_shared<Tag>(true));
    e.add(u"removeTag"_qs, std::make_shared<Tag>(false));
    e.add(u"callUrl"_qs, std::make_shared<CallUrl>());
    e.add(u"runRule"_qs, std::make_shared<RunRule>());
    e.add(u"notifyOperator"_qs, std::make_shared<NotifyOperator>());
    e.add(u"markShipped"_qs,
          std::make_shared<MarketplaceExecutor>(MarketplaceExecutor::Kind::MarkShipped, marketplace));
    e.add(u"refundPayment"_qs,
          std::make_shared<MarketplaceExecutor>(MarketplaceExecutor::Kind::RefundPayment, marketplace));
    e.add(u"commissionClaim"_qs,
          std::make_shared<MarketplaceExecutor>(MarketplaceExecutor::Kind::CommissionClaim, marketplace));
    e.add(u"autoresponder"_qs,
          std::make_shared<MarketplaceExecutor>(MarketplaceExecutor::Kind::Autoresponder, marketplace));
    e.add(u"issueInvoice"_qs, documents::issueInvoiceExecutor());
    e.add(u"issueCorrection"_qs, documents::issueCorrectionExecutor());
    e.add(u"completionDocuments"_qs, documents::completionDocumentsExecutor());
    inventory::addInventoryExecutors(e, marketplace);
    e.add(u"issueReceipt"_qs, devices::fiscal::makeIssueReceiptExecutor());
    e.add(u"generateLabel"_qs, std::make_shared<devices::labels::GenerateLabelExecutor>());
    e.add(u"printLabel"_qs, std::make_shared<devices::labels::PrintLabelExecutor>());
    e.add(u"printDocument"_qs, std::make_shared<devices::labels::PrintDocumentExecutor>());
    e.add(u"shipWithLabel"_qs, std::make_shared<devices::labels::GenerateLabelExecutor>(true));
    messaging::addMessagingExecutors(e);
    return e;
}

void Executors::add(const QString &action, std::shared_ptr<ActionExecutor> executor)
{
    m_executors.insert(action, std::move(executor));
}

void Executors::addJobHandler(const QString &kind, std::shared_ptr<JobHandler> handler)
{
    m_jobHandlers.insert(kind, std::move(handler));
}

ActionExecutor &Executors::forAction(const QString &action) const
{
    auto it = m_executors.constFind(action);
    return it != m_executors.constEnd() ? **it : *m_notConfigured;
}

} // namespace sd::automation
