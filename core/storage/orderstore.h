#pragma once

#include "domain/order.h"
#include "storage/database.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace sd::storage {

namespace EventType {
inline constexpr char kOrderCreated[] = "order.created";
inline constexpr char kOrderUpdated[] = "order.updated";
inline constexpr char kStatusChanged[] = "order.status_changed";
inline constexpr char kPaymentChanged[] = "order.payment_changed";
inline constexpr char kDeliveryChanged[] = "order.delivery_changed";
inline constexpr char kOrderCancelled[] = "order.cancelled";
// A parcel's tracking status changed (payload: carrierId, waybill, from, to); one event per parcel. The name is
// the one the automation catalogue's "Shipment status changed" trigger listens to.
inline constexpr char kShipmentStatusChanged[] = "shipment.changed";
// The order left the first time (Order::shippedAt was set): "N days after shipment" timers start here.
inline constexpr char kOrderShipped[] = "order.shipped";
} // namespace EventType

// Who and why: carried into the history rows and the events.
struct ChangeContext
{
    QString actor;      // "user:anna", "cli", "marketplace:allegro-pl", "rule:12"
    QString reason;     // free text shown in the history ("import", "bulk action", ...)
    int causeDepth = 0; // how many automated steps led here; the automation cuts loops by it
};

// A change to one order. The only way anything changes an order.
struct OrderChange
{
    enum class Kind { Create, Update };
    using Mutation = std::function<Result<void>(domain::Order &)>;

    Kind kind = Kind::Update;
    qint64 orderId = 0;  // Update
    domain::Order order; // Create
    Mutation mutate;     // Update: edits a loaded copy; an error aborts the change
    ChangeContext context;

    static OrderChange create(domain::Order order, ChangeContext context);
    static OrderChange update(qint64 orderId, Mutation mutate, ChangeContext context);
    static OrderChange setStatus(qint64 orderId, QString status, ChangeContext context);
};

struct ChangeResult
{
    qint64 orderId = 0;
    bool created = false;
    QStringList changedFields; // empty: the change changed nothing and nothing was written
    QList<qint64> eventIds;
};

struct OrderSummary
{
    qint64 id = 0;
    QString marketplace;
    QString externalId;
    QDateTime createdAt;
    QString buyerLogin;
    QString buyerName;
    domain::Money total;
    QString paymentMethod;
    QString paymentStatus;
    QString deliveryMethod;
    QString status;
    qint64 statusId = 0;
    QString statusColor;
    int statusPosition = 0;
    int itemCount = 0;
    bool invoiceWanted = false;
};

struct HistoryEntry
{
    qint64 id = 0;
    qint64 eventId = 0;
    QDateTime at;
    QString actor;
    QString field;
    QString oldValue;
    QString newValue;
    QString user;        // who was logged in (core/access Session)
    QString workstation; // where
};

struct EventRecord
{
    qint64 id = 0;
    QString type;
    qint64 orderId = 0;
    QJsonObject payload;
    int causeDepth = 0;
    QString actor;
    QDateTime createdAt;
};

struct OrderFilter
{
    QString status; // a status name; empty: all
    QString search; // order id, external id, buyer login/e-mail/name, item name or SKU
    int limit = 100;
};

class OrderStore : public QObject
{
    Q_OBJECT

public:
    explicit OrderStore(std::shared_ptr<Database> db, QObject *parent = nullptr);

    // One transaction (or a savepoint inside an open one): order rows, one history row per changed
    // field and the events, all or nothing.
    Result<ChangeResult> apply(const OrderChange &change);

    Result<domain::Order> load(qint64 id);
    // Finds an order by its marketplace key; nullopt when there is none.
    Result<std::optional<qint64>> findByExternal(const QString &marketplace, const QString &account,
                                                 const QString &externalId);
    // The order's revision as stored, without loading it (import compares revisions first).
    Result<std::optional<QPair<qint64, QString>>> revisionByExternal(const QString &marketplace, const QString &account,
                                                                     const QString &externalId);
    // An internal id ("42") or a marketplace id; an error when it matches nothing or several orders.
    Result<qint64> resolve(const QString &idOrExternal);

    Result<QList<OrderSummary>> list(const OrderFilter &filter);
    Result<qint64> count();
    Result<QList<HistoryEntry>> history(qint64 orderId);
    Result<QList<EventRecord>> eventsAfter(qint64 afterId, int limit = 1000);
    // An event about an order that changes none of its fields (e.g. "rule.failed"), written like every other
    // event (in id order across workstations) inside the caller's transaction, or its own.
    Result<qint64> recordEvent(const char *type, qint64 orderId, const QJsonObject &payload, const ChangeContext &ctx);
    // recordEvent() plus one history row (field, old -> new) linked to it, in one transaction: a change kept outside
    // the order's own fields (a return case's state) still shows in the order's history.
    Result<qint64> recordEvent(const char *type, qint64 orderId, const QJsonObject &payload, const ChangeContext &ctx,
                               const QString &field, const QString &oldValue, const QString &newValue);

    Database &database() { return *m_db; }
    // Drops the cached status and tag ids, after statuses were renamed or removed.
    void forgetStatuses()
    {
        m_statusCache.clear();
        m_tagCache.clear();
    }
    const std::shared_ptr<Database> &sharedDatabase() const { return m_db; }

Q_SIGNALS:
    // Emitted after the commit that made the changes durable (in-process; other workstations learn by polling).
    void ordersChanged(const QList<qint64> &orderIds);

private:
    struct StatusRef
    {
        qint64 id = 0;
        QString name;
    };
    Result<StatusRef> statusRef(const QString &name);
    Result<StatusRef> defaultStatusFor(const domain::Order &order);
    // Whether a move from the named status to the status with that id enters the closed group (a completion).
    Result<bool> entersClosedGroup(const QString &fromStatus, qint64 toStatusId);
    Result<qint64> tagId(const QString &name);
    Result<void> writeRow(domain::Order &order, const StatusRef &status, bool insert);
    Result<void> writeItems(const domain::Order &order, bool replace);
    Result<void> writeTags(const domain::Order &order, bool replace);
    // payload: the event's compact JSON text.
    // PostgreSQL: events must become visible in id order, so writers take turns for the rest of the transaction.
    Result<void> lockEventOrder();
    Result<qint64> writeEvent(const char *type, qint64 orderId, const QByteArray &payload, const ChangeContext &ctx,
                              qint64 now);
    Result<void> writeHistory(qint64 orderId, qint64 eventId, qint64 now, const QString &actor, const QString &field,
                              const QString &oldValue, const QString &newValue);
    void flushSignals();

    std::shared_ptr<Database> m_db;
    QHash<QString, StatusRef> m_statusCache;
    QHash<QString, qint64> m_tagCache;
    QList<qint64> m_pendingSignal;
    bool m_flushQueued = false;
};

} // namespace sd::storage
