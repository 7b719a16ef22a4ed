#include "databaseconnectiondialog.h"

#include "security/secretstore.h"
#include "storage/database.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

constexpr char kPasswordKey[] = "database/password";

QString buildUrl(const QString &host, int port, const QString &database, const QString &user, const QString &password,
                 bool tls)
{
    QUrl url;
    url.setScheme(u"postgresql"_qs);
    url.setHost(host);
    url.setPort(port);
    url.setPath(u'/' + database);
    url.setUserName(user);
    if (!password.isEmpty())
        url.setPassword(password);
    if (tls)
        url.setQuery(u"sslmode=require"_qs);
    return url.toString();
}

} // namespace

DatabaseConnectionDialog::DatabaseConnectionDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to the warehouse database"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Several workstations share one PostgreSQL database. Enter what the person who set "
                                "up the server gave you; the password is kept in the system keychain."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    QSettings settings;
    auto *form = new QFormLayout;
    m_host = new QLineEdit(settings.value(u"database/host"_qs).toString(), this);
    m_host->setPlaceholderText(u"192.168.1.10"_qs);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(settings.value(u"database/port"_qs, 5432).toInt());
    m_database = new QLineEdit(settings.value(u"database/name"_qs, u"sellerdesk"_qs).toString(), this);
    m_user = new QLineEdit(settings.value(u"database/user"_qs, u"sellerdesk"_qs).toString(), this);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_tls = new QCheckBox(tr("Require an encrypted connection (TLS)"), this);
    m_tls->setChecked(settings.value(u"database/tls"_qs, true).toBool());
    form->addRow(tr("&Server:"), m_host);
    form->addRow(tr("P&ort:"), m_port);
    form->addRow(tr("&Database:"), m_database);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_tls);
    layout->addLayout(form);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    layout->addWidget(m_result);
    auto *buttons = new QDialogButtonBox(this);
    auto *test = buttons->addButton(tr("&Test connection"), QDialogButtonBox::ActionRole);
    buttons->addButton(tr("&Save and use at next start"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(test, &QPushButton::clicked, this, &DatabaseConnectionDialog::testConnection);
    connect(buttons, &QDialogButtonBox::accepted, this, &DatabaseConnectionDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

QString DatabaseConnectionDialog::url(bool withPassword) const
{
    return buildUrl(m_host->text().trimmed(), m_port->value(), m_database->text().trimmed(), m_user->text().trimmed(),
                    withPassword ? m_password->text() : QString(), m_tls->isChecked());
}

void DatabaseConnectionDialog::testConnection()
{
    if (m_host->text().trimmed().isEmpty() || m_database->text().trimmed().isEmpty()) {
        m_result->setStyleSheet(u"color: #c0392b"_qs);
        m_result->setText(tr("Enter the server and the database."));
        return;
    }
    m_result->setText(tr("Connecting…"));
    m_result->repaint();
    auto db = storage::Database::openUrl(url(true));
    if (!db) {
        m_result->setStyleSheet(u"color: #c0392b"_qs);
        m_result->setText(db.error().userMessage + u' ' + db.error().detail.section(u'\n', 0, 0));
        return;
    }
    m_result->setStyleSheet(u"color: #2e7d32"_qs);
    m_result->setText(tr("Connected to %1 (schema %2).").arg((*db)->describe()).arg((*db)->schemaVersion()));
}

void DatabaseConnectionDialog::save()
{
    auto secrets = security::SecretStore::open({});
    if (!secrets) {
        m_result->setStyleSheet(u"color: #c0392b"_qs);
        m_result->setText(secrets.error().userMessage);
        return;
    }
    if (auto r = (*secrets)->write(QString::fromLatin1(kPasswordKey), m_password->text().toUtf8()); !r) {
        m_result->setStyleSheet(u"color: #c0392b"_qs);
        m_result->setText(r.error().userMessage);
        return;
    }
    QSettings settings;
    settings.setValue(u"database/host"_qs, m_host->text().trimmed());
    settings.setValue(u"database/port"_qs, m_port->value());
    settings.setValue(u"database/name"_qs, m_database->text().trimmed());
    settings.setValue(u"database/user"_qs, m_user->text().trimmed());
    settings.setValue(u"database/tls"_qs, m_tls->isChecked());
    accept();
}

Result<QString> DatabaseConnectionDialog::storedUrl()
{
    QSettings settings;
    const QString host = settings.value(u"database/host"_qs).toString();
    if (host.isEmpty())
        return QString();
    auto secrets = security::SecretStore::open({});
    if (!secrets)
        return secrets.error();
    auto password = (*secrets)->read(QString::fromLatin1(kPasswordKey));
    if (!password)
        return password.error();
    return buildUrl(host, settings.value(u"database/port"_qs, 5432).toInt(),
                    settings.value(u"database/name"_qs).toString(), settings.value(u"database/user"_qs).toString(),
                    password->has_value() ? QString::fromUtf8(**password) : QString(),
                    settings.value(u"database/tls"_qs, true).toBool());
}

void DatabaseConnectionDialog::forget()
{
    QSettings().remove(u"database"_qs);
}

} // namespace sd::ui
