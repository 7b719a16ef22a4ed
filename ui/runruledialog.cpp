#include "runruledialog.h"

#include "automation/dispatcher.h"
#include "automation/rulestore.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace sd::ui {

RunRuleDialog::RunRuleDialog(storage::OrderStore &store, QList<qint64> orderIds, storage::ChangeContext who,
                             QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_orderIds(std::move(orderIds))
    , m_who(std::move(who))
{
    setObjectName(u"runRuleDialog"_qs);
    setWindowTitle(tr("Run rule"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Run a rule on %n order(s). Only enabled rules whose trigger is \"Run by hand\" "
                                "are offered.",
                                nullptr, int(m_orderIds.size())),
                             this);
    intro->setWordWrap(true);
    m_rules = new QListWidget(this);
    m_rules->setObjectName(u"manualRules"_qs);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(u"color: palette(link);"_qs);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    layout->addWidget(intro);
    layout->addWidget(m_rules, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_rules, &QListWidget::itemActivated, this, &QDialog::accept);

    automation::RuleStore rules(m_store.sharedDatabase());
    automation::Dispatcher dispatcher(m_store, rules);
    auto manual = dispatcher.manualRules();
    if (!manual)
        m_problem->setText(manual.error().userMessage);
    for (const automation::Rule &rule : manual ? *manual : QList<automation::Rule>()) {
        auto *item = new QListWidgetItem(rule.name, m_rules);
        item->setData(Qt::UserRole, rule.id);
        if (!rule.description.isEmpty())
            item->setToolTip(rule.description);
    }
    if (manual && manual->isEmpty())
        m_problem->setText(tr("No rule runs by hand yet: give a rule the trigger \"Run by hand\" in Settings → "
                              "Automation rules."));
    if (m_rules->count() > 0)
        m_rules->setCurrentRow(0);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_rules->count() > 0 && !m_orderIds.isEmpty());
    m_rules->setFocus();
    resize(440, 320);
}

void RunRuleDialog::accept()
{
    const QListWidgetItem *item = m_rules->currentItem();
    if (!item || m_orderIds.isEmpty())
        return;
    automation::RuleStore rules(m_store.sharedDatabase());
    automation::Dispatcher dispatcher(m_store, rules);
    const qint64 ruleId = item->data(Qt::UserRole).toLongLong();
    int queued = 0;
    for (qint64 orderId : std::as_const(m_orderIds)) {
        auto event = dispatcher.requestManualRun(ruleId, orderId, m_who);
        if (!event) {
            // Nothing is lost: the runs recorded so far stand, and the message says where it stopped.
            m_problem->setText(tr("Order %1: %2").arg(orderId).arg(event.error().userMessage));
            if (queued == 0)
                return;
            break;
        }
        ++queued;
    }
    m_message = tr("Rule \"%1\" will run on %n order(s); the automation shows each run in the order's Automation "
                   "tab.",
                   nullptr, queued)
                    .arg(item->text());
    QDialog::accept();
}

} // namespace sd::ui
