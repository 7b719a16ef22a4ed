#include "documentsettingsdialog.h"

#include "documentlistmodel.h"
#include "domain/nip.h"
#include "exchangeratespanel.h"
#include "ksefsettingspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

using namespace sd::documents;

DocumentSettingsDialog::DocumentSettingsDialog(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(db)
    , m_settings(db)
    , m_series(db)
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Company and documents"));
    auto edit = [this](const QString &placeholder = {}) {
        auto *e = new QLineEdit(this);
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_name = edit();
    m_nip = edit(u"123-456-32-18"_qs);
    m_street = edit();
    m_postcode = edit(u"00-000"_qs);
    m_city = edit();
    m_bank = edit(u"PL00 0000 0000 0000 0000 0000 0000"_qs);
    m_email = edit();
    m_phone = edit();
    m_logo = edit();
    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *logoRow = new QHBoxLayout;
    logoRow->addWidget(m_logo, 1);
    logoRow->addWidget(browse);
    auto *company = new QGroupBox(tr("Seller"), this);
    auto *companyForm = new QFormLayout(company);
    companyForm->addRow(tr("&Name:"), m_name);
    companyForm->addRow(tr("N&IP:"), m_nip);
    companyForm->addRow(tr("&Street:"), m_street);
    companyForm->addRow(tr("&Postcode:"), m_postcode);
    companyForm->addRow(tr("&City:"), m_city);
    companyForm->addRow(tr("&Bank account:"), m_bank);
    companyForm->addRow(tr("&E-mail:"), m_email);
    companyForm->addRow(tr("P&hone:"), m_phone);
    auto *logoLabel = new QLabel(tr("&Logo:"), this);
    logoLabel->setBuddy(m_logo); // the field sits in a row with its button: the label needs its buddy named
    companyForm->addRow(logoLabel, logoRow);

    m_private = new QCheckBox(tr("Invoice private persons (no NIP) instead of a receipt"), this);
    m_auto = new QCheckBox(tr("Issue invoices automatically for downloaded orders"), this);
    m_oss = new QCheckBox(tr("EU OSS: consumers in other EU countries pay their country's VAT rate"), this);
    m_completion = new QCheckBox(
        tr("On completion (a status of the closed group): transport slip, invoice and warranty card"), this);
    m_warranty = new QSpinBox(this);
    m_warranty->setRange(1, 120);
    m_warranty->setSuffix(tr(" months"));
    m_shipping = new QComboBox(this);
    m_shipping->addItem(tr("the highest rate of the items"), u"highest"_qs);
    for (const char *rate : {"23", "8", "5", "0"})
        m_shipping->addItem(QString::fromLatin1(rate) + u'%', QString::fromLatin1(rate));
    m_days = new QSpinBox(this);
    m_days->setRange(0, 365);
    m_days->setSuffix(tr(" days"));
    auto *rules = new QGroupBox(tr("Documents"), this);
    auto *rulesForm = new QFormLayout(rules);
    rulesForm->addRow(m_private);
    rulesForm->addRow(m_auto);
    rulesForm->addRow(m_oss);
    rulesForm->addRow(m_completion);
    rulesForm->addRow(tr("VAT on s&hipping and surcharges:"), m_shipping);
    rulesForm->addRow(tr("Payment &due after:"), m_days);
    rulesForm->addRow(tr("&Warranty period:"), m_warranty);

    m_seriesTable = new QTableWidget(0, 4, this);
    m_seriesTable->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Pattern"), tr("Starts again")});
    m_seriesTable->horizontalHeader()->setStretchLastSection(true);
    m_seriesTable->verticalHeader()->hide();
    m_seriesTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_seriesName = edit(u"ALG"_qs);
    m_seriesPattern = edit(u"ALG/{n}/{MM}/{YYYY}"_qs);
    m_seriesType = new QComboBox(this);
    for (DocumentType t : {DocumentType::Vat, DocumentType::Private, DocumentType::Simplified, DocumentType::Correction,
                           DocumentType::Proforma, DocumentType::TransportSlip, DocumentType::WarrantyCard})
        m_seriesType->addItem(DocumentListModel::typeLabel(t), typeKey(t));
    m_seriesReset = new QComboBox(this);
    m_seriesReset->addItem(tr("every month"), u"monthly"_qs);
    m_seriesReset->addItem(tr("every year"), u"yearly"_qs);
    m_seriesReset->addItem(tr("never"), u"never"_qs);
    m_seriesDefault = new QCheckBox(tr("default for its type"), this);
    auto *add = new QPushButton(tr("&Add series"), this);
    auto *addRow = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_seriesName, m_seriesType, m_seriesPattern, m_seriesReset,
                                                       m_seriesDefault, add})
        addRow->addWidget(w);
    auto *series = new QGroupBox(tr("Numbering series ({n} number, {MM} month, {YYYY} year)"), this);
    auto *seriesLayout = new QVBoxLayout(series);
    seriesLayout->addWidget(m_seriesTable);
    seriesLayout->addLayout(addRow);

    auto *box = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    m_message->setWordWrap(true);
    m_message->hide();
    auto *general = new QWidget(this);
    auto *columns = new QHBoxLayout;
    columns->addWidget(company, 1);
    columns->addWidget(rules, 1);
    auto *generalLayout = new QVBoxLayout(general);
    generalLayout->addLayout(columns);
    generalLayout->addWidget(series, 1);
    m_ksef = new KsefSettingsPanel(db, this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(general, tr("&Company and documents"));
    m_tabs->addTab(m_ksef, tr("&KSeF"));
    m_rates = new ExchangeRatesPanel(db, this);
    m_tabs->addTab(m_rates, tr("E&xchange rates"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(box);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Logo"), {}, tr("Images (*.png *.jpg *.svg)"));
        if (!path.isEmpty())
            m_logo->setText(path);
    });
    connect(add, &QPushButton::clicked, this, &DocumentSettingsDialog::addSeries);
    connect(box, &QDialogButtonBox::accepted, this, &DocumentSettingsDialog::save);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);

    if (auto p = m_settings.company()) {
        m_name->setText(p->name);
        m_nip->setText(p->nip);
        m_street->setText(p->street);
        m_postcode->setText(p->postcode);
        m_city->setText(p->city);
        m_bank->setText(p->bankAccount);
        m_email->setText(p->email);
        m_phone->setText(p->phone);
        m_logo->setText(p->logoPath);
    }
    if (auto s = m_settings.settings()) {
        m_private->setChecked(s->invoicePrivatePersons);
        m_auto->setChecked(s->autoInvoice);
        m_oss->setChecked(s->ossEnabled);
        m_shipping->setCurrentIndex(qMax(0, m_shipping->findData(s->shippingVat)));
        m_days->setValue(s->paymentDays);
        m_completion->setChecked(s->completionDocuments);
        m_warranty->setValue(s->warrantyMonths);
    }
    loadSeries();
    resize(1000, 640);
}

DocumentSettingsDialog::~DocumentSettingsDialog() = default;

QString DocumentSettingsDialog::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void DocumentSettingsDialog::report(const QString &message, bool error)
{
    m_message->setText(message);
    m_message->setStyleSheet(error ? u"background:#fdecea;color:#8a1f11;padding:6px"_qs
                                   : u"background:#e8f5e9;color:#1b5e20;padding:6px"_qs);
    m_message->setVisible(!message.isEmpty());
}

void DocumentSettingsDialog::loadSeries()
{
    auto list = m_series.list();
    if (!list)
        return report(list.error().userMessage, true);
    m_seriesTable->setRowCount(int(list->size()));
    for (int row = 0; row < list->size(); ++row) {
        const Series &s = list->at(row);
        const QString name = s.isDefault ? s.name + u" ★"_qs : s.name;
        const QStringList cells = {name, DocumentListModel::typeLabel(s.type), s.pattern,
                                   m_seriesReset->itemText(m_seriesReset->findData(resetKey(s.reset)))};
        for (int column = 0; column < cells.size(); ++column)
            m_seriesTable->setItem(row, column, new QTableWidgetItem(cells.at(column)));
    }
    m_seriesTable->resizeColumnsToContents();
}

bool DocumentSettingsDialog::save()
{
    Party p;
    p.name = m_name->text().trimmed();
    p.nip = m_nip->text().trimmed();
    if (auto nip = domain::Nip::parse(p.nip))
        p.nip = nip->digits();
    p.street = m_street->text().trimmed();
    p.postcode = m_postcode->text().trimmed();
    p.city = m_city->text().trimmed();
    p.bankAccount = m_bank->text().trimmed();
    p.email = m_email->text().trimmed();
    p.phone = m_phone->text().trimmed();
    p.logoPath = m_logo->text().trimmed();
    if (auto r = m_settings.setCompany(p); !r) {
        report(r.error().userMessage, true);
        return false;
    }
    auto settings = m_settings.settings();
    if (!settings) {
        report(settings.error().userMessage, true);
        return false;
    }
    settings->invoicePrivatePersons = m_private->isChecked();
    settings->autoInvoice = m_auto->isChecked();
    settings->ossEnabled = m_oss->isChecked();
    settings->shippingVat = m_shipping->currentData().toString();
    settings->paymentDays = m_days->value();
    settings->completionDocuments = m_completion->isChecked();
    settings->warrantyMonths = m_warranty->value();
    if (auto r = m_settings.setSettings(*settings); !r) {
        report(r.error().userMessage, true);
        return false;
    }
    if (auto r = m_ksef->save(); !r) {
        m_tabs->setCurrentWidget(m_ksef);
        report(r.error().userMessage, true);
        return false;
    }
    report(tr("Saved."), false);
    return true;
}

void DocumentSettingsDialog::setSecrets(std::shared_ptr<security::SecretStore> secrets)
{
    m_ksef->setSecrets(std::move(secrets));
}

void DocumentSettingsDialog::showKsef()
{
    m_tabs->setCurrentWidget(m_ksef);
}

void DocumentSettingsDialog::showRates()
{
    m_tabs->setCurrentWidget(m_rates);
}

bool DocumentSettingsDialog::addSeries()
{
    Series s;
    s.name = m_seriesName->text().trimmed();
    s.pattern = m_seriesPattern->text().trimmed();
    s.type = typeFromKey(m_seriesType->currentData().toString()).value_or(DocumentType::Vat);
    s.reset = resetFromKey(m_seriesReset->currentData().toString()).value_or(Series::Reset::Monthly);
    s.isDefault = m_seriesDefault->isChecked();
    auto id = m_series.add(s);
    if (!id) {
        report(id.error().userMessage, true);
        return false;
    }
    report(tr("Series %1 added; its first number: %2").arg(s.name, s.format(1, QDate::currentDate())), false);
    m_seriesName->clear();
    m_seriesPattern->clear();
    loadSeries();
    return true;
}

} // namespace sd::ui
