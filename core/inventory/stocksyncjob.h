#pragma once

#include "automation/executors.h"
#include "automation/marketplaceexecutors.h"

#include <QCoreApplication>

#include <memory>

namespace sd::inventory {

// "stock.sync", run by the scheduler of the window and of `sellerdesk --headless`: takes every other due sync job
// (one run serves them all) and runs each connected Allegro account's StockSync through the tokens of the
// process's secret store. A paused (C6) or held (X8) sync is done as far as the job goes: the windows show why.
// A failure that may pass (network, a token) is retried by the scheduler with backoff; offers the marketplace
// refused are retried by StockSync's own later job.
class StockSyncJob : public automation::JobHandler
{
    Q_DECLARE_TR_FUNCTIONS(StockSyncJob)

public:
    explicit StockSyncJob(std::shared_ptr<const automation::MarketplaceAccess> access);
    automation::ActionOutcome run(const automation::JobRun &job, automation::ExecutorEnv &env) override;

private:
    std::shared_ptr<const automation::MarketplaceAccess> m_access;
};

// True when the background has stock work waiting: a stock sync job is due, or an order event lies past the
// reservations' cursor (written by another process, which cannot wake this one's scheduler on SQLite).
Result<bool> stockWorkWaiting(storage::Database &db);

// The inventory's share of the default executors: the returnStock action, the stock sync job and the reservations
// that follow the order events (a scheduler pass).
void addInventoryExecutors(automation::Executors &executors,
                           std::shared_ptr<const automation::MarketplaceAccess> marketplace);

} // namespace sd::inventory
