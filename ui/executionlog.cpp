#include "executionlog.h"

#include "automation/catalog.h"
#include "automation/rulestore.h"

#include <QColor>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace sd::ui {

RunLogModel::RunLogModel(std::shared_ptr<storage::Database> db, QObject *parent)
    : QAbstractTableModel(parent)
    , m_db(std::move(db))
{}

Result<void> RunLogModel::reload(const automation::RunFilter &filter)
{
    auto runs = automation::executionLog(*m_db, filter);
    if (!runs)
        return runs.error();
    QHash<qint64, QString> names;
    if (auto rules = automation::RuleStore(m_db).list())
        for (const automation::Rule &r : *rules)
            names.insert(r.id, r.name);
    beginResetModel();
    m_runs = *runs;
    m_ruleNames = names;
    endResetModel();
    return {};
}

int RunLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunLogModel::outcomeLabel(const QString &outcome)
{
    static const QHash<QString, const char *> labels = {
        {u"done"_qs, QT_TR_NOOP("done")},
        {u"failed"_qs, QT_TR_NOOP("failed")},
        {u"retry"_qs, QT_TR_NOOP("will retry")},
        {u"skipped"_qs, QT_TR_NOOP("skipped: already done")},
        {u"not-configured"_qs, QT_TR_NOOP("not configured")},
        {u"fired"_qs, QT_TR_NOOP("fired")},
        {u"not-fired"_qs, QT_TR_NOOP("did not fire")},
        {u"cut"_qs, QT_TR_NOOP("stopped: chain too deep")},
        {u"limit"_qs, QT_TR_NOOP("stopped: limit per order")},
        {u"timer-set"_qs, QT_TR_NOOP("timer set")},
    };
    const auto it = labels.find(outcome);
    return it == labels.end() ? outcome : tr(it.value());
}

QVariant RunLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_runs.size())
        return {};
    const automation::RunRecord &r = m_runs.at(index.row());
    if (role == Qt::ForegroundRole && index.column() == Outcome) {
        if (r.outcome == u"failed")
            return QColor(u"#b00020"_qs);
        if (r.outcome == u"done")
            return QColor(u"#1b5e20"_qs);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Message)
        return r.message;
    if (role == Qt::TextAlignmentRole && (index.column() == Order || index.column() == Duration))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Time:
        return QLocale().toString(r.startedAt.toLocalTime(), u"yyyy-MM-dd HH:mm:ss"_qs);
    case Rule:
        return r.ruleId ? u"%1 · %2"_qs.arg(r.ruleId).arg(m_ruleNames.value(r.ruleId, tr("(deleted)"))) : QString();
    case Order:
        return r.orderId ? QVariant(r.orderId) : QVariant();
    case Action: {
        const automation::ActionDef *def = automation::Catalog::instance().action(r.action);
        return def ? automation::Catalog::label(def->label) : r.action == u"timer" ? tr("timer") : r.action;
    }
    case Outcome:
        return outcomeLabel(r.outcome);
    case Message:
        return r.message;
    case Duration:
        return tr("%1 ms").arg(r.durationMs);
    case Job:
        return u"%1 · %2"_qs.arg(r.jobId).arg(r.jobState);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant RunLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Time:
        return tr("Time");
    case Rule:
        return tr("Rule");
    case Order:
        return tr("Order");
    case Action:
        return tr("Action");
    case Outcome:
        return tr("Result");
    case Message:
        return tr("Message");
    case Duration:
        return tr("Took");
    case Job:
        return tr("Job");
    case ColumnCount:
        break;
    }
    return {};
}

ExecutionLogDialog::ExecutionLogDialog(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
{
    setWindowTitle(tr("Execution log"));
    resize(1200, 620);
    m_model = new RunLogModel(m_db, this);
    m_rule = new QComboBox(this);
    m_rule->addItem(tr("every rule"), 0);
    if (auto rules = automation::RuleStore(m_db).list())
        for (const automation::Rule &r : *rules)
            m_rule->addItem(u"%1 · %2"_qs.arg(r.id).arg(r.name), r.id);
    m_order = new QLineEdit(this);
    m_order->setPlaceholderText(tr("order number"));
    m_order->setClearButtonEnabled(true);
    m_outcome = new QComboBox(this);
    m_outcome->addItem(tr("every result"), QString());
    for (const QString &o : {u"done"_qs, u"failed"_qs, u"retry"_qs, u"skipped"_qs, u"not-configured"_qs})
        m_outcome->addItem(RunLogModel::outcomeLabel(o), o);
    m_period = new QComboBox(this);
    m_period->addItem(tr("today"), 1);
    m_period->addItem(tr("last 7 days"), 7);
    m_period->addItem(tr("last 30 days"), 30);
    m_period->addItem(tr("everything"), 0);
    m_period->setCurrentIndex(3);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_view->setAccessibleName(tr("Runs"));
    m_rerun = new QPushButton(tr("&Run again"), this);
    m_rerun->setToolTip(tr("Queue the failed action again, e.g. after fixing its settings (Ctrl+R)"));
    m_rerun->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_message = new QLabel(this);
    m_message->setWordWrap(true);

    auto *filters = new QHBoxLayout;
    const QList<QPair<QString, QWidget *>> labelled = {
        {tr("&Rule:"), m_rule}, {tr("&Order:"), m_order}, {tr("R&esult:"), m_outcome}, {tr("&Period:"), m_period}};
    for (const auto &[text, widget] : labelled) {
        auto *label = new QLabel(text, this);
        label->setBuddy(widget);
        filters->addWidget(label);
        filters->addWidget(widget, widget == m_rule ? 2 : 1);
    }
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_message, 1);
    bottom->addWidget(m_rerun);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);
    layout->addWidget(close);

    for (QComboBox *combo : {m_rule, m_outcome, m_period})
        connect(combo, &QComboBox::currentIndexChanged, this, &ExecutionLogDialog::reload);
    connect(m_order, &QLineEdit::textChanged, this, &ExecutionLogDialog::reload);
    connect(m_rerun, &QPushButton::clicked, this, [this] { rerun(m_view->currentIndex().row()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
        m_rerun->setEnabled(i.isValid() && m_model->run(i.row()).jobState == u"failed");
    });
    reload();
}

void ExecutionLogDialog::setRuleFilter(qint64 ruleId)
{
    m_rule->setCurrentIndex(qMax(0, m_rule->findData(ruleId)));
}

void ExecutionLogDialog::setOrderFilter(qint64 orderId)
{
    m_order->setText(orderId ? QString::number(orderId) : QString());
}

void ExecutionLogDialog::setOutcomeFilter(const QString &outcome)
{
    m_outcome->setCurrentIndex(qMax(0, m_outcome->findData(outcome)));
}

void ExecutionLogDialog::setPeriodDays(int days)
{
    m_period->setCurrentIndex(qMax(0, m_period->findData(days)));
}

QString ExecutionLogDialog::message() const
{
    return m_message->text();
}

void ExecutionLogDialog::reload()
{
    automation::RunFilter filter;
    filter.ruleId = m_rule->currentData().toLongLong();
    filter.orderId = m_order->text().trimmed().toLongLong();
    filter.outcome = m_outcome->currentData().toString();
    const int days = m_period->currentData().toInt();
    if (days > 0)
        filter.since = QDateTime::currentDateTimeUtc().addDays(-days);
    if (auto r = m_model->reload(filter); !r) {
        m_message->setText(r.error().userMessage);
        return;
    }
    m_view->resizeColumnsToContents();
    m_message->setText(tr("%n run(s)", nullptr, m_model->rowCount()));
    m_rerun->setEnabled(false);
}

bool ExecutionLogDialog::rerun(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return false;
    const automation::RunRecord run = m_model->run(row);
    if (auto r = automation::rerunJob(*m_db, run.jobId); !r) {
        m_message->setText(r.error().userMessage);
        return false;
    }
    reload();
    m_message->setText(tr("Job %1 is queued again; the scheduler runs it now.").arg(run.jobId));
    return true;
}

} // namespace sd::ui
