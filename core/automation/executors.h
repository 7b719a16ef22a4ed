#pragma once

#include "automation/rule.h"
#include "domain/order.h"
#include "storage/orderstore.h"

#include <QHash>
#include <QJsonObject>

#include <functional>
#include <memory>

namespace sd::automation {

class Dispatcher;
class RuleStore;
struct MarketplaceAccess;

struct ActionRun
{
    const Rule &rule;
    const Action &action;
    const domain::Order &order;
    QString key; // the idempotency key: the ledger's and the job's
    int depth = 0;
    qint64 jobId = 0;
};

struct ActionOutcome
{
    enum class Kind { Done, Failed, NotConfigured };
    Kind kind = Kind::Done;
    QString message;    // translated, for traces and the execution log
    QJsonObject detail; // recorded in the ledger (e.g. the response code)
    bool retry = false; // Failed: worth another attempt later
};

struct ExecutorEnv
{
    storage::OrderStore &store;
    RuleStore &rules;
    Dispatcher &dispatcher;
};

// One kind of action. `internal` executors only change the database: they run inside the transaction that also
// marks their ledger entry done, so they happen exactly once. External ones (a URL, later e-mail, printing) run
// between the ledger claim and its completion.
class ActionExecutor
{
public:
    virtual ~ActionExecutor() = default;
    virtual bool internal() const = 0;
    // An external effect that carries the idempotency key (the receiver can recognise a repeat): when a run was
    // interrupted between the call and its ledger entry, it is made again rather than left to a person.
    virtual bool repeatable() const { return false; }
    virtual ActionOutcome run(const ActionRun &run, ExecutorEnv &env) = 0;
    // An external effect that answers later (a URL call) is started by begin() instead: it returns at once and
    // calls `done` from this thread's event loop, so the scheduler runs other jobs meanwhile. `run` is copied
    // where the effect needs it after begin() returns.
    virtual bool asynchronous() const { return false; }
    virtual void begin(const ActionRun &run, ExecutorEnv &env, std::function<void(ActionOutcome)> done)
    {
        done(this->run(run, env));
    }
};

// A job of another kind than a rule's action (an e-mail, a status notification): the scheduler claims it like any
// job, runs it here and, on a failure worth retrying, queues it again with backoff. The handler keeps its own
// effects exactly once (the action ledger).
struct JobRun
{
    qint64 id = 0;
    QString kind;
    qint64 orderId = 0;
    QJsonObject payload;
    QString key;
    int attempts = 0; // including this one
    qint64 dueMs = 0;
};

class JobHandler
{
public:
    virtual ~JobHandler() = default;
    virtual ActionOutcome run(const JobRun &job, ExecutorEnv &env) = 0;
};

// The executors by action key; an action without one says "not configured" (its feature has not landed yet).
class Executors
{
public:
    // `marketplace`: the tokens and client options the marketplace actions use (null: they fail with a message).
    static Executors withDefaults(std::shared_ptr<const MarketplaceAccess> marketplace = {});
    void add(const QString &action, std::shared_ptr<ActionExecutor> executor);
    ActionExecutor &forAction(const QString &action) const;
    void addJobHandler(const QString &kind, std::shared_ptr<JobHandler> handler);
    JobHandler *jobHandler(const QString &kind) const { return m_jobHandlers.value(kind).get(); }
    QStringList jobKinds() const { return m_jobHandlers.keys(); }
    // Work the scheduler does each time it looks at the events, before the rules are dispatched (the stock
    // reservations that follow the order events). Returns how much it did; a failure is logged, the jobs still run.
    using Pass = std::function<Result<int>(ExecutorEnv &env)>;
    void addPass(Pass pass) { m_passes.append(std::move(pass)); }
    const QList<Pass> &passes() const { return m_passes; }

private:
    QHash<QString, std::shared_ptr<ActionExecutor>> m_executors;
    QHash<QString, std::shared_ptr<JobHandler>> m_jobHandlers;
    QList<Pass> m_passes;
    std::shared_ptr<ActionExecutor> m_notConfigured;
};

} // namespace sd::automation
