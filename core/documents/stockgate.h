#pragma once

#include "domain/order.h"

#include <QString>

namespace sd::documents {

// Whether an order may be invoiced automatically as far as stock goes (feature C7: an order with a product at zero
// stock is flagged for manual invoicing instead). The stock module implements this and hands it to
// DocumentService::setStockGate(); until then AllowAllStock lets every order through.
class StockGate
{
public:
    struct Verdict
    {
        bool allowed = true;
        QString reason; // translated, shown when not allowed ("Mug 300 ml: 0 in stock")
    };
    virtual ~StockGate() = default;
    virtual Verdict check(const domain::Order &order) = 0;
};

class AllowAllStock : public StockGate
{
public:
    Verdict check(const domain::Order &) override { return {}; }
};

} // namespace sd::documents
