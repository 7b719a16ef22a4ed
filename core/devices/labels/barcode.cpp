#include "devices/labels/barcode.h"

#include <QCoreApplication>
#include <QPainter>

#include <zint.h>

#include <memory>

namespace sd::devices::labels {

Result<Barcode> Barcode::make(Symbology symbology, const QString &data)
{
    if (data.isEmpty())
        return makeError(Error::Code::Invalid, QCoreApplication::translate("sd::labels", "A barcode needs some data."));
    std::unique_ptr<zint_symbol, decltype(&ZBarcode_Delete)> symbol(ZBarcode_Create(), &ZBarcode_Delete);
    if (!symbol)
        return makeError(Error::Code::Io, QCoreApplication::translate("sd::labels", "The barcode could not be drawn."),
                         u"ZBarcode_Create"_qs);
    symbol->symbology = symbology == Symbology::Code128 ? BARCODE_CODE128 : BARCODE_EANX;
    symbol->show_hrt = 0; // the label prints the text itself, in its own font
    const QByteArray bytes = data.toUtf8();
    const int status = ZBarcode_Encode_and_Buffer_Vector(
        symbol.get(), reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()), 0);
    if (status >= ZINT_ERROR || !symbol->vector)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::labels", "\"%1\" cannot be written as this kind of barcode.").arg(data),
            QString::fromLatin1(symbol->errtxt));
    Barcode barcode;
    barcode.m_data = data;
    barcode.m_size = QSizeF(symbol->vector->width, symbol->vector->height);
    for (const zint_vector_rect *r = symbol->vector->rectangles; r; r = r->next)
        barcode.m_bars.append(QRectF(r->x, r->y, r->width, r->height));
    return barcode;
}

void Barcode::paint(QPainter &painter, const QRectF &area) const
{
    if (m_size.isEmpty())
        return;
    const qreal sx = area.width() / m_size.width();
    const qreal sy = area.height() / m_size.height();
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::black);
    for (const QRectF &bar : m_bars)
        painter.drawRect(
            QRectF(area.left() + bar.x() * sx, area.top() + bar.y() * sy, bar.width() * sx, bar.height() * sy));
    painter.restore();
}

} // namespace sd::devices::labels
