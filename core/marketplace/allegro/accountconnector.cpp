#include "marketplace/allegro/accountconnector.h"

#include "security/secretstore.h"
#include "util/logging.h"

#include <QCoreApplication>

namespace sd::marketplace::allegro {

AccountConnector::AccountConnector(std::shared_ptr<storage::Database> db,
                                   std::shared_ptr<security::SecretStore> secrets, ClientOptions options)
    : m_db(std::move(db))
    , m_secrets(std::move(secrets))
    , m_options(options)
    , m_transport(options.retry.requestTimeoutMs)
{}

AccountConnector::~AccountConnector() = default;

Result<DeviceAuthorization> AccountConnector::start(MarketplaceAccount account, const QByteArray &clientSecret)
{
    if (!m_secrets)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::allegro", "No secret store is open for the tokens."));
    AccountStore accounts(m_db);
    auto existing = accounts.findByName(account.name.trimmed());
    if (!existing)
        return existing.error();
    if (existing->has_value()) {
        m_account = **existing;
    } else {
        auto added = accounts.add(account);
        if (!added)
            return added.error();
        m_account = *added;
    }
    if (!clientSecret.isEmpty()) {
        if (auto r = m_secrets->write(TokenKeeper::clientSecretKey(m_account.secretRef), clientSecret); !r)
            return r.error();
    }
    m_oauth = std::make_unique<OAuthClient>(m_transport, m_account.authBaseUrl, m_account.clientId, clientSecret,
                                            m_options.retry);
    auto authorization = m_oauth->startDeviceFlow();
    if (!authorization)
        return authorization.error();
    m_authorization = *authorization;
    return m_authorization;
}

Result<MarketplaceAccount> AccountConnector::finish(const std::function<bool()> &cancelled)
{
    if (!m_oauth)
        return makeError(Error::Code::Internal,
                         QCoreApplication::translate("sd::allegro", "Connecting was not started."));
    auto tokens = m_oauth->waitForApproval(m_authorization, cancelled);
    if (!tokens)
        return tokens.error();
    TokenKeeper keeper(m_db, m_secrets, m_account.id);
    if (auto r = keeper.storeInitial(*tokens); !r)
        return r.error();
    AccountStore accounts(m_db);
    AllegroClient client(m_account, m_db, m_secrets, m_options);
    if (auto me = client.me(); me) {
        if (auto r =
                accounts.setConnected(m_account.id, true, me->value(u"id").toString(), me->value(u"login").toString());
            !r)
            return r.error();
    } else {
        // The tokens work or not on the first sync; /me only labels the account.
        qCWarning(lcAllegro) << "GET /me failed:" << me.error().text();
        if (auto r = accounts.setConnected(m_account.id, true); !r)
            return r.error();
    }
    return accounts.get(m_account.id);
}

} // namespace sd::marketplace::allegro
