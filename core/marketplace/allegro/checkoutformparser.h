#pragma once

#include "domain/order.h"
#include "util/jsontree.h"

#include <QJsonObject>

namespace sd::marketplace::allegro {

// Maps one Allegro checkout form (GET /order/checkout-forms/{id}) onto the Order aggregate.
// Strict about what the schema requires and about types: a bad form is refused with the field's path and
// the reason, never half-read. The seller's own status is not touched: it is not the marketplace's.
class CheckoutFormParser
{
public:
    explicit CheckoutFormParser(QString account = {})
        : m_account(std::move(account))
    {}

    Result<domain::Order> parse(const QJsonObject &form) const;
    // The same for a form read by the import's own JSON reader: same rules, same messages.
    Result<domain::Order> parse(const util::JsonRef &form) const;

private:
    QString m_account;
};

} // namespace sd::marketplace::allegro
