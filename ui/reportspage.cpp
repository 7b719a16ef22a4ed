#include "reportspage.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDate>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

namespace sd::ui {

namespace {

enum Tab { Periods, Channels, Products, Statuses, TabCount };
constexpr int kChartedProducts = 15;

double zloty(qint64 grosze)
{
    return double(grosze) / 100.0;
}

} // namespace

ReportsPage::ReportsPage(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_from(new QDateEdit(this))
    , m_to(new QDateEdit(this))
    , m_period(new QComboBox(this))
    , m_tabs(new QTabWidget(this))
    , m_total(new QLabel(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Sales and profit reports"));
    const QDate today = QDate::currentDate();
    m_from->setCalendarPopup(true);
    m_to->setCalendarPopup(true);
    m_from->setDate(today.addDays(-29));
    m_to->setDate(today);
    m_period->addItem(tr("Per day"), u"day"_qs);
    m_period->addItem(tr("Per week"), u"week"_qs);
    m_period->addItem(tr("Per month"), u"month"_qs);
    auto *show = new QPushButton(tr("&Show"), this);
    show->setDefault(true);
    auto *csv = new QPushButton(tr("Export &CSV…"), this);
    connect(show, &QPushButton::clicked, this, &ReportsPage::refresh);
    connect(m_period, &QComboBox::currentIndexChanged, this, &ReportsPage::refresh);
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export report"), u"report.csv"_qs, tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportCsv(path);
    });
    auto *bar = new QHBoxLayout;
    auto *fromLabel = new QLabel(tr("&From"), this);
    fromLabel->setBuddy(m_from);
    auto *toLabel = new QLabel(tr("&To"), this);
    toLabel->setBuddy(m_to);
    bar->addWidget(fromLabel);
    bar->addWidget(m_from);
    bar->addWidget(toLabel);
    bar->addWidget(m_to);
    bar->addWidget(m_period);
    bar->addWidget(show);
    bar->addStretch();
    bar->addWidget(csv);

    const QStringList titles = {tr("Sales and profit"), tr("Channels"), tr("Products"), tr("Statuses")};
    for (int tab = 0; tab < TabCount; ++tab) {
        auto *splitter = new QSplitter(Qt::Vertical, m_tabs);
        auto *view = new QChartView(new QChart, splitter);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(260);
        auto *table = new QTableWidget(0, 0, splitter);
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->verticalHeader()->hide();
        table->horizontalHeader()->setStretchLastSection(true);
        splitter->addWidget(view);
        splitter->addWidget(table);
        splitter->setStretchFactor(0, 3);
        splitter->setStretchFactor(1, 2);
        m_charts.append(view);
        m_tables.append(table);
        m_tabs->addTab(splitter, titles.at(tab));
    }

    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_message->setWordWrap(true);
    m_message->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_total);
    layout->addWidget(m_message);
    layout->addWidget(box);
    resize(1000, 700);
    refresh();
}

void ReportsPage::setRange(const QDate &from, const QDate &to)
{
    m_from->setDate(from);
    m_to->setDate(to);
    refresh();
}

QTableWidget *ReportsPage::table(int tab) const
{
    return m_tables.value(tab);
}

QChartView *ReportsPage::chart(int tab) const
{
    return m_charts.value(tab);
}

void ReportsPage::showRows(int tab, const QList<money::ReportRow> &rows, bool units)
{
    QTableWidget *t = m_tables.at(tab);
    t->clear();
    // Without "see profit" the core leaves profit out (SalesReport::profitHidden): so does the page.
    const bool profit = !m_report.profitHidden;
    t->setColumnCount(profit ? 5 : 4);
    t->setHorizontalHeaderLabels({tab == Periods    ? tr("Period")
                                  : tab == Channels ? tr("Channel")
                                                    : tr("Product"),
                                  units ? tr("Units") : tr("Orders"), tr("Sales (gross)"), tr("Sales (net)"),
                                  tr("Profit")});
    t->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const money::ReportRow &row = rows.at(r);
        QStringList cells = {row.label, QString::number(units ? row.units : row.orders),
                             domain::Money(row.revenueGross, m_report.currency).toDisplayString(),
                             domain::Money(row.revenueNet, m_report.currency).toDisplayString()};
        if (profit)
            cells << domain::Money(row.profit, m_report.currency).toDisplayString();
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 4 && row.profit < 0)
                item->setForeground(QColor(0xc0, 0x39, 0x2b));
            t->setItem(r, c, item);
        }
    }
    t->resizeColumnsToContents();

    // Sales and profit side by side per row (the first rows for products: the best sellers).
    QChart *chart = m_charts.at(tab)->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    auto *sales = new QBarSet(tr("Sales (net)"));
    auto *profits = new QBarSet(tr("Profit"));
    QStringList categories;
    for (int r = 0; r < rows.size() && (tab != Products || r < kChartedProducts); ++r) {
        *sales << zloty(rows.at(r).revenueNet);
        *profits << zloty(rows.at(r).profit);
        // Days as "27.10" so a month of bars keeps readable labels; weeks, months and names as they are.
        const QDate day = QDate::fromString(rows.at(r).label, Qt::ISODate);
        categories << (day.isValid() ? day.toString(u"dd.MM"_qs) : rows.at(r).label.left(18));
    }
    auto *series = new QBarSeries;
    series->append(sales);
    if (profit)
        series->append(profits);
    else
        delete profits;
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    auto *y = new QValueAxis;
    y->setLabelFormat(u"%.0f"_qs);
    y->setTitleText(m_report.currency);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->legend()->setAlignment(Qt::AlignBottom);
}

bool ReportsPage::refresh()
{
    const auto period = money::SalesReport::periodFromKey(m_period->currentData().toString());
    auto built =
        money::SalesReport::build(m_db, m_from->date(), m_to->date(), period.value_or(money::SalesReport::Period::Day));
    if (!built) {
        report(built.error().userMessage, true);
        return false;
    }
    m_report = *built;
    showRows(Periods, m_report.byPeriod, false);
    showRows(Channels, m_report.byChannel, false);
    showRows(Products, m_report.byProduct, true);

    // Orders per status over time: a stacked bar per period.
    QStringList statuses;
    for (const auto &counts : std::as_const(m_report.statusByPeriod))
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            if (!statuses.contains(it.key()))
                statuses << it.key();
    QTableWidget *t = m_tables.at(Statuses);
    t->clear();
    t->setColumnCount(int(statuses.size()) + 1);
    t->setHorizontalHeaderLabels(QStringList{tr("Period")} + statuses);
    t->setRowCount(int(m_report.statusByPeriod.size()));
    QChart *chart = m_charts.at(Statuses)->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    auto *stacked = new QStackedBarSeries;
    QList<QBarSet *> sets;
    for (const QString &status : std::as_const(statuses)) {
        sets.append(new QBarSet(status));
        stacked->append(sets.constLast());
    }
    int row = 0;
    QStringList periods;
    for (auto it = m_report.statusByPeriod.cbegin(); it != m_report.statusByPeriod.cend(); ++it, ++row) {
        periods << it.key();
        t->setItem(row, 0, new QTableWidgetItem(it.key()));
        for (int s = 0; s < statuses.size(); ++s) {
            const int count = it->value(statuses.at(s));
            *sets[s] << count;
            auto *item = new QTableWidgetItem(QString::number(count));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            t->setItem(row, s + 1, item);
        }
    }
    t->resizeColumnsToContents();
    chart->addSeries(stacked);
    auto *x = new QBarCategoryAxis;
    x->append(periods);
    auto *y = new QValueAxis;
    y->setLabelFormat(u"%.0f"_qs);
    y->setTitleText(tr("Orders"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    stacked->attachAxis(x);
    stacked->attachAxis(y);
    chart->legend()->setAlignment(Qt::AlignBottom);

    const auto money = [&](qint64 v) { return domain::Money(v, m_report.currency).toDisplayString(); };
    QString total = m_report.profitHidden
                        ? tr("%n order(s): sales %1 gross, %2 net.", nullptr, m_report.total.orders)
                              .arg(money(m_report.total.revenueGross), money(m_report.total.revenueNet))
                        : tr("%n order(s): sales %1 gross, %2 net, profit %3.", nullptr, m_report.total.orders)
                              .arg(money(m_report.total.revenueGross), money(m_report.total.revenueNet),
                                   money(m_report.total.profit));
    if (m_report.skippedOrders)
        total += u' ' + tr("%n order(s) in other currencies are not included.", nullptr, m_report.skippedOrders);
    m_total->setText(total);
    report({}, false);
    return true;
}

bool ReportsPage::exportCsv(const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_report.toCsv()) < 0 || !file.commit()) {
        report(tr("The report could not be saved to %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    report(tr("Saved %1.").arg(path), false);
    return true;
}

QString ReportsPage::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ReportsPage::report(const QString &message, bool error)
{
    m_message->setText(message);
    m_message->setStyleSheet(error ? u"background:#fdecea;color:#8a1f11;padding:6px"_qs
                                   : u"background:#e8f5e9;color:#1b5e20;padding:6px"_qs);
    m_message->setVisible(!message.isEmpty());
}

} // namespace sd::ui
