#pragma once

#include "devices/labels/labeldocument.h"
#include "devices/printing/printsender.h"
#include "storage/actionledger.h"

#include <QDateTime>

#include <optional>

namespace sd::devices::printing {

// Every print is a job (print_jobs, schema 15) with a timeline (print_job_events):
//   created -> rendered -> sent -> printed, or failed; "waiting" while the printer cannot be reached.
// The duplicate guard: one original job per document (a unique index on document_key); printing the same label
// again is an explicit reprint with a reason. Jobs keep waiting while their printer is offline and go, in order,
// when a later pass finds it back. Each send is claimed in the ActionLedger under "print/job:ID", so a job is never
// sent twice by accident; a send interrupted by a crash is not repeated blindly but shown as failed for a reprint.
class PrintQueue
{
public:
    enum class State { Created, Rendered, Sent, Printed, Waiting, Failed };

    struct Request
    {
        QString kind = u"label"_qs; // label, document, test
        qint64 orderId = 0;
        QString documentKey; // what makes two prints "the same" (e.g. "label:shipment:12")
        QString title;
        QString printer; // a PrinterAddress text
        labels::LabelDocument document;
        QString actor; // who asked: user:anna, cli:root, rule:3
    };

    struct TimelineEntry
    {
        State state;
        QString detail;
        QDateTime at;
    };

    struct Job
    {
        qint64 id = 0;
        QString kind;
        qint64 orderId = 0;
        QString documentKey;
        QString title;
        QString printer;
        labels::LabelDocument document;
        QString workstation;
        State state = State::Created;
        qint64 reprintOf = 0;
        QString reason;
        int attempts = 0;
        QString lastError;
        QString externalId;
        QString createdBy;
        QDateTime createdAt;
        QDateTime updatedAt;
        QList<TimelineEntry> timeline;
    };

    struct PassReport
    {
        int printed = 0;
        int sent = 0; // handed to CUPS, not printed yet
        int waiting = 0;
        int failed = 0;
    };

    PrintQueue(std::shared_ptr<storage::Database> db, storage::ActionLedger &ledger, QString workstation);

    static QString stateKey(State state);
    static QString stateName(State state); // translated
    static std::optional<State> stateFromKey(const QString &key);

    void setSender(const PrintSender &sender) { m_sender = sender; }
    // The label page size PDFs are rendered to for CUPS queues and files (default 100 x 150 mm).
    void setLabelPageMm(const QSizeF &mm) { m_labelPageMm = mm; }

    // A new original job; Conflict (naming the earlier job) when the document was printed or queued before.
    Result<qint64> submit(const Request &request);
    // A new job for the same document, with the reason; printer empty: the original's printer.
    Result<qint64> reprint(qint64 jobId, const QString &reason, const QString &actor, const QString &printer = {});
    // Tries one job now (render, send, and for CUPS a look whether it is done).
    Result<State> process(qint64 jobId);
    // Every unfinished job of this workstation, oldest first; a printer that cannot be reached is not tried again in
    // the same pass, so its jobs keep their order.
    Result<PassReport> processPending();

    Result<Job> job(qint64 jobId);
    Result<QList<Job>> jobs(int limit = 200); // newest first, with timelines
    // The original job of a document, if any.
    Result<std::optional<qint64>> originalOf(const QString &documentKey);

private:
    Result<void> mark(qint64 jobId, State state, const QString &detail, const QString &lastError = {},
                      const QString &externalId = {}, bool countAttempt = false);
    Result<qint64> insert(const Request &request, qint64 reprintOf, const QString &reason);

    std::shared_ptr<storage::Database> m_db;
    storage::ActionLedger &m_ledger;
    QString m_workstation;
    PrintSender m_sender;
    QSizeF m_labelPageMm{100, 150};
};

} // namespace sd::devices::printing
