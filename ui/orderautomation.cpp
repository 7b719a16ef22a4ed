#include "orderautomation.h"

#include "automation/catalog.h"
#include "automation/rulestore.h"
#include "executionlog.h"
#include "ruletext.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sd::ui {

OrderAutomationTab::OrderAutomationTab(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QWidget(parent)
    , m_db(std::move(db))
{
    m_list = new QTableWidget(0, 5, this);
    m_list->setHorizontalHeaderLabels({tr("When"), tr("Rule"), tr("Step"), tr("Result"), tr("What happened")});
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setWordWrap(false);
    m_list->setAccessibleName(tr("Rules that looked at this order"));
    m_reason = new QLabel(this);
    m_reason->setWordWrap(true);
    m_trace = new QTreeWidget(this);
    m_trace->setRootIsDecorated(false);
    m_trace->setAccessibleName(tr("Trace"));
    auto *below = new QWidget(this);
    auto *belowLayout = new QVBoxLayout(below);
    belowLayout->setContentsMargins(0, 0, 0, 0);
    belowLayout->addWidget(m_reason);
    belowLayout->addWidget(m_trace, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(below);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    connect(m_list, &QTableWidget::currentCellChanged, this, [this](int row) { showEntry(row); });
}

void OrderAutomationTab::showOrder(qint64 orderId)
{
    m_list->setRowCount(0);
    m_traces.clear();
    m_trace->clear();
    m_reason->clear();
    if (!orderId)
        return;
    automation::RuleStore store(m_db);
    auto traces = store.traces(orderId);
    if (!traces) {
        m_reason->setText(traces.error().userMessage);
        return;
    }
    QHash<qint64, QString> names;
    if (auto rules = store.list())
        for (const automation::Rule &r : *rules)
            names.insert(r.id, r.name);
    if (traces->isEmpty())
        m_reason->setText(tr("No rule has looked at this order yet."));
    // Newest first.
    for (qsizetype i = traces->size() - 1; i >= 0; --i) {
        const automation::StoredTrace &t = traces->at(i);
        QString step = t.kind == u"rule" ? tr("conditions") : t.kind == u"timer" ? tr("timer") : tr("action");
        QString what = t.trace.value(u"reason").toString();
        if (t.kind == u"action") {
            const automation::ActionDef *def =
                automation::Catalog::instance().action(t.trace.value(u"action").toString());
            step = def ? automation::Catalog::label(def->label) : t.trace.value(u"action").toString();
            what = t.trace.value(u"message").toString();
        }
        const int row = m_list->rowCount();
        m_list->insertRow(row);
        const QStringList cells = {
            QLocale().toString(t.at.toLocalTime(), QLocale::ShortFormat),
            u"%1 · %2 (v%3)"_qs.arg(t.ruleId).arg(names.value(t.ruleId, tr("(deleted)"))).arg(t.ruleVersion), step,
            RunLogModel::outcomeLabel(t.outcome), what};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            if (column == 3 && (t.outcome == u"fired" || t.outcome == u"done"))
                item->setForeground(QColor(u"#1b5e20"_qs));
            else if (column == 3 && (t.outcome == u"failed" || t.outcome == u"not-fired"))
                item->setForeground(QColor(u"#8e1b10"_qs));
            m_list->setItem(row, column, item);
        }
        m_traces.append(t.trace);
    }
    m_list->resizeColumnsToContents();
    if (m_list->rowCount() > 0)
        m_list->selectRow(0);
}

void OrderAutomationTab::showEntry(int row)
{
    m_trace->clear();
    if (row < 0 || row >= m_traces.size())
        return;
    const QJsonObject trace = m_traces.at(row);
    if (trace.contains(u"conditions")) {
        m_reason->setText(trace.value(u"reason").toString());
        ruletext::fillTrace(m_trace, trace);
    } else {
        QStringList lines;
        for (auto it = trace.begin(); it != trace.end(); ++it)
            if (!it.value().isObject() && !it.value().isArray())
                lines.append(it.key() + u": " + it.value().toVariant().toString());
        m_reason->setText(lines.join(u" · "));
    }
}

} // namespace sd::ui
