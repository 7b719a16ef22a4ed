#include "devices/printing/printqueue.h"

#include "automation/sqlrun.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QSet>

namespace sd::devices::printing {

namespace {

using automation::nullableId;
using automation::runSql;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString ledgerKey(qint64 jobId)
{
    return u"print/job:"_qs + QString::number(jobId);
}

const QString kJobColumns =
    u"SELECT id, kind, order_id, document_key, title, printer, format, data, workstation, state, reprint_of, reason, "
    "attempts, last_error, external_id, created_by, created_at, updated_at FROM print_jobs "_qs;

PrintQueue::Job jobFrom(const QSqlQuery &q)
{
    PrintQueue::Job job;
    job.id = q.value(0).toLongLong();
    job.kind = q.value(1).toString();
    job.orderId = q.value(2).toLongLong();
    job.documentKey = q.value(3).toString();
    job.title = q.value(4).toString();
    job.printer = q.value(5).toString();
    labels::LabelDocument::parseFormat(q.value(6).toString(), &job.document.format);
    job.document.data = QByteArray::fromBase64(q.value(7).toString().toLatin1());
    job.workstation = q.value(8).toString();
    job.state = PrintQueue::stateFromKey(q.value(9).toString()).value_or(PrintQueue::State::Failed);
    job.reprintOf = q.value(10).toLongLong();
    job.reason = q.value(11).toString();
    job.attempts = q.value(12).toInt();
    job.lastError = q.value(13).toString();
    job.externalId = q.value(14).toString();
    job.createdBy = q.value(15).toString();
    job.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(16).toLongLong(), Qt::UTC);
    job.updatedAt = QDateTime::fromMSecsSinceEpoch(q.value(17).toLongLong(), Qt::UTC);
    return job;
}

} // namespace

PrintQueue::PrintQueue(std::shared_ptr<storage::Database> db, storage::ActionLedger &ledger, QString workstation)
    : m_db(std::move(db))
    , m_ledger(ledger)
    , m_workstation(std::move(workstation))
{}

QString PrintQueue::stateKey(State state)
{
    switch (state) {
    case State::Created:
        return u"created"_qs;
    case State::Rendered:
        return u"rendered"_qs;
    case State::Sent:
        return u"sent"_qs;
    case State::Printed:
        return u"printed"_qs;
    case State::Waiting:
        return u"waiting"_qs;
    case State::Failed:
        return u"failed"_qs;
    }
    return {};
}

QString PrintQueue::stateName(State state)
{
    switch (state) {
    case State::Created:
        return QCoreApplication::translate("sd::printing", "created");
    case State::Rendered:
        return QCoreApplication::translate("sd::printing", "rendered");
    case State::Sent:
        return QCoreApplication::translate("sd::printing", "sent");
    case State::Printed:
        return QCoreApplication::translate("sd::printing", "printed");
    case State::Waiting:
        return QCoreApplication::translate("sd::printing", "waiting for the printer");
    case State::Failed:
        return QCoreApplication::translate("sd::printing", "failed");
    }
    return {};
}

std::optional<PrintQueue::State> PrintQueue::stateFromKey(const QString &key)
{
    for (State s : {State::Created, State::Rendered, State::Sent, State::Printed, State::Waiting, State::Failed})
        if (stateKey(s) == key)
            return s;
    return std::nullopt;
}

Result<std::optional<qint64>> PrintQueue::originalOf(const QString &documentKey)
{
    auto q = runSql(*m_db, u"SELECT id FROM print_jobs WHERE document_key = ? AND reprint_of IS NULL"_qs,
                    "find original print", {documentKey});
    if (!q)
        return q.error();
    if (q->next())
        return std::optional<qint64>(q->value(0).toLongLong());
    return std::optional<qint64>();
}

Result<qint64> PrintQueue::insert(const Request &request, qint64 reprintOf, const QString &reason)
{
    auto printer = PrinterAddress::parse(request.printer);
    if (!printer)
        return printer.error();
    if (request.document.data.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::printing", "There is nothing to print."));
    storage::Transaction tx(*m_db, "submit print job");
    if (!tx.started())
        return tx.started().error();
    const qint64 now = nowMs();
    auto q = runSql(*m_db,
                    u"INSERT INTO print_jobs (kind, order_id, document_key, title, printer, format, data, workstation, "
                    "state, reprint_of, reason, created_by, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, ?, ?)"_qs,
                    "insert print job",
                    {request.kind, nullableId(request.orderId), request.documentKey, request.title, printer->toString(),
                     labels::LabelDocument::formatName(request.document.format),
                     QString::fromLatin1(request.document.data.toBase64()), m_workstation, nullableId(reprintOf),
                     reason, request.actor, now, now});
    if (!q)
        return q.error();
    const qint64 id = q->lastInsertId().toLongLong();
    const QString detail =
        reprintOf ? QCoreApplication::translate("sd::printing", "reprint of job %1: %2").arg(reprintOf).arg(reason)
                  : QCoreApplication::translate("sd::printing", "by %1 on %2").arg(request.actor, m_workstation);
    if (auto r =
            runSql(*m_db, u"INSERT INTO print_job_events (job_id, state, detail, at) VALUES (?, 'created', ?, ?)"_qs,
                   "insert print event", {id, detail, now});
        !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return id;
}

Result<qint64> PrintQueue::submit(const Request &request)
{
    if (request.documentKey.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::printing", "A print job needs the document it prints."));
    auto earlier = originalOf(request.documentKey);
    if (!earlier)
        return earlier.error();
    const auto duplicate = [&](qint64 id) {
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate(
                             "sd::printing",
                             "This document was already sent to print as job %1. To print it again, reprint that job "
                             "and give a reason.")
                             .arg(id),
                         request.documentKey);
    };
    if (earlier->has_value())
        return duplicate(**earlier);
    auto id = insert(request, 0, QString());
    if (!id) {
        // Another workstation won the race: the unique index refused the second original.
        auto winner = originalOf(request.documentKey);
        if (winner && winner->has_value())
            return duplicate(**winner);
        return id.error();
    }
    return id;
}

Result<qint64> PrintQueue::reprint(qint64 jobId, const QString &reason, const QString &actor, const QString &printer)
{
    if (reason.trimmed().isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::printing", "A reprint needs a reason."));
    auto original = job(jobId);
    if (!original)
        return original.error();
    Request request;
    request.kind = original->kind;
    request.orderId = original->orderId;
    request.documentKey = original->documentKey;
    request.title = original->title;
    request.printer = printer.isEmpty() ? original->printer : printer;
    request.document = original->document;
    request.actor = actor;
    // Reprints point at the original, so the chain of a document stays flat.
    return insert(request, original->reprintOf ? original->reprintOf : original->id, reason.trimmed());
}

Result<void> PrintQueue::mark(qint64 jobId, State state, const QString &detail, const QString &lastError,
                              const QString &externalId, bool countAttempt)
{
    storage::Transaction tx(*m_db, "print job state");
    if (!tx.started())
        return tx.started().error();
    const qint64 now = nowMs();
    auto q = runSql(*m_db,
                    u"UPDATE print_jobs SET state = ?, last_error = ?, attempts = attempts + ?, updated_at = ?, "
                    "external_id = CASE WHEN ? = '' THEN external_id ELSE ? END WHERE id = ?"_qs,
                    "update print job",
                    {stateKey(state), lastError, countAttempt ? 1 : 0, now, externalId, externalId, jobId});
    if (!q)
        return q.error();
    if (auto r = runSql(*m_db, u"INSERT INTO print_job_events (job_id, state, detail, at) VALUES (?, ?, ?, ?)"_qs,
                        "insert print event", {jobId, stateKey(state), detail, now});
        !r)
        return r.error();
    return tx.commit();
}

Result<PrintQueue::State> PrintQueue::process(qint64 jobId)
{
    auto current = job(jobId);
    if (!current)
        return current.error();
    const Job &j = *current;
    if (j.state == State::Printed || j.state == State::Failed)
        return j.state;
    auto printer = PrinterAddress::parse(j.printer);
    if (!printer) {
        if (auto r = mark(jobId, State::Failed, printer.error().userMessage, printer.error().userMessage); !r)
            return r.error();
        return State::Failed;
    }
    if (j.state == State::Sent && printer->kind != PrinterAddress::Kind::Cups) {
        // A raw port or a file had every byte when the job was marked sent.
        if (auto r = mark(jobId, State::Printed,
                          QCoreApplication::translate("sd::printing", "the printer took the whole job"));
            !r)
            return r.error();
        return State::Printed;
    }
    if (j.state == State::Sent) {
        // Handed to CUPS before: done when CUPS says so.
        auto done = m_sender.cupsJobCompleted(printer->queue, j.externalId);
        if (!done)
            return done.error();
        if (!*done)
            return State::Sent;
        if (auto r = mark(jobId, State::Printed,
                          QCoreApplication::translate("sd::printing", "CUPS finished job %1").arg(j.externalId));
            !r)
            return r.error();
        return State::Printed;
    }

    using Claim = storage::ActionLedger::Claim;
    const QString key = ledgerKey(jobId);
    auto claim = m_ledger.claim(key, u"print"_qs, j.orderId, m_workstation);
    if (!claim)
        return claim.error();
    if (*claim == Claim::FailedBefore) {
        claim = m_ledger.claimRetry(key, m_workstation);
        if (!claim)
            return claim.error();
    }
    if (*claim == Claim::AlreadyDone) {
        // Sent before, and the job's state was not written (a crash between the two): the ledger knows.
        if (auto r = mark(jobId, State::Sent,
                          QCoreApplication::translate("sd::printing", "sent before (from the action ledger)"));
            !r)
            return r.error();
        return State::Sent;
    }
    if (*claim == Claim::InProgress) {
        const QString message = QCoreApplication::translate(
            "sd::printing", "The print was interrupted while it was being sent. If nothing came out, reprint "
                            "the job with a reason.");
        if (auto r = mark(jobId, State::Failed, message, message); !r)
            return r.error();
        return State::Failed;
    }

    const auto fail = [&](const Error &error) -> Result<State> {
        (void)m_ledger.fail(key, error.detail.isEmpty() ? error.userMessage : error.detail);
        // A printer that may come back keeps the job waiting; a document that can never go there fails.
        const State next = error.code == Error::Code::Io ? State::Waiting : State::Failed;
        if (auto r = mark(jobId, next, error.userMessage, error.userMessage, {}, true); !r)
            return r.error();
        return next;
    };

    labels::LabelDocument document = j.document;
    QString renderedDetail = QCoreApplication::translate("sd::printing", "%1 as it is")
                                 .arg(labels::LabelDocument::formatName(document.format));
    if (document.format == labels::LabelDocument::Format::Pdf && j.kind == u"label") {
        auto rendered = PrintSender::renderForLabel(document.data, m_labelPageMm);
        if (!rendered)
            return fail(rendered.error());
        document.data = *rendered;
        renderedDetail = QCoreApplication::translate("sd::printing", "PDF rendered at %1 x %2 mm, black and white")
                             .arg(m_labelPageMm.width())
                             .arg(m_labelPageMm.height());
    }
    if (j.state == State::Created) // a waiting job was rendered before; its timeline does not repeat it
        if (auto r = mark(jobId, State::Rendered, renderedDetail); !r)
            return r.error();
    auto sent = m_sender.send(*printer, document, j.title);
    if (!sent)
        return fail(sent.error());
    if (auto r = m_ledger.complete(key, {{u"printer"_qs, printer->toString()}, {u"externalId"_qs, sent->externalId}});
        !r)
        return r.error();
    const QString sentDetail =
        sent->externalId.isEmpty()
            ? QCoreApplication::translate("sd::printing", "to %1").arg(printer->toString())
            : QCoreApplication::translate("sd::printing", "to %1 as %2").arg(printer->toString(), sent->externalId);
    if (auto r = mark(jobId, State::Sent, sentDetail, {}, sent->externalId, true); !r)
        return r.error();
    if (!sent->printed)
        return State::Sent;
    if (auto r =
            mark(jobId, State::Printed, QCoreApplication::translate("sd::printing", "the printer took the whole job"));
        !r)
        return r.error();
    return State::Printed;
}

Result<PrintQueue::PassReport> PrintQueue::processPending()
{
    auto q = runSql(*m_db,
                    u"SELECT id, printer FROM print_jobs WHERE workstation = ? AND state IN ('created', 'rendered', "
                    "'waiting', 'sent') ORDER BY id"_qs,
                    "pending print jobs", {m_workstation});
    if (!q)
        return q.error();
    QList<std::pair<qint64, QString>> pending;
    while (q->next())
        pending.append({q->value(0).toLongLong(), q->value(1).toString()});
    PassReport report;
    QSet<QString> offline;
    for (const auto &[id, printer] : pending) {
        if (offline.contains(printer)) {
            ++report.waiting;
            continue;
        }
        auto state = process(id);
        if (!state) {
            qCWarning(lcStorage).noquote() << "print job" << id << state.error().detail;
            ++report.waiting;
            continue;
        }
        switch (*state) {
        case State::Printed:
            ++report.printed;
            break;
        case State::Sent:
            ++report.sent;
            break;
        case State::Waiting:
            offline.insert(printer);
            ++report.waiting;
            break;
        case State::Failed:
            ++report.failed;
            break;
        default:
            break;
        }
    }
    return report;
}

Result<PrintQueue::Job> PrintQueue::job(qint64 jobId)
{
    auto q = runSql(*m_db, kJobColumns + u"WHERE id = ?", "read print job", {jobId});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::printing", "There is no print job %1.").arg(jobId));
    Job j = jobFrom(*q);
    auto events = runSql(*m_db, u"SELECT state, detail, at FROM print_job_events WHERE job_id = ? ORDER BY id"_qs,
                         "read print timeline", {jobId});
    if (!events)
        return events.error();
    while (events->next())
        j.timeline.append({stateFromKey(events->value(0).toString()).value_or(State::Failed),
                           events->value(1).toString(),
                           QDateTime::fromMSecsSinceEpoch(events->value(2).toLongLong(), Qt::UTC)});
    return j;
}

Result<QList<PrintQueue::Job>> PrintQueue::jobs(int limit)
{
    auto q = runSql(*m_db, u"SELECT id FROM print_jobs ORDER BY id DESC LIMIT ?"_qs, "list print jobs", {limit});
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    QList<Job> out;
    for (qint64 id : ids) {
        auto j = job(id);
        if (!j)
            return j.error();
        out.append(*j);
    }
    return out;
}

} // namespace sd::devices::printing
