#include "../documents/documentfixtures.h"
#include "documentlistmodel.h"
#include "documents/documentservice.h"
#include "documents/ksef/ksefsettings.h"
#include "documents/ksefservice.h"
#include "documentsettingsdialog.h"
#include "documentspage.h"
#include "fakeksef.h"
#include "ksefsettingspanel.h"
#include "security/filesecretstore.h"
#include "testsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;
using namespace sd::documents;

namespace {

constexpr auto kToken = "20251110-EC-2B3C4D5E6F-7A8B9C0D1E-F2|nip-5265877635|ui0123456789abcdef0123456789abcd";

} // namespace

// The KSeF page of the document settings and the KSeF state in the documents list and view.
class TestKsefSettings : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TempDatabase m_db;
    std::unique_ptr<test::FakeKsef> m_fake;
    std::shared_ptr<security::SecretStore> m_secrets;

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto db = test::openFresh(u"sqlite"_qs, u"ksefsettings"_qs);
        SD_VERIFY_OK(db);
        m_db = *db;
        m_fake = std::make_unique<test::FakeKsef>(QFINDTESTDATA("../data/ksef/schemy/schemat_FA(3)_v1-0E.local.xsd"));
        SD_VERIFY_OK(m_fake->start());
        m_fake->setToken(kToken, test::sampleCompany().nip);
        m_secrets = std::make_shared<security::FileSecretStore>(
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".enc"_qs), "passphrase", 1000);
    }

    void cleanup()
    {
        m_fake.reset();
        m_db = {};
    }

    void badInputIsNamedAndNothingIsSaved()
    {
        ui::KsefSettingsPanel panel(m_db.db);
        panel.setSecrets(m_secrets);
        QCOMPARE(panel.environmentBox()->currentData().toString(), u"test"_qs);
        QVERIFY(!panel.addressEdit()->isEnabled());
        panel.nipEdit()->setText(u"123-456-78-90"_qs);
        QVERIFY(!panel.save());
        QVERIFY2(panel.status().contains(u"NIP"), qPrintable(panel.status()));
        QCOMPARE(panel.nipEdit()->text(), u"123-456-78-90"_qs); // nothing typed is lost

        // On without a token: refused, KSeF stays off.
        panel.nipEdit()->setText(u"526-587-76-35"_qs);
        panel.enabledBox()->setChecked(true);
        QVERIFY(!panel.save());
        QVERIFY2(panel.status().contains(u"token"), qPrintable(panel.status()));
        QVERIFY(!SettingsStore(m_db.db).settings()->ksefEnabled);

        panel.environmentBox()->setCurrentIndex(panel.environmentBox()->findData(u"custom"_qs));
        QVERIFY(panel.addressEdit()->isEnabled());
        panel.addressEdit()->setText(u"ftp://nowhere"_qs);
        panel.enabledBox()->setChecked(false);
        QVERIFY(!panel.save());
        QVERIFY2(panel.status().contains(u"http"), qPrintable(panel.status()));
    }

    void savesTokenInTheSecretStoreAndTestsTheConnection()
    {
        ui::DocumentSettingsDialog dialog(m_db.db);
        dialog.setSecrets(m_secrets);
        ui::KsefSettingsPanel *panel = dialog.ksefPanel();
        panel->environmentBox()->setCurrentIndex(panel->environmentBox()->findData(u"custom"_qs));
        panel->addressEdit()->setText(m_fake->baseUrl().toString());
        panel->nipEdit()->setText(u"526-587-76-35"_qs);
        panel->tokenEdit()->setText(QString::fromLatin1(kToken));

        // Test before saving: with the token typed.
        QSignalSpy tested(panel, &ui::KsefSettingsPanel::tested);
        panel->testButton()->click();
        QVERIFY(tested.wait(10000));
        QVERIFY2(tested.constFirst().at(0).toBool(), qPrintable(tested.constFirst().at(1).toString()));
        QVERIFY(panel->status().contains(u"5265877635"));

        panel->enabledBox()->setChecked(true);
        // The company tab needs its data too; the dialog saves both.
        SD_VERIFY_OK(SettingsStore(m_db.db).setCompany(test::sampleCompany()));
        QVERIFY(panel->save());
        QVERIFY(panel->tokenEdit()->text().isEmpty());
        auto stored = ksef::SettingsStore(m_db.db).load();
        SD_VERIFY_OK(stored);
        QCOMPARE(stored->nip, u"5265877635"_qs);
        QCOMPARE(stored->baseUrl, m_fake->baseUrl());
        QCOMPARE(stored->environment, ksef::Settings::Environment::Custom);
        auto token = m_secrets->read(stored->tokenRef);
        SD_VERIFY_OK(token);
        QCOMPARE(**token, QByteArray(kToken));
        QVERIFY(SettingsStore(m_db.db).settings()->ksefEnabled);
        QVERIFY(!test::readFile(m_db.path).contains(kToken)); // never in the database

        // A fresh page shows what is stored (not the token), and tests with the stored token.
        ui::KsefSettingsPanel again(m_db.db);
        again.setSecrets(m_secrets);
        QVERIFY(again.enabledBox()->isChecked());
        QCOMPARE(again.nipEdit()->text(), u"5265877635"_qs);
        QVERIFY(again.tokenEdit()->text().isEmpty());
        QSignalSpy testedAgain(&again, &ui::KsefSettingsPanel::tested);
        again.testConnection();
        QVERIFY(testedAgain.wait(10000));
        QVERIFY(testedAgain.constFirst().at(0).toBool());

        // A wrong token: KSeF says no, and the page says so.
        again.tokenEdit()->setText(u"20251110-EC-0000000000-0000000000-00|nip-5265877635|wrong"_qs);
        QSignalSpy refused(&again, &ui::KsefSettingsPanel::tested);
        again.testConnection();
        QVERIFY(refused.wait(10000));
        QVERIFY(!refused.constFirst().at(0).toBool());
        QVERIFY(again.status().contains(u"KSeF did not accept"));
    }

    void documentsShowKsefStateNumberUpoAndReason()
    {
        storage::OrderStore orders(m_db.db);
        DocumentService service(orders);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        ksef::Settings settings;
        settings.environment = ksef::Settings::Environment::Custom;
        settings.baseUrl = m_fake->baseUrl();
        settings.nip = test::sampleCompany().nip;
        settings.tokenRef = u"ksef/token/ui"_qs;
        SD_VERIFY_OK(ksef::SettingsStore(m_db.db).save(settings));
        SD_VERIFY_OK(m_secrets->write(settings.tokenRef, kToken));
        auto ds = service.settings().settings();
        ds->ksefEnabled = true;
        SD_VERIFY_OK(service.settings().setSettings(*ds));

        auto issue = [&](const QString &id) {
            auto created = orders.apply(storage::OrderChange::create(
                test::companyOrder(id, {test::item(u"Kubek"_qs, 1, 2460, u"23"_qs)}, 0), {u"test"_qs, {}, 0}));
            IssueRequest request;
            request.orderId = created ? created->orderId : 0;
            auto doc = service.issueForOrder(request, {u"test"_qs, {}, 0});
            return doc ? doc->id : 0;
        };
        KsefService ksefService(orders);
        ksef::KsefQueue::Options options;
        options.statusPollMs = 20;
        options.authPollMs = 10;
        ksefService.setQueueOptions(options);
        ksefService.setSecrets(m_secrets);
        const qint64 accepted = issue(u"U-1"_qs);
        SD_VERIFY_OK(ksefService.pass());
        QTRY_COMPARE_WITH_TIMEOUT(service.store().load(accepted)->state, DocumentState::Accepted, 10000);
        m_fake->setVerdict(test::FakeKsef::Verdict::Reject, 450, u"Błąd weryfikacji semantyki"_qs);
        const qint64 rejected = issue(u"U-2"_qs);
        SD_VERIFY_OK(ksefService.pass());
        QTRY_COMPARE_WITH_TIMEOUT(service.store().load(rejected)->state, DocumentState::Rejected, 10000);

        ui::DocumentsPage page(m_db.db);
        const QString number = service.store().load(accepted)->ksefNumber;
        QCOMPARE(page.model()->rowCount(), 2);
        QCOMPARE(page.model()->index(1, ui::DocumentListModel::Ksef).data().toString(), number);
        QCOMPARE(page.model()->index(1, ui::DocumentListModel::State).data().toString(),
                 stateLabel(DocumentState::Accepted));
        QCOMPARE(page.model()->index(0, ui::DocumentListModel::State).data().toString(),
                 stateLabel(DocumentState::Rejected));
        QVERIFY(page.model()
                    ->index(0, ui::DocumentListModel::State)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"Błąd weryfikacji"));
        page.selectDocument(accepted);
        QVERIFY2(page.detailsLabel()->text().contains(number), qPrintable(page.detailsLabel()->text()));
        QVERIFY(page.detailsLabel()->text().contains(u"UPO"));
        QVERIFY(page.saveUpoButton()->isEnabled());
        page.selectDocument(rejected);
        QVERIFY2(page.detailsLabel()->text().contains(u"Błąd weryfikacji semantyki"),
                 qPrintable(page.detailsLabel()->text()));
        QVERIFY(!page.saveUpoButton()->isEnabled());
    }
};

QTEST_MAIN(TestKsefSettings)
#include "tst_ksefsettings.moc"
