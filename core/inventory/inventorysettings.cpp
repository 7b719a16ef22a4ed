#include "inventory/inventorysettings.h"

#include "access/session.h"
#include "automation/sqlrun.h"

namespace sd::inventory {

using automation::runSql;

namespace {

QVariantMap toMap(const InventorySettings &s)
{
    return {{u"autoOrderDownload"_qs, s.autoOrderDownload},       {u"autoInvoicing"_qs, s.autoInvoicing},
            {u"subtractReservations"_qs, s.subtractReservations}, {u"guardMaxEnded"_qs, s.guardMaxEnded},
            {u"guardMaxCutPercent"_qs, s.guardMaxCutPercent},     {u"guardCutMinOffers"_qs, s.guardCutMinOffers},
            {u"guardWindowSeconds"_qs, s.guardWindowSeconds},     {u"debounceMs"_qs, s.debounceMs},
            {u"manualInvoiceTag"_qs, s.manualInvoiceTag}};
}

} // namespace

QStringList InventorySettings::keys()
{
    QStringList k = toMap({}).keys();
    k.removeAll(u"manualInvoiceTag"_qs);
    return k;
}

Result<InventorySettings> InventorySettings::load(storage::Database &db)
{
    auto q = runSql(db, u"SELECT key, value FROM inventory_settings"_qs, "load inventory settings");
    if (!q)
        return q.error();
    InventorySettings s;
    while (q->next()) {
        const QString key = q->value(0).toString();
        const QString value = q->value(1).toString();
        const bool flag = value == u"1";
        const int number = value.toInt();
        if (key == u"autoOrderDownload")
            s.autoOrderDownload = flag;
        else if (key == u"autoInvoicing")
            s.autoInvoicing = flag;
        else if (key == u"subtractReservations")
            s.subtractReservations = flag;
        else if (key == u"guardMaxEnded")
            s.guardMaxEnded = number;
        else if (key == u"guardMaxCutPercent")
            s.guardMaxCutPercent = number;
        else if (key == u"guardCutMinOffers")
            s.guardCutMinOffers = number;
        else if (key == u"guardWindowSeconds")
            s.guardWindowSeconds = number;
        else if (key == u"debounceMs")
            s.debounceMs = number;
        else if (key == u"manualInvoiceTag")
            s.manualInvoiceTag = value;
    }
    return s;
}

Result<void> InventorySettings::save(storage::Database &db) const
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    storage::Transaction tx(db, "save inventory settings");
    if (!tx.started())
        return tx.started().error();
    const QVariantMap map = toMap(*this);
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        const QString value = it->typeId() == QMetaType::Bool ? (it->toBool() ? u"1"_qs : u"0"_qs) : it->toString();
        if (auto r = runSql(db,
                            u"INSERT INTO inventory_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                            "SET value = excluded.value"_qs,
                            "save inventory setting", {it.key(), value});
            !r)
            return r.error();
    }
    return tx.commit();
}

Result<void> InventorySettings::set(storage::Database &db, const QString &key, const QString &value)
{
    auto s = load(db);
    if (!s)
        return s.error();
    const QString v = value.trimmed().toLower();
    const bool on = v == u"on" || v == u"1" || v == u"true" || v == u"yes";
    const bool off = v == u"off" || v == u"0" || v == u"false" || v == u"no";
    bool ok = false;
    const int number = v.toInt(&ok);
    auto flag = [&](bool &target) -> Result<void> {
        if (!on && !off)
            return makeError(Error::Code::Invalid, tr("The setting %1 takes on or off.").arg(key));
        target = on;
        return {};
    };
    auto count = [&](int &target, int min, int max) -> Result<void> {
        if (!ok || number < min || number > max)
            return makeError(Error::Code::Invalid,
                             tr("The setting %1 takes a whole number from %2 to %3.").arg(key).arg(min).arg(max));
        target = number;
        return {};
    };
    Result<void> r;
    if (key == u"autoOrderDownload")
        r = flag(s->autoOrderDownload);
    else if (key == u"autoInvoicing")
        r = flag(s->autoInvoicing);
    else if (key == u"subtractReservations")
        r = flag(s->subtractReservations);
    else if (key == u"guardMaxEnded")
        r = count(s->guardMaxEnded, 0, 1000000);
    else if (key == u"guardMaxCutPercent")
        r = count(s->guardMaxCutPercent, 1, 100);
    else if (key == u"guardCutMinOffers")
        r = count(s->guardCutMinOffers, 1, 1000000);
    else if (key == u"guardWindowSeconds")
        r = count(s->guardWindowSeconds, 0, 7 * 86400);
    else if (key == u"debounceMs")
        r = count(s->debounceMs, 0, 60000);
    else
        return makeError(Error::Code::Invalid,
                         tr("There is no stock setting %1; the settings are: %2.").arg(key, keys().join(u", ")));
    if (!r)
        return r;
    return s->save(db);
}

QString InventorySettings::pausedReason() const
{
    if (syncAllowed())
        return {};
    if (!autoOrderDownload && !autoInvoicing)
        return tr("Stock sync is paused: automatic order download and automatic invoicing are both off.");
    if (!autoOrderDownload)
        return tr("Stock sync is paused: automatic order download is off.");
    return tr("Stock sync is paused: automatic invoicing is off.");
}

} // namespace sd::inventory
