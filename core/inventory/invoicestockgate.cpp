#include "inventory/invoicestockgate.h"

#include "inventory/inventorystore.h"
#include "inventory/reservations.h"

namespace sd::inventory {

InvoiceStockGate::InvoiceStockGate(storage::OrderStore &orders)
    : m_orders(orders)
{}

documents::StockGate::Verdict InvoiceStockGate::check(const domain::Order &order)
{
    InventoryStore inventory(m_orders);
    QStringList empty;
    auto blocked = Reservations(inventory).zeroStockBlocksInvoice(order.id, u"inventory"_qs, &empty);
    if (!blocked)
        return {false, tr("the stock could not be checked: %1").arg(blocked.error().userMessage)};
    if (*blocked)
        return {false, tr("no stock of %1; tagged to be invoiced by hand after restocking").arg(empty.join(u", "))};
    return {};
}

std::shared_ptr<documents::StockGate> invoiceStockGate(storage::OrderStore &orders)
{
    return std::make_shared<InvoiceStockGate>(orders);
}

Result<documents::AutoInvoiceReport> autoInvoiceDownloaded(storage::OrderStore &orders)
{
    documents::DocumentService service(orders);
    service.setStockGate(invoiceStockGate(orders)); // C7: no automatic invoice at zero stock
    return service.autoInvoiceDownloaded({u"auto-invoice"_qs, u"download"_qs, 0});
}

} // namespace sd::inventory
