#pragma once

#include "documents/ksef/ksefsettings.h"
#include "documents/settings.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sd::security {
class SecretStore;
}

namespace sd::documents::ksef {
class KsefClient;
}

namespace sd::ui {

// The KSeF page of the document settings: on/off, environment (test, production or an address of one's own),
// the seller's NIP and the KSeF token. The token goes only to the SecretStore (keychain or the user's encrypted
// file), never to the database; the field shows whether one is stored, never the token. "Test connection"
// authenticates with the token typed (or the stored one) and says what KSeF answered.
class KsefSettingsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit KsefSettingsPanel(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);
    ~KsefSettingsPanel() override;

    void setSecrets(std::shared_ptr<security::SecretStore> secrets);
    // Checks and stores what the form says; the error names the field.
    Result<void> save();
    void testConnection();
    QString status() const;

    QCheckBox *enabledBox() const { return m_enabled; }
    QComboBox *environmentBox() const { return m_environment; }
    QLineEdit *addressEdit() const { return m_address; }
    QLineEdit *nipEdit() const { return m_nip; }
    QLineEdit *tokenEdit() const { return m_token; }
    QPushButton *testButton() const { return m_test; }

signals:
    void tested(bool ok, const QString &message);

private:
    Result<documents::ksef::Settings> fromForm() const;
    Result<QByteArray> token() const;
    void showTokenState();
    void showStatus(const QString &text, bool error);

    std::shared_ptr<storage::Database> m_db;
    std::shared_ptr<security::SecretStore> m_secrets;
    documents::ksef::Settings m_stored;
    QCheckBox *m_enabled;
    QComboBox *m_environment;
    QLineEdit *m_address, *m_nip, *m_token;
    QLabel *m_tokenState, *m_status;
    QPushButton *m_test;
    QPointer<documents::ksef::KsefClient> m_client;
};

} // namespace sd::ui
