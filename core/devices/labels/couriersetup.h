#pragma once

#include "devices/labels/courier.h"
#include "marketplace/allegro/allegroclient.h"

#include <memory>

namespace sd::storage {
class Database;
}
namespace sd::security {
class SecretStore;
}

namespace sd::devices::labels {

// Where this workstation's couriers are: InPost ShipX's address and organization in QSettings
// (couriers/inpost/url, couriers/inpost/organization), its token in the SecretStore under kShipXTokenKey; Allegro's
// through the order's own marketplace account.
inline constexpr char kShipXTokenKey[] = "couriers/inpost/token";

struct CourierSetup
{
    std::unique_ptr<marketplace::allegro::AllegroClient> client; // the order's Allegro account (Allegro courier)
    std::unique_ptr<Courier> courier;
};

// The courier ("allegro" or "inpost") for an order, ready to use on this thread.
Result<CourierSetup> makeCourier(const QString &name, const domain::Order &order,
                                 const std::shared_ptr<storage::Database> &db,
                                 const std::shared_ptr<security::SecretStore> &secrets,
                                 const marketplace::allegro::ClientOptions &options = {});

// The processes that hold the secrets (window, headless runner) make them known to the rule actions; until then the
// label actions say that no courier is set up.
void setRuleSecrets(std::shared_ptr<security::SecretStore> secrets);
std::shared_ptr<security::SecretStore> ruleSecrets();

} // namespace sd::devices::labels
