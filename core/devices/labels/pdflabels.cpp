#include "devices/labels/pdflabels.h"
#include "util/trainingmode.h"

#include "devices/labels/barcode.h"
#include "devices/labels/courier.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace sd::devices::labels::pdf {

namespace {

constexpr int kResolution = 300; // PDF user units per inch used for painting (the bars are vectors anyway)

qreal mm(qreal value)
{
    return value * kResolution / 25.4;
}

// A training profile's printout: a red band with the mark across the top of the page.
void markTraining(QPainter &p, const QSizeF &pageMm)
{
    const qreal bandMm = std::min<qreal>(7, pageMm.height() / 6);
    p.save();
    p.fillRect(QRectF(0, 0, mm(pageMm.width()), mm(bandMm)), QColor(0xc6, 0x28, 0x28));
    QFont font(u"DejaVu Sans"_qs);
    font.setBold(true);
    font.setPointSizeF(bandMm * 1.6);
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(QRectF(0, 0, mm(pageMm.width()), mm(bandMm)), Qt::AlignCenter, sd::training::markText());
    p.restore();
}

// Paints one page of `pageMm` into a PDF and returns its bytes.
template<typename Paint>
Result<QByteArray> onePage(const QSizeF &pageMm, const QString &title, Paint paint)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setTitle(title);
        writer.setCreator(u"SellerDesk"_qs);
        writer.setResolution(kResolution);
        writer.setPageLayout(QPageLayout(QPageSize(pageMm, QPageSize::Millimeter), QPageLayout::Portrait, {}));
        QPainter painter(&writer);
        if (!painter.isActive())
            return makeError(Error::Code::Io,
                             QCoreApplication::translate("sd::labels", "The PDF label could not be made."));
        if (auto r = paint(painter); !r)
            return r.error();
        if (sd::training::active())
            markTraining(painter, pageMm);
    }
    return bytes;
}

void line(QPainter &p, qreal xMm, qreal yMm, qreal sizePt, const QString &text, bool bold = false)
{
    QFont font(u"DejaVu Sans"_qs);
    font.setPointSizeF(sizePt);
    font.setBold(bold);
    p.setFont(font);
    p.drawText(QPointF(mm(xMm), mm(yMm)), text);
}

} // namespace

Result<QByteArray> addressLabel(const domain::Order &order, const Sender &sender, const QString &barcode,
                                const QString &carrier)
{
    auto code = Barcode::make(Barcode::Symbology::Code128, barcode);
    if (!code)
        return code.error();
    return onePage(kAddressLabelMm, barcode, [&](QPainter &p) -> Result<void> {
        line(p, 6, 10, 8, QStringLiteral("Nadawca / From"));
        line(p, 6, 15, 10, sender.name, true);
        line(p, 6, 20, 10, sender.street);
        line(p, 6, 25, 10, sender.postalCode + u' ' + sender.city);
        if (!carrier.isEmpty())
            line(p, 70, 10, 12, carrier, true);
        p.drawLine(QPointF(mm(4), mm(29)), QPointF(mm(96), mm(29)));
        line(p, 6, 35, 8, QStringLiteral("Odbiorca / To"));
        const domain::Delivery &d = order.delivery;
        const domain::Address &a = d.address;
        const QString name = a.companyName.isEmpty() || !a.lastName.isEmpty() ? receiverName(order) : a.companyName;
        line(p, 6, 43, 14, name, true);
        qreal y = 51;
        const auto add = [&](const QString &text) {
            line(p, 6, y, 12, text);
            y += 7;
        };
        if (!d.pickupPoint.isEmpty()) {
            add(d.pickupPoint.name.isEmpty() ? d.pickupPoint.id : d.pickupPoint.name + u" (" + d.pickupPoint.id + u')');
            add(d.pickupPoint.address.street);
            add(d.pickupPoint.address.postCode + u' ' + d.pickupPoint.address.city);
        } else {
            add(a.street);
            add(a.postCode + u' ' + a.city);
        }
        const QString phone = a.phone.isEmpty() ? order.buyer.phone : a.phone;
        if (!phone.isEmpty())
            add(u"tel. "_qs + phone);
        p.drawLine(QPointF(mm(4), mm(84)), QPointF(mm(96), mm(84)));
        line(p, 6, 91, 10, order.externalId.isEmpty() ? u"#"_qs + QString::number(order.id) : order.externalId);
        code->paint(p, QRectF(mm(10), mm(97), mm(80), mm(32)));
        line(p, 10, 136, 12, barcode, true);
        return {};
    });
}

Result<QByteArray> productLabel(const QString &name, const QString &sku, const QString &ean, const domain::Money &price)
{
    auto code = Barcode::make(Barcode::Symbology::Ean13, ean);
    if (!code)
        return code.error();
    return onePage(kProductLabelMm, name, [&](QPainter &p) -> Result<void> {
        line(p, 2, 5, 7, name.left(32), true);
        line(p, 2, 9.5, 6, u"SKU "_qs + sku);
        line(p, 32, 9.5, 7, price.toDisplayString(), true);
        code->paint(p, QRectF(mm(5), mm(11.5), mm(40), mm(13)));
        line(p, 12, 28.5, 7, ean);
        return {};
    });
}

Result<QByteArray> testPage(const QString &printer, const QString &workstation, const QSizeF &pageMm)
{
    auto code = Barcode::make(Barcode::Symbology::Code128, u"SELLERDESK-TEST"_qs);
    if (!code)
        return code.error();
    return onePage(pageMm, u"SellerDesk test page"_qs, [&](QPainter &p) -> Result<void> {
        line(p, 6, 12, 12, QStringLiteral("SellerDesk — strona testowa / test page"), true);
        line(p, 6, 20, 9, printer);
        line(p, 6, 26, 9, workstation);
        line(p, 6, 32, 9, QDateTime::currentDateTime().toString(Qt::ISODate));
        line(p, 6, 38, 9, QStringLiteral("ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"));
        const qreal width = std::min<qreal>(80, pageMm.width() - 12);
        code->paint(p, QRectF(mm(6), mm(44), mm(width), mm(25)));
        return {};
    });
}

} // namespace sd::devices::labels::pdf
