#pragma once

#include "domain/order.h"
#include "storage/database.h"
#include "storage/orderstore.h"

#include <QCoreApplication>
#include <QDateTime>

#include <memory>

namespace sd::money {

namespace LossGuardEvent {
// A completion was refused (payload: hold, status, profit, reasons); the order's history shows it.
inline constexpr char kBlocked[] = "order.completion_blocked";
// An administrator released the hold (payload: hold, reason).
inline constexpr char kReleased[] = "order.completion_released";
} // namespace LossGuardEvent

// A completion the loss guard refused, until an administrator releases it with a reason.
struct LossHold
{
    qint64 id = 0;
    qint64 orderId = 0;
    QString targetStatus;
    qint64 profit = 0;
    QString currency;
    QStringList reasons; // translated when the hold was made
    QDateTime createdAt;
    QString createdBy;
    QDateTime releasedAt; // invalid: open
    QString releasedBy;
    QString releaseReason;

    bool isOpen() const { return !releasedAt.isValid(); }
    QJsonObject toJson() const;
};

// E4. OrderStore::apply asks checkCompletion() before it moves an order into a status of the closed ("completed")
// group, so every path (the window, the CLI, rules, bulk changes) is guarded. A completion at a profit below the
// settings' minimum, or of an order whose data does not add up, is refused with a clear message; once the refusing
// transaction has ended (it rolls back), a hold is recorded with an event, the order gets the tag "loss-guard", an
// operator alert is raised and, when an administrator e-mail is set, an e-mail is queued. An administrator releases
// the hold with a reason; the order may then complete while its profit is not lower than when it was released.
class LossGuard
{
    Q_DECLARE_TR_FUNCTIONS(LossGuard)

public:
    static constexpr char kTag[] = "loss-guard";
    static constexpr char kAlertKind[] = "loss.blocked";

    explicit LossGuard(std::shared_ptr<storage::Database> db);

    static Result<void> checkCompletion(const std::shared_ptr<storage::Database> &db, const domain::Order &after,
                                        const storage::ChangeContext &context);

    Result<QList<LossHold>> holds(qint64 orderId = 0, bool openOnly = false);
    // Releases the order's open hold; the reason is required. Returns the released hold.
    Result<LossHold> release(qint64 orderId, const QString &who, const QString &reason);

private:
    static void recordHold(const std::shared_ptr<storage::Database> &db, qint64 orderId, const QString &status,
                           qint64 profit, const QString &currency, const QStringList &reasons, const QString &actor);

    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::money
