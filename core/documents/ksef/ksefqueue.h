#pragma once

#include "documents/ksef/ksefclient.h"
#include "documents/ksef/ksefsettings.h"
#include "documents/ksef/ksefsubmissionstore.h"
#include "security/secretstore.h"
#include "storage/actionledger.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace sd::documents::ksef {

class SubmissionObserver;

// The offline queue in front of KSeF. submit() stores the document's XML (ksef_submissions) and returns at once;
// the queue then authenticates with the KSeF token from the SecretStore, opens an interactive session and sends
// each due submission, polls its status and stores the KSeF number and the UPO. When KSeF is unreachable
// (refused, timeout, 5xx) the submission stays queued, is flagged offline once, and is tried again with
// exponential backoff (50-150 % jitter); a wake-up timer covers the next due time.
//
// Exactly once: every send is claimed in the ActionLedger under the document ref and the SHA-256 of its XML
// before the request leaves, and the session it goes into is stored first. A submission found "sending" (the
// process died or the answer was lost after the request left) is looked up in that session's invoice list by
// its hash before anything is sent again; only an invoice KSeF does not hold is sent again.
class KsefQueue : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int timeoutMs = 30000;
        int statusPollMs = 1000;
        int authPollMs = 500;
        qint64 retryBaseMs = 30000;
        qint64 retryMaxMs = 3600000;
        int abandonedAfterSeconds = 300; // a ledger claim older than this without an answer is taken over
    };

    KsefQueue(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets, Settings settings,
              Options options, QObject *parent = nullptr);
    ~KsefQueue() override;

    void setObserver(SubmissionObserver *observer) { m_observer = observer; }
    void setExchangeObserver(marketplace::HttpExchangeObserver observer);

    static QString ledgerKey(const QString &documentRef, const QString &contentHash);

    // Queues the document's FA(3) XML and starts working on what is due. The same bytes for the same document
    // are queued once.
    Result<Submission> submit(const QString &documentRef, const QByteArray &xml);
    // Works through what is due now (also called by the wake-up timer).
    void kick();
    bool busy() const { return m_busy; }

signals:
    // Nothing is due right now; the next due submission (if any) has its wake-up timer.
    void idle();
    void submissionChanged(qint64 id);

private:
    void next();
    void handle(Submission s);
    void ensureAuthenticated(std::function<void(Result<void>)> done);
    void deliver(Submission s);
    void claimAndSend(Submission s);
    void send(Submission s, const QString &key);
    void poll(Submission s);
    void downloadUpo(Submission s, const QString &ksefNumber);
    void postpone(Submission s, const Error &error, Submission::State state);
    void reject(Submission s, int code, const QString &reason);
    void save(const Submission &s);
    void stepDone();
    void goIdle();
    QString owner() const;

    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
    Settings m_settings;
    Options m_options;
    SubmissionStore m_store;
    storage::ActionLedger m_ledger;
    KsefClient *m_client = nullptr;
    SubmissionObserver *m_observer = nullptr;
    QTimer m_wake;
    bool m_busy = false;
    bool m_kickAgain = false;
};

} // namespace sd::documents::ksef
