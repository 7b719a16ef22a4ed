#include "printqueuedialog.h"

#include "devices/printing/printerrouting.h"

#include <QBrush>
#include <QColor>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

using devices::printing::PrintQueue;

QString userActor()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? u"user"_qs : u"user:"_qs + user;
}

QString when(const QDateTime &at)
{
    return QLocale().toString(at.toLocalTime(), QLocale::ShortFormat);
}

} // namespace

PrintQueueDialog::PrintQueueDialog(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
{
    setWindowTitle(tr("Print queue"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *filterLabel = new QLabel(tr("&State:"), this);
    m_filter = new QComboBox(this);
    m_filter->setObjectName(u"stateFilter"_qs);
    filterLabel->setBuddy(m_filter);
    m_filter->addItem(tr("All"), QString());
    for (const auto state : {PrintQueue::State::Created, PrintQueue::State::Rendered, PrintQueue::State::Sent,
                             PrintQueue::State::Printed, PrintQueue::State::Waiting, PrintQueue::State::Failed})
        m_filter->addItem(PrintQueue::stateName(state), PrintQueue::stateKey(state));
    auto *refresh = new QPushButton(tr("&Refresh"), this);
    refresh->setShortcut(QKeySequence::Refresh);
    top->addWidget(filterLabel);
    top->addWidget(m_filter);
    top->addStretch();
    top->addWidget(refresh);
    layout->addLayout(top);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table = new QTableWidget(0, 8, splitter);
    m_table->setObjectName(u"jobs"_qs);
    m_table->setHorizontalHeaderLabels({tr("Job"), tr("Created"), tr("Kind"), tr("What"), tr("Printer"), tr("State"),
                                        tr("Tries"), tr("Reprint of / reason")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_timeline = new QListWidget(splitter);
    m_timeline->setObjectName(u"timeline"_qs);
    splitter->addWidget(m_table);
    splitter->addWidget(m_timeline);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter);

    auto *actions = new QHBoxLayout;
    m_reprint = new QPushButton(tr("Re&print…"), this);
    m_reprint->setObjectName(u"reprint"_qs);
    m_reprint->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_retry = new QPushButton(tr("Re&try now"), this);
    m_retry->setObjectName(u"retry"_qs);
    actions->addWidget(m_reprint);
    actions->addWidget(m_retry);
    actions->addStretch();
    layout->addLayout(actions);
    m_message = new QLabel(this);
    m_message->setObjectName(u"message"_qs);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_filter, &QComboBox::currentIndexChanged, this, &PrintQueueDialog::reload);
    connect(refresh, &QPushButton::clicked, this, &PrintQueueDialog::reload);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        showTimeline();
        updateButtons();
    });
    connect(m_reprint, &QPushButton::clicked, this, [this] {
        if (!selectedJob())
            return;
        bool ok = false;
        const QString reason = QInputDialog::getText(
            this, tr("Reprint job %1").arg(selectedJob()),
            tr("Why is it printed again? (e.g. the label was torn, the printer jammed)"), QLineEdit::Normal, {}, &ok);
        if (ok)
            reprintSelected(reason);
    });
    connect(m_retry, &QPushButton::clicked, this, [this] { retrySelected(); });
    resize(960, 560);
    reload();
}

void PrintQueueDialog::reload()
{
    const qint64 keep = selectedJob();
    storage::ActionLedger ledger(m_db);
    PrintQueue queue(m_db, ledger, devices::printing::PrinterRouting::workstation());
    auto jobs = queue.jobs();
    m_jobs.clear();
    if (!jobs) {
        showMessage(jobs.error().userMessage, true);
        jobs = QList<PrintQueue::Job>();
    }
    const QString filter = m_filter->currentData().toString();
    for (const PrintQueue::Job &job : std::as_const(*jobs))
        if (filter.isEmpty() || PrintQueue::stateKey(job.state) == filter)
            m_jobs.append(job);
    QSignalBlocker block(m_table);
    m_table->setRowCount(int(m_jobs.size()));
    for (int row = 0; row < m_jobs.size(); ++row) {
        const PrintQueue::Job &job = m_jobs.at(row);
        const QString reprint = job.reprintOf ? tr("reprint of %1: %2").arg(job.reprintOf).arg(job.reason) : QString();
        const QStringList cells = {
            QString::number(job.id),          when(job.createdAt),           job.kind, job.title, job.printer,
            PrintQueue::stateName(job.state), QString::number(job.attempts), reprint};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            if (column == 5 && !job.lastError.isEmpty())
                item->setToolTip(job.lastError);
            if (column == 5 && job.state == PrintQueue::State::Failed)
                item->setForeground(QColor(0xb0, 0x00, 0x20));
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeColumnsToContents();
    if (!keep || !selectJob(keep)) {
        if (!m_jobs.isEmpty())
            m_table->selectRow(0);
    }
    showTimeline();
    updateButtons();
}

void PrintQueueDialog::setStateFilter(const QString &stateKey)
{
    const int index = m_filter->findData(stateKey);
    m_filter->setCurrentIndex(index < 0 ? 0 : index);
    reload();
}

bool PrintQueueDialog::selectJob(qint64 jobId)
{
    for (int row = 0; row < m_jobs.size(); ++row) {
        if (m_jobs.at(row).id == jobId) {
            m_table->selectRow(row);
            return true;
        }
    }
    return false;
}

qint64 PrintQueueDialog::selectedJob() const
{
    const int row = m_table->currentRow();
    const auto selected = m_table->selectionModel()->selectedRows();
    if (selected.isEmpty() || row < 0 || row >= m_jobs.size())
        return 0;
    return m_jobs.at(row).id;
}

int PrintQueueDialog::rowCount() const
{
    return m_table->rowCount();
}

QStringList PrintQueueDialog::timeline() const
{
    QStringList out;
    for (int i = 0; i < m_timeline->count(); ++i)
        out.append(m_timeline->item(i)->text());
    return out;
}

void PrintQueueDialog::showTimeline()
{
    m_timeline->clear();
    const int row = m_table->currentRow();
    if (!selectedJob())
        return;
    const PrintQueue::Job &job = m_jobs.at(row);
    for (const PrintQueue::TimelineEntry &entry : job.timeline)
        m_timeline->addItem(u"%1  %2%3"_qs.arg(when(entry.at), PrintQueue::stateName(entry.state),
                                               entry.detail.isEmpty() ? QString() : u" · "_qs + entry.detail));
}

void PrintQueueDialog::updateButtons()
{
    const qint64 id = selectedJob();
    m_reprint->setEnabled(id != 0);
    bool canRetry = false;
    if (id) {
        const PrintQueue::State state = m_jobs.at(m_table->currentRow()).state;
        canRetry = state == PrintQueue::State::Waiting || state == PrintQueue::State::Created ||
                   state == PrintQueue::State::Rendered || state == PrintQueue::State::Sent;
    }
    m_retry->setEnabled(canRetry);
}

bool PrintQueueDialog::reprintSelected(const QString &reason)
{
    const qint64 id = selectedJob();
    if (!id)
        return false;
    if (reason.trimmed().isEmpty()) {
        showMessage(tr("A reprint needs a reason, so that the queue says why the document was printed twice."), true);
        return false;
    }
    storage::ActionLedger ledger(m_db);
    PrintQueue queue(m_db, ledger, devices::printing::PrinterRouting::workstation());
    auto job = queue.reprint(id, reason.trimmed(), userActor());
    if (!job) {
        showMessage(job.error().userMessage, true);
        return false;
    }
    auto state = queue.process(*job);
    reload();
    selectJob(*job);
    if (!state) {
        showMessage(state.error().userMessage, true);
        return false;
    }
    showMessage(tr("Reprint: job %1, %2.").arg(*job).arg(PrintQueue::stateName(*state)),
                *state == PrintQueue::State::Failed);
    return true;
}

bool PrintQueueDialog::retrySelected()
{
    const qint64 id = selectedJob();
    if (!id || !m_retry->isEnabled())
        return false;
    storage::ActionLedger ledger(m_db);
    PrintQueue queue(m_db, ledger, devices::printing::PrinterRouting::workstation());
    auto state = queue.process(id);
    reload();
    selectJob(id);
    if (!state) {
        showMessage(state.error().userMessage, true);
        return false;
    }
    showMessage(tr("Job %1: %2.").arg(id).arg(PrintQueue::stateName(*state)),
                *state == PrintQueue::State::Failed || *state == PrintQueue::State::Waiting);
    return true;
}

QString PrintQueueDialog::message() const
{
    return m_message->text();
}

void PrintQueueDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #b00020;"_qs : QString());
}

} // namespace sd::ui
