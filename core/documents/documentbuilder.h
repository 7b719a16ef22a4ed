#pragma once

#include "documents/document.h"
#include "documents/settings.h"
#include "domain/order.h"

#include <optional>

namespace sd::documents {

// Makes the document for an order from the same data every output (FA(3), PDF, list) uses.
// Lines: the items at their rates; order discounts spread over the item lines in proportion to their value (as a
// line discount, P_10, so each rate keeps its share); shipping and surcharges at the highest item rate or at the
// rate the settings give. A buyer in another EU country without a VAT id pays that country's OSS rate when OSS is
// on; with an EU VAT id the supply is intra-community (0 % WDT); outside the EU it is an export (0 % EX).
struct BuildOptions
{
    std::optional<DocumentType> type; // none: a VAT invoice with a NIP, else per settings (private person or refusal)
    QDate issueDate;                  // invalid: today
};

Result<Document> buildFromOrder(const domain::Order &order, const Party &seller, const DocumentSettings &settings,
                                const BuildOptions &options);

// The per-rate totals the order's sales document would carry (the same lines and rounding as buildFromOrder), without
// the seller's data or the document type's checks: what the order brings in net of VAT.
Result<Totals> orderVatTotals(const domain::Order &order, const DocumentSettings &settings);

// Spreads amount (minor units, >= 0) over weights in proportion, largest remainder first, never more than a weight;
// the parts add up to exactly min(amount, sum of weights).
QList<qint64> spreadProportionally(qint64 amount, const QList<qint64> &weights);

} // namespace sd::documents
