#pragma once

#include "returns/returncase.h"
#include "storage/database.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>

#include <memory>

namespace sd::returns {

// The return settings (return_settings): the legal term and where it is counted from.
struct ReturnSettings
{
    Q_DECLARE_TR_FUNCTIONS(ReturnSettings)

public:
    int termDays = 14;
    bool termFromShipment = false; // false: from the purchase date
    QString warehouse;             // received returns go here unless the operator names one ('': the default)
    bool informBuyer = true;       // a message to the buyer at each step

    static Result<ReturnSettings> load(storage::Database &db);
    Result<void> save(storage::Database &db) const;
    // KEY VALUE as the CLI takes them: termDays 14, termFrom purchase|shipment, warehouse CODE, informBuyer on|off.
    Result<void> set(const QString &key, const QString &value);
    QJsonObject toJson() const;
};

struct ReturnFilter
{
    std::optional<ReturnState> state;
    qint64 orderId = 0;
    bool openOnly = false;
    int limit = 500;
};

// The return_* tables. Writes happen inside the service's transactions; nothing here records events.
class ReturnStore
{
    Q_DECLARE_TR_FUNCTIONS(ReturnStore)

public:
    explicit ReturnStore(std::shared_ptr<storage::Database> db);

    // Inserts the case with its items and a new number ("ZW/n/YYYY"); fills id, number and times.
    Result<void> insert(ReturnCase &rma);
    Result<ReturnCase> load(qint64 id);
    // An id ("12") or a number ("ZW/3/2026").
    Result<ReturnCase> resolve(const QString &idOrNumber);
    Result<std::optional<qint64>> findExternal(const QString &source, const QString &account,
                                               const QString &externalId);
    Result<QList<ReturnCase>> list(const ReturnFilter &filter);
    // Units of each order line already in returns that were not rejected (except `exceptReturn`).
    Result<QHash<int, int>> returnedUnits(qint64 orderId, qint64 exceptReturn = 0);
    Result<void> update(const ReturnCase &rma);
    Result<ReturnAttachment> addAttachment(qint64 returnId, const QString &name, const QString &mimeType,
                                           const QByteArray &data, const QString &who);
    Result<QByteArray> attachmentData(qint64 attachmentId);

private:
    Result<void> loadDetails(ReturnCase &rma);

    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::returns
