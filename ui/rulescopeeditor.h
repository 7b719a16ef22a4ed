#pragma once

#include "storage/database.h"

#include <QStringList>
#include <QWidget>

#include <memory>

class QAction;
class QLineEdit;
class QMenu;
class QToolButton;
class QWidgetAction;

namespace sd::ui {

// A rule's scope: which marketplace accounts (the profile's accounts from AccountStore, stored by the key orders
// carry) and which couriers (the delivery methods the profile's orders use, or any typed name) it acts on. Nothing
// chosen means every one. Each is a button with a menu of check boxes; the couriers' menu also takes a typed name.
class RuleScopeEditor : public QWidget
{
    Q_OBJECT

public:
    RuleScopeEditor(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    void setScope(const QStringList &accounts, const QStringList &couriers);
    QStringList accounts() const { return m_accounts; }
    QStringList couriers() const { return m_couriers; }
    // The account's name for a stored key (the key itself for an account no longer in the profile).
    QString accountName(const QString &key) const;

    QToolButton *accountsButton() const { return m_accountsButton; }
    QToolButton *couriersButton() const { return m_couriersButton; }
    QLineEdit *otherCourier() const { return m_otherCourier; }

Q_SIGNALS:
    void changed(const QStringList &accounts, const QStringList &couriers);

private:
    void rebuildMenus();
    // A check box entry for an account key or a courier name; toggling it emits the changed scope.
    void addChoice(QAction *action, const QString &value, bool account);

    struct KnownAccount
    {
        QString key; // the key its orders carry
        QString name;
        bool connected = false;
    };
    QList<KnownAccount> m_knownAccounts;
    QStringList m_knownCouriers;
    QStringList m_accounts;
    QStringList m_couriers;
    QToolButton *m_accountsButton = nullptr;
    QToolButton *m_couriersButton = nullptr;
    QMenu *m_accountsMenu = nullptr;
    QMenu *m_couriersMenu = nullptr;
    QLineEdit *m_otherCourier = nullptr;
    QWidgetAction *m_otherAction = nullptr;
};

} // namespace sd::ui
