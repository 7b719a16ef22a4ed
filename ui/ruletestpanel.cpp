#include "ruletestpanel.h"

#include "automation/dryrun.h"
#include "ruletext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sd::ui {

RuleTestPanel::RuleTestPanel(std::shared_ptr<storage::Database> db, std::function<automation::Rule()> rule,
                             QWidget *parent)
    : QWidget(parent)
    , m_db(std::move(db))
    , m_rule(std::move(rule))
{
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Try the rule as it is now on past orders. Nothing is changed: no status, no number "
                                "taken, nothing sent. The event is not checked; the scope and the conditions are."),
                             this);
    intro->setWordWrap(true);
    m_orders = new QLineEdit(this);
    m_orders->setPlaceholderText(tr("e.g. 12, 15, 40 (empty: the period)"));
    m_period = new QComboBox(this);
    m_period->addItem(tr("last 7 days"), 7);
    m_period->addItem(tr("last 30 days"), 30);
    m_period->addItem(tr("last 90 days"), 90);
    m_period->addItem(tr("every order"), 0);
    m_period->setCurrentIndex(1);
    m_onlyMatches = new QCheckBox(tr("Only matching orders"), this);
    m_onlyMatches->setChecked(true);
    auto *runButton = new QPushButton(tr("&Run the test"), this);
    auto *row = new QHBoxLayout;
    auto *ordersLabel = new QLabel(tr("&Orders:"), this);
    ordersLabel->setBuddy(m_orders);
    auto *periodLabel = new QLabel(tr("or &period:"), this);
    periodLabel->setBuddy(m_period);
    row->addWidget(ordersLabel);
    row->addWidget(m_orders, 1);
    row->addWidget(periodLabel);
    row->addWidget(m_period);
    row->addWidget(m_onlyMatches);
    row->addWidget(runButton);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_results = new QTableWidget(0, 5, this);
    m_results->setHorizontalHeaderLabels(
        {tr("Order"), tr("Marketplace number"), tr("Status"), tr("Matches"), tr("What would happen")});
    m_results->verticalHeader()->hide();
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setAccessibleName(tr("Tested orders"));
    m_trace = new QTreeWidget(this);
    m_trace->setRootIsDecorated(false);
    m_trace->setAccessibleName(tr("Trace"));
    m_reason = new QLabel(this);
    m_reason->setWordWrap(true);
    auto *traceBox = new QWidget(this);
    auto *traceLayout = new QVBoxLayout(traceBox);
    traceLayout->setContentsMargins(0, 0, 0, 0);
    traceLayout->addWidget(m_reason);
    traceLayout->addWidget(m_trace, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_results);
    split->addWidget(traceBox);
    split->setSizes({300, 260});
    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    connect(runButton, &QPushButton::clicked, this, &RuleTestPanel::run);
    connect(m_orders, &QLineEdit::returnPressed, this, &RuleTestPanel::run);
    connect(m_onlyMatches, &QCheckBox::toggled, this, &RuleTestPanel::fillResults);
    connect(m_results, &QTableWidget::currentCellChanged, this, [this](int row) { showTrace(row); });
}

void RuleTestPanel::setOrderIds(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    m_orders->setText(parts.join(u", "));
}

void RuleTestPanel::setPeriodDays(int days)
{
    m_period->setCurrentIndex(qMax(0, m_period->findData(days)));
}

void RuleTestPanel::setOnlyMatches(bool only)
{
    m_onlyMatches->setChecked(only);
}

bool RuleTestPanel::run()
{
    m_report = {};
    m_matches = 0;
    m_tested = 0;
    automation::Rule rule = m_rule();
    const QStringList problems = rule.problems();
    if (!problems.isEmpty()) {
        m_summary->setText(tr("Fix the rule first: %1").arg(problems.join(u"; ")));
        fillResults();
        return false;
    }
    automation::DryRunOptions options;
    for (const QString &part : m_orders->text().split(QRegularExpression(u"[,;\\s]+"_qs), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = part.toLongLong(&ok);
        if (!ok || id <= 0) {
            m_summary->setText(tr("\"%1\" is not an order number.").arg(part));
            fillResults();
            return false;
        }
        options.orderIds.append(id);
    }
    const int days = m_period->currentData().toInt();
    if (options.orderIds.isEmpty() && days > 0)
        options.since = QDateTime::currentDateTimeUtc().addDays(-days);
    storage::OrderStore store(m_db);
    auto report = automation::dryRun(store, {rule}, options);
    if (!report) {
        m_summary->setText(report.error().userMessage);
        fillResults();
        return false;
    }
    m_report = report->results;
    m_matches = report->matches;
    m_tested = report->orders;
    m_summary->setText(tr("%n order(s) tested", nullptr, m_tested) + u", " + tr("%n match(es)", nullptr, m_matches) +
                       u". " + tr("Nothing was changed."));
    fillResults();
    return true;
}

void RuleTestPanel::fillResults()
{
    m_results->setRowCount(0);
    m_trace->clear();
    m_reason->clear();
    int row = 0;
    for (qsizetype index = 0; index < m_report.size(); ++index) {
        const QJsonObject order = m_report.at(index).toObject();
        const QJsonObject result = order.value(u"rules").toArray().at(0).toObject();
        const bool matched = result.value(u"matched").toBool();
        if (m_onlyMatches->isChecked() && !matched)
            continue;
        QStringList plans;
        for (const QJsonValue &a : result.value(u"actions").toArray()) {
            const QJsonObject plan = a.toObject();
            plans.append(plan.value(u"label").toString() + u": " + plan.value(u"plan").toString());
        }
        m_results->insertRow(row);
        const QStringList cells = {QString::number(order.value(u"orderId").toInteger()),
                                   order.value(u"externalId").toString(), order.value(u"status").toString(),
                                   matched ? tr("yes") : tr("no"), plans.join(u"; ")};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setData(Qt::UserRole, int(index));
            if (column == 3)
                item->setForeground(matched ? QColor(u"#1b5e20"_qs) : QColor(u"#8e1b10"_qs));
            m_results->setItem(row, column, item);
        }
        ++row;
    }
    m_results->resizeColumnsToContents();
    if (row > 0)
        m_results->selectRow(0);
}

void RuleTestPanel::showTrace(int row)
{
    m_trace->clear();
    m_reason->clear();
    QTableWidgetItem *item = m_results->item(row, 0);
    if (!item)
        return;
    const QJsonObject result =
        m_report.at(item->data(Qt::UserRole).toInt()).toObject().value(u"rules").toArray().at(0).toObject();
    m_reason->setText(result.value(u"reason").toString());
    ruletext::fillTrace(m_trace, result);
}

} // namespace sd::ui
