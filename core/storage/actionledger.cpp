#include "storage/actionledger.h"

#include "storage/sqlquery.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace sd::storage {

namespace {

QString stateKey(ActionLedger::State state)
{
    switch (state) {
    case ActionLedger::State::Pending:
        return QStringLiteral("pending");
    case ActionLedger::State::Done:
        return QStringLiteral("done");
    case ActionLedger::State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

ActionLedger::State stateFromKey(const QString &key)
{
    if (key == u"done")
        return ActionLedger::State::Done;
    if (key == u"failed")
        return ActionLedger::State::Failed;
    return ActionLedger::State::Pending;
}

ActionLedger::Claim claimFor(ActionLedger::State state)
{
    switch (state) {
    case ActionLedger::State::Done:
        return ActionLedger::Claim::AlreadyDone;
    case ActionLedger::State::Failed:
        return ActionLedger::Claim::FailedBefore;
    case ActionLedger::State::Pending:
        break;
    }
    return ActionLedger::Claim::InProgress;
}

} // namespace

ActionLedger::ActionLedger(std::shared_ptr<Database> db)
    : m_db(std::move(db))
{}

QString ActionLedger::key(const QString &source, const QString &action, qint64 orderId, qint64 eventId)
{
    return source + u'/' + action + u"/order:" + QString::number(orderId) + u"/event:" + QString::number(eventId);
}

Result<ActionLedger::Claim> ActionLedger::claim(const QString &key, const QString &action, qint64 orderId,
                                                const QString &owner)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // ON CONFLICT DO NOTHING is atomic on both engines: two workstations racing for one key get one winner.
    auto insert =
        prepare(m_db->connection(),
                QStringLiteral("INSERT INTO action_ledger (idempotency_key, action, order_id, state, attempts, "
                               "owner, created_at, updated_at) VALUES (?, ?, ?, 'pending', 1, ?, ?, ?) "
                               "ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key"),
                "ledger claim");
    if (!insert)
        return insert.error();
    insert->addBindValue(key);
    insert->addBindValue(action);
    insert->addBindValue(orderId);
    insert->addBindValue(owner);
    insert->addBindValue(now);
    insert->addBindValue(now);
    if (auto r = exec(*insert, "ledger claim"); !r)
        return r.error();
    if (insert->next())
        return Claim::Claimed;
    insert->finish();
    auto existing = find(key);
    if (!existing)
        return existing.error();
    if (!existing->has_value())
        return makeError(Error::Code::Internal,
                         QCoreApplication::translate("sd::storage", "The action ledger lost an entry."), key);
    return claimFor((*existing)->state);
}

Result<ActionLedger::Claim> ActionLedger::claimRetry(const QString &key, const QString &owner)
{
    auto update =
        prepare(m_db->connection(),
                QStringLiteral("UPDATE action_ledger SET state = 'pending', attempts = attempts + 1, owner = ?, "
                               "updated_at = ? WHERE idempotency_key = ? AND state = 'failed' "
                               "RETURNING idempotency_key"),
                "ledger retry");
    if (!update)
        return update.error();
    update->addBindValue(owner);
    update->addBindValue(QDateTime::currentMSecsSinceEpoch());
    update->addBindValue(key);
    if (auto r = exec(*update, "ledger retry"); !r)
        return r.error();
    if (update->next())
        return Claim::Claimed;
    update->finish();
    auto existing = find(key);
    if (!existing)
        return existing.error();
    if (!existing->has_value())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "No action was recorded under %1.").arg(key));
    return claimFor((*existing)->state);
}

Result<bool> ActionLedger::takeOver(const QString &key, const QString &owner, const QString &fromOwner)
{
    auto update = prepare(m_db->connection(),
                          QStringLiteral("UPDATE action_ledger SET owner = ?, attempts = attempts + 1, updated_at = ? "
                                         "WHERE idempotency_key = ? AND state = 'pending'") +
                              (fromOwner.isEmpty() ? QString() : QStringLiteral(" AND owner = ?")),
                          "ledger take over");
    if (!update)
        return update.error();
    update->addBindValue(owner);
    update->addBindValue(QDateTime::currentMSecsSinceEpoch());
    update->addBindValue(key);
    if (!fromOwner.isEmpty())
        update->addBindValue(fromOwner);
    if (auto r = exec(*update, "ledger take over"); !r)
        return r.error();
    return update->numRowsAffected() == 1;
}

Result<void> ActionLedger::complete(const QString &key, const QJsonObject &result)
{
    return setState(key, State::Done, result);
}

Result<void> ActionLedger::fail(const QString &key, const QString &reason)
{
    return setState(key, State::Failed, QJsonObject{{u"error"_qs, reason}});
}

Result<void> ActionLedger::setState(const QString &key, State state, const QJsonObject &result)
{
    auto update = prepare(m_db->connection(),
                          QStringLiteral("UPDATE action_ledger SET state = ?, result = ?, updated_at = ? "
                                         "WHERE idempotency_key = ?"),
                          "ledger state");
    if (!update)
        return update.error();
    update->addBindValue(stateKey(state));
    update->addBindValue(QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact)));
    update->addBindValue(QDateTime::currentMSecsSinceEpoch());
    update->addBindValue(key);
    if (auto r = exec(*update, "ledger state"); !r)
        return r;
    if (update->numRowsAffected() != 1)
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::storage", "No action was recorded under %1.").arg(key));
    return {};
}

Result<std::optional<ActionLedger::Entry>> ActionLedger::find(const QString &key)
{
    auto query = prepare(m_db->connection(),
                         QStringLiteral("SELECT idempotency_key, action, order_id, state, attempts, result, owner, "
                                        "created_at, updated_at FROM action_ledger WHERE idempotency_key = ?"),
                         "ledger find");
    if (!query)
        return query.error();
    query->addBindValue(key);
    if (auto r = exec(*query, "ledger find"); !r)
        return r.error();
    if (!query->next())
        return std::optional<Entry>();
    Entry e;
    e.key = query->value(0).toString();
    e.action = query->value(1).toString();
    e.orderId = query->value(2).toLongLong();
    e.state = stateFromKey(query->value(3).toString());
    e.attempts = query->value(4).toInt();
    e.result = QJsonDocument::fromJson(query->value(5).toString().toUtf8()).object();
    e.owner = query->value(6).toString();
    e.createdAt = QDateTime::fromMSecsSinceEpoch(query->value(7).toLongLong(), Qt::UTC);
    e.updatedAt = QDateTime::fromMSecsSinceEpoch(query->value(8).toLongLong(), Qt::UTC);
    return std::optional<Entry>(e);
}

} // namespace sd::storage
