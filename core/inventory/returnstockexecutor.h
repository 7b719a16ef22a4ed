#pragma once

#include "automation/executors.h"

#include <QCoreApplication>

namespace sd::inventory {

// The automation's "Return stock to the warehouse" action: the order's items come back as a receipt (PZ) into the
// warehouse the action names (its code) or the default one. Database only, so it runs in the transaction that marks
// its ledger entry done, and the document's source key is the ledger key: exactly once per key.
class ReturnStockExecutor : public automation::ActionExecutor
{
    Q_DECLARE_TR_FUNCTIONS(ReturnStockExecutor)

public:
    bool internal() const override { return true; }
    automation::ActionOutcome run(const automation::ActionRun &run, automation::ExecutorEnv &env) override;
};

} // namespace sd::inventory
