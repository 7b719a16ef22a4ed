#pragma once

#include <QStringList>

namespace sd::cli {

// `bench chaos [--kills N] [--orders N] [--rate PER_MIN] [--keep]`: kills `sellerdesk --headless` with SIGKILL at
// random moments while the training marketplace sells and rules issue invoices, print receipts to the fiscal
// printer simulator, send e-mails and call URLs; then checks every order is there and every action happened once
// (or was visibly left to the operator), never twice. Prints the figures; exit 1 when anything was lost or doubled.
int benchChaos(const QStringList &words);

} // namespace sd::cli
