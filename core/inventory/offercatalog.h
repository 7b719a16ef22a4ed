#pragma once

#include "inventory/inventorystore.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <optional>

namespace sd::marketplace::allegro {
class AllegroClient;
}

namespace sd::inventory {

struct OfferView
{
    qint64 accountId = 0;
    QString account;
    QString offerId;
    QString name;
    QString externalId;
    QString status; // publication status: ACTIVE, ENDED, INACTIVE, ACTIVATING
    QString format; // BUY_NOW, AUCTION, ADVERTISEMENT
    bool archived = false;
    int available = -1; // as the marketplace last showed it; -1 unknown
    qint64 productId = 0;
    QString sku;
    QString linkSource; // "auto", "manual" or empty
    bool syncEnabled = false;
    bool autoEndResume = true; // C5: off while any offer of the same product is synced
    QString syncState;         // "", "pending", "failed"
    QString syncError;
    int syncAttempts = 0;
    int localQuantity = -1; // what sync would set (stock over all warehouses, less reservations); -1 when not linked
    QJsonObject toJson() const;
};

struct OfferFilter
{
    std::optional<bool> linked;
    std::optional<bool> sync;
    QString format;
    QString status;
    qint64 accountId = 0;
    QString offerId;
};

// The result of a bulk action for one offer: done, or refused with the reason.
struct OfferOutcome
{
    QString offerId;
    bool ok = false;
    QString message;
};

// Marketplace offers as the inventory sees them: linked to products (by external.id = SKU or EAN automatically, by
// hand otherwise), with stock sync switched on or off per offer under the seeds' rules (C2, C4, C5, C6).
class OfferCatalog
{
    Q_DECLARE_TR_FUNCTIONS(OfferCatalog)

public:
    explicit OfferCatalog(InventoryStore &inventory);

    // Stores the offers of one account as the listing shows them (format, publication, stock). complete: this was
    // the whole listing, so offers of the account that are missing were archived (Allegro's OFFER_ARCHIVED); their
    // sync is switched off. Links new offers automatically. Returns how many offers were stored.
    Result<int> importOffers(qint64 accountId, const QJsonArray &offers, bool complete);
    // Reads the account's whole listing through the client and imports it.
    Result<int> refresh(marketplace::allegro::AllegroClient &client);
    // Links every unlinked offer whose external.id is a product's SKU or EAN; returns how many were linked.
    Result<int> autoLink(qint64 accountId = 0);
    // A hand-made link. allowedAccountId (0: any) is the account the operator works in; an offer of another
    // account is refused.
    Result<OfferView> link(const QString &offerId, const QString &sku, qint64 allowedAccountId = 0);

    Result<QList<OfferOutcome>> enableSync(const QStringList &offerIds, qint64 allowedAccountId = 0);
    Result<QList<OfferOutcome>> disableSync(const QStringList &offerIds, qint64 allowedAccountId = 0);
    // C5: automatic end/resume may act on this offer only when no offer of its product is synced.
    Result<bool> autoEndResumeAllowed(qint64 accountId, const QString &offerId);

    Result<QList<OfferView>> list(const OfferFilter &filter = {});
    Result<OfferView> offer(const QString &offerId, qint64 allowedAccountId = 0);

    InventoryStore &inventory() { return m_inventory; }

private:
    InventoryStore &m_inventory;
};

} // namespace sd::inventory
