#include "devices/labels/barcode.h"
#include "devices/labels/labelservice.h"
#include "devices/labels/pdflabels.h"
#include "devices/labels/shipxclient.h"
#include "devices/labels/training/shipxtrainingserver.h"
#include "devices/labels/zpltemplates.h"
#include "storage/orderquery.h"
#include "testsupport.h"

#include <QSqlQuery>
#include <QtTest>

using namespace sd;
using namespace sd::devices::labels;

namespace {

Sender sampleSender()
{
    Sender s;
    s.name = u"Sklep Testowy"_qs;
    s.street = u"ul. Fabryczna 5"_qs;
    s.postalCode = u"00-950"_qs;
    s.city = u"Warszawa"_qs;
    s.email = u"sklep@example.com"_qs;
    s.phone = u"500600700"_qs;
    return s;
}

domain::Order courierOrder(const QString &externalId)
{
    domain::Order order = test::sampleOrder(externalId);
    order.delivery.pickupPoint = {};
    order.delivery.address.firstName = u"Zażółć"_qs;
    order.delivery.address.lastName = u"Gęślą-Jaźń"_qs;
    order.delivery.address.street = u"ul. Długa 12/3"_qs;
    order.delivery.address.postCode = u"31-147"_qs;
    order.delivery.address.city = u"Kraków"_qs;
    order.delivery.address.countryCode = u"PL"_qs;
    order.delivery.address.phone = u"600700800"_qs;
    order.buyer.email = u"buyer+1@allegromail.pl"_qs;
    return order;
}

} // namespace

// Our own label templates (ZPL and PDF with Zint barcodes) and the ShipX label flow against the training ShipX.
class TestLabels : public QObject
{
    Q_OBJECT

private slots:
    void zplAddressLabelCarriesReceiverAndBarcode()
    {
        const domain::Order order = courierOrder(u"zpl-1"_qs);
        const QByteArray zpl = zpl::addressLabel(order, sampleSender(), u"620000012345678901234567"_qs);
        QVERIFY(zpl.startsWith("^XA"));
        QVERIFY(zpl.trimmed().endsWith("^XZ"));
        QVERIFY(zpl.contains("^CI28"));  // UTF-8 field data
        QVERIFY(zpl.contains("^PW800")); // 100 mm at 203 dpi
        QVERIFY(zpl.contains("^LL1200"));
        QVERIFY(zpl.contains(QStringLiteral("Zażółć Gęślą-Jaźń").toUtf8()));
        QVERIFY(zpl.contains("^BCN,260,Y,N,N,A^FD620000012345678901234567^FS"));
        // Control characters in data cannot end a field early.
        QCOMPARE(zpl::fieldData(u"a^b~c_d"_qs), QByteArray("a_5Eb_7Ec_5Fd"));
    }

    void zplProductLabelHasEan13()
    {
        const QByteArray zpl = zpl::productLabel(u"Kubek ^ceramiczny"_qs, u"KUB-01"_qs, u"5901234123457"_qs,
                                                 domain::Money(2999, u"PLN"_qs));
        QVERIFY(zpl.contains("^BEN,110,Y,N^FD590123412345^FS")); // 12 digits; the printer adds the check digit
        QVERIFY(zpl.contains("Kubek _5Eceramiczny"));
        QVERIFY(zpl.contains("SKU KUB-01"));
    }

    void barcodeRefusesWhatItCannotEncode()
    {
        QVERIFY(!Barcode::make(Barcode::Symbology::Ean13, u"12AB"_qs));
        QVERIFY(!Barcode::make(Barcode::Symbology::Code128, QString()));
        auto code = Barcode::make(Barcode::Symbology::Code128, u"A000K2H5W3"_qs);
        SD_VERIFY_OK(code);
        QVERIFY(code->size().width() > 50);
    }

    // The PDF labels' barcodes, drawn by Zint, read back by a real decoder.
    void pdfLabelsDecodeToTheirData()
    {
        auto address =
            pdf::addressLabel(courierOrder(u"pdf-1"_qs), sampleSender(), u"620000012345678901234567"_qs, u"InPost"_qs);
        SD_VERIFY_OK(address);
        QVERIFY(address->startsWith("%PDF"));
        auto codes = test::decodePdfBarcodes(*address);
        SD_VERIFY_OK(codes);
        QCOMPARE(*codes, QStringList{u"620000012345678901234567"_qs});

        auto product =
            pdf::productLabel(u"Kubek"_qs, u"KUB-01"_qs, u"5901234123457"_qs, domain::Money(2999, u"PLN"_qs));
        SD_VERIFY_OK(product);
        codes = test::decodePdfBarcodes(*product);
        SD_VERIFY_OK(codes);
        QCOMPARE(*codes, QStringList{u"5901234123457"_qs});
    }

    void splitsTheBuildingNumber()
    {
        QCOMPARE(ShipXClient::splitStreet(u"ul. Długa 12/3"_qs), std::make_pair(u"ul. Długa"_qs, u"12/3"_qs));
        QCOMPARE(ShipXClient::splitStreet(u"Aleje Jerozolimskie 100A"_qs),
                 std::make_pair(u"Aleje Jerozolimskie"_qs, u"100A"_qs));
        QCOMPARE(ShipXClient::splitStreet(u"Rynek"_qs), std::make_pair(u"Rynek"_qs, QString()));
    }

    // Create, poll, fetch: the label and tracking number land on the order through OrderStore, once per key.
    void shipxLabelFlow_data() { test::addEngineRows(); }
    void shipxLabelFlow()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        ShipXTrainingServer::Options options;
        options.confirmAfterPolls = 2;
        ShipXTrainingServer server(options);
        auto url = server.start();
        SD_VERIFY_OK(url);
        auto fresh = test::openFresh(engine, u"sd_labels_shipx"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        storage::ActionLedger ledger(fresh->db);
        auto created = store.apply(storage::OrderChange::create(courierOrder(u"shipx-1"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);

        ShipXClient courier({*url, options.organizationId, options.token});
        courier.setTimeScale(0.001);
        LabelService labels(store, ledger, u"test"_qs);
        const QString key = LabelService::operatorKey(created->orderId, courier.name());
        auto made = labels.generate(created->orderId, courier, Parcel{}, LabelDocument::Format::Pdf, key,
                                    {u"user:anna"_qs, u"label"_qs, 0});
        SD_VERIFY_OK(made);
        QVERIFY(!made->alreadyDone);
        const QString tracking = made->label.trackingNumber;
        QCOMPARE(tracking.size(), 24);
        QCOMPARE(made->label.carrierId, u"INPOST"_qs);
        QVERIFY(made->label.labelBarcode.isEmpty()); // InPost prints its tracking number
        QCOMPARE(server.shipmentsCreated(), 1);
        // What ShipX was sent: the courier service with the split street and the parcel in mm and kg.
        const QJsonObject sent = server.shipment(made->label.shipmentId.toLongLong());
        QCOMPARE(sent.value(u"service").toString(), u"inpost_courier_standard"_qs);
        QCOMPARE(sent.value(u"receiver").toObject().value(u"address").toObject().value(u"building_number").toString(),
                 u"12/3"_qs);
        QCOMPARE(sent.value(u"parcels")
                     .toArray()
                     .first()
                     .toObject()
                     .value(u"dimensions")
                     .toObject()
                     .value(u"length")
                     .toDouble(),
                 300.0);
        // The label is a PDF whose barcode is the tracking number.
        QCOMPARE(made->label.document.format, LabelDocument::Format::Pdf);
        auto codes = test::decodePdfBarcodes(made->label.document.data);
        SD_VERIFY_OK(codes);
        QCOMPARE(*codes, QStringList{tracking});

        // On the order: the shipment (history row), the label.generated event, the ledger entry done.
        auto order = store.load(created->orderId);
        SD_VERIFY_OK(order);
        QCOMPARE(order->shipments.size(), 1);
        QCOMPARE(order->shipments.first().waybill, tracking);
        QSqlQuery q(fresh->db->connection());
        QVERIFY(q.exec(u"SELECT payload, actor FROM events WHERE type = 'label.generated' AND order_id = "_qs +
                       QString::number(created->orderId)));
        QVERIFY(q.next());
        QVERIFY(q.value(0).toString().contains(tracking));
        QCOMPARE(q.value(1).toString(), u"user:anna"_qs);
        QVERIFY(q.exec(u"SELECT new_value FROM order_history WHERE field = 'shipments[0].waybill' AND order_id = "_qs +
                       QString::number(created->orderId)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), tracking);
        auto entry = ledger.find(key);
        SD_VERIFY_OK(entry);
        QVERIFY(entry->has_value());
        QCOMPARE((*entry)->state, storage::ActionLedger::State::Done);

        // The same key again: nothing is sent, the stored label comes back.
        auto again = labels.generate(created->orderId, courier, Parcel{}, LabelDocument::Format::Pdf, key,
                                     {u"user:anna"_qs, u"label"_qs, 0});
        SD_VERIFY_OK(again);
        QVERIFY(again->alreadyDone);
        QCOMPARE(again->label.trackingNumber, tracking);
        QCOMPARE(again->label.document.data, made->label.document.data);
        QCOMPARE(server.shipmentsCreated(), 1);

        // The tracking number finds the order.
        storage::OrderQuery query(fresh->db);
        storage::OrderQuery::Filter filter;
        filter.search = tracking;
        QCOMPARE(query.count(filter).value_or(-1), 1);
    }

    // A locker order goes as the locker service with the buyer's point; ZPL labels come as ZPL.
    void shipxLockerZpl()
    {
        ShipXTrainingServer server({});
        auto url = server.start();
        SD_VERIFY_OK(url);
        domain::Order order = courierOrder(u"shipx-locker"_qs);
        order.delivery.pickupPoint.id = u"KRA010"_qs;
        order.delivery.pickupPoint.name = u"Paczkomat KRA010"_qs;
        ShipXClient courier({*url, u"1001"_qs, "training-shipx-token"});
        courier.setTimeScale(0.001);
        auto label = courier.createLabel(order, Parcel{}, LabelDocument::Format::Zpl, u"k"_qs);
        SD_VERIFY_OK(label);
        QCOMPARE(label->document.format, LabelDocument::Format::Zpl);
        QVERIFY(label->document.data.startsWith("^XA"));
        QVERIFY(label->document.data.contains(label->trackingNumber.toLatin1()));
        const QJsonObject sent = server.shipment(label->shipmentId.toLongLong());
        QCOMPARE(sent.value(u"service").toString(), u"inpost_locker_standard"_qs);
        QCOMPARE(sent.value(u"custom_attributes").toObject().value(u"target_point").toString(), u"KRA010"_qs);
    }

    // ShipX's refusals reach the operator as one readable line; a wrong token is named as such.
    void shipxErrorsAreReadable()
    {
        ShipXTrainingServer server({});
        auto url = server.start();
        SD_VERIFY_OK(url);
        domain::Order order = courierOrder(u"shipx-bad"_qs);
        order.buyer.email.clear();
        ShipXClient courier({*url, u"1001"_qs, "training-shipx-token"});
        auto refused = courier.createLabel(order, Parcel{}, LabelDocument::Format::Pdf, u"k"_qs);
        QVERIFY(!refused);
        QVERIFY2(refused.error().userMessage.contains(u"receiver.email: required"_qs),
                 qPrintable(refused.error().userMessage));
        ShipXClient wrongToken({*url, u"1001"_qs, "nope"});
        auto denied = wrongToken.createLabel(courierOrder(u"x"_qs), Parcel{}, LabelDocument::Format::Pdf, u"k"_qs);
        QVERIFY(!denied);
        QVERIFY(denied.error().userMessage.contains(u"token"_qs));
        QCOMPARE(server.shipmentsCreated(), 0);
    }

    // A failed courier call leaves the key retryable; the next call makes the label.
    void failedLabelCanBeRetried()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_labels_retry"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore store(fresh->db);
        storage::ActionLedger ledger(fresh->db);
        auto created = store.apply(storage::OrderChange::create(courierOrder(u"retry-1"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        LabelService labels(store, ledger, u"test"_qs);
        ShipXClient offline({QUrl(u"http://127.0.0.1:1"_qs), u"1001"_qs, "training-shipx-token"});
        auto failed = labels.generate(created->orderId, offline, Parcel{}, LabelDocument::Format::Pdf, u"k1"_qs,
                                      {u"test"_qs, {}, 0});
        QVERIFY(!failed);
        QCOMPARE(failed.error().code, Error::Code::Io);
        auto entry = ledger.find(u"k1"_qs);
        SD_VERIFY_OK(entry);
        QCOMPARE((*entry)->state, storage::ActionLedger::State::Failed);
        auto order = store.load(created->orderId);
        SD_VERIFY_OK(order);
        QVERIFY(order->shipments.isEmpty());

        ShipXTrainingServer server({});
        auto url = server.start();
        SD_VERIFY_OK(url);
        ShipXClient online({*url, u"1001"_qs, "training-shipx-token"});
        online.setTimeScale(0.001);
        auto made = labels.generate(created->orderId, online, Parcel{}, LabelDocument::Format::Pdf, u"k1"_qs,
                                    {u"test"_qs, {}, 0});
        SD_VERIFY_OK(made);
        QVERIFY(!made->alreadyDone);
    }
};

QTEST_MAIN(TestLabels)
#include "tst_labels.moc"
