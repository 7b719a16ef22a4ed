#include "returns/returncase.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace sd::returns {

namespace {

struct StateName
{
    ReturnState state;
    const char *key;
    const char *label;
};

const StateName kStates[] = {
    {ReturnState::Registered, "registered", QT_TRANSLATE_NOOP("sd::returns", "registered")},
    {ReturnState::Received, "received", QT_TRANSLATE_NOOP("sd::returns", "received")},
    {ReturnState::Inspected, "inspected", QT_TRANSLATE_NOOP("sd::returns", "inspected")},
    {ReturnState::Refunded, "refunded", QT_TRANSLATE_NOOP("sd::returns", "refunded")},
    {ReturnState::Replaced, "replaced", QT_TRANSLATE_NOOP("sd::returns", "replaced")},
    {ReturnState::Repaired, "repaired", QT_TRANSLATE_NOOP("sd::returns", "repaired")},
    {ReturnState::Rejected, "rejected", QT_TRANSLATE_NOOP("sd::returns", "rejected")},
};

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

QString stateKey(ReturnState state)
{
    for (const StateName &s : kStates)
        if (s.state == state)
            return QString::fromLatin1(s.key);
    return {};
}

std::optional<ReturnState> stateFromKey(QStringView key)
{
    for (const StateName &s : kStates)
        if (key.compare(QLatin1StringView(s.key), Qt::CaseInsensitive) == 0)
            return s.state;
    return std::nullopt;
}

QString stateLabel(ReturnState state)
{
    for (const StateName &s : kStates)
        if (s.state == state)
            return QCoreApplication::translate("sd::returns", s.label);
    return {};
}

QList<ReturnState> allStates()
{
    QList<ReturnState> list;
    for (const StateName &s : kStates)
        list.append(s.state);
    return list;
}

QList<ReturnState> nextStates(ReturnState from)
{
    switch (from) {
    case ReturnState::Registered:
        return {ReturnState::Received, ReturnState::Rejected};
    case ReturnState::Received:
        return {ReturnState::Inspected, ReturnState::Rejected};
    case ReturnState::Inspected:
        return {ReturnState::Refunded, ReturnState::Replaced, ReturnState::Repaired, ReturnState::Rejected};
    default:
        return {};
    }
}

bool isFinal(ReturnState state)
{
    return nextStates(state).isEmpty();
}

QJsonObject ReturnItem::toJson() const
{
    return {{u"line"_qs, line},
            {u"sku"_qs, sku},
            {u"name"_qs, name},
            {u"quantity"_qs, quantity},
            {u"unitPrice"_qs, unitPrice.toDecimalString()},
            {u"currency"_qs, unitPrice.currency()}};
}

QJsonObject ReturnAttachment::toJson() const
{
    return {{u"id"_qs, id},
            {u"name"_qs, name},
            {u"mimeType"_qs, mimeType},
            {u"size"_qs, size},
            {u"createdAt"_qs, isoTime(createdAt)},
            {u"createdBy"_qs, createdBy}};
}

domain::Money ReturnCase::value() const
{
    domain::Money sum(0, items.isEmpty() ? u"PLN"_qs : items.constFirst().unitPrice.currency());
    for (const ReturnItem &item : items)
        sum += item.unitPrice * item.quantity;
    return sum;
}

int ReturnCase::units() const
{
    int n = 0;
    for (const ReturnItem &item : items)
        n += item.quantity;
    return n;
}

QJsonObject ReturnCase::toJson() const
{
    QJsonArray itemArray;
    for (const ReturnItem &item : items)
        itemArray.append(item.toJson());
    QJsonArray attachmentArray;
    for (const ReturnAttachment &a : attachments)
        attachmentArray.append(a.toJson());
    return {{u"id"_qs, id},
            {u"orderId"_qs, orderId},
            {u"number"_qs, number},
            {u"state"_qs, stateKey(state)},
            {u"reason"_qs, reason},
            {u"source"_qs, source},
            {u"account"_qs, account},
            {u"externalId"_qs, externalId},
            {u"lateOverride"_qs, lateOverride},
            {u"warehouse"_qs, warehouse},
            {u"stockDocument"_qs, stockDocument},
            {u"refund"_qs, refund},
            {u"correction"_qs, correction},
            {u"value"_qs, value().toDecimalString()},
            {u"createdAt"_qs, isoTime(createdAt)},
            {u"createdBy"_qs, createdBy},
            {u"updatedAt"_qs, isoTime(updatedAt)},
            {u"items"_qs, itemArray},
            {u"attachments"_qs, attachmentArray}};
}

} // namespace sd::returns
