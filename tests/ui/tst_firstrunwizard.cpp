#include "automation/rulestore.h"
#include "devices/printing/printerrouting.h"
#include "documents/settings.h"
#include "firstrunwizard.h"
#include "helpbrowser.h"
#include "marketplace/accountstore.h"
#include "storage/orderquery.h"
#include "testsupport.h"
#include "util/trainingmode.h"
#include "util/translations.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace sd;
using devices::printing::PrinterRouting;

// The first-run guide offscreen: every page's checks with a clear message, the training shop at the end; and the
// F1 chapters of the user guide exist in both languages.
class TestFirstRunWizard : public QObject
{
    Q_OBJECT

    static void fill(ui::FirstRunWizard &wizard, const QString &field, const QString &value)
    {
        QLineEdit *edit = wizard.field(field);
        QVERIFY2(edit, qPrintable(field));
        edit->setText(value);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"SellerDeskTest"_qs);
    }
    void cleanup() { sd::training::setActive(false); }

    void aNewProfileIsRecognised()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        QVERIFY(ui::FirstRunWizard::isNewProfile(fresh->db));
        documents::Party company;
        company.name = u"Sklep"_qs;
        company.nip = u"5265877635"_qs;
        company.street = u"ul. Polna 1"_qs;
        company.city = u"Kraków"_qs;
        SD_VERIFY_OK(documents::SettingsStore(fresh->db).setCompany(company));
        QVERIFY(!ui::FirstRunWizard::isNewProfile(fresh->db));
    }

    // Choosing another language takes effect at once: the guide opens again at the company page in it.
    void anotherLanguageSwitchesAtOnce()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        QTemporaryDir profile;
        QCOMPARE(sd::installTranslations(*QCoreApplication::instance(), u"en"_qs), u"en"_qs);
        {
            ui::FirstRunWizard wizard(fresh->db, profile.path());
            QCOMPARE(wizard.windowTitle(), u"Welcome to SellerDesk"_qs);
            wizard.show();
            wizard.language()->setCurrentIndex(wizard.language()->findData(u"pl"_qs));
            wizard.next();
            QTRY_COMPARE(wizard.result(), int(ui::FirstRunWizard::LanguageChanged));
            QVERIFY(!wizard.isVisible());
        }
        QCOMPARE(sd::currentLanguage(), u"pl"_qs);
        QCOMPARE(QSettings().value(u"language"_qs).toString(), u"pl"_qs);
        ui::FirstRunWizard again(fresh->db, profile.path());
        again.startAt(u"company"_qs);
        again.show();
        QCOMPARE(again.currentId(), int(ui::FirstRunWizard::CompanyPage));
        QCOMPARE(again.windowTitle(), u"Witaj w SellerDesk"_qs);
        // The same language again changes nothing and goes on.
        again.restart();
        again.language()->setCurrentIndex(again.language()->findData(u"pl"_qs));
        again.next();
        QCOMPARE(again.currentId(), int(ui::FirstRunWizard::CompanyPage));
        QCOMPARE(again.result(), 0);
        // Back to English for the other cases (an English guide does not switch again).
        QCOMPARE(sd::installTranslations(*QCoreApplication::instance(), u"en"_qs), u"en"_qs);
        QCOMPARE(QCoreApplication::translate("sd::ui::FirstRunWizard", "Welcome to SellerDesk"),
                 u"Welcome to SellerDesk"_qs);
    }

    void everyPageChecksItsInputAndTheTrainingShopIsReady()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        QTemporaryDir profile;
        ui::FirstRunWizard wizard(fresh->db, profile.path());
        wizard.show();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::LanguagePage));
        wizard.language()->setCurrentIndex(wizard.language()->findData(u"en"_qs));
        wizard.next();
        QCOMPARE(QSettings().value(u"language"_qs).toString(), u"en"_qs);

        // Company: a wrong NIP keeps the page, says why and keeps what was typed.
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::CompanyPage));
        fill(wizard, u"name"_qs, u"Sklep Testowy"_qs);
        fill(wizard, u"nip"_qs, u"123-456-78-90"_qs);
        fill(wizard, u"street"_qs, u"ul. Kwiatowa 1"_qs);
        fill(wizard, u"postcode"_qs, u"00-001"_qs);
        fill(wizard, u"city"_qs, u"Warszawa"_qs);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::CompanyPage));
        QVERIFY2(wizard.problem(ui::FirstRunWizard::CompanyPage).contains(u"NIP"),
                 qPrintable(wizard.problem(ui::FirstRunWizard::CompanyPage)));
        QCOMPARE(wizard.field(u"name"_qs)->text(), u"Sklep Testowy"_qs);
        // A bad bank account is caught by the company data check.
        fill(wizard, u"nip"_qs, u"PL 526-587-76-35"_qs);
        fill(wizard, u"bankAccount"_qs, u"12 3456"_qs);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::CompanyPage));
        QVERIFY(wizard.problem(ui::FirstRunWizard::CompanyPage).contains(u"12 3456"));
        // Missing city.
        fill(wizard, u"bankAccount"_qs, {});
        fill(wizard, u"city"_qs, {});
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::CompanyPage));
        QVERIFY(!wizard.problem(ui::FirstRunWizard::CompanyPage).isEmpty());
        fill(wizard, u"city"_qs, u"Warszawa"_qs);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::ShopPage));
        QVERIFY(wizard.problem(ui::FirstRunWizard::CompanyPage).isEmpty());
        auto company = documents::SettingsStore(fresh->db).company();
        SD_VERIFY_OK(company);
        QCOMPARE(company->nip, u"5265877635"_qs);

        // The training shop is the default.
        QVERIFY(wizard.trainingChosen());
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::PrintersPage));
        QVERIFY(wizard.field(u"printer-document"_qs)->text().startsWith(u"pdf:"));
        QCOMPARE(wizard.field(u"printer-fiscal"_qs)->text(), u"tcp://127.0.0.1:8471"_qs);
        fill(wizard, u"printer-label"_qs, u"carrier-pigeon:7"_qs);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::PrintersPage));
        QVERIFY(!wizard.problem(ui::FirstRunWizard::PrintersPage).isEmpty());
        fill(wizard, u"printer-label"_qs, u"pdf:"_qs + profile.filePath(u"printouts/labels.pdf"_qs));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::RulesPage));
        QCOMPARE(PrinterRouting::text(PrinterRouting::Role::Label),
                 u"pdf:"_qs + profile.filePath(u"printouts/labels.pdf"_qs));

        // A starter set of rules is checked.
        int checked = 0;
        for (int row = 0; row < wizard.rules()->count(); ++row)
            checked += wizard.rules()->item(row)->checkState() == Qt::Checked;
        QVERIFY(checked >= 3);
        QVERIFY(wizard.rules()->count() > checked);

        wizard.accept();
        QVERIFY2(wizard.result() == QDialog::Accepted, qPrintable(wizard.problem(ui::FirstRunWizard::RulesPage)));
        auto rules = automation::RuleStore(fresh->db).list();
        SD_VERIFY_OK(rules);
        QCOMPARE(rules->size(), checked);
        marketplace::AccountStore accounts(fresh->db);
        QCOMPARE(accounts.isTrainingProfile().value_or(false), true);
        QVERIFY(sd::training::active());
        QVERIFY(wizard.trainingOrders() >= 250);
        auto count = storage::OrderQuery(fresh->db).count({});
        SD_VERIFY_OK(count);
        QCOMPARE(*count, qint64(wizard.trainingOrders()));
        QVERIFY(!ui::FirstRunWizard::isNewProfile(fresh->db));
    }

    void connectingARealAccountLeavesTrainingOff()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        QTemporaryDir profile;
        ui::FirstRunWizard wizard(fresh->db, profile.path());
        wizard.show();
        wizard.next();
        wizard.field(u"name"_qs)->setText(u"x"_qs);
        wizard.findChild<QAbstractButton *>(u"sampleCompany"_qs)->click();
        QCOMPARE(wizard.field(u"nip"_qs)->text(), u"526-587-76-35"_qs);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::ShopPage));
        wizard.findChild<QRadioButton *>(u"allegro"_qs)->setChecked(true);
        QVERIFY(!wizard.trainingChosen());
        wizard.next();
        wizard.field(u"printer-document"_qs)->clear();
        wizard.field(u"printer-label"_qs)->clear();
        wizard.field(u"printer-fiscal"_qs)->clear();
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::FirstRunWizard::RulesPage));
        wizard.accept();
        QVERIFY2(wizard.result() == QDialog::Accepted, qPrintable(wizard.problem(ui::FirstRunWizard::RulesPage)));
        QCOMPARE(marketplace::AccountStore(fresh->db).isTrainingProfile().value_or(true), false);
        QVERIFY(!sd::training::active());
        QCOMPARE(storage::OrderQuery(fresh->db).count({}).value_or(-1), qint64(0));
    }

    void everyF1ChapterExists()
    {
        QVERIFY(!ui::HelpBrowser::topics().isEmpty());
        for (const QString &language : {u"pl"_qs, u"en"_qs}) {
            const QDir guide(ui::HelpBrowser::guideDir(language));
            QVERIFY2(guide.exists(u"index.md"_qs), qPrintable(guide.path()));
            for (const ui::HelpBrowser::Topic &topic : ui::HelpBrowser::topics()) {
                const QString chapter = QString::fromLatin1(topic.chapter);
                QVERIFY2(guide.exists(chapter), qPrintable(language + u'/' + chapter));
                QFile file(guide.filePath(chapter));
                QVERIFY(file.open(QIODevice::ReadOnly));
                QVERIFY2(file.readLine().startsWith("# "), qPrintable(chapter)); // a chapter starts with its title
            }
            // Every chapter's links to other chapters and to screenshots resolve.
            for (const QString &chapter : guide.entryList({u"*.md"_qs})) {
                QFile file(guide.filePath(chapter));
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QString text = QString::fromUtf8(file.readAll());
                static const QRegularExpression link(u"\\]\\(([^)#:]+)(#[^)]*)?\\)"_qs);
                for (auto it = link.globalMatch(text); it.hasNext();) {
                    const QString target = it.next().captured(1);
                    QVERIFY2(QFileInfo::exists(guide.filePath(target)),
                             qPrintable(language + u'/' + chapter + u" -> "_qs + target));
                }
            }
        }
        // The wizard's own window maps to the first-run chapter; an unknown window to the index.
        auto fresh = test::openFresh(u"sqlite"_qs, {});
        SD_VERIFY_OK(fresh);
        ui::FirstRunWizard wizard(fresh->db, {});
        QCOMPARE(ui::HelpBrowser::chapterFor(wizard.field(u"nip"_qs)), u"first-run.md"_qs);
        QWidget stray;
        QCOMPARE(ui::HelpBrowser::chapterFor(&stray), u"index.md"_qs);
        ui::HelpBrowser browser;
        browser.openChapter(u"first-run.md"_qs);
        QVERIFY(browser.browser()->toPlainText().size() > 200);
    }
};

QTEST_MAIN(TestFirstRunWizard)
#include "tst_firstrunwizard.moc"
