#pragma once

#include "automation/executors.h"

#include <memory>

namespace sd::documents {

// The automation's "Issue an invoice" (param series) and "Issue a correction" actions. Both change only the
// database, so they run inside the scheduler's transaction that marks their ledger entry done; on top of that each
// claims its own ledger key per order and rule ("rule:ID/issueInvoice/order:N"), so a rule never issues two
// invoices for one order, whichever events fire it. The correction corrects the order's live invoice with every
// line returned (the usual case: the order was cancelled or returned after invoicing).
std::shared_ptr<automation::ActionExecutor> issueInvoiceExecutor();
std::shared_ptr<automation::ActionExecutor> issueCorrectionExecutor();
// D6: the transport slip and the warranty card of the order (once per order, whichever rule runs it).
std::shared_ptr<automation::ActionExecutor> completionDocumentsExecutor();

} // namespace sd::documents
