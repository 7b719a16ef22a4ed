#include "devices/labels/zpltemplates.h"
#include "util/trainingmode.h"

#include "devices/labels/courier.h"

#include <QDateTime>
#include <QSettings>

namespace sd::devices::labels {

Sender Sender::fromSettings()
{
    QSettings settings;
    settings.beginGroup(u"labels/sender"_qs);
    Sender s;
    s.name = settings.value(u"name"_qs).toString();
    s.street = settings.value(u"street"_qs).toString();
    s.postalCode = settings.value(u"postalCode"_qs).toString();
    s.city = settings.value(u"city"_qs).toString();
    s.countryCode = settings.value(u"countryCode"_qs, u"PL"_qs).toString();
    s.email = settings.value(u"email"_qs).toString();
    s.phone = settings.value(u"phone"_qs).toString();
    return s;
}

void Sender::save() const
{
    QSettings settings;
    settings.beginGroup(u"labels/sender"_qs);
    settings.setValue(u"name"_qs, name);
    settings.setValue(u"street"_qs, street);
    settings.setValue(u"postalCode"_qs, postalCode);
    settings.setValue(u"city"_qs, city);
    settings.setValue(u"countryCode"_qs, countryCode);
    settings.setValue(u"email"_qs, email);
    settings.setValue(u"phone"_qs, phone);
}

} // namespace sd::devices::labels

namespace sd::devices::labels::zpl {

namespace {

// One text field at (x, y) with font 0 of height h dots.
QByteArray text(int x, int y, int h, const QString &value)
{
    return "^FO" + QByteArray::number(x) + ',' + QByteArray::number(y) + "^A0N," + QByteArray::number(h) + ',' +
           QByteArray::number(h) + "^FH^FD" + fieldData(value) + "^FS\n";
}

// Ends a label; a training profile's label gets the mark in white on a black band across the top.
QByteArray finish(QByteArray z, int widthDots)
{
    if (sd::training::active())
        z += "^FO0,0^GB" + QByteArray::number(widthDots) + ",36,36^FS\n^FO0,4^FR^FB" + QByteArray::number(widthDots) +
             ",1,0,C^A0N,30,30^FD" + fieldData(sd::training::markText()) + "^FS\n";
    return z + "^XZ\n";
}

QString receiverLines(const domain::Order &order, QStringList *lines)
{
    const domain::Delivery &d = order.delivery;
    const domain::Address &a = d.address;
    const QString name = a.companyName.isEmpty() || !a.lastName.isEmpty() ? receiverName(order) : a.companyName;
    if (!d.pickupPoint.isEmpty()) {
        lines->append(d.pickupPoint.name.isEmpty() ? d.pickupPoint.id
                                                   : d.pickupPoint.name + u" (" + d.pickupPoint.id + u')');
        lines->append(d.pickupPoint.address.street);
        lines->append(d.pickupPoint.address.postCode + u' ' + d.pickupPoint.address.city);
    } else {
        lines->append(a.street);
        lines->append(a.postCode + u' ' + a.city);
    }
    return name;
}

} // namespace

QByteArray fieldData(const QString &text)
{
    QByteArray out = text.toUtf8();
    out.replace('_', "_5F");
    out.replace('^', "_5E");
    out.replace('~', "_7E");
    return out;
}

QByteArray addressLabel(const domain::Order &order, const Sender &sender, const QString &barcode)
{
    QStringList lines;
    const QString receiver = receiverLines(order, &lines);
    QByteArray z = "^XA\n^CI28\n^PW800\n^LL1200\n^LH0,0\n";
    z += text(40, 40, 28, QStringLiteral("Nadawca / From"));
    z += text(40, 75, 32, sender.name);
    z += text(40, 112, 32, sender.street);
    z += text(40, 149, 32, sender.postalCode + u' ' + sender.city);
    z += "^FO30,200^GB740,4,4^FS\n";
    z += text(40, 230, 28, QStringLiteral("Odbiorca / To"));
    z += text(40, 270, 56, receiver);
    int y = 340;
    for (const QString &line : std::as_const(lines)) {
        z += text(40, y, 44, line);
        y += 56;
    }
    const QString phone = order.delivery.address.phone.isEmpty() ? order.buyer.phone : order.delivery.address.phone;
    if (!phone.isEmpty())
        z += text(40, y, 36, u"tel. "_qs + phone);
    z += "^FO30,640^GB740,4,4^FS\n";
    z += text(40, 670, 32, order.externalId.isEmpty() ? u"#"_qs + QString::number(order.id) : order.externalId);
    // Code 128, automatic subsets (compact for long numeric tracking numbers).
    z += "^FO60,740^BY3^BCN,260,Y,N,N,A^FD" + fieldData(barcode) + "^FS\n";
    return finish(z, 800);
}

QByteArray productLabel(const QString &name, const QString &sku, const QString &ean, const domain::Money &price)
{
    QByteArray z = "^XA\n^CI28\n^PW400\n^LL240\n^LH0,0\n";
    z += text(16, 12, 26, name.left(28));
    z += text(16, 44, 22, u"SKU "_qs + sku);
    z += text(250, 44, 26, price.toDisplayString());
    // EAN-13: ^BE takes the 12 data digits and adds the check digit itself.
    z += "^FO40,80^BY2^BEN,110,Y,N^FD" + fieldData(ean.left(12)) + "^FS\n";
    return finish(z, 400);
}

QByteArray testLabel(const QString &printer, const QString &workstation)
{
    QByteArray z = "^XA\n^CI28\n^PW800\n^LL600\n^LH0,0\n";
    z += text(40, 40, 48, QStringLiteral("SellerDesk — strona testowa / test page"));
    z += text(40, 110, 32, printer);
    z += text(40, 150, 32, workstation);
    z += text(40, 190, 32, QDateTime::currentDateTime().toString(Qt::ISODate));
    z += text(40, 240, 32, QStringLiteral("ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"));
    z += "^FO60,320^BY3^BCN,180,Y,N,N,A^FDSELLERDESK-TEST^FS\n";
    return finish(z, 800);
}

} // namespace sd::devices::labels::zpl
