#include "devices/printing/printrequests.h"

#include "devices/labels/pdflabels.h"
#include "devices/labels/zpltemplates.h"
#include "devices/printing/printerrouting.h"

#include <QCoreApplication>
#include <QDateTime>

namespace sd::devices::printing {

PrintQueue::Request labelPrintRequest(const labels::StoredLabel &label, const QString &printer, const QString &actor)
{
    PrintQueue::Request request;
    request.kind = u"label"_qs;
    request.orderId = label.orderId;
    request.documentKey = u"label:shipment:"_qs + QString::number(label.shipmentRowId);
    request.title = label.trackingNumber;
    request.printer = printer;
    request.document = label.document;
    request.actor = actor;
    return request;
}

PrintQueue::Request documentPrintRequest(qint64 documentId, qint64 orderId, const QString &number, QByteArray pdf,
                                         const QString &printer, const QString &actor)
{
    PrintQueue::Request request;
    request.kind = u"document"_qs;
    request.orderId = orderId;
    request.documentKey = u"document:"_qs + QString::number(documentId);
    request.title = number;
    request.printer = printer;
    request.document = {labels::LabelDocument::Format::Pdf, std::move(pdf)};
    request.actor = actor;
    return request;
}

Result<PrintQueue::Request> testPageRequest(const QString &printer, bool documentPrinter, const QString &actor)
{
    auto address = PrinterAddress::parse(printer);
    if (!address)
        return address.error();
    PrintQueue::Request request;
    request.kind = u"test"_qs;
    request.documentKey = u"test:"_qs + QString::number(QDateTime::currentMSecsSinceEpoch());
    request.title = QCoreApplication::translate("sd::printing", "Test page");
    request.printer = address->toString();
    request.actor = actor;
    if (address->kind == PrinterAddress::Kind::Tcp) {
        request.document = {labels::LabelDocument::Format::Zpl,
                            labels::zpl::testLabel(address->toString(), PrinterRouting::workstation())};
        return request;
    }
    auto pdf = labels::pdf::testPage(address->toString(), PrinterRouting::workstation(),
                                     documentPrinter ? QSizeF(210, 297) : labels::pdf::kAddressLabelMm);
    if (!pdf)
        return pdf.error();
    request.document = {labels::LabelDocument::Format::Pdf, *pdf};
    return request;
}

} // namespace sd::devices::printing
