#pragma once

#include "util/result.h"

#include <QList>
#include <QRectF>
#include <QString>

class QPainter;

namespace sd::devices::labels {

// A linear barcode drawn by Zint as vector bars, so it stays sharp at any printer resolution (PDF labels).
class Barcode
{
public:
    enum class Symbology { Code128, Ean13 };

    static Result<Barcode> make(Symbology symbology, const QString &data);

    // Paints the bars scaled to fill `area` (no quiet zone of its own: leave one around the area).
    void paint(QPainter &painter, const QRectF &area) const;
    const QString &data() const { return m_data; }
    QSizeF size() const { return m_size; } // in Zint's units (X-dimension 1)

private:
    QString m_data;
    QSizeF m_size;
    QList<QRectF> m_bars;
};

} // namespace sd::devices::labels
