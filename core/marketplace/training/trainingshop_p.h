#pragma once

// Shared by the TrainingShop's source files (orders, offers and commands, messages and after-sales): constants and
// small JSON helpers. Not a public header.

#include "marketplace/training/traininglog.h"
#include "marketplace/training/trainingshop.h"
#include "util/isotime.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QUuid>

#include <algorithm>
#include <climits>
#include <optional>

namespace sd::marketplace::training::shop {

using namespace Qt::StringLiterals;

inline constexpr qint64 kSecond = 1000;
inline constexpr qint64 kMinute = 60 * kSecond;
inline constexpr qint64 kHour = 60 * kMinute;
inline constexpr qint64 kDay = 24 * kHour;
inline constexpr auto kSellerId = "437848322";
inline constexpr auto kSellerLogin = "SzkoleniowySklep";

inline const QStringList kFulfillmentStatuses = {
    u"NEW"_s,  u"PROCESSING"_s, u"READY_FOR_SHIPMENT"_s, u"READY_FOR_PICKUP"_s,
    u"SENT"_s, u"PICKED_UP"_s,  u"CANCELLED"_s,          u"SUSPENDED"_s};

struct Carrier
{
    const char *id;
    const char *name;
};
inline constexpr Carrier kCarriers[] = {
    {"INPOST", "InPost"},
    {"DPD", "DPD"},
    {"DHL", "DHL"},
    {"POCZTA_POLSKA", "Poczta Polska"},
    {"ORLEN_PACZKA", "ORLEN Paczka"},
    {"GLS", "GLS"},
    {"UPS", "UPS"},
    {"FEDEX", "FedEx"},
    {"ALLEGRO", "Allegro One"},
    {"OTHER", "Inny przewoźnik"},
};

inline QString iso(qint64 ms)
{
    return util::isoTimeText(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
}

inline qint64 msOf(const QJsonValue &value)
{
    const QDateTime time = util::parseIsoTime(value.toString());
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

// Grosze from "123.45"; money never goes through floating point.
inline qint64 minor(const QJsonValue &amount)
{
    const QString text = amount.toObject().value(u"amount"_s).toString();
    const qsizetype dot = text.indexOf(u'.');
    if (dot < 0)
        return text.toLongLong() * 100;
    QString fraction = text.mid(dot + 1).left(2);
    while (fraction.size() < 2)
        fraction.append(u'0');
    const qint64 whole = text.left(dot).toLongLong();
    return whole * 100 + (text.startsWith(u'-') ? -fraction.toLongLong() : fraction.toLongLong());
}

inline QString amountText(qint64 grosze)
{
    const QString sign = grosze < 0 ? u"-"_s : QString();
    grosze = qAbs(grosze);
    return sign + QString::number(grosze / 100) + u'.' + QStringLiteral("%1").arg(grosze % 100, 2, 10, QChar(u'0'));
}

inline QJsonObject price(qint64 grosze, const QString &currency)
{
    return {{u"amount"_s, amountText(grosze)}, {u"currency"_s, currency}};
}

inline QString currencyOf(const QJsonObject &form)
{
    return form.value(u"summary"_s).toObject().value(u"totalToPay"_s).toObject().value(u"currency"_s).toString();
}

// Moves every timestamp in the form by `delta` ms (live orders are generated in the past, then moved to now).
inline QJsonValue shifted(const QJsonValue &value, qint64 delta)
{
    static const QRegularExpression time(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$"_s);
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            it.value() = shifted(it.value(), delta);
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            a[i] = shifted(a.at(i), delta);
        return a;
    }
    if (value.isString() && time.match(value.toString()).hasMatch())
        return iso(msOf(value) + delta);
    return value;
}

inline QJsonObject setPath(QJsonObject object, const QString &key, const QString &sub, const QJsonValue &value)
{
    QJsonObject inner = object.value(key).toObject();
    inner.insert(sub, value);
    object.insert(key, inner);
    return object;
}

inline int intParam(const QUrlQuery &query, const QString &name, int fallback, bool *ok)
{
    if (!query.hasQueryItem(name))
        return fallback;
    return query.queryItemValue(name).toInt(ok);
}

inline bool isUuid(const QString &text)
{
    return !QUuid::fromString(text).isNull() && text.size() == 36;
}

inline QJsonArray page(const QJsonArray &items, int offset, int limit)
{
    QJsonArray out;
    for (qsizetype i = offset; i < items.size() && i < qsizetype(offset) + limit; ++i)
        out.append(items.at(i));
    return out;
}

// A list request's limit (1..maxLimit, defaultLimit when absent) and offset (0..maxOffset), or the API's validation
// answer.
inline std::optional<TrainingResponse> pageParams(const QUrlQuery &query, int defaultLimit, int maxLimit, int *limit,
                                                  int *offset, int maxOffset = 15000000)
{
    bool ok = true;
    bool ok2 = true;
    *limit = intParam(query, u"limit"_s, defaultLimit, &ok);
    *offset = intParam(query, u"offset"_s, 0, &ok2);
    if (!ok || !ok2 || *limit < 1 || *limit > maxLimit || *offset < 0 || *offset > maxOffset)
        return TrainingResponse::validation(u"limit must be 1..%1"_s.arg(maxLimit),
                                            QT_TRANSLATE_NOOP("sd::training", "The page size or offset is not valid."),
                                            u"limit"_s);
    return std::nullopt;
}

// What buyers write; Polish buyers write Polish whatever language SellerDesk runs in.
inline const char *const kBuyerQuestions[] = {
    "Dzień dobry, kiedy wyślecie moją paczkę?",
    "Czy mogę jeszcze zmienić kolor na czarny?",
    "Proszę o fakturę na firmę, dane podałem w formularzu.",
    "Paczka jeszcze nie dotarła, czy możecie sprawdzić numer przesyłki?",
    "Czy produkt ma polską instrukcję obsługi?",
};

} // namespace sd::marketplace::training::shop
