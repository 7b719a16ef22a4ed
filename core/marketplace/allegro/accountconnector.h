#pragma once

#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/oauthclient.h"

#include <functional>
#include <memory>

namespace sd::marketplace::allegro {

// Connects an Allegro account with the device flow: start() adds (or finds) the account, keeps the client
// secret in the SecretStore and returns what the user must see (URL and code); finish() polls until the user
// approved, stores the tokens, reads /me for the seller's login and marks the account connected.
class AccountConnector
{
public:
    AccountConnector(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                     ClientOptions options = {});
    ~AccountConnector();

    Result<DeviceAuthorization> start(MarketplaceAccount account, const QByteArray &clientSecret);
    Result<MarketplaceAccount> finish(const std::function<bool()> &cancelled = {});

    void setObserver(HttpExchangeObserver observer) { m_transport.setObserver(std::move(observer)); }

private:
    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
    ClientOptions m_options;
    HttpTransport m_transport;
    MarketplaceAccount m_account;
    std::unique_ptr<OAuthClient> m_oauth;
    DeviceAuthorization m_authorization;
};

} // namespace sd::marketplace::allegro
