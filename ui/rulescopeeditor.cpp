#include "rulescopeeditor.h"

#include "marketplace/accountstore.h"
#include "storage/orderquery.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>
#include <QWidgetAction>

#include <algorithm>

namespace sd::ui {

RuleScopeEditor::RuleScopeEditor(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QWidget(parent)
{
    if (auto list = marketplace::AccountStore(db).list())
        for (const marketplace::MarketplaceAccount &a : *list)
            m_knownAccounts.append({a.orderAccountKey(), a.name, a.connected});
    if (auto couriers = storage::OrderQuery(db).distinctValues(u"delivery_method"_qs))
        m_knownCouriers = *couriers;

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_accountsButton = new QToolButton(this);
    m_accountsButton->setPopupMode(QToolButton::InstantPopup);
    m_accountsButton->setAccessibleName(tr("Accounts the rule acts on"));
    m_accountsMenu = new QMenu(m_accountsButton);
    m_accountsButton->setMenu(m_accountsMenu);
    m_couriersButton = new QToolButton(this);
    m_couriersButton->setPopupMode(QToolButton::InstantPopup);
    m_couriersButton->setAccessibleName(tr("Couriers the rule acts on"));
    m_couriersMenu = new QMenu(m_couriersButton);
    m_couriersButton->setMenu(m_couriersMenu);
    m_otherCourier = new QLineEdit(this);
    m_otherCourier->setPlaceholderText(tr("Another courier: type its name, Enter"));
    m_otherCourier->setAccessibleName(tr("Another courier"));
    connect(m_otherCourier, &QLineEdit::returnPressed, this, [this] {
        const QString name = m_otherCourier->text().trimmed();
        m_otherCourier->clear();
        m_couriersMenu->close();
        if (name.isEmpty() || m_couriers.contains(name))
            return;
        QStringList next = m_couriers;
        next.append(name);
        Q_EMIT changed(m_accounts, next);
    });
    m_otherAction = new QWidgetAction(m_couriersMenu);
    m_otherAction->setDefaultWidget(m_otherCourier); // the action owns it from here
    m_couriersMenu->addAction(m_otherAction);
    auto *label = new QLabel(tr("Sc&ope:"), this);
    label->setBuddy(m_accountsButton);
    layout->addWidget(label);
    layout->addWidget(m_accountsButton);
    layout->addWidget(m_couriersButton);
    layout->addStretch();
    rebuildMenus();
}

QString RuleScopeEditor::accountName(const QString &key) const
{
    for (const KnownAccount &a : m_knownAccounts)
        if (a.key == key)
            return a.name;
    return key;
}

void RuleScopeEditor::setScope(const QStringList &accounts, const QStringList &couriers)
{
    if (accounts == m_accounts && couriers == m_couriers)
        return;
    m_accounts = accounts;
    m_couriers = couriers;
    rebuildMenus();
}

void RuleScopeEditor::addChoice(QAction *action, const QString &value, bool account)
{
    action->setCheckable(true);
    action->setChecked((account ? m_accounts : m_couriers).contains(value));
    action->setData(value);
    connect(action, &QAction::toggled, this, [this, value, account](bool on) {
        QStringList next = account ? m_accounts : m_couriers;
        if (on && !next.contains(value))
            next.append(value);
        else if (!on)
            next.removeAll(value);
        Q_EMIT changed(account ? next : m_accounts, account ? m_couriers : next);
    });
}

void RuleScopeEditor::rebuildMenus()
{
    QStringList names;
    for (const QString &key : std::as_const(m_accounts))
        names.append(accountName(key));
    m_accountsButton->setText(names.isEmpty() ? tr("every account") : tr("accounts: %1").arg(names.join(u", ")));
    m_couriersButton->setText(m_couriers.isEmpty() ? tr("every courier")
                                                   : tr("couriers: %1").arg(m_couriers.join(u", ")));

    // Removed later, not now: the action whose toggle got us here is still in its signal.
    for (QMenu *menu : {m_accountsMenu, m_couriersMenu})
        for (QAction *action : menu->actions())
            if (action != m_otherAction) {
                menu->removeAction(action);
                action->deleteLater();
            }
    QList<KnownAccount> accounts = m_knownAccounts;
    for (const QString &key : std::as_const(m_accounts)) // kept even when the account is gone: nothing is lost
        if (std::none_of(accounts.cbegin(), accounts.cend(), [&](const KnownAccount &a) { return a.key == key; }))
            accounts.append({key, key, false});
    if (accounts.isEmpty())
        m_accountsMenu->addAction(tr("No marketplace account in this profile yet"))->setEnabled(false);
    for (const KnownAccount &account : std::as_const(accounts)) {
        auto *action =
            new QAction(account.connected ? account.name : tr("%1 (not connected)").arg(account.name), m_accountsMenu);
        m_accountsMenu->addAction(action);
        addChoice(action, account.key, true);
    }

    QStringList couriers = m_knownCouriers;
    for (const QString &c : std::as_const(m_couriers))
        if (!couriers.contains(c))
            couriers.append(c);
    for (const QString &name : std::as_const(couriers)) {
        auto *action = new QAction(name, m_couriersMenu);
        m_couriersMenu->insertAction(m_otherAction, action);
        addChoice(action, name, false);
    }
    m_couriersMenu->insertSeparator(m_otherAction);
}

} // namespace sd::ui
