#pragma once

#include "automation/executors.h"

#include <memory>

namespace sd::devices::fiscal {

// The automation's "Print a fiscal receipt" (issueReceipt) on the workstation's fiscal printer. An external effect
// that may run again after an interruption: the receipt's row makes a repeat ask the printer, never print twice.
std::shared_ptr<automation::ActionExecutor> makeIssueReceiptExecutor();

} // namespace sd::devices::fiscal
