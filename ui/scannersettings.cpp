#include "scannersettings.h"

#include "automation/dispatcher.h"
#include "automation/rulestore.h"
#include "scannerfilter.h"
#include "storage/orderstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

ScannerSettings::ScannerSettings(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(db)
    , m_classifier(db)
{
    setWindowTitle(tr("Barcode scanner"));
    const scanning::ScannerSettings current = scanning::ScannerSettings::load();
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_gap = new QSpinBox(this);
    m_gap->setRange(5, 500);
    m_gap->setSuffix(tr(" ms"));
    m_gap->setValue(current.maxGapMs);
    m_minLength = new QSpinBox(this);
    m_minLength->setRange(1, 64);
    m_minLength->setValue(current.minLength);
    m_enter = new QCheckBox(tr("Enter"), this);
    m_enter->setChecked(current.suffixEnter);
    m_tab = new QCheckBox(tr("Tab"), this);
    m_tab->setChecked(current.suffixTab);
    auto *suffix = new QHBoxLayout;
    suffix->addWidget(m_enter);
    suffix->addWidget(m_tab);
    suffix->addStretch();
    m_prefix = new QLineEdit(current.prefix, this);
    m_prefix->setPlaceholderText(tr("none"));
    m_sounds = new QCheckBox(tr("Beep when the packing station refuses a scan"), this);
    m_sounds->setChecked(current.sounds);
    form->addRow(tr("Longest gap between keys of one scan:"), m_gap);
    form->addRow(tr("Shortest code:"), m_minLength);
    form->addRow(tr("The scanner ends a code with:"), suffix);
    form->addRow(tr("Prefix the scanner sends first:"), m_prefix);
    form->addRow(QString(), m_sounds);
    m_serialPort = new QLineEdit(current.serialPort, this);
    m_serialPort->setPlaceholderText(tr("none (keyboard scanner)"));
    form->addRow(tr("Serial or USB-CDC scanner port (from the next start):"), m_serialPort);
    layout->addLayout(form);

    auto *testBox = new QGroupBox(tr("Scan here to test"), this);
    auto *testLayout = new QVBoxLayout(testBox);
    m_test = new QLineEdit(testBox);
    m_test->setReadOnly(true);
    m_test->setPlaceholderText(tr("Scan any barcode: what was recognised appears here"));
    m_result = new QLabel(tr("Nothing scanned yet."), testBox);
    m_result->setWordWrap(true);
    testLayout->addWidget(m_test);
    testLayout->addWidget(m_result);
    layout->addWidget(testBox);

    auto *commandBox = new QGroupBox(tr("Command barcodes (scanning one runs its rule on the open order)"), this);
    auto *commandLayout = new QVBoxLayout(commandBox);
    m_commands = new QTableWidget(0, 2, commandBox);
    m_commands->setHorizontalHeaderLabels({tr("Code"), tr("Rule")});
    m_commands->horizontalHeader()->setStretchLastSection(true);
    m_commands->verticalHeader()->setVisible(false);
    m_commands->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *addRow = new QHBoxLayout;
    m_commandCode = new QLineEdit(commandBox);
    m_commandCode->setPlaceholderText(tr("Code, e.g. CMD-PACKED"));
    m_commandRule = new QComboBox(commandBox);
    automation::RuleStore rules(db);
    storage::OrderStore store(db);
    automation::Dispatcher dispatcher(store, rules);
    if (auto manual = dispatcher.manualRules(); manual) {
        for (const automation::Rule &rule : *manual)
            m_commandRule->addItem(rule.name, rule.id);
    }
    auto *add = new QPushButton(tr("Add"), commandBox);
    auto *remove = new QPushButton(tr("Remove"), commandBox);
    addRow->addWidget(m_commandCode, 1);
    addRow->addWidget(m_commandRule, 1);
    addRow->addWidget(add);
    addRow->addWidget(remove);
    commandLayout->addWidget(m_commands);
    commandLayout->addLayout(addRow);
    layout->addWidget(commandBox);
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(u"color: #c0392b;"_qs);
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(add, &QPushButton::clicked, this, &ScannerSettings::addCommand);
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_commands->currentRow();
        if (row < 0)
            return;
        if (auto r = m_classifier.removeCommand(m_commands->item(row, 0)->text()); !r)
            m_problem->setText(r.error().userMessage);
        reloadCommands();
    });
    if (m_commandRule->count() == 0) {
        m_commandRule->setPlaceholderText(tr("no rule runs by hand yet"));
        add->setEnabled(false);
    }
    if (ScannerFilter *filter = ScannerFilter::active())
        filter->addConsumer(this, [this](const QString &code) { showScan(code); });
    reloadCommands();
    m_test->setFocus();
}

void ScannerSettings::showScan(const QString &code)
{
    m_test->setText(code);
    auto target = m_classifier.classify(code);
    if (!target) {
        m_result->setText(target.error().userMessage);
        return;
    }
    switch (target->kind) {
    case scanning::ScanTarget::Kind::Order:
        m_result->setText(tr("Recognised as a scan: %1, order %2.").arg(target->describe()).arg(target->orderId));
        break;
    case scanning::ScanTarget::Kind::Product:
        m_result->setText(tr("Recognised as a scan: %1, product %2.").arg(target->describe()).arg(target->productId));
        break;
    case scanning::ScanTarget::Kind::Command:
        m_result->setText(tr("Recognised as a scan: %1, rule %2.").arg(target->describe()).arg(target->ruleId));
        break;
    case scanning::ScanTarget::Kind::Unknown:
        m_result->setText(tr("Recognised as a scan, but no order, product or command has this code."));
        break;
    }
}

void ScannerSettings::reloadCommands()
{
    m_commands->setRowCount(0);
    auto list = m_classifier.commands();
    if (!list) {
        m_problem->setText(list.error().userMessage);
        return;
    }
    m_commands->setRowCount(int(list->size()));
    for (int row = 0; row < list->size(); ++row) {
        m_commands->setItem(row, 0, new QTableWidgetItem(list->at(row).code));
        m_commands->setItem(row, 1, new QTableWidgetItem(list->at(row).ruleName));
    }
}

void ScannerSettings::addCommand()
{
    m_problem->clear();
    if (auto r = m_classifier.addCommand(m_commandCode->text(), m_commandRule->currentData().toLongLong()); !r) {
        m_problem->setText(r.error().userMessage);
        return;
    }
    m_commandCode->clear();
    reloadCommands();
}

void ScannerSettings::accept()
{
    if (!m_enter->isChecked() && !m_tab->isChecked()) {
        m_problem->setText(tr("Choose at least one key the scanner ends a code with."));
        return;
    }
    scanning::ScannerSettings settings = scanning::ScannerSettings::load();
    settings.maxGapMs = m_gap->value();
    settings.minLength = m_minLength->value();
    settings.suffixEnter = m_enter->isChecked();
    settings.suffixTab = m_tab->isChecked();
    settings.prefix = m_prefix->text();
    settings.sounds = m_sounds->isChecked();
    settings.serialPort = m_serialPort->text().trimmed();
    settings.save();
    if (ScannerFilter *filter = ScannerFilter::active())
        filter->setSettings(settings);
    QDialog::accept();
}

} // namespace sd::ui
