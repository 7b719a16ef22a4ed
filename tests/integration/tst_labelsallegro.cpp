#include "devices/labels/allegroshipping.h"
#include "devices/labels/labelservice.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrosync.h"
#include "openapivalidator.h"
#include "security/filesecretstore.h"
#include "storage/orderquery.h"
#include "testsupport.h"
#include "trainingharness.h"

#include <QSqlQuery>
#include <QTemporaryDir>

using namespace sd;
using namespace sd::devices::labels;
using namespace sd::marketplace;
using namespace sd::marketplace::allegro;
using sd::marketplace::training::TrainingOptions;

// "Wysyłam z Allegro" against the training marketplace: the create command with the order's parcel data, polling,
// the shipment's waybills, the label file; the label stored on the order, searchable by its own barcode; every
// exchange checked against Allegro's OpenAPI file.
class TestLabelsAllegro : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TrainingHarness> m_server;
    std::optional<test::TempDatabase> m_fresh;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<security::FileSecretStore> m_secrets;
    MarketplaceAccount m_account;
    QList<HttpExchange> m_traffic;
    ClientOptions m_options;

    static Sender sender()
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

private slots:
    void init()
    {
        TrainingOptions options;
        options.autoApprove = true;
        options.orders = 4;
        m_server = std::make_unique<TrainingHarness>(options);
        QVERIFY2(m_server->url().isValid(), qPrintable(m_server->error()));
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_labels_allegro"_qs);
        SD_VERIFY_OK(fresh);
        m_fresh = *fresh;
        m_dir = std::make_unique<QTemporaryDir>();
        m_secrets = std::make_shared<security::FileSecretStore>(m_dir->filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(m_secrets->unlock());
        m_traffic.clear();
        m_options.retry.timeScale = 0.001;
        auto connected = m_server->connectAccount(m_fresh->db, m_secrets, m_options);
        SD_VERIFY_OK(connected);
        m_account = *connected;
        AllegroSync syncer(m_fresh->db, m_secrets);
        syncer.setClientOptions(m_options);
        SD_VERIFY_OK(syncer.syncAccount(m_account.id));
    }

    void labelFromAllegroLandsOnTheOrder()
    {
        auto db = m_fresh->db;
        QSqlQuery q(db->connection());
        QVERIFY(q.exec(u"SELECT id FROM orders ORDER BY id LIMIT 1"_qs));
        QVERIFY(q.next());
        const qint64 orderId = q.value(0).toLongLong();
        storage::OrderStore store(db);
        storage::ActionLedger ledger(db);
        auto stored = AccountStore(db).get(m_account.id);
        SD_VERIFY_OK(stored);
        AllegroClient client(*stored, db, m_secrets, m_options);
        client.setObserver([this](const HttpExchange &e) { m_traffic.append(e); });
        AllegroShipping courier(client, sender());
        courier.setTimeScale(0.001);
        LabelService labels(store, ledger, u"test"_qs);
        const QString key = LabelService::operatorKey(orderId, courier.name());
        auto made = labels.generate(orderId, courier, Parcel{}, LabelDocument::Format::Pdf, key,
                                    {u"user:anna"_qs, u"label"_qs, 0});
        SD_VERIFY_OK(made);
        const StoredLabel &label = made->label;
        QVERIFY(!label.trackingNumber.isEmpty());
        QVERIFY(label.labelBarcode.startsWith(u"A000"_qs));
        QVERIFY(label.labelBarcode != label.trackingNumber);
        QVERIFY(label.carrierId == u"INPOST" || label.carrierId == u"DPD");
        // The label's barcode is Allegro's waybill, read back from the PDF.
        auto codes = test::decodePdfBarcodes(label.document.data);
        SD_VERIFY_OK(codes);
        QCOMPARE(*codes, QStringList{label.labelBarcode});

        auto order = store.load(orderId);
        SD_VERIFY_OK(order);
        QCOMPARE(order->shipments.constLast().waybill, label.trackingNumber);
        QCOMPARE(order->shipments.constLast().labelBarcode, label.labelBarcode);
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM events WHERE type = 'label.generated' AND order_id = "_qs +
                       QString::number(orderId)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);

        // Issue 3: the scanned label finds the order, and so does the tracking number.
        storage::OrderQuery query(db);
        storage::OrderQuery::Filter filter;
        filter.search = label.labelBarcode.toLower();
        auto page = query.page(filter, std::nullopt, 10);
        SD_VERIFY_OK(page);
        QCOMPARE(page->size(), 1);
        QCOMPARE(page->first().id, orderId);
        filter.search = label.trackingNumber;
        QCOMPARE(query.count(filter).value_or(-1), 1);

        // Polling went through IN_PROGRESS to SUCCESS; the label was asked for as a file.
        int polls = 0;
        for (const HttpExchange &e : std::as_const(m_traffic))
            polls += e.url.path().contains(u"/create-commands/"_qs) ? 1 : 0;
        QVERIFY(polls >= 1);

        // The same key again sends nothing.
        const qsizetype calls = m_traffic.size();
        auto again = labels.generate(orderId, courier, Parcel{}, LabelDocument::Format::Pdf, key,
                                     {u"user:anna"_qs, u"label"_qs, 0});
        SD_VERIFY_OK(again);
        QVERIFY(again->alreadyDone);
        QCOMPARE(m_traffic.size(), calls);

        // A ZPL shipment answers with ZPL.
        auto zplLabel = courier.createLabel(*order, Parcel{}, LabelDocument::Format::Zpl, key + u"/zpl");
        SD_VERIFY_OK(zplLabel);
        QCOMPARE(zplLabel->document.format, LabelDocument::Format::Zpl);
        QVERIFY(zplLabel->document.data.contains(zplLabel->labelBarcode.toLatin1()));

        // Every exchange as the OpenAPI file says.
        static const auto spec = test::OpenApiValidator::load(test::allegroOpenApiJsonPath());
        SD_VERIFY_OK(spec);
        QStringList problems;
        for (const HttpExchange &e : std::as_const(m_traffic))
            problems += (*spec)->checkExchange(e, m_server->url());
        problems.removeDuplicates();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 20).join(u'\n')));
    }

    // The shop refuses what the OpenAPI requires and the order lacks; the operator reads why.
    void missingSenderIsRefused()
    {
        auto db = m_fresh->db;
        QSqlQuery q(db->connection());
        QVERIFY(q.exec(u"SELECT id FROM orders ORDER BY id LIMIT 1"_qs));
        QVERIFY(q.next());
        storage::OrderStore store(db);
        auto order = store.load(q.value(0).toLongLong());
        SD_VERIFY_OK(order);
        auto stored = AccountStore(db).get(m_account.id);
        SD_VERIFY_OK(stored);
        AllegroClient client(*stored, db, m_secrets, m_options);
        AllegroShipping courier(client, Sender{});
        auto refused = courier.createLabel(*order, Parcel{}, LabelDocument::Format::Pdf, u"no-sender"_qs);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::Invalid);
    }
};

QTEST_MAIN(TestLabelsAllegro)
#include "tst_labelsallegro.moc"
