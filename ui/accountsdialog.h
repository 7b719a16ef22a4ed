#pragma once

#include "marketplace/accountstore.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace sd::ui {

class ConnectJob;
class ConnectorController;

// The marketplace accounts page: add an Allegro account (production, sandbox or a training marketplace),
// connect it with the device flow (the page shows the address to open and the code to confirm), rename it,
// set how often it downloads, disconnect or remove it, and see when it last downloaded and what went wrong.
class AccountsDialog : public QDialog
{
    Q_OBJECT

public:
    AccountsDialog(ConnectorController *controller, QWidget *parent = nullptr);
    ~AccountsDialog() override;

    // The operations behind the buttons, for the keyboard and for tests. Each reports a failure in the page's
    // message line (and `problem`) and returns false; nothing the user typed is lost.
    bool addAccount(const QString &name, marketplace::MarketplaceAccount::Environment environment,
                    const QString &address, const QString &clientId, const QByteArray &clientSecret,
                    QString *problem = nullptr);
    bool connectCurrent(const QByteArray &clientSecret, QString *problem = nullptr);
    bool renameCurrent(const QString &name, QString *problem = nullptr);
    bool setCurrentInterval(int minutes, QString *problem = nullptr);
    bool disconnectCurrent(QString *problem = nullptr);
    bool removeCurrent(QString *problem = nullptr);
    void cancelConnecting();

    QTableWidget *table() const { return m_table; }
    QString message() const;
    QString userCode() const;
    QUrl verificationUrl() const { return m_verification; }
    bool isConnecting() const { return m_job != nullptr; }
    bool selectAccount(const QString &name);

Q_SIGNALS:
    void connectFinished(bool ok);

private:
    void reload();
    qint64 currentId() const;
    std::optional<marketplace::MarketplaceAccount> current() const;
    void report(const QString &text, bool problem);
    void beginConnect(const marketplace::MarketplaceAccount &account, const QByteArray &clientSecret);
    void endConnect(bool ok, const QString &text);
    void updateSecretsBanner();
    void updateButtons();
    void addClicked();
    void connectClicked();
    void renameClicked();
    void intervalClicked();
    void removeClicked();
    void chooseEncryptedFile();

    ConnectorController *m_controller;
    QList<marketplace::MarketplaceAccount> m_accounts;
    QLabel *m_secretsBanner;
    QPushButton *m_useFile;
    QTableWidget *m_table;
    QLabel *m_message;
    QPushButton *m_add;
    QPushButton *m_connect;
    QPushButton *m_rename;
    QPushButton *m_interval;
    QPushButton *m_disconnect;
    QPushButton *m_remove;
    QPushButton *m_download;
    QGroupBox *m_connectBox;
    QLabel *m_connectText;
    QLabel *m_code;
    QLabel *m_link;
    QPushButton *m_openPage;
    QPushButton *m_copyCode;
    QPushButton *m_cancelConnect;
    QUrl m_verification;
    QUrl m_verificationComplete;
    QPointer<ConnectJob> m_job;
};

// Asks for a new account's details, with inline reasons for what cannot be accepted.
class AddAccountDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AddAccountDialog(QWidget *parent = nullptr);

    QString name() const;
    marketplace::MarketplaceAccount::Environment environment() const;
    QString address() const;
    QString clientId() const;
    QByteArray clientSecret() const;
    void setProblem(const QString &text);

private:
    void environmentChanged();

    QLineEdit *m_name;
    QComboBox *m_environment;
    QLineEdit *m_address;
    QLabel *m_addressLabel;
    QLineEdit *m_clientId;
    QLineEdit *m_clientSecret;
    QLabel *m_problem;
};

} // namespace sd::ui
