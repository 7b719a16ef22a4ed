#pragma once

#include "storage/database.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace sd::documents::ksef {

// One document version on its way to KSeF: queued -> sending -> sent -> accepted | rejected.
// "sending" means the invoice may have left (the ledger holds the claim); "offline" is set once the service was
// unreachable for it, so the document side marks it offline-issued.
struct Submission
{
    enum class State { Queued, Sending, Sent, Accepted, Rejected };

    qint64 id = 0;
    QString documentRef;
    QString contentHash; // hex SHA-256 of the XML
    QByteArray xml;
    State state = State::Queued;
    bool offline = false;
    QString sessionRef;
    QString invoiceRef;
    QString ksefNumber;
    QByteArray upo;
    int statusCode = 0; // KSeF's invoice status code (200 accepted, 4xx rejected)
    QString reason;     // why it was rejected, as KSeF said it
    int attempts = 0;
    QString lastError;
    QDateTime nextAttemptAt;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime sentAt;
    QDateTime acceptedAt;

    bool open() const { return state == State::Queued || state == State::Sending || state == State::Sent; }
    static QString stateKey(State state);
    static std::optional<State> stateFromKey(const QString &key);
};

// The ksef_submissions table (schema 13).
class SubmissionStore
{
public:
    explicit SubmissionStore(std::shared_ptr<storage::Database> db);

    static QString contentHash(const QByteArray &xml);

    // Queues the XML of a document; the same document with the same bytes is queued once (the existing row is
    // returned). A document sent again with other bytes gets a row of its own.
    Result<Submission> enqueue(const QString &documentRef, const QByteArray &xml);
    Result<std::optional<Submission>> find(qint64 id);
    // The newest submission of a document.
    Result<std::optional<Submission>> latest(const QString &documentRef);
    // Open submissions whose next attempt is due at `now`, oldest first.
    Result<QList<Submission>> due(const QDateTime &now, int limit = 50);
    // When the next open submission falls due; nullopt when none is open.
    Result<std::optional<QDateTime>> nextDue();
    // Writes the fields that change as a submission moves on (not the ref, hash or XML).
    Result<void> update(const Submission &submission);

private:
    Result<QList<Submission>> select(const QString &where, const QVariantList &values);

    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::documents::ksef
