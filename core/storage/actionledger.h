#pragma once

#include "storage/database.h"

#include <QDateTime>
#include <QJsonObject>

#include <memory>
#include <optional>

namespace sd::storage {

// Every external effect (invoice number, receipt, label, e-mail, refund, ...) is recorded here under an
// idempotency key built from what caused it (rule, action, order, triggering event). Whoever claims the key
// first does the work; everyone after sees it claimed or done and does nothing: never twice.
class ActionLedger
{
public:
    enum class State { Pending, Done, Failed };
    enum class Claim { Claimed, AlreadyDone, InProgress, FailedBefore };

    struct Entry
    {
        QString key;
        QString action;
        qint64 orderId = 0;
        State state = State::Pending;
        int attempts = 0;
        QJsonObject result;
        QString owner;
        QDateTime createdAt;
        QDateTime updatedAt;
    };

    explicit ActionLedger(std::shared_ptr<Database> db);

    static QString key(const QString &source, const QString &action, qint64 orderId, qint64 eventId);

    // Records the intent before the effect happens. Only the caller that gets Claimed may perform it.
    Result<Claim> claim(const QString &key, const QString &action, qint64 orderId, const QString &owner);
    // A failed entry may be tried again by the one who claims the retry.
    Result<Claim> claimRetry(const QString &key, const QString &owner);
    // Takes over a pending entry whose claimant is known to be gone (a dead process, or an effect that is safe to
    // repeat). With fromOwner, only while that one still holds it. True when this owner now holds the claim.
    Result<bool> takeOver(const QString &key, const QString &owner, const QString &fromOwner = {});
    Result<void> complete(const QString &key, const QJsonObject &result);
    Result<void> fail(const QString &key, const QString &reason);
    Result<std::optional<Entry>> find(const QString &key);

private:
    Result<void> setState(const QString &key, State state, const QJsonObject &result);

    std::shared_ptr<Database> m_db;
};

} // namespace sd::storage
