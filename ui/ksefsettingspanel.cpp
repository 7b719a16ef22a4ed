#include "ksefsettingspanel.h"

#include "documents/ksef/ksefclient.h"
#include "domain/nip.h"
#include "security/secretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sd::ui {

using documents::ksef::Settings;

KsefSettingsPanel::KsefSettingsPanel(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QWidget(parent)
    , m_db(std::move(db))
    , m_enabled(new QCheckBox(tr("&Send every issued invoice to KSeF"), this))
    , m_environment(new QComboBox(this))
    , m_address(new QLineEdit(this))
    , m_nip(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_tokenState(new QLabel(this))
    , m_status(new QLabel(this))
    , m_test(new QPushButton(tr("&Test connection"), this))
{
    m_environment->addItem(tr("Test (api-test.ksef.mf.gov.pl)"), Settings::environmentKey(Settings::Environment::Test));
    m_environment->addItem(tr("Production (api.ksef.mf.gov.pl)"),
                           Settings::environmentKey(Settings::Environment::Production));
    m_environment->addItem(tr("Another address"), Settings::environmentKey(Settings::Environment::Custom));
    m_address->setPlaceholderText(u"https://…/v2"_qs);
    m_nip->setPlaceholderText(u"123-456-32-18"_qs);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("paste a new token to replace the stored one"));
    m_status->setWordWrap(true);
    m_status->hide();

    auto *intro = new QLabel(tr("Invoices go to KSeF through a queue: while KSeF cannot be reached they are issued "
                                "offline and sent when it is back. The token is kept in the keychain (or your "
                                "encrypted secrets file), never in the database."),
                             this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(m_enabled);
    form->addRow(tr("&Environment:"), m_environment);
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("Seller's &NIP:"), m_nip);
    form->addRow(tr("KSeF &token:"), m_token);
    form->addRow(QString(), m_tokenState);
    form->addRow(QString(), m_test);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addStretch(1);

    connect(m_environment, &QComboBox::currentIndexChanged, this, [this] {
        const auto env = Settings::environmentFromKey(m_environment->currentData().toString());
        const bool custom = env == Settings::Environment::Custom;
        m_address->setEnabled(custom);
        if (!custom && env)
            m_address->setText(Settings::defaultBaseUrl(*env).toString());
    });
    connect(m_test, &QPushButton::clicked, this, &KsefSettingsPanel::testConnection);

    if (auto stored = documents::ksef::SettingsStore(m_db).load()) {
        m_stored = *stored;
        m_environment->setCurrentIndex(
            qMax(0, m_environment->findData(Settings::environmentKey(m_stored.environment))));
        m_address->setText(m_stored.baseUrl.toString());
        m_address->setEnabled(m_stored.environment == Settings::Environment::Custom);
        m_nip->setText(m_stored.nip);
    }
    if (auto s = documents::SettingsStore(m_db).settings())
        m_enabled->setChecked(s->ksefEnabled);
    showTokenState();
}

KsefSettingsPanel::~KsefSettingsPanel() = default;

void KsefSettingsPanel::setSecrets(std::shared_ptr<security::SecretStore> secrets)
{
    m_secrets = std::move(secrets);
    showTokenState();
}

QString KsefSettingsPanel::status() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

void KsefSettingsPanel::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"background:#fdecea;color:#8a1f11;padding:6px"_qs
                                  : u"background:#e8f5e9;color:#1b5e20;padding:6px"_qs);
    m_status->setVisible(!text.isEmpty());
}

void KsefSettingsPanel::showTokenState()
{
    if (!m_secrets) {
        m_tokenState->setText(tr("The secret store is not open: a token cannot be read or stored now."));
        return;
    }
    auto token = m_secrets->read(m_stored.tokenRef);
    const bool stored = token && *token && !(*token)->isEmpty();
    m_tokenState->setText(stored ? tr("A token is stored in the secret store.") : tr("No token is stored yet."));
}

Result<Settings> KsefSettingsPanel::fromForm() const
{
    Settings s = m_stored;
    const QString key = m_environment->currentData().toString();
    auto changed = Settings::fromEnvironmentArgument(
        key == Settings::environmentKey(Settings::Environment::Custom) ? m_address->text().trimmed() : key, s);
    if (!changed)
        return changed.error();
    s = *changed;
    const QString nip = m_nip->text().trimmed();
    if (nip.isEmpty()) {
        s.nip.clear();
    } else {
        auto parsed = domain::Nip::parse(nip);
        if (!parsed)
            return makeError(Error::Code::Invalid, tr("Seller's NIP: %1").arg(parsed.error().userMessage));
        s.nip = parsed->digits();
    }
    return s;
}

Result<QByteArray> KsefSettingsPanel::token() const
{
    const QByteArray typed = m_token->text().trimmed().toUtf8();
    if (!typed.isEmpty())
        return typed;
    if (!m_secrets)
        return makeError(Error::Code::Invalid, tr("The secret store is not open: the KSeF token cannot be read."));
    auto stored = m_secrets->read(m_stored.tokenRef);
    if (!stored)
        return stored.error();
    if (!*stored || (*stored)->isEmpty())
        return makeError(Error::Code::Invalid, tr("Paste the KSeF token first."));
    return **stored;
}

Result<void> KsefSettingsPanel::save()
{
    auto s = fromForm();
    if (!s) {
        showStatus(s.error().userMessage, true);
        return s.error();
    }
    const QByteArray typed = m_token->text().trimmed().toUtf8();
    if (!typed.isEmpty()) {
        if (!m_secrets) {
            auto e = makeError(Error::Code::Invalid,
                               tr("The secret store is not open: the KSeF token cannot be stored. Nothing was saved."));
            showStatus(e.userMessage, true);
            return e;
        }
        if (auto r = m_secrets->write(s->tokenRef, typed); !r) {
            showStatus(r.error().userMessage, true);
            return r.error();
        }
    }
    if (m_enabled->isChecked()) {
        QString missing;
        if (s->nip.isEmpty())
            missing = tr("KSeF cannot be switched on without the seller's NIP.");
        else if (auto t = token(); !t)
            missing = tr("KSeF cannot be switched on without a token: %1").arg(t.error().userMessage);
        if (!missing.isEmpty()) {
            showStatus(missing, true);
            return makeError(Error::Code::Invalid, missing);
        }
    }
    if (auto r = documents::ksef::SettingsStore(m_db).save(*s); !r) {
        showStatus(r.error().userMessage, true);
        return r.error();
    }
    documents::SettingsStore documentSettings(m_db);
    auto settings = documentSettings.settings();
    if (!settings)
        return settings.error();
    settings->ksefEnabled = m_enabled->isChecked();
    if (auto r = documentSettings.setSettings(*settings); !r) {
        showStatus(r.error().userMessage, true);
        return r.error();
    }
    m_stored = *s;
    m_token->clear();
    showTokenState();
    showStatus(settings->ksefEnabled ? tr("Saved. Issued invoices are sent to KSeF.")
                                     : tr("Saved. KSeF is off: invoices are not sent."),
               false);
    return {};
}

void KsefSettingsPanel::testConnection()
{
    auto s = fromForm();
    if (!s) {
        showStatus(s.error().userMessage, true);
        emit tested(false, s.error().userMessage);
        return;
    }
    if (s->nip.isEmpty()) {
        const QString text = tr("Enter the seller's NIP first.");
        showStatus(text, true);
        emit tested(false, text);
        return;
    }
    auto t = token();
    if (!t) {
        showStatus(t.error().userMessage, true);
        emit tested(false, t.error().userMessage);
        return;
    }
    if (m_client)
        m_client->deleteLater();
    m_client = new documents::ksef::KsefClient(s->baseUrl, this);
    m_client->setTimeoutMs(15000);
    m_test->setEnabled(false);
    showStatus(tr("Connecting to %1…").arg(s->baseUrl.host()), false);
    const QString nip = s->nip;
    m_client->authenticate(*t, nip, [this, nip](Result<void> r) {
        m_test->setEnabled(true);
        const QString text = r ? tr("Connected: KSeF accepted the token for NIP %1.").arg(nip)
                               : tr("KSeF did not accept the connection: %1").arg(r.error().userMessage);
        showStatus(text, !r);
        emit tested(bool(r), text);
    });
}

} // namespace sd::ui
