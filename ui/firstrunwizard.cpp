#include "firstrunwizard.h"

#include "automation/rulestore.h"
#include "devices/printing/printerrouting.h"
#include "documents/settings.h"
#include "domain/nip.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/checkoutformgenerator.h"
#include "marketplace/orderimporter.h"
#include "ruletemplates.h"
#include "storage/catalogstore.h"
#include "storage/orderstore.h"
#include "storage/sqlquery.h"
#include "util/trainingmode.h"
#include "util/translations.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QTimer>
#include <QVBoxLayout>

#include <functional>
#include <tuple>

namespace sd::ui {

using devices::printing::PrinterRouting;

namespace {

// A page whose Next / Finish runs a check first; a failed check keeps the page and everything typed in it.
class CheckedPage : public QWizardPage
{
public:
    CheckedPage(std::function<bool()> check, std::function<void()> enter = {})
        : m_check(std::move(check))
        , m_enter(std::move(enter))
    {}
    bool validatePage() override { return !m_check || m_check(); }
    void initializePage() override
    {
        if (m_enter)
            m_enter();
    }

private:
    std::function<bool()> m_check;
    std::function<void()> m_enter;
};

QLabel *problemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setStyleSheet(u"QLabel { background: #fdecea; color: #611a15; padding: 6px; }"_qs);
    label->hide();
    return label;
}

QLabel *intro(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

// The starter set of rules a new shop gets: the everyday moves between the default statuses.
const QStringList kStarterRules = {u"paid-to-ship"_qs, u"cod-to-ship"_qs, u"invoice-no-nip"_qs, u"unhandled"_qs};

constexpr int kTrainingOrders = 300;
constexpr auto kTrainingUrl = "http://127.0.0.1:8470";

} // namespace

FirstRunWizard::FirstRunWizard(std::shared_ptr<storage::Database> db, const QString &profileDir, QWidget *parent)
    : QWizard(parent)
    , m_db(std::move(db))
    , m_profileDir(profileDir)
{
    setObjectName(u"firstRunWizard"_qs);
    setWindowTitle(tr("Welcome to SellerDesk"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setButtonText(QWizard::FinishButton, tr("Start working"));
    resize(760, 560);

    // Language.
    auto *language = new CheckedPage([this] { return checkLanguage(); });
    language->setTitle(tr("Language"));
    language->setSubTitle(tr("The language of the program's windows and messages."));
    auto *languageLayout = new QFormLayout(language);
    m_language = new QComboBox(language);
    m_language->addItem(u"Polski"_qs, u"pl"_qs);
    m_language->addItem(u"English"_qs, u"en"_qs);
    const QString current = QSettings().value(u"language"_qs).toString();
    m_language->setCurrentIndex(current == u"en" || (current.isEmpty() && QLocale().language() != QLocale::Polish));
    m_language->setToolTip(tr("Documents for buyers keep their own language: Polish, or English for buyers abroad."));
    languageLayout->addRow(tr("&Language:"), m_language);
    languageLayout->addRow(intro(tr("The windows switch to the chosen language as soon as you go on."), language));
    m_problems.insert(LanguagePage, problemLabel(language));
    languageLayout->addRow(m_problems.value(LanguagePage));
    setPage(LanguagePage, language);

    // Company.
    auto *company = new CheckedPage([this] { return checkCompany(); });
    company->setTitle(tr("Your company"));
    company->setSubTitle(tr("The seller on invoices and receipts. You can change it later in Settings > Company and "
                            "documents."));
    auto *companyLayout = new QFormLayout(company);
    const QList<std::pair<QString, QString>> fields = {
        {u"name"_qs, tr("Company &name:")}, {u"nip"_qs, tr("&NIP:")},   {u"street"_qs, tr("&Street:")},
        {u"postcode"_qs, tr("&Postcode:")}, {u"city"_qs, tr("&City:")}, {u"bankAccount"_qs, tr("&Bank account:")},
        {u"email"_qs, tr("&E-mail:")},
    };
    for (const auto &[key, label] : fields) {
        auto *edit = new QLineEdit(company);
        edit->setObjectName(key);
        m_fields.insert(key, edit);
        companyLayout->addRow(label, edit);
    }
    m_fields.value(u"nip"_qs)->setPlaceholderText(u"123-456-32-18"_qs);
    m_fields.value(u"nip"_qs)->setToolTip(tr("Ten digits; dashes, spaces and the PL prefix are allowed. The last "
                                             "digit is a checksum, so a typo is caught here."));
    m_fields.value(u"postcode"_qs)->setPlaceholderText(u"00-000"_qs);
    m_fields.value(u"bankAccount"_qs)
        ->setToolTip(tr("26 digits (optionally with PL): printed on invoices paid by transfer. May stay empty."));
    auto *sample = new QPushButton(tr("Fill in a sample company (for training)"), company);
    sample->setObjectName(u"sampleCompany"_qs);
    sample->setToolTip(tr("Fills the fields with a made-up shop, enough to try everything with the training shop."));
    connect(sample, &QPushButton::clicked, this, &FirstRunWizard::fillSampleCompany);
    companyLayout->addRow(QString(), sample);
    m_problems.insert(CompanyPage, problemLabel(company));
    companyLayout->addRow(m_problems.value(CompanyPage));
    setPage(CompanyPage, company);

    // Training shop or a real account.
    auto *shop = new CheckedPage({});
    shop->setTitle(tr("Where do the orders come from?"));
    auto *shopLayout = new QVBoxLayout(shop);
    m_shop = new QButtonGroup(shop);
    auto *training = new QRadioButton(tr("&Try with a training shop (recommended for the first days)"), shop);
    training->setObjectName(u"training"_qs);
    training->setChecked(true);
    auto *allegro = new QRadioButton(tr("&Connect my Allegro account"), shop);
    allegro->setObjectName(u"allegro"_qs);
    m_shop->addButton(training, 1);
    m_shop->addButton(allegro, 2);
    shopLayout->addWidget(training);
    shopLayout->addWidget(intro(tr("A made-up shop on this computer with a few hundred realistic orders, new ones "
                                   "arriving, a simulated fiscal printer and printers that write PDF files. Every "
                                   "printout says TRAINING and nothing reaches Allegro, KSeF or a courier."),
                                shop));
    shopLayout->addSpacing(12);
    shopLayout->addWidget(allegro);
    shopLayout->addWidget(intro(tr("After this guide the accounts window opens: SellerDesk shows a code, you confirm "
                                   "it on allegro.pl in the browser, and the orders start downloading. Your password "
                                   "never passes through SellerDesk."),
                                shop));
    shopLayout->addStretch();
    setPage(ShopPage, shop);

    // Printers.
    auto *printers = new CheckedPage(
        [this] { return checkPrinters(); },
        [this] {
            const bool training = trainingChosen();
            const QString out = QDir(m_profileDir).filePath(u"printouts"_qs);
            auto preset = [](QLineEdit *edit, const QString &value) {
                if (edit->text().isEmpty())
                    edit->setText(value);
            };
            preset(m_fields.value(u"printer-document"_qs), training
                                                               ? u"pdf:"_qs + out + u"/documents.pdf"_qs
                                                               : PrinterRouting::text(PrinterRouting::Role::Document));
            preset(m_fields.value(u"printer-label"_qs),
                   training ? u"pdf:"_qs + out + u"/labels.pdf"_qs : PrinterRouting::text(PrinterRouting::Role::Label));
            preset(m_fields.value(u"printer-fiscal"_qs),
                   training ? u"tcp://127.0.0.1:8471"_qs : PrinterRouting::text(PrinterRouting::Role::Fiscal));
        });
    printers->setTitle(tr("Printers of this workstation"));
    printers->setSubTitle(tr("Where invoices, labels and receipts go. Each workstation keeps its own printers."));
    auto *printersLayout = new QFormLayout(printers);
    for (const auto &[key, label, tip] :
         {std::tuple{u"printer-document"_qs, tr("&Documents (A4):"),
                     tr("A CUPS queue (cups:QUEUE) or a PDF file (pdf:/path/file.pdf).")},
          std::tuple{u"printer-label"_qs, tr("&Labels:"),
                     tr("A label printer's port (tcp://192.168.1.50:9100 for ZPL), a CUPS queue (cups:QUEUE) or a "
                        "PDF file (pdf:/path/labels.pdf).")},
          std::tuple{u"printer-fiscal"_qs, tr("&Fiscal printer:"),
                     tr("tcp://HOST:PORT or serial:/dev/ttyUSB0. In training: the simulator on 127.0.0.1:8471.")}}) {
        auto *edit = new QLineEdit(printers);
        edit->setObjectName(key);
        edit->setToolTip(tip);
        m_fields.insert(key, edit);
        printersLayout->addRow(label, edit);
    }
    printersLayout->addRow(intro(tr("Leave a field empty to set it up later in Settings."), printers));
    m_problems.insert(PrintersPage, problemLabel(printers));
    printersLayout->addRow(m_problems.value(PrintersPage));
    setPage(PrintersPage, printers);

    // Statuses and rules.
    auto *rules = new CheckedPage({}, [this] {
        if (m_rules->count())
            return;
        for (const RuleTemplate &t : ruleTemplates()) {
            auto *item = new QListWidgetItem(t.group + u": "_qs + t.title, m_rules);
            item->setData(Qt::UserRole, t.key);
            item->setToolTip(t.explanation);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(kStarterRules.contains(t.key) ? Qt::Checked : Qt::Unchecked);
        }
    });
    rules->setTitle(tr("Statuses and rules"));
    auto *rulesLayout = new QVBoxLayout(rules);
    QStringList names;
    if (auto statuses = storage::CatalogStore(m_db).statuses())
        for (const storage::Status &s : *statuses)
            names << s.name;
    rulesLayout->addWidget(intro(tr("Orders move through these statuses, each a tab of the order list: %1. You can "
                                    "rename them and add your own later (Ctrl+,).")
                                     .arg(names.join(u" → "_qs)),
                                 rules));
    rulesLayout->addWidget(intro(tr("Rules do the routine for you. The checked ones start working now; the others "
                                    "wait in Settings > Automation rules > Templates."),
                                 rules));
    m_rules = new QListWidget(rules);
    m_rules->setObjectName(u"starterRules"_qs);
    rulesLayout->addWidget(m_rules, 1);
    m_problems.insert(RulesPage, problemLabel(rules));
    rulesLayout->addWidget(m_problems.value(RulesPage));
    setPage(RulesPage, rules);
}

bool FirstRunWizard::isNewProfile(const std::shared_ptr<storage::Database> &db)
{
    auto count = [&db](const char *sql) {
        auto q = storage::prepare(db->connection(), QString::fromLatin1(sql), "first run check");
        if (!q || !storage::exec(*q, "first run check") || !q->next())
            return qint64(1); // when in doubt, the profile is not new: never nag an existing one
        return q->value(0).toLongLong();
    };
    return count("SELECT COUNT(*) FROM orders") == 0 && count("SELECT COUNT(*) FROM marketplace_accounts") == 0 &&
           count("SELECT COUNT(*) FROM document_settings WHERE key = 'company'") == 0;
}

QStringList FirstRunWizard::pageNames()
{
    return {u"language"_qs, u"company"_qs, u"shop"_qs, u"printers"_qs, u"rules"_qs};
}

void FirstRunWizard::startAt(const QString &pageName)
{
    const int page = int(pageNames().indexOf(pageName));
    setStartId(page < 0 ? LanguagePage : page);
}

bool FirstRunWizard::trainingChosen() const
{
    return m_shop->checkedId() == 1;
}

QLineEdit *FirstRunWizard::field(const QString &name) const
{
    return m_fields.value(name);
}

QString FirstRunWizard::problem(Page page) const
{
    const QLabel *label = m_problems.value(page);
    return label && !label->isHidden() ? label->text() : QString();
}

void FirstRunWizard::showProblem(Page page, const QString &message)
{
    QLabel *label = m_problems.value(page);
    label->setText(message);
    label->setVisible(!message.isEmpty());
}

bool FirstRunWizard::checkLanguage()
{
    const QString chosen = m_language->currentData().toString();
    QSettings().setValue(u"language"_qs, chosen);
    if (chosen == sd::currentLanguage())
        return true;
    // Another language: in effect at once; the guide closes and run() opens it again in that language.
    sd::installTranslations(*QCoreApplication::instance(), chosen);
    QTimer::singleShot(0, this, [this] { done(LanguageChanged); });
    return false;
}

FirstRunWizard::Outcome FirstRunWizard::run(std::shared_ptr<storage::Database> db, const QString &profileDir,
                                            QWidget *parent, const QString &startPage)
{
    Outcome outcome;
    QString start = startPage;
    for (;;) {
        FirstRunWizard wizard(db, profileDir, parent);
        wizard.startAt(start);
        const int result = wizard.exec();
        if (result == LanguageChanged) {
            outcome.languageChangedTo = sd::currentLanguage();
            start = u"company"_qs;
            continue;
        }
        outcome.accepted = result == QDialog::Accepted;
        outcome.training = outcome.accepted && wizard.trainingChosen();
        outcome.trainingOrders = wizard.trainingOrders();
        return outcome;
    }
}

void FirstRunWizard::fillSampleCompany()
{
    const QList<std::pair<QString, QString>> sample = {
        {u"name"_qs, tr("Training Shop Ltd")},  {u"nip"_qs, u"526-587-76-35"_qs},
        {u"street"_qs, u"ul. Kwiatowa 1"_qs},   {u"postcode"_qs, u"00-001"_qs},
        {u"city"_qs, u"Warszawa"_qs},           {u"bankAccount"_qs, u"73 1111 1111 1111 1111 1111 1111"_qs},
        {u"email"_qs, u"sklep@example.com"_qs},
    };
    for (const auto &[key, value] : sample)
        m_fields.value(key)->setText(value);
}

bool FirstRunWizard::checkCompany()
{
    documents::Party company;
    auto text = [this](const char *key) { return m_fields.value(QString::fromLatin1(key))->text().trimmed(); };
    company.name = text("name");
    company.street = text("street");
    company.postcode = text("postcode");
    company.city = text("city");
    company.bankAccount = text("bankAccount");
    company.email = text("email");
    auto nip = domain::Nip::parse(text("nip"));
    if (!nip) {
        showProblem(CompanyPage, nip.error().userMessage);
        m_fields.value(u"nip"_qs)->setFocus();
        return false;
    }
    company.nip = nip->digits();
    if (auto stored = documents::SettingsStore(m_db).company())
        company.logoPath = stored->logoPath;
    if (auto saved = documents::SettingsStore(m_db).setCompany(company); !saved) {
        showProblem(CompanyPage, saved.error().userMessage);
        return false;
    }
    showProblem(CompanyPage, {});
    return true;
}

bool FirstRunWizard::checkPrinters()
{
    const std::pair<PrinterRouting::Role, QString> roles[] = {
        {PrinterRouting::Role::Document, u"printer-document"_qs},
        {PrinterRouting::Role::Label, u"printer-label"_qs},
        {PrinterRouting::Role::Fiscal, u"printer-fiscal"_qs},
    };
    for (const auto &[role, key] : roles) {
        const QString address = m_fields.value(key)->text().trimmed();
        if (address.startsWith(u"pdf:"))
            QDir().mkpath(QFileInfo(address.mid(4)).absolutePath());
        if (auto r = PrinterRouting::setPrinter(role, address); !r) {
            showProblem(PrintersPage, PrinterRouting::roleName(role) + u": "_qs + r.error().userMessage);
            m_fields.value(key)->setFocus();
            return false;
        }
    }
    showProblem(PrintersPage, {});
    return true;
}

QStringList FirstRunWizard::starterRules()
{
    return kStarterRules;
}

Result<int> FirstRunWizard::addRules(const std::shared_ptr<storage::Database> &db, const QStringList &keys)
{
    automation::RuleStore store(db);
    int added = 0;
    for (const RuleTemplate &t : ruleTemplates()) {
        if (!keys.contains(t.key))
            continue;
        auto rule = automation::Rule::fromJson(t.json);
        if (!rule)
            return rule.error();
        rule->enabled = true;
        if (auto saved = store.save(*rule, u"first-run"_qs); !saved)
            return saved.error();
        ++added;
    }
    return added;
}

Result<void> FirstRunWizard::saveRules()
{
    QStringList keys;
    for (int row = 0; row < m_rules->count(); ++row)
        if (m_rules->item(row)->checkState() == Qt::Checked)
            keys << m_rules->item(row)->data(Qt::UserRole).toString();
    if (auto added = addRules(m_db, keys); !added)
        return added.error();
    return {};
}

Result<void> FirstRunWizard::setUpTrainingShop()
{
    marketplace::AccountStore accounts(m_db);
    const QString name = tr("Training shop");
    auto existing = accounts.findByName(name);
    if (!existing)
        return existing.error();
    marketplace::MarketplaceAccount account;
    if (existing->has_value()) {
        account = **existing;
    } else {
        account.name = name;
        account.environment = marketplace::MarketplaceAccount::Environment::Training;
        account.apiBaseUrl = QUrl(QString::fromLatin1(kTrainingUrl));
        account.authBaseUrl = account.apiBaseUrl;
        account.clientId = u"sellerdesk-training"_qs; // any value works for the training marketplace
        auto added = accounts.add(account);
        if (!added)
            return added.error();
        account = *added;
    }
    sd::training::setActive(true); // from now on this is a training profile: marks and loopback only
    // The shop's history, so the list has work in it at once; new orders arrive from the training marketplace.
    storage::OrderStore store(m_db);
    marketplace::OrderImporter importer(store, account.orderAccountKey());
    marketplace::allegro::CheckoutFormGenerator generator(2026);
    const marketplace::ImportReport report = importer.importForms(generator.batch(kTrainingOrders));
    m_trainingOrders = report.created;
    return {};
}

void FirstRunWizard::accept()
{
    if (auto r = saveRules(); !r) {
        showProblem(RulesPage, r.error().userMessage);
        return;
    }
    if (trainingChosen()) {
        if (auto r = setUpTrainingShop(); !r) {
            showProblem(RulesPage, r.error().userMessage);
            return;
        }
    }
    QWizard::accept();
}

} // namespace sd::ui
