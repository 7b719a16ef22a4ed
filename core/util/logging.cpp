#include "util/logging.h"

Q_LOGGING_CATEGORY(lcStorage, "sd.storage")
Q_LOGGING_CATEGORY(lcImport, "sd.import")
Q_LOGGING_CATEGORY(lcDomain, "sd.domain")
Q_LOGGING_CATEGORY(lcAllegro, "sd.allegro")
Q_LOGGING_CATEGORY(lcSecurity, "sd.security")
