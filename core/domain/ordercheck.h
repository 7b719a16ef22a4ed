#pragma once

#include "domain/order.h"

#include <QList>
#include <QString>

namespace sd::domain {

// One problem with one field of an order typed in by a person, named by its path ("buyer.email",
// "items[0].ean"), so a form can show the message beside the field.
struct FieldProblem
{
    QString field;
    QString message; // translated
};

// Everything that is wrong with a manual order (A10), all at once: names, e-mail, phone, NIP (checksum),
// delivery address and Polish post code, EANs (check digit), quantities and prices. Empty when it can be saved.
QList<FieldProblem> checkManualOrder(const Order &order);

} // namespace sd::domain
