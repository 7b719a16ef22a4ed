#pragma once

#include "storage/database.h"
#include "util/result.h"

#include <QDateTime>
#include <QList>

#include <memory>

namespace sd::automation {

// Something an operator should look at: an action that failed for good, or a rule's "notify operator". Kept in
// `operator_alerts` (schema 9) until someone acknowledges it; the GUI lists the open ones.
struct OperatorAlert
{
    static constexpr char kRuleFailed[] = "rule.failed";
    static constexpr char kNotice[] = "notice";

    qint64 id = 0;
    QString kind; // kRuleFailed, kNotice
    qint64 orderId = 0;
    qint64 ruleId = 0;
    qint64 jobId = 0;
    QString action;
    QString message; // translated when it was raised
    QDateTime createdAt;
    QDateTime acknowledgedAt; // invalid: open
    QString acknowledgedBy;
};

class OperatorAlerts
{
public:
    explicit OperatorAlerts(std::shared_ptr<storage::Database> db);

    Result<qint64> raise(const OperatorAlert &alert);
    Result<QList<OperatorAlert>> list(bool openOnly = true, int limit = 500);
    Result<void> acknowledge(qint64 id, const QString &who);

private:
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::automation
