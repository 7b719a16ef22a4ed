#include "devices/fiscal/fiscalprinter.h"

#include <QCoreApplication>

namespace sd::devices::fiscal {

std::optional<int> VatTable::slotFor(const domain::VatRate &rate) const
{
    int wanted = -1;
    switch (rate.kind()) {
    case domain::VatRate::Kind::Percent:
        wanted = rate.percentValue() * 100;
        break;
    case domain::VatRate::Kind::Exempt:
        wanted = kExempt;
        break;
    default:
        return std::nullopt; // np / oo: not sold on a receipt
    }
    for (int i = 0; i < kSlots; ++i)
        if (rates[i] == wanted)
            return i;
    return std::nullopt;
}

QString VatTable::describe() const
{
    QStringList parts;
    for (int i = 0; i < kSlots; ++i) {
        if (rates[i] == kInactive)
            continue;
        parts << (rates[i] == kExempt ? u"%1 zw"_qs.arg(letter(i))
                                      : u"%1 %2%"_qs.arg(letter(i)).arg(QString::number(rates[i] / 100.0)));
    }
    return parts.join(u", ");
}

qint64 Receipt::total() const
{
    qint64 sum = 0;
    for (const ReceiptLine &line : lines)
        sum += line.total();
    return sum;
}

Result<std::array<qint64, VatTable::kSlots>> Receipt::totalsBySlot(const VatTable &table) const
{
    std::array<qint64, VatTable::kSlots> totals{};
    for (const ReceiptLine &line : lines) {
        const auto slot = table.slotFor(line.rate);
        if (!slot)
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::devices::fiscal",
                                                         "The fiscal printer has no VAT rate %1% for \"%2\" (its "
                                                         "rates: %3). Ask the service to program the rate table.")
                                 .arg(line.rate.code(), line.name, table.describe()));
        totals[*slot] += line.total();
    }
    return totals;
}

} // namespace sd::devices::fiscal
