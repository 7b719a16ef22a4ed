#include "scanning/packingsession.h"

#include "access/session.h"
#include "automation/sqlrun.h"
#include "domain/ean.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace sd::scanning {

using automation::runSql;

namespace {

QString normalised(const QString &code)
{
    if (auto ean = domain::Ean::parse(code); ean)
        return ean->code();
    return code.trimmed();
}

} // namespace

PackingSession::PackingSession(storage::OrderStore &store, qint64 orderId, storage::ChangeContext who)
    : m_store(&store)
    , m_orderId(orderId)
    , m_who(std::move(who))
{}

QString PackingSession::stateName(State state)
{
    switch (state) {
    case State::Open:
        return u"open"_qs;
    case State::Paused:
        return u"paused"_qs;
    case State::Completed:
        return u"completed"_qs;
    case State::Missing:
        return u"missing"_qs;
    }
    return u"open"_qs;
}

Result<PackingSession> PackingSession::open(storage::OrderStore &store, qint64 orderId,
                                            const storage::ChangeContext &who)
{
    if (auto r = access::require(access::Permission::Pack, who.actor); !r)
        return r.error();
    PackingSession session(store, orderId, who);
    if (auto r = session.load(); !r)
        return r.error();
    if (session.m_lines.isEmpty())
        return makeError(Error::Code::Invalid, tr("Order %1 has no items to pack.").arg(orderId));
    if (session.m_state == State::Paused || session.m_state == State::Missing) {
        session.m_state = State::Open;
        if (auto r = session.save(stateName(State::Open)); !r)
            return r.error();
    }
    return session;
}

Result<void> PackingSession::load()
{
    auto order = m_store->load(m_orderId);
    if (!order)
        return order.error();
    m_externalId = order->externalId;
    m_buyer = order->buyer.login.isEmpty() ? QString(order->buyer.firstName + u' ' + order->buyer.lastName).trimmed()
                                           : order->buyer.login;
    m_deliveryMethod = order->delivery.methodName;
    storage::Database &db = m_store->database();
    m_lines.clear();
    for (qsizetype i = 0; i < order->items.size(); ++i) {
        const domain::LineItem &item = order->items.at(i);
        PackingLine line;
        line.position = int(i);
        line.name = item.name;
        line.sku = item.sku.trimmed();
        line.ean = normalised(item.ean);
        line.quantity = item.quantity;
        if (!line.sku.isEmpty())
            line.codes.append(line.sku);
        if (!line.ean.isEmpty())
            line.codes.append(line.ean);
        // The product behind the line (by SKU, else by EAN) may know the other code, the serial rule, the shelf.
        auto q = runSql(db,
                        u"SELECT sku, ean, requires_serial, location FROM products WHERE (sku = ? AND sku <> '') "
                        "OR (ean = ? AND ean <> '') ORDER BY CASE WHEN sku = ? THEN 0 ELSE 1 END, id LIMIT 1"_qs,
                        "packing product", {line.sku, line.ean, line.sku});
        if (!q)
            return q.error();
        if (q->next()) {
            for (const QString &code : {q->value(0).toString(), q->value(1).toString()}) {
                if (!code.isEmpty() && !line.codes.contains(code))
                    line.codes.append(code);
            }
            line.requiresSerial = q->value(2).toInt() != 0;
            line.location = q->value(3).toString();
        }
        m_lines.append(line);
    }

    auto s = runSql(db, u"SELECT state, progress FROM packing_sessions WHERE order_id = ?"_qs, "packing session",
                    {m_orderId});
    if (!s)
        return s.error();
    if (!s->next())
        return save(stateName(State::Open));
    const QString state = s->value(0).toString();
    m_state = state == u"paused"      ? State::Paused
              : state == u"completed" ? State::Completed
              : state == u"missing"   ? State::Missing
                                      : State::Open;
    const QJsonObject progress = QJsonDocument::fromJson(s->value(1).toString().toUtf8()).object();
    const QJsonObject units = progress.value(u"units").toObject();
    const QJsonObject serials = progress.value(u"serials").toObject();
    for (PackingLine &line : m_lines) {
        const QString key = QString::number(line.position);
        line.packed = qBound(0, units.value(key).toInt(), line.quantity);
        for (const QJsonValue &v : serials.value(key).toArray())
            line.serials.append(v.toString());
    }
    m_awaitingSerial = progress.value(u"awaitingSerial").toInt(-1);
    if (m_awaitingSerial >= m_lines.size())
        m_awaitingSerial = -1;
    return {};
}

QByteArray PackingSession::progressJson() const
{
    QJsonObject units;
    QJsonObject serials;
    for (const PackingLine &line : m_lines) {
        const QString key = QString::number(line.position);
        if (line.packed)
            units.insert(key, line.packed);
        if (!line.serials.isEmpty())
            serials.insert(key, QJsonArray::fromStringList(line.serials));
    }
    QJsonObject progress{{u"units"_qs, units}, {u"serials"_qs, serials}};
    if (m_awaitingSerial >= 0)
        progress.insert(u"awaitingSerial"_qs, m_awaitingSerial);
    return QJsonDocument(progress).toJson(QJsonDocument::Compact);
}

Result<void> PackingSession::save(const QString &state)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto q =
        runSql(m_store->database(),
               u"INSERT INTO packing_sessions (order_id, state, progress, packer, started_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET state = excluded.state, "
               "progress = excluded.progress, packer = excluded.packer, updated_at = excluded.updated_at"_qs,
               "save packing session", {m_orderId, state, QString::fromUtf8(progressJson()), m_who.actor, now, now});
    if (!q)
        return q.error();
    return {};
}

int PackingSession::unitsPacked() const
{
    int n = 0;
    for (const PackingLine &line : m_lines)
        n += line.packed;
    return n;
}

int PackingSession::unitsTotal() const
{
    int n = 0;
    for (const PackingLine &line : m_lines)
        n += line.quantity;
    return n;
}

Result<PackingSession::ScanOutcome> PackingSession::refuse(ScanOutcome::Kind kind, const QString &code,
                                                           const QString &message, int line)
{
    static const char *const reasons[] = {"", "", "", "wrong-item", "extra-unit", "duplicate-serial", ""};
    storage::Transaction tx(m_store->database(), "packing refusal");
    if (!tx.started())
        return tx.started().error();
    QJsonObject payload{{u"code"_qs, code}, {u"reason"_qs, QString::fromLatin1(reasons[int(kind)])}};
    if (line >= 0)
        payload.insert(u"line"_qs, m_lines.at(line).position);
    if (auto r = m_store->recordEvent(EventType::kPackingRefused, m_orderId, payload, m_who); !r)
        return r.error();
    if (auto r = save(stateName(m_state)); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return ScanOutcome{kind, line, message};
}

Result<PackingSession::ScanOutcome> PackingSession::scan(const QString &scanned)
{
    const QString code = normalised(scanned);
    if (code.isEmpty())
        return makeError(Error::Code::Invalid, tr("The scan was empty."));
    if (m_state == State::Completed)
        return makeError(Error::Code::Conflict, tr("Order %1 is packed already.").arg(m_orderId));
    if (m_state != State::Open)
        return makeError(Error::Code::Conflict, tr("Packing of order %1 is not open.").arg(m_orderId));

    if (m_awaitingSerial >= 0) {
        PackingLine &line = m_lines[m_awaitingSerial];
        const int index = m_awaitingSerial;
        // Any item's own code is a product scan, never a serial number.
        for (const PackingLine &other : std::as_const(m_lines)) {
            if (other.codes.contains(code))
                return ScanOutcome{ScanOutcome::Kind::SerialNeeded, index,
                                   tr("Scan the serial number of %1, not a product code.").arg(line.name)};
        }
        for (const PackingLine &other : std::as_const(m_lines)) {
            if (other.serials.contains(code))
                return refuse(ScanOutcome::Kind::DuplicateSerial, code,
                              tr("The serial number %1 was scanned already.").arg(code), index);
        }
        line.serials.append(code);
        ++line.packed;
        m_awaitingSerial = -1;
        if (unitsPacked() == unitsTotal())
            return complete();
        if (auto r = save(stateName(m_state)); !r)
            return r.error();
        return ScanOutcome{
            ScanOutcome::Kind::SerialCaptured, index,
            tr("%1: serial number %2 (%3 of %4).").arg(line.name, code).arg(line.packed).arg(line.quantity)};
    }

    int matched = -1;
    int open = -1;
    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        if (!m_lines.at(i).codes.contains(code))
            continue;
        if (matched < 0)
            matched = int(i);
        if (!m_lines.at(i).done()) {
            open = int(i);
            break;
        }
    }
    if (matched < 0)
        return refuse(ScanOutcome::Kind::WrongItem, code, tr("Wrong item: %1 is not in this order.").arg(code));
    if (open < 0)
        return refuse(ScanOutcome::Kind::ExtraUnit, code,
                      tr("Too many: all %n unit(s) of %1 are packed already.", nullptr, m_lines.at(matched).quantity)
                          .arg(m_lines.at(matched).name),
                      matched);
    PackingLine &line = m_lines[open];
    if (line.requiresSerial) {
        m_awaitingSerial = open;
        if (auto r = save(stateName(m_state)); !r)
            return r.error();
        return ScanOutcome{ScanOutcome::Kind::SerialNeeded, open,
                           tr("Now scan the serial number of %1.").arg(line.name)};
    }
    ++line.packed;
    if (unitsPacked() == unitsTotal())
        return complete();
    if (auto r = save(stateName(m_state)); !r)
        return r.error();
    return ScanOutcome{ScanOutcome::Kind::Ticked, open,
                       tr("%1: %2 of %3.").arg(line.name).arg(line.packed).arg(line.quantity)};
}

Result<PackingSession::ScanOutcome> PackingSession::complete()
{
    storage::Transaction tx(m_store->database(), "packing complete");
    if (!tx.started())
        return tx.started().error();
    QJsonObject serials;
    for (const PackingLine &line : std::as_const(m_lines)) {
        if (!line.serials.isEmpty())
            serials.insert(QString::number(line.position), QJsonArray::fromStringList(line.serials));
    }
    const QJsonObject payload{{u"packer"_qs, m_who.actor}, {u"units"_qs, unitsTotal()}, {u"serials"_qs, serials}};
    if (auto r = m_store->recordEvent(EventType::kOrderPacked, m_orderId, payload, m_who); !r)
        return r.error();
    if (auto r = save(stateName(State::Completed)); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    m_state = State::Completed;
    // The automation follows events; a window's scheduler is woken by ordersChanged.
    Q_EMIT m_store->ordersChanged({m_orderId});
    return ScanOutcome{ScanOutcome::Kind::Completed, -1, tr("Order %1 is packed.").arg(m_orderId)};
}

Result<void> PackingSession::pause()
{
    if (m_state != State::Open)
        return {};
    if (auto r = save(stateName(State::Paused)); !r)
        return r.error();
    m_state = State::Paused;
    return {};
}

Result<void> PackingSession::reportMissing(const QString &status)
{
    if (m_state == State::Completed)
        return makeError(Error::Code::Conflict, tr("Order %1 is packed already.").arg(m_orderId));
    if (status.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, tr("Choose the status for an order with missing items."));
    storage::Transaction tx(m_store->database(), "packing missing");
    if (!tx.started())
        return tx.started().error();
    QJsonArray shortLines;
    for (const PackingLine &line : std::as_const(m_lines)) {
        if (!line.done())
            shortLines.append(QJsonObject{
                {u"line"_qs, line.position}, {u"sku"_qs, line.sku}, {u"missing"_qs, line.quantity - line.packed}});
    }
    if (auto r = m_store->recordEvent(EventType::kPackingMissing, m_orderId,
                                      QJsonObject{{u"lines"_qs, shortLines}, {u"status"_qs, status}}, m_who);
        !r)
        return r.error();
    if (auto r = m_store->apply(storage::OrderChange::setStatus(m_orderId, status, m_who)); !r)
        return r.error();
    m_awaitingSerial = -1;
    if (auto r = save(stateName(State::Missing)); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    m_state = State::Missing;
    return {};
}

Result<void> PackingSession::restart()
{
    for (PackingLine &line : m_lines) {
        line.packed = 0;
        line.serials.clear();
    }
    m_awaitingSerial = -1;
    if (auto r = save(stateName(State::Open)); !r)
        return r.error();
    m_state = State::Open;
    return {};
}

} // namespace sd::scanning
