#pragma once

#include "storage/orderstore.h"

#include <QCoreApplication>
#include <QStringList>

namespace sd::scanning {

namespace EventType {
// Every unit of the order was scanned (payload: packer, units, serials); the automation's "Order packed" trigger.
inline constexpr char kOrderPacked[] = "order.packed";
// A scan the packing station refused (payload: code, reason "wrong-item" / "extra-unit" / "duplicate-serial").
inline constexpr char kPackingRefused[] = "packing.refused";
// The packer stopped because items are missing (payload: the lines short, the status the order was moved to).
inline constexpr char kPackingMissing[] = "packing.missing";
} // namespace EventType

struct PackingLine
{
    int position = 0;
    QString name;
    QString sku;
    QString ean;
    int quantity = 0;
    int packed = 0;
    bool requiresSerial = false;
    QString location;
    QStringList serials;
    QStringList codes; // what a scan of this item may read: the line's SKU and EAN, its product's SKU and EAN

    bool done() const { return packed >= quantity; }
};

// Packing one order by scans. Every accepted or refused scan is written at once (packing_sessions, and refusals as
// order events through OrderStore), so pausing, closing the program or a crash loses nothing: open() resumes.
// When the last unit is scanned the session records order.packed in the same transaction that closes it; the
// follow-ups (status, label, printouts) are the rules on that trigger, run by the automation like any other.
class PackingSession
{
    Q_DECLARE_TR_FUNCTIONS(PackingSession)

public:
    enum class State { Open, Paused, Completed, Missing };

    struct ScanOutcome
    {
        enum class Kind { Ticked, SerialNeeded, SerialCaptured, WrongItem, ExtraUnit, DuplicateSerial, Completed };
        Kind kind = Kind::WrongItem;
        int line = -1; // index into lines()
        QString message;
        bool refused() const
        {
            return kind == Kind::WrongItem || kind == Kind::ExtraUnit || kind == Kind::DuplicateSerial;
        }
    };

    // Starts packing the order, or resumes where an earlier session stopped (paused or interrupted). A completed
    // order opens read-only in the Completed state; packing it again needs restart().
    static Result<PackingSession> open(storage::OrderStore &store, qint64 orderId, const storage::ChangeContext &who);

    Result<ScanOutcome> scan(const QString &code);
    Result<void> pause();
    // Some items are not on the shelf: the order moves to the given status (through the change API) and the
    // session ends, keeping what was scanned so far for when it is packed later.
    Result<void> reportMissing(const QString &status);
    // Forgets the progress of a completed or missing session and starts counting from zero.
    Result<void> restart();

    qint64 orderId() const { return m_orderId; }
    QString externalId() const { return m_externalId; }
    QString buyer() const { return m_buyer; }
    QString deliveryMethod() const { return m_deliveryMethod; }
    State state() const { return m_state; }
    const QList<PackingLine> &lines() const { return m_lines; }
    int unitsPacked() const;
    int unitsTotal() const;
    // The line waiting for a serial code (the unit scanned, its serial not yet), or -1.
    int awaitingSerial() const { return m_awaitingSerial; }

private:
    PackingSession(storage::OrderStore &store, qint64 orderId, storage::ChangeContext who);
    Result<void> load();
    Result<void> save(const QString &state);
    Result<ScanOutcome> refuse(ScanOutcome::Kind kind, const QString &code, const QString &message, int line = -1);
    Result<ScanOutcome> complete();
    QByteArray progressJson() const;
    static QString stateName(State state);

    storage::OrderStore *m_store;
    qint64 m_orderId;
    storage::ChangeContext m_who;
    QString m_externalId;
    QString m_buyer;
    QString m_deliveryMethod;
    State m_state = State::Open;
    QList<PackingLine> m_lines;
    int m_awaitingSerial = -1;
};

} // namespace sd::scanning
