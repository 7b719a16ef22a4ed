#pragma once

#include "domain/money.h"
#include "domain/order.h"

#include <QByteArray>

namespace sd::devices::labels {

// The sender printed on our own address labels.
struct Sender
{
    QString name;
    QString street;
    QString postalCode;
    QString city;
    QString countryCode = u"PL"_qs;
    QString email;
    QString phone;

    // From the workstation's settings (labels/sender/...); empty fields where nothing is set.
    static Sender fromSettings();
    void save() const;
};

// Our own ZPL II labels for a 100 x 150 mm (address) or 50 x 30 mm (product) thermal label at 203 dpi (8 dots/mm).
// Field data is UTF-8 (^CI28) so Polish letters pass; ^ and ~ in the data are written as hex escapes (^FH).
namespace zpl {

inline constexpr int kDotsPerMm = 8;

// Receiver (delivery address or pick-up point), sender, the order's reference and a Code 128 of `barcode`
// (the tracking number, or the order's number when there is none yet).
QByteArray addressLabel(const domain::Order &order, const Sender &sender, const QString &barcode);
// Product name, SKU, price and an EAN-13 barcode (^BE) of the 13-digit EAN.
QByteArray productLabel(const QString &name, const QString &sku, const QString &ean, const domain::Money &price);
// A test page for a label printer: the printer's address, the time and a Code 128 of "SELLERDESK-TEST".
QByteArray testLabel(const QString &printer, const QString &workstation);
// Field data with ^ and ~ escaped for ^FH (as _5E and _7E), and _ itself as _5F.
QByteArray fieldData(const QString &text);

} // namespace zpl

} // namespace sd::devices::labels
