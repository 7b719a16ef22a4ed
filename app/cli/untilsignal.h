#pragma once

namespace sd::cli {

// Runs the event loop until SIGINT or SIGTERM (the servers of `training serve` and `fiscal simulate`). The signal
// handler only writes to a socket pair; the loop reads it and quits. False when the socket pair cannot be made.
bool runUntilSignal();

} // namespace sd::cli
