#pragma once

#include "documents/documentservice.h"
#include "documents/stockgate.h"

#include <QCoreApplication>

#include <memory>

namespace sd::storage {
class OrderStore;
}

namespace sd::inventory {

// C7 for automatic invoicing (D1 after a download, the issueInvoice rule action): an order with a product whose
// free stock is zero is not invoiced automatically; Reservations::zeroStockBlocksInvoice tags it for invoicing by
// hand (an order change with its history). Orders whose items are no products pass.
class InvoiceStockGate : public documents::StockGate
{
    Q_DECLARE_TR_FUNCTIONS(InvoiceStockGate)

public:
    explicit InvoiceStockGate(storage::OrderStore &orders);
    Verdict check(const domain::Order &order) override;

private:
    storage::OrderStore &m_orders;
};

// The gate every automatic invoicing uses (DocumentService::setStockGate).
std::shared_ptr<documents::StockGate> invoiceStockGate(storage::OrderStore &orders);

// D1 after a download, wherever the download ran (the window, a headless node, `allegro sync`): invoices for the
// downloaded orders when automatic invoicing is on, through this gate (C7), each order once.
Result<documents::AutoInvoiceReport> autoInvoiceDownloaded(storage::OrderStore &orders);

} // namespace sd::inventory
