#pragma once

#include "storage/database.h"

#include <QCoreApplication>

namespace sd::inventory {

// The stock module's settings, in the database so every workstation shares them (inventory_settings).
struct InventorySettings
{
    Q_DECLARE_TR_FUNCTIONS(InventorySettings)

public:
    // C6: stock sync runs only while both are on. The invoicing module reads autoInvoicing when it lands.
    bool autoOrderDownload = false;
    bool autoInvoicing = false;
    // C3: the synced quantity is stock over all warehouses, less what open orders reserve when this is on.
    bool subtractReservations = true;
    // X8: one sync may end at most this many offers, and cut the synced offers' total quantity by at most this
    // percentage (when it lowers at least cutMinOffers offers), within the window; more waits for the operator.
    int guardMaxEnded = 20;
    int guardMaxCutPercent = 50;
    int guardCutMinOffers = 10;
    int guardWindowSeconds = 600;
    // A stock change waits this long for others before its sync runs (they share one job).
    int debounceMs = 200;
    // The tag that marks an order to invoice by hand (C7), named when first used.
    QString manualInvoiceTag;

    static Result<InventorySettings> load(storage::Database &db);
    Result<void> save(storage::Database &db) const;
    // Sets one setting by its key ("autoOrderDownload", "autoInvoicing", "subtractReservations", "guardMaxEnded",
    // "guardMaxCutPercent", "guardCutMinOffers", "guardWindowSeconds", "debounceMs") from text as typed.
    static Result<void> set(storage::Database &db, const QString &key, const QString &value);
    static QStringList keys();

    bool syncAllowed() const { return autoOrderDownload && autoInvoicing; }
    // Why sync is paused (translated), or empty when it may run.
    QString pausedReason() const;
};

} // namespace sd::inventory
