#include "marketplace/allegro/retrypolicy.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace sd::marketplace::allegro {

qint64 RetryPolicy::scaled(qint64 ms) const
{
    return std::max<qint64>(0, qint64(std::llround(double(ms) * timeScale)));
}

qint64 RetryPolicy::delayMs(int attempt, std::optional<qint64> retryAfterSeconds, bool serverError) const
{
    if (retryAfterSeconds && *retryAfterSeconds >= 0)
        return scaled(std::min(*retryAfterSeconds * 1000, maxBackoffMs));
    const int exponent = std::clamp(attempt - 1, 0, 20);
    qint64 ms = std::min(maxBackoffMs, firstBackoffMs << exponent);
    if (serverError && jitter) // spread retries of several clients so they do not arrive together
        ms = ms / 2 + qint64(QRandomGenerator::global()->bounded(quint32(ms / 2 + 1)));
    return scaled(ms);
}

} // namespace sd::marketplace::allegro
