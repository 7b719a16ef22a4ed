#pragma once

#include "documents/document.h"
#include "documents/settings.h"
#include "domain/order.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

// Shared fixtures of the documents tests: a seller and orders of every shape the corpus needs.
namespace sd::test {

// The PDF's text as pdftotext (poppler-utils) reads it, spaces collapsed; empty when it cannot be read.
inline QString pdfText(const QByteArray &pdf)
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("doc.pdf")));
    if (!file.open(QIODevice::WriteOnly) || file.write(pdf) != pdf.size())
        return {};
    file.close();
    QProcess p;
    p.start(QStringLiteral("pdftotext"), {QStringLiteral("-raw"), file.fileName(), QStringLiteral("-")});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).simplified();
}

inline documents::Party sampleCompany()
{
    documents::Party p;
    p.name = QStringLiteral("Sklep Testowy Sp. z o.o.");
    p.nip = QStringLiteral("5265877635");
    p.street = QStringLiteral("ul. Kwiatowa 1 m. 2");
    p.postcode = QStringLiteral("00-001");
    p.city = QStringLiteral("Warszawa");
    p.bankAccount = QStringLiteral("73111111111111111111111111");
    p.email = QStringLiteral("biuro@sklep.example");
    return p;
}

inline domain::LineItem item(const QString &name, int quantity, qint64 unitMinor, const QString &rate)
{
    domain::LineItem i;
    i.name = name;
    i.sku = name.left(3).toUpper();
    i.quantity = quantity;
    i.unitPrice = domain::Money(unitMinor, QStringLiteral("PLN"));
    i.originalPrice = i.unitPrice;
    i.vatRate = *domain::VatRate::parse(rate);
    return i;
}

// An order of a company buyer with a NIP (Polish invoice request), items given, delivery cost in grosze.
inline domain::Order companyOrder(const QString &externalId, const QList<domain::LineItem> &items, qint64 delivery)
{
    domain::Order o;
    o.marketplace = QStringLiteral("allegro-pl");
    o.account = QStringLiteral("test-seller");
    o.externalId = externalId;
    o.revision = QStringLiteral("r1");
    o.marketplaceStatus = QStringLiteral("READY_FOR_PROCESSING");
    o.buyer.login = QStringLiteral("firma_jan");
    o.buyer.email = QStringLiteral("jan@kowalski.example");
    o.buyer.firstName = QStringLiteral("Jan");
    o.buyer.lastName = QStringLiteral("Kowalski");
    o.delivery.methodName = QStringLiteral("Allegro Paczkomaty InPost");
    o.delivery.address = {QStringLiteral("Jan"),
                          QStringLiteral("Kowalski"),
                          {},
                          QStringLiteral("ul. Polna 1"),
                          QStringLiteral("Kraków"),
                          QStringLiteral("30-001"),
                          QStringLiteral("PL"),
                          {}};
    o.delivery.cost = domain::Money(delivery, QStringLiteral("PLN"));
    o.payment.method = QStringLiteral("ONLINE");
    o.payment.status = domain::PaymentStatus::Paid;
    o.payment.finishedAt = QDateTime(QDate(2026, 11, 20), QTime(10, 5), Qt::UTC);
    o.invoice.wanted = true;
    o.invoice.companyName = QStringLiteral("F.H.U. Jan Kowalski");
    o.invoice.nip = QStringLiteral("1111111111");
    o.invoice.address = {{},
                         {},
                         QStringLiteral("F.H.U. Jan Kowalski"),
                         QStringLiteral("ul. Polna 1"),
                         QStringLiteral("Kraków"),
                         QStringLiteral("30-001"),
                         QStringLiteral("PL"),
                         {}};
    o.items = items;
    o.total = o.computedTotal();
    o.payment.paidAmount = o.total;
    o.createdAt = QDateTime(QDate(2026, 11, 20), QTime(10, 0), Qt::UTC);
    return o;
}

} // namespace sd::test
