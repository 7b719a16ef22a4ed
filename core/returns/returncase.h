#pragma once

#include "domain/money.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace sd::returns {

namespace ReturnEvent {
// A return was registered (payload: return, number, items, source).
inline constexpr char kRegistered[] = "return.registered";
// A return moved on (payload: return, number, from, to); the automation trigger "Return state changed".
inline constexpr char kChanged[] = "return.changed";
} // namespace ReturnEvent

// registered -> received -> inspected -> refunded | replaced | repaired | rejected (a return may also be rejected
// before it arrives or is inspected). The last four end the case.
enum class ReturnState { Registered, Received, Inspected, Refunded, Replaced, Repaired, Rejected };

QString stateKey(ReturnState state); // "registered", ...
std::optional<ReturnState> stateFromKey(QStringView key);
QString stateLabel(ReturnState state); // translated
QList<ReturnState> allStates();
// The states a case may move to from `from`, in the order the buttons show them.
QList<ReturnState> nextStates(ReturnState from);
bool isFinal(ReturnState state);

struct ReturnItem
{
    int line = 0; // the order item's position (0-based)
    QString sku;
    QString name;
    int quantity = 0;
    domain::Money unitPrice;
    QJsonObject toJson() const;
};

struct ReturnAttachment
{
    qint64 id = 0;
    QString name;
    QString mimeType;
    qint64 size = 0;
    QDateTime createdAt;
    QString createdBy;
    QJsonObject toJson() const;
};

// One RMA case: what comes back from which order, why, and how far it got.
struct ReturnCase
{
    qint64 id = 0;
    qint64 orderId = 0;
    QString number; // "ZW/12/2026"
    ReturnState state = ReturnState::Registered;
    QString reason;
    QString source = QStringLiteral("manual"); // manual, allegro
    QString account;                           // the marketplace account of an imported return
    QString externalId;                        // the marketplace's customer return id
    QString lateOverride;                      // why a return past the term was accepted; empty when in time
    QString warehouse;                         // where the items were received
    QString stockDocument;                     // the receipt's number
    QString refund;                            // the marketplace's refund id, or "manual"
    QString correction;                        // the correction invoice's number
    QDateTime createdAt;
    QString createdBy;
    QDateTime updatedAt;
    QList<ReturnItem> items;
    QList<ReturnAttachment> attachments;

    domain::Money value() const; // the returned items at their prices
    int units() const;
    QJsonObject toJson() const;
};

} // namespace sd::returns
