#pragma once

#include <QStringList>

namespace sd::cli {

// `bench chaos [--kills N] [--orders N] [--rate PER_MIN] [--nodes 1-3] [--postgres URL] [--faults SPEC] [--keep]`:
// kills `sellerdesk --headless` with SIGKILL at random moments while the training marketplace sells and rules issue
// invoices, print receipts to the fiscal printer simulator, send e-mails and call URLs; then checks every order is
// there once and every action happened once (or was visibly left to the operator), never twice. With --postgres
// URL (an empty database) the nodes share it, and --nodes runs two or three of them at once (one is killed at a
// time); --faults makes the marketplace answer with a fault storm (training FaultPlan spec, e.g. "storm=0.3") until
// the kills are over, then calm. Prints the figures; exit 1 when anything was lost or doubled.
int benchChaos(const QStringList &words);

} // namespace sd::cli
