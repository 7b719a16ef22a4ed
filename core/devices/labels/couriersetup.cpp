#include "devices/labels/couriersetup.h"

#include "devices/labels/allegroshipping.h"
#include "devices/labels/shipxclient.h"
#include "marketplace/accountstore.h"
#include "security/secretstore.h"

#include <QCoreApplication>
#include <QMutex>
#include <QSettings>

namespace sd::devices::labels {

namespace {

QMutex s_secretsMutex;
std::shared_ptr<security::SecretStore> s_secrets;

} // namespace

void setRuleSecrets(std::shared_ptr<security::SecretStore> secrets)
{
    QMutexLocker lock(&s_secretsMutex);
    s_secrets = std::move(secrets);
}

std::shared_ptr<security::SecretStore> ruleSecrets()
{
    QMutexLocker lock(&s_secretsMutex);
    return s_secrets;
}

Result<CourierSetup> makeCourier(const QString &name, const domain::Order &order,
                                 const std::shared_ptr<storage::Database> &db,
                                 const std::shared_ptr<security::SecretStore> &secrets,
                                 const marketplace::allegro::ClientOptions &options)
{
    if (!secrets)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::labels", "The secret store is not open, so no courier can be used."));
    CourierSetup setup;
    if (name == u"allegro") {
        bool numeric = false;
        const qint64 accountId = order.account.toLongLong(&numeric);
        if (!numeric || !order.marketplace.startsWith(u"allegro"))
            return makeError(
                Error::Code::Invalid,
                QCoreApplication::translate("sd::labels",
                                            "\"Wysyłam z Allegro\" ships Allegro orders only; this order is not one."));
        auto account = marketplace::AccountStore(db).get(accountId);
        if (!account)
            return account.error();
        setup.client = std::make_unique<marketplace::allegro::AllegroClient>(*account, db, secrets, options);
        setup.courier = std::make_unique<AllegroShipping>(*setup.client, Sender::fromSettings());
        return setup;
    }
    if (name == u"inpost") {
        QSettings settings;
        ShipXAccount account;
        account.baseUrl =
            QUrl(settings.value(u"couriers/inpost/url"_qs, u"https://api-shipx-pl.easypack24.net"_qs).toString());
        account.organizationId = settings.value(u"couriers/inpost/organization"_qs).toString();
        account.sendingMethod = settings.value(u"couriers/inpost/sendingMethod"_qs, u"dispatch_order"_qs).toString();
        auto token = secrets->read(QString::fromLatin1(kShipXTokenKey));
        if (!token)
            return token.error();
        if (!token->has_value() || account.organizationId.isEmpty())
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate(
                                 "sd::labels",
                                 "InPost ShipX is not set up: run \"sellerdesk-cli label inpost-setup\" with the "
                                 "organization and the API token."));
        account.token = **token;
        setup.courier = std::make_unique<ShipXClient>(account);
        return setup;
    }
    return makeError(
        Error::Code::Invalid,
        QCoreApplication::translate("sd::labels", "Unknown courier \"%1\"; use allegro or inpost.").arg(name));
}

} // namespace sd::devices::labels
