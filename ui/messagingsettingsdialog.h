#pragma once

#include "storage/database.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;
class QTimeEdit;

namespace sd::security {
class SecretStore;
}

namespace sd::ui {

// Messaging settings: mail accounts (add, one per marketplace account or the default, "Send test e-mail"), the SMS
// gateway, the seller's notifications (E1 new orders, E3 passed deadlines), D2 (issued invoices to the buyer and to
// Allegro) and the autoresponder (B6) with working hours and holidays. Passwords go to the secret store only.
class MessagingSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    MessagingSettingsDialog(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                            QWidget *parent = nullptr);
    ~MessagingSettingsDialog() override;

    // Saves the notification and autoresponder settings; false (with the reason shown) when something is wrong.
    bool save();
    bool saveMailAccount();
    bool saveSmsAccount();
    bool sendTestMail();
    QString message() const;

private:
    void load();
    void loadMailAccounts();
    void report(const QString &message, bool error);

    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
    QTableWidget *m_mailAccounts;
    QLineEdit *m_mailName, *m_mailHost, *m_mailUser, *m_mailPassword, *m_mailFrom, *m_mailFromName, *m_mailStore;
    QSpinBox *m_mailPort;
    QComboBox *m_mailSecurity;
    QLineEdit *m_testTo;
    QLineEdit *m_smsName, *m_smsUrl, *m_smsSender, *m_smsToken;
    QCheckBox *m_notifySms, *m_notifyDownloaded, *m_notifyDeadlines, *m_invoiceMail, *m_invoiceUpload;
    QLineEdit *m_sellerEmail;
    QLineEdit *m_confirmationUrl;
    QSpinBox *m_paymentDays, *m_dispatchDays;
    QCheckBox *m_autoEnabled, *m_autoFirstOnly, *m_autoMessageCenter, *m_autoDiscussions;
    QComboBox *m_autoWhen, *m_autoDelay;
    QLineEdit *m_autoAccounts;
    QPlainTextEdit *m_autoText, *m_holidays;
    QCheckBox *m_dayOpen[7];
    QTimeEdit *m_dayStart[7], *m_dayEnd[7];
    QLabel *m_message;
};

} // namespace sd::ui
