#include "devices/labels/labelservice.h"

#include "automation/sqlrun.h"

#include <QCoreApplication>
#include <QDateTime>

namespace sd::devices::labels {

namespace {} // namespace

LabelService::LabelService(storage::OrderStore &store, storage::ActionLedger &ledger, QString owner)
    : m_store(store)
    , m_ledger(ledger)
    , m_owner(std::move(owner))
{}

QString LabelService::operatorKey(qint64 orderId, const QString &courier)
{
    return u"label/order:"_qs + QString::number(orderId) + u"/courier:" + courier;
}

Result<LabelOutcome> LabelService::generate(qint64 orderId, Courier &courier, const Parcel &parcel,
                                            LabelDocument::Format format, const QString &key,
                                            const storage::ChangeContext &context)
{
    using Claim = storage::ActionLedger::Claim;
    auto claim = m_ledger.claim(key, u"label.generate"_qs, orderId, m_owner);
    if (!claim)
        return claim.error();
    if (*claim == Claim::FailedBefore) {
        claim = m_ledger.claimRetry(key, m_owner);
        if (!claim)
            return claim.error();
    }
    if (*claim == Claim::AlreadyDone) {
        auto entry = m_ledger.find(key);
        if (!entry)
            return entry.error();
        const qint64 row = entry->has_value() ? (*entry)->result.value(u"shipmentRow").toInteger() : 0;
        auto stored = byRow(row);
        if (!stored)
            return stored.error();
        if (!stored->has_value())
            return makeError(
                Error::Code::NotFound,
                QCoreApplication::translate("sd::labels", "The label was made before but is no longer stored."), key);
        return LabelOutcome{**stored, true};
    }
    if (*claim != Claim::Claimed)
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate(
                             "sd::labels",
                             "This label is being made right now, or its making was interrupted; look at the "
                             "courier's panel before trying again."),
                         key);

    const auto failed = [&](const Error &error) -> Result<LabelOutcome> {
        (void)m_ledger.fail(key, error.detail.isEmpty() ? error.userMessage : error.detail);
        return error;
    };
    auto order = m_store.load(orderId);
    if (!order)
        return failed(order.error());
    auto made = courier.createLabel(*order, parcel, format, key);
    if (!made)
        return failed(made.error());

    // Everything the label changes in one transaction; the ledger's failure is written after its rollback.
    auto stored = [&]() -> Result<qint64> {
        storage::Database &db = *m_store.sharedDatabase();
        storage::Transaction tx(db, "store label");
        if (!tx.started())
            return tx.started().error();
        auto row = automation::runSql(
            db,
            u"INSERT INTO order_shipments (order_id, carrier_id, carrier_name, waybill, external_id, label_barcode, "
            "label_format, label_data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_qs,
            "insert label shipment",
            {orderId, made->carrierId, made->courier, made->trackingNumber, made->shipmentId, made->labelBarcode,
             LabelDocument::formatName(made->document.format), QString::fromLatin1(made->document.data.toBase64()),
             QDateTime::currentMSecsSinceEpoch()});
        if (!row)
            return row.error();
        const qint64 rowId = row->lastInsertId().toLongLong();
        const domain::Shipment shipment{made->carrierId, made->trackingNumber, QString(), made->labelBarcode};
        auto changed = m_store.apply(storage::OrderChange::update(
            orderId,
            [shipment](domain::Order &o) -> Result<void> {
                o.shipments.append(shipment);
                return {};
            },
            context));
        if (!changed)
            return changed.error();
        QJsonObject payload{
            {u"courier"_qs, made->courier},           {u"carrierId"_qs, made->carrierId},
            {u"shipmentId"_qs, made->shipmentId},     {u"waybill"_qs, made->trackingNumber},
            {u"labelBarcode"_qs, made->labelBarcode}, {u"format"_qs, LabelDocument::formatName(made->document.format)}};
        if (auto event = m_store.recordEvent(kLabelGenerated, orderId, payload, context); !event)
            return event.error();
        payload.insert(u"shipmentRow"_qs, rowId);
        if (auto r = m_ledger.complete(key, payload); !r)
            return r.error();
        if (auto r = tx.commit(); !r)
            return r.error();
        return rowId;
    }();
    if (!stored)
        return failed(stored.error());
    const qint64 rowId = *stored;
    StoredLabel label{rowId,
                      orderId,
                      made->courier,
                      made->carrierId,
                      made->shipmentId,
                      made->trackingNumber,
                      made->labelBarcode,
                      made->document};
    return LabelOutcome{label, false};
}

Result<std::optional<StoredLabel>> LabelService::select(const QString &where, const QVariant &value)
{
    auto q = automation::runSql(*m_store.sharedDatabase(),
                                u"SELECT id, order_id, carrier_name, carrier_id, external_id, waybill, label_barcode, "
                                "label_format, label_data FROM order_shipments WHERE label_data <> '' AND "_qs +
                                    where + u" ORDER BY id DESC LIMIT 1",
                                "read label", {value});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<StoredLabel>();
    StoredLabel label;
    label.shipmentRowId = q->value(0).toLongLong();
    label.orderId = q->value(1).toLongLong();
    label.courier = q->value(2).toString();
    label.carrierId = q->value(3).toString();
    label.shipmentId = q->value(4).toString();
    label.trackingNumber = q->value(5).toString();
    label.labelBarcode = q->value(6).toString();
    LabelDocument::parseFormat(q->value(7).toString(), &label.document.format);
    label.document.data = QByteArray::fromBase64(q->value(8).toString().toLatin1());
    return std::optional<StoredLabel>(label);
}

Result<std::optional<StoredLabel>> LabelService::latest(qint64 orderId)
{
    return select(u"order_id = ?"_qs, orderId);
}

Result<std::optional<StoredLabel>> LabelService::byRow(qint64 shipmentRowId)
{
    return select(u"id = ?"_qs, shipmentRowId);
}

} // namespace sd::devices::labels
