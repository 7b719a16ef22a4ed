#pragma once

#include "util/result.h"

#include <QString>

namespace sd::marketplace::training {

// Which faults the training marketplace injects, and how often. Written as a spec string:
//
//   spec   := "" | "none" | item ("," item)*
//   item   := name "=" probability [":" millis]
//   name   := "500" | "502" | "503" | "504"   an error answer with that status (the first one given is used)
//           | "429"                           Too Many Requests with Retry-After: 1
//           | "slow"                          the answer waits `millis` ms (default 1000, at most 60000)
//           | "malformed"                     an order fetch answers with broken JSON
//           | "truncated"                     an order fetch answers with JSON cut in half
//           | "duplicate-events"              a journal event is repeated under a new id
//           | "reorder-events"                two neighbouring journal events swap places
//           | "storm"                         all of them: 503, 429, slow (`millis`), malformed and truncated
//                                             each at a fifth of the rate, and the two journal faults too
//   probability := a decimal from 0 to 1, per request (per event for the journal faults)
//
// e.g. "500=0.1,429=0.05,slow=0.1:1500,malformed=0.02,truncated=0.02,duplicate-events=0.1,reorder-events=0.05", or
// "storm=0.3:35000" (a storm whose stalls outlast the client's 30 s timeout).
struct FaultPlan
{
    double serverError = 0; // probability of a 5xx
    int serverErrorStatus = 500;
    double tooManyRequests = 0;
    double slow = 0;
    int slowMs = 1000;
    double malformed = 0;
    double truncated = 0;
    double duplicateEvents = 0;
    double reorderEvents = 0;

    bool any() const;
    // The canonical spec string ("none" when nothing is injected).
    QString toString() const;
    static Result<FaultPlan> parse(const QString &spec);
};

} // namespace sd::marketplace::training
