#include "scanning/picklist.h"

#include "devices/labels/barcode.h"
#include "storage/sqlquery.h"

#include <QBuffer>
#include <QDateTime>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>

namespace sd::scanning {

Result<QList<PickRow>> PickList::run(storage::Database &db, const QString &where, const QVariantList &values)
{
    const QString sql =
        u"SELECT COALESCE(p.location, ''), i.sku, COALESCE(NULLIF(p.ean, ''), MIN(i.ean)), MIN(i.name), "
        "SUM(i.quantity), COUNT(DISTINCT i.order_id) FROM order_items i "
        "LEFT JOIN products p ON p.sku = i.sku AND i.sku <> '' WHERE "_qs +
        where +
        u" GROUP BY COALESCE(p.location, ''), i.sku, p.ean, CASE WHEN i.sku = '' THEN i.name ELSE '' END "
        "ORDER BY 1, 2, 4"_qs;
    auto q = storage::prepare(db.connection(), sql, "pick list");
    if (!q)
        return q.error();
    for (const QVariant &v : values)
        q->addBindValue(v);
    if (auto r = storage::exec(*q, "pick list"); !r)
        return r.error();
    QList<PickRow> rows;
    while (q->next()) {
        PickRow row;
        row.location = q->value(0).toString();
        row.sku = q->value(1).toString();
        row.ean = q->value(2).toString().remove(u' ');
        row.name = q->value(3).toString();
        row.quantity = q->value(4).toInt();
        row.orders = q->value(5).toInt();
        rows.append(row);
    }
    return rows;
}

Result<QList<PickRow>> PickList::forOrders(storage::Database &db, const QList<qint64> &orderIds)
{
    if (orderIds.isEmpty())
        return QList<PickRow>();
    QStringList ids;
    for (qint64 id : orderIds)
        ids.append(QString::number(id));
    return run(db, u"i.order_id IN ("_qs + ids.join(u',') + u')', {});
}

Result<QList<PickRow>> PickList::forStatus(storage::Database &db, const QString &status)
{
    return run(db,
               u"i.order_id IN (SELECT o.id FROM orders o JOIN statuses s ON s.id = o.status_id WHERE s.name = ?)"_qs,
               {status});
}

Result<QByteArray> PickList::pdf(const QList<PickRow> &rows, const QString &title)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
    writer.setResolution(300);
    writer.setTitle(title);
    QPainter painter(&writer);
    const QRect page = painter.viewport();
    const double mm = 300 / 25.4;
    QFont font(u"DejaVu Sans"_qs);
    font.setPointSizeF(10);
    painter.setFont(font);
    const int rowHeight = int(16 * mm);
    int y = 0;
    auto header = [&] {
        QFont bold = font;
        bold.setBold(true);
        bold.setPointSizeF(14);
        painter.setFont(bold);
        painter.drawText(QRect(0, 0, page.width(), int(10 * mm)), Qt::AlignLeft | Qt::AlignVCenter, title);
        painter.setFont(font);
        painter.drawText(QRect(0, 0, page.width(), int(10 * mm)), Qt::AlignRight | Qt::AlignVCenter,
                         QDateTime::currentDateTime().toString(u"yyyy-MM-dd HH:mm"_qs));
        y = int(14 * mm);
        const QStringList heads{tr("Location"), tr("SKU"), tr("Product"), tr("Units"), tr("Orders")};
        const int xs[] = {0, int(25 * mm), int(60 * mm), int(120 * mm), int(135 * mm)};
        for (int i = 0; i < heads.size(); ++i)
            painter.drawText(QRect(xs[i], y, int(60 * mm), int(6 * mm)), Qt::AlignLeft | Qt::AlignVCenter, heads.at(i));
        y += int(8 * mm);
        painter.drawLine(0, y - int(1 * mm), page.width(), y - int(1 * mm));
    };
    header();
    for (const PickRow &row : rows) {
        if (y + rowHeight > page.height()) {
            writer.newPage();
            header();
        }
        const int xs[] = {0, int(25 * mm), int(60 * mm), int(120 * mm), int(135 * mm)};
        const QString cells[] = {row.location.isEmpty() ? QStringLiteral("—") : row.location, row.sku, row.name,
                                 QString::number(row.quantity), QString::number(row.orders)};
        const int widths[] = {int(24 * mm), int(34 * mm), int(59 * mm), int(14 * mm), int(12 * mm)};
        for (int i = 0; i < 5; ++i)
            painter.drawText(QRect(xs[i], y, widths[i], int(12 * mm)),
                             Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, cells[i]);
        auto code = !row.ean.isEmpty()
                        ? devices::labels::Barcode::make(devices::labels::Barcode::Symbology::Ean13, row.ean)
                        : devices::labels::Barcode::make(devices::labels::Barcode::Symbology::Code128, row.sku);
        if (!code && !row.sku.isEmpty())
            code = devices::labels::Barcode::make(devices::labels::Barcode::Symbology::Code128, row.sku);
        if (code)
            code->paint(painter, QRectF(150 * mm, y + 1 * mm, 34 * mm, 10 * mm));
        y += rowHeight;
        painter.drawLine(0, y - int(2 * mm), page.width(), y - int(2 * mm));
    }
    if (!painter.end())
        return makeError(Error::Code::Io, tr("The pick list could not be drawn."));
    return bytes;
}

} // namespace sd::scanning
