#include "connectorlog.h"

#include "exchangelogmodel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace sd::ui {

ConnectorLog::ConnectorLog(ExchangeLogModel *model, QWidget *parent)
    : QDialog(parent)
    , m_model(model)
{
    setWindowTitle(tr("Connector log"));
    resize(980, 620);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(model);
    m_proxy->setFilterRole(ExchangeLogModel::FailedRole);
    m_proxy->setFilterKeyColumn(0);

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(ExchangeLogModel::Path, QHeaderView::Stretch);
    m_table->setColumnWidth(ExchangeLogModel::Time, 110);
    m_table->setColumnWidth(ExchangeLogModel::Account, 130);
    m_table->setColumnWidth(ExchangeLogModel::Method, 70);

    m_details = new QPlainTextEdit(this);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Choose a row to see the request and the answer."));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setSizes({380, 240});

    m_errorsOnly = new QCheckBox(tr("Only &failures"), this);
    m_summary = new QLabel(this);
    auto *clear = new QPushButton(tr("C&lear"), this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_errorsOnly);
    bar->addWidget(m_summary, 1);
    bar->addWidget(clear);
    bar->addWidget(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(bar);

    connect(m_errorsOnly, &QCheckBox::toggled, this, &ConnectorLog::setErrorsOnly);
    connect(clear, &QPushButton::clicked, m_model, &ExchangeLogModel::clear);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ConnectorLog::showCurrent);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        updateSummary();
        // Follow the newest row unless the user is reading an older one.
        if (!m_table->currentIndex().isValid())
            m_table->scrollToBottom();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_details->clear();
        updateSummary();
    });
    updateSummary();
    m_table->scrollToBottom();
}

void ConnectorLog::setErrorsOnly(bool on)
{
    if (m_errorsOnly->isChecked() != on)
        m_errorsOnly->setChecked(on);
    m_proxy->setFilterFixedString(on ? u"true"_qs : QString());
    updateSummary();
}

QString ConnectorLog::details() const
{
    return m_details->toPlainText();
}

int ConnectorLog::visibleRows() const
{
    return m_proxy->rowCount();
}

void ConnectorLog::showCurrent()
{
    const QModelIndex index = m_proxy->mapToSource(m_table->currentIndex());
    if (!index.isValid()) {
        m_details->clear();
        return;
    }
    m_details->setPlainText(ExchangeLogModel::describe(m_model->entry(index.row())));
}

void ConnectorLog::updateSummary()
{
    m_summary->setText(tr("%n request(s)", nullptr, m_model->rowCount()) + u", "_qs +
                       tr("%n failure(s)", nullptr, m_model->failures()));
}

} // namespace sd::ui
