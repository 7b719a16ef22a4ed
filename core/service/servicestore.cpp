#include "service/servicestore.h"

#include "access/session.h"
#include "automation/sqlrun.h"
#include "messaging/messagetemplates.h"
#include "service/servicenotifier.h"

#include <QJsonObject>

namespace sd::service {

using automation::nullableId;
using automation::runSql;

namespace {

const QString kColumns = u"id, order_id, item_position, product_sku, product_name, serial, buyer_name, buyer_email, "
                         "buyer_phone, language, problem, service_name, state, state_seq, state_since, "
                         "expected_return, warranty_end, created_at, created_by, updated_at"_qs;

QDate dayFrom(const QVariant &v)
{
    return QDate::fromString(v.toString(), Qt::ISODate);
}

QString dayText(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString(u""_qs);
}

QDateTime timeFrom(const QVariant &v)
{
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

ServiceCase caseFrom(const QSqlQuery &q)
{
    ServiceCase c;
    c.id = q.value(0).toLongLong();
    c.orderId = q.value(1).isNull() ? 0 : q.value(1).toLongLong();
    c.itemPosition = q.value(2).isNull() ? -1 : q.value(2).toInt();
    c.productSku = q.value(3).toString();
    c.productName = q.value(4).toString();
    c.serial = q.value(5).toString();
    c.buyerName = q.value(6).toString();
    c.buyerEmail = q.value(7).toString();
    c.buyerPhone = q.value(8).toString();
    c.language = q.value(9).toString();
    c.problem = q.value(10).toString();
    c.serviceName = q.value(11).toString();
    c.state = stateFromKey(q.value(12).toString()).value_or(ServiceState::Registered);
    c.stateSeq = q.value(13).toInt();
    c.stateSince = timeFrom(q.value(14));
    c.expectedReturn = dayFrom(q.value(15));
    c.warrantyEnd = dayFrom(q.value(16));
    c.createdAt = timeFrom(q.value(17));
    c.createdBy = q.value(18).toString();
    c.updatedAt = timeFrom(q.value(19));
    return c;
}

// The order's history names the case and its state key (the order view translates nothing stored).
QString historyField(qint64 caseId)
{
    return u"service #"_qs + QString::number(caseId);
}

} // namespace

ServiceStore::ServiceStore(storage::OrderStore &orders)
    : m_orders(orders)
    , m_db(orders.sharedDatabase())
{}

Result<ServiceCase> ServiceStore::add(const NewServiceCase &request, const QString &actor, const QString &note)
{
    ServiceCase c;
    c.orderId = request.orderId;
    c.productSku = request.productSku.trimmed();
    c.productName = request.productName.trimmed();
    c.serial = request.serial.trimmed();
    c.buyerName = request.buyerName.trimmed();
    c.buyerEmail = request.buyerEmail.trimmed();
    c.buyerPhone = request.buyerPhone.trimmed();
    c.language = request.language.trimmed().toLower();
    c.problem = request.problem.trimmed();
    c.serviceName = request.serviceName.trimmed();
    c.expectedReturn = request.expectedReturn;
    c.warrantyEnd = request.warrantyEnd;
    if (request.orderId) {
        auto order = m_orders.load(request.orderId);
        if (!order)
            return order.error();
        int position = request.itemPosition;
        if (position < 0 && order->items.size() == 1)
            position = 0;
        if (position < 0 && c.productName.isEmpty())
            return makeError(Error::Code::Invalid, tr("Order %1 has %n lines: say which one is in service.", nullptr,
                                                      int(order->items.size()))
                                                       .arg(request.orderId));
        if (position >= order->items.size())
            return makeError(Error::Code::Invalid,
                             tr("Order %1 has no line %2.").arg(request.orderId).arg(position + 1));
        if (position >= 0) {
            const domain::LineItem &item = order->items.at(position);
            c.itemPosition = position;
            if (c.productName.isEmpty())
                c.productName = item.name;
            if (c.productSku.isEmpty())
                c.productSku = item.sku;
        }
        if (c.buyerName.isEmpty())
            c.buyerName = order->buyer.displayName();
        if (c.buyerEmail.isEmpty())
            c.buyerEmail = order->buyer.email;
        if (c.buyerPhone.isEmpty())
            c.buyerPhone = order->buyer.phone.isEmpty() ? order->delivery.address.phone : order->buyer.phone;
        if (c.language.isEmpty())
            c.language = messaging::MessageTemplates::languageFor(*order);
        if (!c.warrantyEnd.isValid() && order->createdAt.isValid())
            c.warrantyEnd = order->createdAt.toLocalTime().date().addYears(2);
    }
    if (c.language.isEmpty())
        c.language = u"pl"_qs;
    if (c.productName.isEmpty())
        return makeError(Error::Code::Invalid, tr("A service case needs the product's name (or an order line)."));
    if (!c.orderId && c.buyerName.isEmpty() && c.buyerEmail.isEmpty() && c.buyerPhone.isEmpty())
        return makeError(Error::Code::Invalid,
                         tr("A service case without an order needs the buyer's name or contact."));
    if (!c.buyerEmail.isEmpty() && !c.buyerEmail.contains(u'@'))
        return makeError(Error::Code::Invalid, tr("\"%1\" is not an e-mail address.").arg(c.buyerEmail));
    if (!messaging::MessageTemplates::languages().contains(c.language))
        return makeError(Error::Code::Invalid, tr("The buyer's language must be one of: %1.")
                                                   .arg(messaging::MessageTemplates::languages().join(u", "_qs)));

    const QDateTime at = now();
    c.state = ServiceState::Registered;
    c.stateSeq = 1;
    c.stateSince = at;
    c.createdAt = at;
    c.updatedAt = at;
    c.createdBy = actor;

    storage::Transaction tx(*m_db, "add service case");
    if (!tx.started())
        return tx.started().error();
    auto q = runSql(
        *m_db,
        u"INSERT INTO service_cases (order_id, item_position, product_sku, product_name, serial, "
        "buyer_name, buyer_email, buyer_phone, language, problem, service_name, state, state_seq, "
        "state_since, expected_return, warranty_end, created_at, created_by, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_qs,
        "insert service case",
        {nullableId(c.orderId), c.itemPosition >= 0 ? QVariant(c.itemPosition) : QVariant(QMetaType::fromType<int>()),
         c.productSku, c.productName, c.serial, c.buyerName, c.buyerEmail, c.buyerPhone, c.language, c.problem,
         c.serviceName, stateKey(c.state), c.stateSeq, at.toMSecsSinceEpoch(), dayText(c.expectedReturn),
         dayText(c.warrantyEnd), at.toMSecsSinceEpoch(), actor, at.toMSecsSinceEpoch()});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::Storage, tr("The service case could not be saved."));
    c.id = q->value(0).toLongLong();
    q->finish();
    if (auto r = recordStep(c, {}, note.isEmpty() ? c.problem : note, actor); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return get(c.id);
}

Result<ServiceCase> ServiceStore::get(qint64 id)
{
    auto q =
        runSql(*m_db, u"SELECT "_qs + kColumns + u" FROM service_cases WHERE id = ?"_qs, "read service case", {id});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound, tr("There is no service case %1.").arg(id));
    ServiceCase c = caseFrom(*q);
    q->finish();
    auto steps = runSql(*m_db,
                        u"SELECT seq, from_state, to_state, note, actor, user_name, at FROM service_case_steps "
                        "WHERE case_id = ? ORDER BY seq"_qs,
                        "read service case steps", {id});
    if (!steps)
        return steps.error();
    while (steps->next())
        c.steps.append({steps->value(0).toInt(), steps->value(1).toString(), steps->value(2).toString(),
                        steps->value(3).toString(), steps->value(4).toString(), steps->value(5).toString(),
                        timeFrom(steps->value(6))});
    return c;
}

Result<QList<ServiceCase>> ServiceStore::list(const ServiceFilter &filter)
{
    QString sql = u"SELECT "_qs + kColumns + u" FROM service_cases WHERE 1 = 1"_qs;
    QVariantList binds;
    if (!filter.state.isEmpty()) {
        const auto state = stateFromKey(filter.state);
        if (!state)
            return makeError(
                Error::Code::Invalid,
                tr("There is no service state \"%1\" (known: %2).").arg(filter.state, stateKeys().join(u", "_qs)));
        sql += u" AND state = ?"_qs;
        binds << stateKey(*state);
    }
    if (filter.openOnly) {
        QStringList finals;
        for (const QString &key : stateKeys())
            if (isFinal(*stateFromKey(key)))
                finals << u'\'' + key + u'\'';
        sql += u" AND state NOT IN (%1)"_qs.arg(finals.join(u", "_qs));
    }
    if (filter.orderId) {
        sql += u" AND order_id = ?"_qs;
        binds << filter.orderId;
    }
    const QString search = filter.search.trimmed();
    if (!search.isEmpty()) {
        sql += u" AND (LOWER(product_name) LIKE ? OR LOWER(serial) LIKE ? OR LOWER(buyer_name) LIKE ? OR "
               "LOWER(buyer_email) LIKE ? OR CAST(id AS TEXT) = ?)"_qs;
        const QString like = u'%' + search.toLower() + u'%';
        binds << like << like << like << like << search;
    }
    sql += u" ORDER BY id DESC LIMIT "_qs + QString::number(qMax(1, filter.limit));
    auto q = storage::prepare(m_db->connection(), sql, "list service cases");
    if (!q)
        return q.error();
    for (const QVariant &v : std::as_const(binds))
        q->addBindValue(v);
    if (auto r = storage::exec(*q, "list service cases"); !r)
        return r.error();
    QList<ServiceCase> cases;
    while (q->next())
        cases.append(caseFrom(*q));
    return cases;
}

Result<ServiceCase> ServiceStore::advance(qint64 id, ServiceState to, const QString &actor, const QString &note,
                                          std::optional<QDate> expectedReturn)
{
    storage::Transaction tx(*m_db, "advance service case");
    if (!tx.started())
        return tx.started().error();
    auto current = get(id);
    if (!current)
        return current.error();
    ServiceCase c = *current;
    if (!nextStates(c.state).contains(to)) {
        QStringList allowed;
        for (ServiceState s : nextStates(c.state))
            allowed << stateKey(s);
        return makeError(Error::Code::Conflict,
                         allowed.isEmpty() ? tr("Service case %1 is closed (%2).").arg(id).arg(stateName(c.state))
                                           : tr("Service case %1 cannot go from \"%2\" to \"%3\"; next: %4.")
                                                 .arg(id)
                                                 .arg(stateName(c.state), stateName(to), allowed.join(u", "_qs)));
    }
    const QString from = stateKey(c.state);
    const QDateTime at = now();
    c.state = to;
    c.stateSeq += 1;
    c.stateSince = at;
    c.updatedAt = at;
    if (expectedReturn)
        c.expectedReturn = *expectedReturn;
    // Only the state's holder moves it: a second workstation advancing the same case at once loses here.
    auto q = runSql(*m_db,
                    u"UPDATE service_cases SET state = ?, state_seq = ?, state_since = ?, expected_return = ?, "
                    "updated_at = ? WHERE id = ? AND state_seq = ?"_qs,
                    "advance service case",
                    {stateKey(to), c.stateSeq, at.toMSecsSinceEpoch(), dayText(c.expectedReturn),
                     at.toMSecsSinceEpoch(), id, c.stateSeq - 1});
    if (!q)
        return q.error();
    if (q->numRowsAffected() != 1)
        return makeError(Error::Code::Conflict, tr("Service case %1 was changed meanwhile; try again.").arg(id));
    if (auto r = recordStep(c, from, note, actor); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return get(id);
}

Result<void> ServiceStore::recordStep(const ServiceCase &c, const QString &from, const QString &note,
                                      const QString &actor)
{
    const QString to = stateKey(c.state);
    if (auto r = runSql(*m_db,
                        u"INSERT INTO service_case_steps (case_id, seq, from_state, to_state, note, actor, user_name, "
                        "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_qs,
                        "insert service case step",
                        {c.id, c.stateSeq, from, to, note, actor, access::Session::currentUserName(),
                         c.stateSince.toMSecsSinceEpoch()});
        !r)
        return r.error();
    if (c.orderId) {
        const QJsonObject payload{{u"case"_qs, c.id},       {u"from"_qs, from},
                                  {u"to"_qs, to},           {u"product"_qs, c.productName},
                                  {u"serial"_qs, c.serial}, {u"note"_qs, note}};
        const char *type = from.isEmpty() ? EventType::kRegistered : EventType::kStateChanged;
        if (auto r = m_orders.recordEvent(type, c.orderId, payload, {actor, note, 0}, historyField(c.id), from, to); !r)
            return r.error();
    }
    if (auto r = ServiceNotifier(m_orders).notifyStep(c, note); !r)
        return r.error();
    return {};
}

} // namespace sd::service
