#pragma once

#include "devices/labels/zpltemplates.h"
#include "util/result.h"

#include <QByteArray>
#include <QSizeF>

namespace sd::devices::labels::pdf {

inline const QSizeF kAddressLabelMm(100, 150);
inline const QSizeF kProductLabelMm(50, 30);

// The PDF twins of the ZPL templates: one page at the label's size, text in the default sans font, barcodes as
// vector bars drawn by Zint (Code 128 for the address label, EAN-13 for the product label).
Result<QByteArray> addressLabel(const domain::Order &order, const Sender &sender, const QString &barcode,
                                const QString &carrier = {});
Result<QByteArray> productLabel(const QString &name, const QString &sku, const QString &ean,
                                const domain::Money &price);
// A test page for a document or PDF label printer of `pageMm` (A4 for documents, the label size for labels).
Result<QByteArray> testPage(const QString &printer, const QString &workstation, const QSizeF &pageMm);

} // namespace sd::devices::labels::pdf
