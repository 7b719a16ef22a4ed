#pragma once

#include "automation/executors.h"
#include "marketplace/allegro/allegroclient.h"

#include <memory>

namespace sd::security {
class SecretStore;
}

namespace sd::automation {

// What the marketplace actions need beyond the database: the SecretStore holding the accounts' tokens (opened by
// the process that runs the scheduler) and the client's options. Without a SecretStore they fail with a message.
struct MarketplaceAccess
{
    std::shared_ptr<security::SecretStore> secrets;
    marketplace::allegro::ClientOptions options;
};

// The rule actions that write to the order's marketplace account (Allegro): mark shipped with its tracking
// numbers, refund the whole payment, claim the commission back for every line item, answer the buyer's newest
// Message Center message (the autoresponder action, keyed like the B6 settings' answers). Each goes through
// SellerActions, whose own ledger entries (the run's key + a suffix) and client-chosen ids (the refund's commandId)
// make a repeat safe: a second run of the same key finds them done and sends nothing, so the executor is
// repeatable. A 5xx, a timeout or a refused token is tried again later; a 4xx (the marketplace refused the data)
// is not.
class MarketplaceExecutor : public ActionExecutor
{
public:
    enum class Kind { MarkShipped, RefundPayment, CommissionClaim, Autoresponder };

    MarketplaceExecutor(Kind kind, std::shared_ptr<const MarketplaceAccess> access);

    bool internal() const override { return false; }
    bool repeatable() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &env) override;

    // The full refund of an order: every line item's whole quantity, and the delivery cost.
    static QJsonObject fullRefund(const domain::Order &order);

private:
    Kind m_kind;
    std::shared_ptr<const MarketplaceAccess> m_access;
};

} // namespace sd::automation
