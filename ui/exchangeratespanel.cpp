#include "exchangeratespanel.h"

#include "documents/settings.h"

#include <QDateEdit>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace sd::ui {

using namespace sd::documents;

namespace {

QDateEdit *dateEdit(QWidget *parent)
{
    auto *e = new QDateEdit(QDate::currentDate(), parent);
    e->setCalendarPopup(true);
    e->setDisplayFormat(u"yyyy-MM-dd"_qs);
    return e;
}

} // namespace

ExchangeRatesPanel::ExchangeRatesPanel(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QWidget(parent)
    , m_db(db)
    , m_rates(db)
    , m_table(new QTableWidget(0, 4, this))
    , m_status(new QLabel(this))
{
    auto *about = new QLabel(tr("An invoice in a foreign currency gives its VAT in PLN at the NBP average rate of the "
                                "last working day before the sale date (art. 31a of the VAT Act). The rate is taken "
                                "from this table only, so issuing never waits for the network."),
                             this);
    about->setWordWrap(true);
    m_table->setHorizontalHeaderLabels({tr("Currency"), tr("Table day"), tr("Rate (PLN)"), tr("NBP table")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_remove = new QPushButton(tr("&Remove selected"), this);

    m_currency = new QLineEdit(this);
    m_currency->setPlaceholderText(u"EUR"_qs);
    m_currency->setMaxLength(3);
    m_day = dateEdit(this);
    m_rate = new QLineEdit(this);
    m_rate->setPlaceholderText(u"4.2954"_qs);
    m_tableNo = new QLineEdit(this);
    m_tableNo->setPlaceholderText(u"225/A/NBP/2026"_qs);
    m_add = new QPushButton(tr("&Add rate"), this);
    auto *add = new QGroupBox(tr("Type a rate in"), this);
    auto *addForm = new QFormLayout(add);
    addForm->addRow(tr("C&urrency:"), m_currency);
    addForm->addRow(tr("&Day of the table:"), m_day);
    addForm->addRow(tr("Ra&te (PLN for one unit):"), m_rate);
    addForm->addRow(tr("Table &number (optional):"), m_tableNo);
    addForm->addRow(m_add);

    m_fetchCurrency = new QLineEdit(this);
    m_fetchCurrency->setPlaceholderText(u"EUR"_qs);
    m_fetchCurrency->setMaxLength(3);
    m_saleDay = dateEdit(this);
    m_address = new QLineEdit(this);
    if (auto s = SettingsStore(db).settings())
        m_address->setText(s->nbpUrl);
    m_fetch = new QPushButton(tr("&Fetch from NBP"), this);
    auto *fetch = new QGroupBox(tr("Fetch from NBP"), this);
    auto *fetchForm = new QFormLayout(fetch);
    fetchForm->addRow(tr("Curr&ency:"), m_fetchCurrency);
    fetchForm->addRow(tr("For sales &on:"), m_saleDay);
    fetchForm->addRow(tr("NBP addre&ss:"), m_address);
    fetchForm->addRow(m_fetch);

    auto *forms = new QHBoxLayout;
    forms->addWidget(add, 1);
    forms->addWidget(fetch, 1);
    m_status->setWordWrap(true);
    m_status->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(about);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_remove, 0, Qt::AlignLeft);
    layout->addLayout(forms);

    connect(m_add, &QPushButton::clicked, this, &ExchangeRatesPanel::addRate);
    connect(m_remove, &QPushButton::clicked, this, &ExchangeRatesPanel::removeSelected);
    connect(m_fetch, &QPushButton::clicked, this, &ExchangeRatesPanel::fetch);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_table->selectedItems().isEmpty()); });
    reload();
}

ExchangeRatesPanel::~ExchangeRatesPanel() = default;

QString ExchangeRatesPanel::status() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

int ExchangeRatesPanel::rowCount() const
{
    return m_table->rowCount();
}

void ExchangeRatesPanel::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"background:#fdecea;color:#8a1f11;padding:6px"_qs
                                  : u"background:#e8f5e9;color:#1b5e20;padding:6px"_qs);
    m_status->setVisible(!text.isEmpty());
}

void ExchangeRatesPanel::reload()
{
    auto list = m_rates.list();
    if (!list)
        return showStatus(list.error().userMessage, true);
    // Newest first: the rates in use are at the top.
    QList<ExchangeRate> rates = *list;
    std::stable_sort(rates.begin(), rates.end(), [](const ExchangeRate &a, const ExchangeRate &b) {
        return a.date != b.date ? a.date > b.date : a.currency < b.currency;
    });
    m_table->setRowCount(int(rates.size()));
    for (int row = 0; row < rates.size(); ++row) {
        const ExchangeRate &r = rates.at(row);
        const QString table = r.table == u"manual" ? tr("typed in") : r.table;
        const QStringList cells = {r.currency, r.date.toString(Qt::ISODate), r.rate, table};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setData(Qt::UserRole, column == 0 ? QVariant(r.currency) : QVariant(r.date));
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_remove->setEnabled(!m_table->selectedItems().isEmpty());
}

bool ExchangeRatesPanel::addRate()
{
    const ExchangeRate rate{m_currency->text(), m_day->date(), m_rate->text(), m_tableNo->text().trimmed()};
    if (auto r = m_rates.put(rate); !r) {
        showStatus(r.error().userMessage, true);
        return false;
    }
    showStatus(tr("Rate of %1 on %2 stored.").arg(rate.currency.trimmed().toUpper(), rate.date.toString(Qt::ISODate)),
               false);
    m_rate->clear();
    m_tableNo->clear();
    reload();
    return true;
}

bool ExchangeRatesPanel::removeSelected()
{
    const QList<QTableWidgetItem *> selected = m_table->selectedItems();
    if (selected.isEmpty()) {
        showStatus(tr("Select the rate to remove."), true);
        return false;
    }
    const int row = selected.constFirst()->row();
    const QString currency = m_table->item(row, 0)->data(Qt::UserRole).toString();
    const QDate date = m_table->item(row, 1)->data(Qt::UserRole).toDate();
    if (auto r = m_rates.remove(currency, date); !r) {
        showStatus(r.error().userMessage, true);
        return false;
    }
    showStatus(tr("Rate of %1 on %2 removed.").arg(currency, date.toString(Qt::ISODate)), false);
    reload();
    return true;
}

bool ExchangeRatesPanel::fetch()
{
    const QString currency = m_fetchCurrency->text().trimmed().toUpper();
    if (currency.size() != 3 || currency == u"PLN") {
        showStatus(tr("Type the code of a foreign currency (EUR, CZK, ...)."), true);
        m_fetchCurrency->setFocus();
        return false;
    }
    // The address is a document setting: checked and stored before anything goes out.
    SettingsStore store(m_db);
    auto settings = store.settings();
    if (!settings) {
        showStatus(settings.error().userMessage, true);
        return false;
    }
    settings->nbpUrl = m_address->text().trimmed();
    if (auto r = store.setSettings(*settings); !r) {
        showStatus(r.error().userMessage, true);
        m_address->setFocus();
        return false;
    }
    m_fetch->setEnabled(false);
    showStatus(tr("Asking NBP…"), false);
    auto rate = NbpRates(QUrl(settings->nbpUrl)).rateBefore(currency, m_saleDay->date());
    m_fetch->setEnabled(true);
    if (!rate) {
        showStatus(rate.error().userMessage, true);
        return false;
    }
    if (auto r = m_rates.put(*rate); !r) {
        showStatus(r.error().userMessage, true);
        return false;
    }
    showStatus(tr("NBP table %1 of %2: 1 %3 = %4 PLN, stored.")
                   .arg(rate->table, rate->date.toString(Qt::ISODate), rate->currency, rate->rate),
               false);
    reload();
    return true;
}

} // namespace sd::ui
