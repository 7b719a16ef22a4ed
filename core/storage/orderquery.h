#pragma once

#include "storage/database.h"
#include "storage/orderstore.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QVariant>

#include <memory>
#include <optional>

namespace sd::storage {

// Read-only questions about many orders, shaped for a list that must stay quick on a million rows:
// pages are read by key (newest first), never by offset, and counts come from indexes.
class OrderQuery
{
public:
    // What the list is sorted by; every sort ends with the order id, so a page boundary is exact.
    enum class Sort { Created, Id, Total, Buyer, Items, Payment, Delivery, Marketplace, Status };

    struct Filter
    {
        qint64 statusId = 0;       // 0: any status
        QString statusGroup;       // "new", "in-progress", ...; empty: any
        QString paymentStatus;     // "paid", "unpaid", ...
        QString paymentMethod;     // "CASH_ON_DELIVERY", ...
        QString deliveryMethod;    // exact method name
        QString marketplace;       // "allegro-pl", "manual", ...
        QString account;           // the marketplace account
        QString marketplaceStatus; // the marketplace's own state: BOUGHT, FILLED_IN, READY_FOR_PROCESSING, CANCELLED
        QString deliveryCountry;   // "PL", "CZ", ...: the delivery address (or the pick-up point's)
        QString tag;               // has this tag
        QString referrer;          // has this referrer
        std::optional<bool> invoiceWanted;
        std::optional<bool> buyerCommented; // the buyer wrote a message to the seller
        std::optional<qint64> totalFrom;    // minor units, inclusive
        std::optional<qint64> totalTo;      // minor units, inclusive
        QDateTime createdFrom;              // inclusive
        QDateTime createdTo;                // exclusive
        // Number, marketplace id, buyer login/e-mail/name, item name/SKU/EAN: each word starts a word there, or
        // (three letters or more, SQLite) appears anywhere in the login, e-mail or name.
        QString search;
        Sort sort = Sort::Created;
        bool ascending = false; // newest first by default

        bool operator==(const Filter &) const = default;
        QJsonObject toJson() const;
        static Filter fromJson(const QJsonObject &json);
    };

    // A named filter the user keeps as a tab of its own ("bookmark").
    struct SavedView
    {
        qint64 id = 0;
        QString name;
        Filter filter;
    };

    // Where a page ends: the next page starts after this order.
    struct Key
    {
        QVariant sortValue; // the value of the sort column in the last row of the page
        qint64 id = 0;
    };

    explicit OrderQuery(std::shared_ptr<Database> db);

    // Indexes the orders changed since the last call for search (SQLite; nothing to do on PostgreSQL).
    // Runs in the caller's transaction when one is open.
    Result<void> refreshSearchIndex();
    // The statements refreshSearchIndex() runs (the benchmark runs them on its plain copy too).
    static const QList<const char *> &searchIndexStatements();

    Result<QList<OrderSummary>> page(const Filter &filter, std::optional<Key> after, int limit);
    Result<qint64> count(const Filter &filter);
    // Orders per status id for the filter with its status part left out: the numbers on the status tabs.
    Result<QHash<qint64, qint64>> countsByStatus(const Filter &filter);

    // The values in use, for the filter panel's choices: "delivery_method", "marketplace", "account",
    // "delivery_country", "referrers" (each referrer once) or "tags" (the tags defined).
    Result<QStringList> distinctValues(const QString &column);

    // What OrderStore writes into the filter columns of an order's row.
    static QString deliveryCountryOf(const domain::Order &order);
    static QString referrersColumn(const QStringList &referrers);

    Result<QList<SavedView>> savedViews();
    Result<SavedView> saveView(const QString &name, const Filter &filter); // replaces a view of that name
    Result<void> removeView(qint64 id);

    static Key keyOf(const OrderSummary &order, Sort sort = Sort::Created);

private:
    QString where(const Filter &filter, bool withStatus, QVariantList &binds) const;

    std::shared_ptr<Database> m_db;
};

} // namespace sd::storage
