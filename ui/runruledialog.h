#pragma once

#include "storage/orderstore.h"

#include <QDialog>

class QListWidget;
class QLabel;
class QDialogButtonBox;

namespace sd::ui {

// "Run rule…" (Ctrl+R) on the chosen orders: offers the enabled rules whose trigger is "Run by hand" and records
// each run through the dispatcher (a rule.manual event per order), so the automation traces it, queues its
// actions and keys them in the ledger as for any trigger.
class RunRuleDialog : public QDialog
{
    Q_OBJECT

public:
    RunRuleDialog(storage::OrderStore &store, QList<qint64> orderIds, storage::ChangeContext who,
                  QWidget *parent = nullptr);

    QListWidget *rules() const { return m_rules; }
    // What happened, for the status bar; empty until a rule ran.
    QString message() const { return m_message; }

    void accept() override;

private:
    storage::OrderStore &m_store;
    QList<qint64> m_orderIds;
    storage::ChangeContext m_who;
    QListWidget *m_rules = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QString m_message;
};

} // namespace sd::ui
