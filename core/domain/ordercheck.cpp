#include "domain/ordercheck.h"

#include "domain/contact.h"
#include "domain/ean.h"
#include "domain/nip.h"

#include <QCoreApplication>

namespace sd::domain {

QList<FieldProblem> checkManualOrder(const Order &order)
{
    QList<FieldProblem> problems;
    auto check = [&problems](const QString &field, const auto &result) {
        if (!result)
            problems.append({field, result.error().userMessage});
    };

    if (order.buyer.displayName().trimmed().isEmpty())
        problems.append(
            {u"buyer.name"_qs, QCoreApplication::translate("sd::domain", "Give the buyer's name or company")});
    if (!order.buyer.email.trimmed().isEmpty())
        check(u"buyer.email"_qs, Email::parse(order.buyer.email));
    if (!order.buyer.phone.trimmed().isEmpty())
        check(u"buyer.phone"_qs, Phone::parse(order.buyer.phone));
    if (!order.buyer.nip.trimmed().isEmpty())
        check(u"buyer.nip"_qs, Nip::parse(order.buyer.nip));
    if (order.invoice.wanted && order.invoice.nip.trimmed().isEmpty() && !order.invoice.companyName.trimmed().isEmpty())
        problems.append(
            {u"invoice.nip"_qs, QCoreApplication::translate("sd::domain", "A company invoice needs the NIP")});
    if (!order.invoice.nip.trimmed().isEmpty())
        check(u"invoice.nip"_qs, Nip::parse(order.invoice.nip));
    if (order.delivery.pickupPoint.id.isEmpty() || !order.delivery.address.isEmpty())
        check(u"delivery.address"_qs, order.delivery.address.validate());
    if (order.items.isEmpty())
        problems.append({u"items"_qs, QCoreApplication::translate("sd::domain", "Add at least one item")});
    for (qsizetype i = 0; i < order.items.size(); ++i) {
        const LineItem &item = order.items.at(i);
        const QString p = u"items[" + QString::number(i) + u"].";
        if (item.name.trimmed().isEmpty())
            problems.append({p + u"name", QCoreApplication::translate("sd::domain", "The item needs a name")});
        if (item.quantity < 1)
            problems.append(
                {p + u"quantity", QCoreApplication::translate("sd::domain", "The quantity must be at least 1")});
        if (item.unitPrice.isNull() || item.unitPrice.minor() < 0)
            problems.append({p + u"unitPrice", QCoreApplication::translate("sd::domain", "Give a price of 0 or more")});
        if (!item.ean.trimmed().isEmpty())
            check(p + u"ean", Ean::parse(item.ean));
    }
    return problems;
}

} // namespace sd::domain
