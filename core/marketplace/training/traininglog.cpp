#include "marketplace/training/traininglog.h"

Q_LOGGING_CATEGORY(lcTraining, "sd.training")
