#pragma once

#include <QLoggingCategory>

// sd.training: the training marketplace. Declared beside it rather than in util/logging.h so that the module
// stays self-contained (and merges cleanly with the Allegro client's own category).
Q_DECLARE_LOGGING_CATEGORY(lcTraining)
