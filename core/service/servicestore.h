#pragma once

#include "service/servicecase.h"
#include "storage/orderstore.h"

#include <QCoreApplication>

#include <functional>
#include <optional>

namespace sd::service {

// What a new case is about: an order's line (orderId + itemPosition; the buyer and the product come from the order
// when not given) or a product and a buyer without an order.
struct NewServiceCase
{
    qint64 orderId = 0;
    int itemPosition = -1; // the order's line (0-based); -1: the order's only line, or none without an order
    QString productSku;
    QString productName;
    QString serial;
    QString buyerName;
    QString buyerEmail;
    QString buyerPhone;
    QString language; // empty: the order buyer's, else Polish
    QString problem;
    QString serviceName;
    QDate expectedReturn;
    QDate warrantyEnd; // invalid with an order: the purchase day + 2 years (the statutory term)
};

struct ServiceFilter
{
    QString state; // a state key; empty: all
    bool openOnly = false;
    qint64 orderId = 0;
    QString search; // product, serial, buyer, case number
    int limit = 1000;
};

// Service (warranty repair) cases. Every state change is one transaction: the case row, its timeline step, for a
// case linked to an order an order event with a history row (OrderStore::recordEvent), and the buyer's e-mail about
// it queued in the Outbox under the key "service/case:ID/step:SEQ" (ServiceNotifier), so a retry never sends twice.
class ServiceStore
{
    Q_DECLARE_TR_FUNCTIONS(ServiceStore)

public:
    explicit ServiceStore(storage::OrderStore &orders);

    // "Now" for the state times (tests move it; the background pass runs at the scheduler's clock).
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTimeUtc(); }
    storage::OrderStore &orders() { return m_orders; }

    Result<ServiceCase> add(const NewServiceCase &request, const QString &actor, const QString &note = {});
    Result<ServiceCase> get(qint64 id);
    Result<QList<ServiceCase>> list(const ServiceFilter &filter = {});
    // Moves the case to `to` (one of nextStates()); `expectedReturn` (when given) sets the day it is expected back.
    Result<ServiceCase> advance(qint64 id, ServiceState to, const QString &actor, const QString &note = {},
                                std::optional<QDate> expectedReturn = std::nullopt);

private:
    Result<void> recordStep(const ServiceCase &c, const QString &from, const QString &note, const QString &actor);

    storage::OrderStore &m_orders;
    std::shared_ptr<storage::Database> m_db;
    std::function<QDateTime()> m_clock;
};

} // namespace sd::service
