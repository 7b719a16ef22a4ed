#pragma once

#include "documents/ksef/ksefsubmissionstore.h"

namespace sd::documents::ksef {

// What the document side hears about a document on its way to KSeF. The lead connects this to the document
// state machine: issued -> queued -> sent -> accepted (KSeF number, UPO) / rejected (reason); offlineIssued when
// the service was unreachable and the document waits in the queue (it is sent when the service is back).
class SubmissionObserver
{
public:
    virtual ~SubmissionObserver() = default;

    virtual void queued(const Submission &submission) = 0;
    virtual void offlineIssued(const Submission &submission) = 0;
    virtual void sent(const Submission &submission) = 0;
    virtual void accepted(const Submission &submission) = 0;
    virtual void rejected(const Submission &submission) = 0;
};

} // namespace sd::documents::ksef
