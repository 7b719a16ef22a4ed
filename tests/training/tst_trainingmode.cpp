#include "../documents/documentfixtures.h"
#include "devices/labels/pdflabels.h"
#include "devices/labels/zpltemplates.h"
#include "documents/documentbuilder.h"
#include "documents/documentpdf.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/httptransport.h"
#include "messaging/smtpsender.h"
#include "testsupport.h"
#include "util/trainingmode.h"

#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QTemporaryDir>

using namespace sd;

namespace {

documents::Document invoice()
{
    domain::Order order =
        test::companyOrder(u"ALLEGRO-TR-1"_qs, {test::item(u"Kubek ceramiczny"_qs, 2, 2460, u"23"_qs)}, 1299);
    auto doc = documents::buildFromOrder(order, test::sampleCompany(), {}, {std::nullopt, QDate(2026, 11, 24)});
    if (!doc)
        qFatal("%s", qPrintable(doc.error().text()));
    doc->number = u"FV/1/11/2026"_qs;
    doc->state = documents::DocumentState::Issued;
    return *doc;
}

marketplace::MarketplaceAccount account(const QString &name, marketplace::MarketplaceAccount::Environment environment,
                                        const QString &url)
{
    marketplace::MarketplaceAccount a;
    a.name = name;
    a.environment = environment;
    a.apiBaseUrl = QUrl(url);
    a.clientId = u"sellerdesk-test"_qs;
    return a;
}

} // namespace

// Training mode (sd::training): the profile with a training account marks every printout TRAINING and reaches only
// loopback addresses.
class TestTrainingMode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { sd::training::setActive(false); }

    void loopbackAddresses()
    {
        QVERIFY(sd::training::isLoopback(QUrl(u"http://127.0.0.1:8470/"_qs)));
        QVERIFY(sd::training::isLoopback(QUrl(u"http://127.1.2.3/"_qs)));
        QVERIFY(sd::training::isLoopback(QUrl(u"http://[::1]:80/"_qs)));
        QVERIFY(sd::training::isLoopback(QUrl(u"smtp://LOCALHOST"_qs)));
        QVERIFY(!sd::training::isLoopback(QUrl(u"https://api.allegro.pl"_qs)));
        QVERIFY(!sd::training::isLoopback(QUrl(u"http://192.168.1.10/"_qs)));
        QVERIFY(!sd::training::isLoopback(QUrl(u"http://localhost.example.com/"_qs)));
    }

    void outboundIsRefusedOnlyInTraining()
    {
        const QUrl real(u"https://api.allegro.pl/order/events"_qs);
        QVERIFY(sd::training::checkOutbound(real));
        sd::training::setActive(true);
        const auto refused = sd::training::checkOutbound(real);
        QVERIFY(!refused);
        QVERIFY(refused.error().userMessage.contains(u"api.allegro.pl"));
        QVERIFY(sd::training::checkOutbound(QUrl(u"http://127.0.0.1:8470/order/events"_qs)));
    }

    void aTrainingAccountMakesATrainingProfile()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"training"_qs);
        SD_VERIFY_OK(fresh);
        marketplace::AccountStore store(fresh->db);
        QCOMPARE(store.isTrainingProfile().value_or(true), false);
        // A training marketplace elsewhere than on this computer is refused.
        QVERIFY(!store.add(
            account(u"Zdalny"_qs, marketplace::MarketplaceAccount::Environment::Training, u"http://10.0.0.5:8470"_qs)));
        SD_VERIFY_OK(store.add(account(u"Sklep szkoleniowy"_qs, marketplace::MarketplaceAccount::Environment::Training,
                                       u"http://127.0.0.1:8470"_qs)));
        QCOMPARE(store.isTrainingProfile().value_or(false), true);
        // A training profile cannot take a real account.
        const auto real = store.add(account(u"Prawdziwy"_qs, marketplace::MarketplaceAccount::Environment::Production,
                                            u"https://api.allegro.pl"_qs));
        QVERIFY(!real);
        QVERIFY(real.error().userMessage.contains(u"training profile"));
        QCOMPARE(store.list().value_or({}).size(), 1);
    }

    void nothingLeavesThisComputer()
    {
        sd::training::setActive(true);
        // 192.0.2.1 (TEST-NET-1) never answers: a real attempt would wait for the timeout.
        marketplace::allegro::HttpTransport transport(20000);
        const auto response = transport.send({"GET", QUrl(u"http://192.0.2.1/order/events"_qs), {}, {}, false});
        QCOMPARE(response.status, 0);
        QVERIFY2(response.networkError.contains(u"training profile"), qPrintable(response.networkError));

        messaging::MailAccount mail;
        mail.host = u"smtp.example.com"_qs;
        mail.from = {u"sklep@example.com"_qs, {}};
        messaging::MailMessage message;
        message.from = {u"sklep@example.com"_qs, {}};
        message.to = {{u"anna@example.com"_qs, {}}};
        message.subject = u"Test"_qs;
        message.text = u"Test"_qs;
        const auto sent = messaging::SmtpSender::send(mail, {}, message);
        QVERIFY(!sent);
        QVERIFY2(sent.error().userMessage.contains(u"training profile"), qPrintable(sent.error().userMessage));
    }

    void documentPdfCarriesTheMark()
    {
        const documents::Document doc = invoice();
        auto plain = documents::renderPdf(doc);
        SD_VERIFY_OK(plain);
        const QString plainText = test::pdfText(*plain);
        QVERIFY2(plainText.contains(u"FV/1/11/2026"), "pdftotext read nothing (is poppler-utils installed?)");
        QVERIFY(!plainText.contains(u"TRAINING"));

        sd::training::setActive(true);
        auto marked = documents::renderPdf(doc);
        SD_VERIFY_OK(marked);
        const QString text = test::pdfText(*marked);
        QVERIFY2(text.contains(u"TRAINING"), qPrintable(text.left(300)));
        QVERIFY(text.contains(u"FV/1/11/2026"));
    }

    void labelsAndTestPagesCarryTheMark()
    {
        const domain::Order order = test::sampleOrder(u"ALLEGRO-TR-2"_qs);
        devices::labels::Sender sender;
        sender.name = u"Sklep Testowy"_qs;
        sender.street = u"ul. Kwiatowa 1"_qs;
        sender.postalCode = u"00-001"_qs;
        sender.city = u"Warszawa"_qs;
        auto plainLabel = devices::labels::pdf::addressLabel(order, sender, u"620000000000000000000001"_qs);
        SD_VERIFY_OK(plainLabel);
        QVERIFY(!test::pdfText(*plainLabel).contains(u"TRAINING"));
        QVERIFY(!devices::labels::zpl::addressLabel(order, sender, u"X1"_qs).contains("TRAINING"));

        sd::training::setActive(true);
        auto label = devices::labels::pdf::addressLabel(order, sender, u"620000000000000000000001"_qs);
        SD_VERIFY_OK(label);
        QVERIFY(test::pdfText(*label).contains(u"TRAINING"));
        auto page = devices::labels::pdf::testPage(u"ipp://127.0.0.1/printers/pdf"_qs, u"stanowisko"_qs,
                                                   devices::labels::pdf::kAddressLabelMm);
        SD_VERIFY_OK(page);
        QVERIFY(test::pdfText(*page).contains(u"TRAINING"));
        auto product = devices::labels::pdf::productLabel(u"Kubek"_qs, u"KUB-1"_qs, u"5901234123457"_qs,
                                                          domain::Money(2460, u"PLN"_qs));
        SD_VERIFY_OK(product);
        QVERIFY(test::pdfText(*product).contains(u"TRAINING"));
        QVERIFY(devices::labels::zpl::addressLabel(order, sender, u"X1"_qs).contains("TRAINING"));
        QVERIFY(devices::labels::zpl::testLabel(u"printer"_qs, u"stanowisko"_qs).contains("TRAINING"));
        QVERIFY(devices::labels::zpl::productLabel(u"Kubek"_qs, u"KUB-1"_qs, u"5901234123457"_qs,
                                                   domain::Money(2460, u"PLN"_qs))
                    .contains("TRAINING"));
    }
};

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv); // PDFs need fonts
    TestTrainingMode test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_trainingmode.moc"
