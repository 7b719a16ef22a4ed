#include "demo.h"

#include "marketplace/allegro/checkoutformgenerator.h"
#include "storage/catalogstore.h"

#include <QCoreApplication>

namespace sd::cli {

Result<marketplace::ImportReport> seedDemoOrders(const std::shared_ptr<storage::Database> &db, int count, quint64 seed)
{
    storage::OrderStore store(db);
    marketplace::OrderImporter importer(store, QStringLiteral("demo-seller"));
    marketplace::allegro::CheckoutFormGenerator generator(seed);
    const marketplace::ImportReport report = importer.importForms(generator.batch(count));

    // Older paid orders have moved on, as they would in a shop that works every day.
    storage::CatalogStore catalog(db);
    auto statuses = catalog.statuses();
    if (!statuses)
        return statuses.error();
    auto pick = [&](storage::StatusGroup group) {
        for (const auto &s : *statuses)
            if (s.group == group)
                return s.name;
        return QString();
    };
    const QString toShip = pick(storage::StatusGroup::InProgress);
    const QString shipped = pick(storage::StatusGroup::Shipped);
    const QString closed = pick(storage::StatusGroup::Closed);
    auto list = store.list({QString(), QString(), count});
    if (!list)
        return list.error();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const storage::ChangeContext context{QStringLiteral("demo"),
                                         QCoreApplication::translate("sd::cli", "training profile"), 0};
    if (auto r = db->begin("demo statuses"); !r)
        return r.error();
    for (const auto &order : *list) {
        if (report.created == 0 || order.paymentStatus != u"paid" || order.status != pick(storage::StatusGroup::New))
            continue;
        const qint64 days = order.createdAt.daysTo(now);
        const QString target = days > 30 ? closed : days > 3 ? shipped : toShip;
        if (target.isEmpty())
            continue;
        if (auto r = store.apply(storage::OrderChange::setStatus(order.id, target, context)); !r) {
            db->rollback();
            return r.error();
        }
    }
    if (auto r = db->commit("demo statuses"); !r)
        return r.error();
    return report;
}

} // namespace sd::cli
