#pragma once

#include <QtGlobal>

#include <optional>

namespace sd::marketplace::allegro {

// How long to wait before trying again. 429: Retry-After when the server sent one, else exponential from
// firstBackoff; 5xx and timeouts: exponential with jitter, at most maxAttempts tries. timeScale shrinks every
// delay (tests use 0.001 so a storm of 429s costs milliseconds, not minutes).
struct RetryPolicy
{
    int maxAttempts = 6;          // tries of one request, the first included
    qint64 firstBackoffMs = 1000; // first wait after a 429 without Retry-After, or a 5xx
    qint64 maxBackoffMs = 120000; // no single wait is longer
    qint64 requestTimeoutMs = 30000;
    double timeScale = 1.0; // every wait (and poll interval) is multiplied by it
    bool jitter = true;     // 5xx waits spread between 50 % and 100 % of the exponential value

    // The wait before try number attempt + 1 (attempt counts from 1), in milliseconds, already scaled.
    qint64 delayMs(int attempt, std::optional<qint64> retryAfterSeconds, bool serverError) const;
    qint64 scaled(qint64 ms) const;
};

} // namespace sd::marketplace::allegro
