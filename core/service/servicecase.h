#pragma once

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sd::service {

// The order events a service case writes (through OrderStore::recordEvent, with a history row) when it is linked to
// an order; the automation catalogue's "Service case changed" trigger listens to both.
namespace EventType {
inline constexpr char kRegistered[] = "service.registered";
inline constexpr char kStateChanged[] = "service.state_changed";
} // namespace EventType

// Where a product sent for repair under warranty is. registered -> sent -> atService -> returned -> handedBack, with
// replaced and rejected as the other ends (the service replaces the product or refuses the claim).
enum class ServiceState { Registered, Sent, AtService, Returned, HandedBack, Replaced, Rejected };

QString stateKey(ServiceState state); // "registered", "sent", "at-service", ... (stored, CLI, rule triggers)
std::optional<ServiceState> stateFromKey(const QString &key);
QString stateName(ServiceState state); // translated
QStringList stateKeys();
// The states a case may move to from this one; empty for the final ones.
QList<ServiceState> nextStates(ServiceState state);
bool isFinal(ServiceState state);
// While the product is away the buyer hears from the shop regularly (the reminder interval).
bool remindsBuyer(ServiceState state);

// One step of a case's timeline.
struct ServiceStep
{
    int seq = 0;
    QString from; // state key; empty for the registration
    QString to;
    QString note;
    QString actor;
    QString user;
    QDateTime at;
};

struct ServiceCase
{
    qint64 id = 0;
    qint64 orderId = 0;    // 0: a product and a buyer without an order
    int itemPosition = -1; // the order's line; -1: none
    QString productSku;
    QString productName;
    QString serial;
    QString buyerName;
    QString buyerEmail;
    QString buyerPhone;
    QString language = QStringLiteral("pl"); // of the buyer's messages
    QString problem;
    QString serviceName; // the repair shop
    ServiceState state = ServiceState::Registered;
    int stateSeq = 0;
    QDateTime stateSince;
    QDate expectedReturn; // invalid: not known
    QDate warrantyEnd;
    QDateTime createdAt;
    QString createdBy;
    QDateTime updatedAt;
    QList<ServiceStep> steps; // filled by ServiceStore::get

    // The product is expected back and the day has come (today) or passed.
    bool isDue(const QDate &today) const;
    bool isOverdue(const QDate &today) const;
};

} // namespace sd::service
