#include "inventory/returnstockexecutor.h"

#include "inventory/inventorystore.h"
#include "inventory/reservations.h"

#include <QHash>

namespace sd::inventory {

automation::ActionOutcome ReturnStockExecutor::run(const automation::ActionRun &run, automation::ExecutorEnv &env)
{
    using automation::ActionOutcome;
    InventoryStore inventory(env.store);
    // Items that never left the warehouse are only reserved: returning them means giving the reservation up (a
    // receipt would count them twice).
    Reservations reservations(inventory);
    auto issued = reservations.issued(run.order.id);
    if (!issued)
        return {ActionOutcome::Kind::Failed, issued.error().userMessage, {}, true};
    if (!*issued) {
        if (auto r = reservations.release(run.order.id); !r)
            return {ActionOutcome::Kind::Failed, r.error().userMessage, {}, true};
        return {ActionOutcome::Kind::Done,
                tr("The order's items had not left the warehouse: their reservation was released."),
                {{u"released"_qs, true}},
                false};
    }
    auto warehouse = inventory.warehouse(run.action.params.value(u"warehouse").toString());
    if (!warehouse)
        return {ActionOutcome::Kind::Failed, warehouse.error().userMessage, {}, false};
    auto ids = matchItems(inventory, run.order);
    if (!ids)
        return {ActionOutcome::Kind::Failed, ids.error().userMessage, {}, true};
    QHash<qint64, int> back;
    for (qsizetype i = 0; i < ids->size(); ++i) {
        if (ids->at(i))
            back[ids->at(i)] += run.order.items.at(i).quantity;
    }
    if (back.isEmpty())
        return {ActionOutcome::Kind::Done,
                tr("No item of the order is a product in stock; nothing was returned."),
                {},
                false};
    DocumentRequest request;
    request.kind = DocumentKind::Receipt;
    request.author = u"rule:"_qs + QString::number(run.rule.id);
    request.orderId = run.order.id;
    request.sourceKey = run.key;
    request.note = tr("Return of order %1")
                       .arg(run.order.externalId.isEmpty() ? QString::number(run.order.id) : run.order.externalId);
    for (auto it = back.cbegin(); it != back.cend(); ++it)
        request.lines.append({it.key(), warehouse->id, 0, it.value()});
    auto document = inventory.post(request);
    if (!document)
        return {ActionOutcome::Kind::Failed, document.error().userMessage, {}, false};
    return {ActionOutcome::Kind::Done,
            document->existed ? tr("The items were returned already (%1).").arg(document->number)
                              : tr("Items returned to the warehouse %1 (%2).").arg(warehouse->code, document->number),
            {{u"document"_qs, document->number}, {u"warehouse"_qs, warehouse->code}},
            false};
}

} // namespace sd::inventory
