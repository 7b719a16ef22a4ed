#pragma once

#include "documents/document.h"
#include "documents/ksef/ksefqueue.h"
#include "documents/ksef/submissionobserver.h"
#include "storage/orderstore.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace sd::security {
class SecretStore;
}

namespace sd::documents {

// KSeF joined to the documents: when KSeF is on (DocumentSettings::ksefEnabled) every pass puts the issued FA(3)
// documents into the offline queue (KsefDocuments::enqueueWaiting) and kicks it; as the queue moves a submission
// on, the document follows: queued -> sent -> accepted (KSeF number, UPO) / rejected (reason), or queued ->
// offline-issued (KSeF unreachable) -> sent later. Every move is a document_log row and an order event
// (document.queued, document.offline, document.sent, ksef.accepted, ksef.rejected) the automation can use.
// The background services run one (core/automation/backgroundservices.cpp); the CLI's `ksef send` runs one for a
// single document. Lives in the thread that created it, with that thread's OrderStore.
class KsefService : public QObject, public ksef::SubmissionObserver
{
    Q_OBJECT

public:
    explicit KsefService(storage::OrderStore &orders, QObject *parent = nullptr);
    ~KsefService() override;

    void setSecrets(std::shared_ptr<security::SecretStore> secrets);
    // Timeouts and backoff of the queue (tests shorten them); takes effect with the next queue made.
    void setQueueOptions(const ksef::KsefQueue::Options &options) { m_options = options; }
    // Starts a pass every intervalMs (and at once).
    void start(int intervalMs = 30000);
    void stop();
    // One pass: with KSeF on, the waiting documents into the queue and the queue kicked. Returns how many
    // documents were queued now; an error when KSeF is on but cannot run (no NIP, no secret store).
    Result<int> pass();
    // Sends one document now (not waiting for its backoff time), queueing it first when it is not queued yet.
    Result<void> sendNow(qint64 documentId);
    bool busy() const { return m_queue && m_queue->busy(); }
    ksef::KsefQueue *queue() const { return m_queue.get(); }

    // SubmissionObserver: the document follows its submission.
    void queued(const ksef::Submission &submission) override;
    void offlineIssued(const ksef::Submission &submission) override;
    void sent(const ksef::Submission &submission) override;
    void accepted(const ksef::Submission &submission) override;
    void rejected(const ksef::Submission &submission) override;

signals:
    void documentChanged(qint64 documentId);
    // The queue has nothing due right now.
    void idle();

private:
    Result<ksef::KsefQueue *> ensureQueue();
    void follow(const ksef::Submission &submission, DocumentState to);

    storage::OrderStore &m_orders;
    std::shared_ptr<security::SecretStore> m_secrets;
    ksef::KsefQueue::Options m_options;
    std::unique_ptr<ksef::KsefQueue> m_queue;
    ksef::Settings m_queueSettings;
    QTimer m_timer;
};

} // namespace sd::documents
