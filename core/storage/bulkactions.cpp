#include "storage/bulkactions.h"

#include <QCoreApplication>

namespace sd::storage {

namespace {

QString csvField(const QString &value)
{
    if (!value.contains(u';') && !value.contains(u'"') && !value.contains(u'\n') && !value.contains(u'\r'))
        return value;
    QString quoted = value;
    quoted.replace(u'"', u"\"\""_qs);
    return u'"' + quoted + u'"';
}

QString amount(const domain::Money &money)
{
    return money.isNull() ? QString() : money.toDecimalString();
}

} // namespace

BulkReport changeTags(OrderStore &store, const QList<qint64> &orderIds, const QStringList &add,
                      const QStringList &remove, const ChangeContext &context,
                      const std::function<bool(int done)> &progress)
{
    BulkReport report;
    QStringList cleanAdd;
    for (const QString &tag : add)
        if (!tag.simplified().isEmpty())
            cleanAdd << tag.simplified();
    for (int i = 0; i < orderIds.size(); ++i) {
        if (progress && !progress(i)) {
            report.stopped = true;
            break;
        }
        auto result = store.apply(OrderChange::update(
            orderIds.at(i),
            [&](domain::Order &order) -> Result<void> {
                for (const QString &tag : cleanAdd)
                    if (!order.tags.contains(tag))
                        order.tags.append(tag);
                for (const QString &tag : remove)
                    order.tags.removeAll(tag.simplified());
                return {};
            },
            context));
        if (!result)
            report.failed.append({orderIds.at(i), result.error().userMessage});
        else if (result->changedFields.isEmpty())
            ++report.unchanged;
        else
            ++report.changed;
    }
    return report;
}

BulkReport exportCsv(OrderStore &store, const QList<qint64> &orderIds, QIODevice &out,
                     const std::function<bool(int done)> &progress)
{
    BulkReport report;
    const QStringList header = {QCoreApplication::translate("sd::storage", "Number"),
                                QCoreApplication::translate("sd::storage", "Marketplace"),
                                QCoreApplication::translate("sd::storage", "Marketplace number"),
                                QCoreApplication::translate("sd::storage", "Bought"),
                                QCoreApplication::translate("sd::storage", "Status"),
                                QCoreApplication::translate("sd::storage", "Buyer login"),
                                QCoreApplication::translate("sd::storage", "Buyer"),
                                QCoreApplication::translate("sd::storage", "E-mail"),
                                QCoreApplication::translate("sd::storage", "Phone"),
                                QCoreApplication::translate("sd::storage", "Items"),
                                QCoreApplication::translate("sd::storage", "Total"),
                                QCoreApplication::translate("sd::storage", "Currency"),
                                QCoreApplication::translate("sd::storage", "Payment method"),
                                QCoreApplication::translate("sd::storage", "Payment status"),
                                QCoreApplication::translate("sd::storage", "Paid"),
                                QCoreApplication::translate("sd::storage", "Delivery method"),
                                QCoreApplication::translate("sd::storage", "Street"),
                                QCoreApplication::translate("sd::storage", "Post code"),
                                QCoreApplication::translate("sd::storage", "City"),
                                QCoreApplication::translate("sd::storage", "Country"),
                                QCoreApplication::translate("sd::storage", "Pick-up point"),
                                QCoreApplication::translate("sd::storage", "Invoice"),
                                QCoreApplication::translate("sd::storage", "NIP"),
                                QCoreApplication::translate("sd::storage", "Tags"),
                                QCoreApplication::translate("sd::storage", "Notes")};
    out.write("\xEF\xBB\xBF");
    out.write(header.join(u';').toUtf8() + "\r\n");
    for (int i = 0; i < orderIds.size(); ++i) {
        if (progress && !progress(i)) {
            report.stopped = true;
            break;
        }
        auto order = store.load(orderIds.at(i));
        if (!order) {
            report.failed.append({orderIds.at(i), order.error().userMessage});
            continue;
        }
        const domain::Order &o = *order;
        QStringList items;
        for (const domain::LineItem &item : o.items)
            items << QString::number(item.quantity) + u" x " + item.name;
        const QStringList fields = {QString::number(o.id),
                                    o.marketplace,
                                    o.externalId,
                                    o.createdAt.toUTC().toString(Qt::ISODate),
                                    o.status,
                                    o.buyer.login,
                                    o.buyer.displayName(),
                                    o.buyer.email,
                                    o.buyer.phone,
                                    items.join(u", "),
                                    amount(o.total),
                                    o.total.currency(),
                                    o.payment.method,
                                    domain::paymentStatusKey(o.payment.status),
                                    amount(o.payment.paidAmount),
                                    o.delivery.methodName,
                                    o.delivery.address.street,
                                    o.delivery.address.postCode,
                                    o.delivery.address.city,
                                    o.delivery.address.countryCode,
                                    o.delivery.pickupPoint.id,
                                    o.invoice.wanted ? QCoreApplication::translate("sd::storage", "yes")
                                                     : QCoreApplication::translate("sd::storage", "no"),
                                    o.invoice.nip,
                                    o.tags.join(u", "),
                                    o.notes};
        QStringList line;
        for (const QString &field : fields)
            line << csvField(field);
        if (out.write(line.join(u';').toUtf8() + "\r\n") < 0) {
            report.failed.append({o.id, out.errorString()});
            break;
        }
        ++report.changed;
    }
    return report;
}

} // namespace sd::storage
