#pragma once

#include "util/result.h"

#include <QString>
#include <QUrl>

namespace sd::training {

// Training mode: the profile works with the training marketplace and the simulators. While it is on, every printout
// carries a TRAINING mark and nothing may leave this computer (only loopback addresses are reached). The program
// turns it on when it opens a training profile (marketplace::isTrainingProfile) and the training servers always run
// with it on; it is process-wide because a process works on one profile.
void setActive(bool active);
bool active();

// The mark printed on documents, labels and test pages.
QString markText();

// True for 127.0.0.0/8, ::1 and "localhost".
bool isLoopback(const QUrl &url);
// Fails with a translated message when training mode is on and `url` would leave this computer.
Result<void> checkOutbound(const QUrl &url);

} // namespace sd::training
