#include "inventory/stocksyncjob.h"

#include "automation/sqlrun.h"
#include "inventory/offercatalog.h"
#include "inventory/reservations.h"
#include "inventory/returnstockexecutor.h"
#include "inventory/stocksync.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/selleractions.h"
#include "storage/actionledger.h"

namespace sd::inventory {

using automation::ActionOutcome;
using automation::runSql;

StockSyncJob::StockSyncJob(std::shared_ptr<const automation::MarketplaceAccess> access)
    : m_access(std::move(access))
{}

ActionOutcome StockSyncJob::run(const automation::JobRun &, automation::ExecutorEnv &env)
{
    const std::shared_ptr<storage::Database> &db = env.store.sharedDatabase();
    // Every change in the meantime is served by this one run.
    if (auto taken = StockSync::takeDue(*db); !taken)
        return {ActionOutcome::Kind::Failed, taken.error().userMessage, {}, true};
    auto accounts = marketplace::AccountStore(db).list();
    if (!accounts)
        return {ActionOutcome::Kind::Failed, accounts.error().userMessage, {}, true};
    QList<marketplace::MarketplaceAccount> connected;
    for (const marketplace::MarketplaceAccount &a : std::as_const(*accounts))
        if (a.connected)
            connected.append(a);
    if (connected.isEmpty())
        return {ActionOutcome::Kind::Done, tr("No marketplace account is connected: no offer to sync."), {}, false};
    if (!m_access || !m_access->secrets)
        return {ActionOutcome::Kind::Failed,
                tr("The secret store with the marketplace tokens is not open yet; the stock sync waits for it."),
                {},
                true};
    InventoryStore inventory(env.store);
    OfferCatalog offers(inventory);
    storage::ActionLedger ledger(db);
    marketplace::allegro::AllegroRecords records(db);
    QStringList messages;
    ActionOutcome outcome;
    for (const marketplace::MarketplaceAccount &account : std::as_const(connected)) {
        marketplace::allegro::AllegroClient client(account, db, m_access->secrets, m_access->options);
        marketplace::allegro::SellerActions actions(client, env.store, ledger, records, u"automation"_qs);
        StockSync sync(offers, actions, account.id);
        sync.setActor(u"automation"_qs);
        auto report = sync.run();
        if (!report) {
            outcome.kind = ActionOutcome::Kind::Failed;
            const Error::Code code = report.error().code;
            outcome.retry = outcome.retry || code == Error::Code::Io || code == Error::Code::Storage ||
                            code == Error::Code::Locked || code == Error::Code::Conflict;
            messages.append(account.name + u": " + report.error().userMessage);
            continue;
        }
        messages.append(account.name + u": " + report->message);
        outcome.detail.insert(account.name, QJsonObject{{u"run"_qs, report->runId},
                                                        {u"commands"_qs, report->commands},
                                                        {u"updated"_qs, report->updated},
                                                        {u"failed"_qs, report->failed}});
    }
    outcome.message = messages.join(u' ');
    return outcome;
}

Result<bool> stockWorkWaiting(storage::Database &db)
{
    auto q = runSql(db,
                    u"SELECT (SELECT COUNT(*) FROM jobs WHERE kind = ? AND state = 'pending' AND due_at <= ?) + "
                    "(SELECT COUNT(*) FROM automation_state s WHERE s.name = ? AND EXISTS (SELECT 1 FROM events e "
                    "WHERE e.id > s.value))"_qs,
                    "stock work waiting",
                    {QString::fromLatin1(StockSync::kJobKind), QDateTime::currentMSecsSinceEpoch(),
                     QString::fromLatin1(Reservations::kCursor)});
    if (!q)
        return q.error();
    return q->next() && q->value(0).toLongLong() > 0;
}

void addInventoryExecutors(automation::Executors &executors,
                           std::shared_ptr<const automation::MarketplaceAccess> marketplace)
{
    executors.add(u"returnStock"_qs, std::make_shared<ReturnStockExecutor>());
    executors.addJobHandler(QString::fromLatin1(StockSync::kJobKind),
                            std::make_shared<StockSyncJob>(std::move(marketplace)));
    executors.addPass([](automation::ExecutorEnv &env) -> Result<int> {
        InventoryStore inventory(env.store);
        return Reservations(inventory).follow();
    });
}

} // namespace sd::inventory
