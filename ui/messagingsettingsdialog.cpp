#include "messagingsettingsdialog.h"

#include "messaging/autoresponder.h"
#include "messaging/messagingaccounts.h"
#include "messaging/outbox.h"
#include "security/secretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimeEdit>
#include <QUrl>
#include <QVBoxLayout>

namespace sd::ui {

using namespace sd::messaging;

MessagingSettingsDialog::MessagingSettingsDialog(std::shared_ptr<storage::Database> db,
                                                 std::shared_ptr<security::SecretStore> secrets, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_secrets(std::move(secrets))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Messaging settings"));
    auto edit = [this](const QString &placeholder = {}) {
        auto *e = new QLineEdit(this);
        e->setPlaceholderText(placeholder);
        return e;
    };
    auto *tabs = new QTabWidget(this);

    // Mail and SMS accounts.
    auto *accounts = new QWidget(this);
    auto *accountsLayout = new QVBoxLayout(accounts);
    m_mailAccounts = new QTableWidget(0, 5, this);
    m_mailAccounts->setHorizontalHeaderLabels({tr("Name"), tr("Server"), tr("Security"), tr("From"), tr("Store")});
    m_mailAccounts->horizontalHeader()->setStretchLastSection(true);
    m_mailAccounts->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_mailAccounts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_mailAccounts->verticalHeader()->hide();
    accountsLayout->addWidget(m_mailAccounts, 1);
    auto *testRow = new QHBoxLayout;
    m_testTo = edit(tr("recipient of the test e-mail"));
    auto *sendTest = new QPushButton(tr("Send &test e-mail"), this);
    connect(sendTest, &QPushButton::clicked, this, &MessagingSettingsDialog::sendTestMail);
    testRow->addWidget(m_testTo, 1);
    testRow->addWidget(sendTest);
    accountsLayout->addLayout(testRow);

    auto *mailBox = new QGroupBox(tr("New mail account"), this);
    auto *mailForm = new QFormLayout(mailBox);
    m_mailName = edit(tr("e.g. Shop"));
    m_mailHost = edit(u"smtp.example.pl"_qs);
    m_mailPort = new QSpinBox(this);
    m_mailPort->setRange(1, 65535);
    m_mailPort->setValue(587);
    m_mailSecurity = new QComboBox(this);
    m_mailSecurity->addItem(tr("STARTTLS (required)"), MailAccount::securityKey(MailAccount::Security::StartTls));
    m_mailSecurity->addItem(tr("SSL on connect"), MailAccount::securityKey(MailAccount::Security::Ssl));
    m_mailSecurity->addItem(tr("None (local server only)"), MailAccount::securityKey(MailAccount::Security::None));
    m_mailUser = edit();
    m_mailPassword = edit();
    m_mailPassword->setEchoMode(QLineEdit::Password);
    m_mailFrom = edit(u"sklep@example.pl"_qs);
    m_mailFromName = edit();
    m_mailStore = edit(tr("empty: the default account"));
    mailForm->addRow(tr("&Name:"), m_mailName);
    mailForm->addRow(tr("&Server:"), m_mailHost);
    mailForm->addRow(tr("&Port:"), m_mailPort);
    mailForm->addRow(tr("Se&curity:"), m_mailSecurity);
    mailForm->addRow(tr("&User:"), m_mailUser);
    mailForm->addRow(tr("Pass&word:"), m_mailPassword);
    mailForm->addRow(tr("&From address:"), m_mailFrom);
    mailForm->addRow(tr("From na&me:"), m_mailFromName);
    mailForm->addRow(tr("Marketplace &account (sender for its orders):"), m_mailStore);
    auto *saveMail = new QPushButton(tr("&Add mail account"), this);
    connect(saveMail, &QPushButton::clicked, this, &MessagingSettingsDialog::saveMailAccount);
    mailForm->addRow(saveMail);
    accountsLayout->addWidget(mailBox);

    auto *smsBox = new QGroupBox(tr("SMS gateway"), this);
    auto *smsForm = new QFormLayout(smsBox);
    m_smsName = edit(u"SMSAPI"_qs);
    m_smsUrl = edit(u"https://api.smsapi.pl"_qs);
    m_smsSender = edit();
    m_smsToken = edit(tr("unchanged when empty"));
    m_smsToken->setEchoMode(QLineEdit::Password);
    smsForm->addRow(tr("N&ame:"), m_smsName);
    smsForm->addRow(tr("&Address:"), m_smsUrl);
    smsForm->addRow(tr("Sen&der name:"), m_smsSender);
    smsForm->addRow(tr("&Token:"), m_smsToken);
    auto *saveSms = new QPushButton(tr("Save SMS &gateway"), this);
    connect(saveSms, &QPushButton::clicked, this, &MessagingSettingsDialog::saveSmsAccount);
    smsForm->addRow(saveSms);
    accountsLayout->addWidget(smsBox);
    tabs->addTab(accounts, tr("&Accounts"));

    // Notifications: to the buyer (status SMS, D2) and to the seller (E1, E3).
    auto *notifications = new QWidget(this);
    auto *notificationsForm = new QFormLayout(notifications);
    m_notifySms = new QCheckBox(tr("Status changes also by SMS (when a gateway is set)"), this);
    m_invoiceMail = new QCheckBox(tr("E-mail issued invoices to the buyer with the PDF"), this);
    m_invoiceUpload = new QCheckBox(tr("Attach issued invoices to the Allegro order"), this);
    m_notifyDownloaded = new QCheckBox(tr("E-mail me the number of new orders after each download"), this);
    m_sellerEmail = edit(tr("the seller's address for notifications"));
    m_paymentDays = new QSpinBox(this);
    m_paymentDays->setRange(0, 60);
    m_paymentDays->setSpecialValueText(tr("off"));
    m_paymentDays->setSuffix(tr(" days"));
    m_dispatchDays = new QSpinBox(this);
    m_dispatchDays->setRange(0, 60);
    m_dispatchDays->setSpecialValueText(tr("off"));
    m_dispatchDays->setSuffix(tr(" days"));
    m_notifyDeadlines = new QCheckBox(tr("E-mail me each passed deadline too"), this);
    // A7's link: a workstation has no address the buyer can reach, so the link points at the shop's own site, which
    // passes the token on to `sellerdesk-cli confirm --token T`.
    m_confirmationUrl = edit(tr("e.g. https://sklep.example.pl/potwierdz (empty: the shop's address + /confirm)"));
    notificationsForm->addRow(m_notifySms);
    notificationsForm->addRow(m_invoiceMail);
    notificationsForm->addRow(m_invoiceUpload);
    notificationsForm->addRow(m_notifyDownloaded);
    notificationsForm->addRow(tr("Seller's &e-mail:"), m_sellerEmail);
    notificationsForm->addRow(tr("Alert when unpaid &after:"), m_paymentDays);
    notificationsForm->addRow(tr("Alert when not &dispatched after:"), m_dispatchDays);
    notificationsForm->addRow(m_notifyDeadlines);
    notificationsForm->addRow(tr("Order &confirmation link:"), m_confirmationUrl);
    tabs->addTab(notifications, tr("&Notifications"));

    // The autoresponder.
    auto *responder = new QWidget(this);
    auto *responderForm = new QFormLayout(responder);
    m_autoEnabled = new QCheckBox(tr("Answer buyers' messages automatically"), this);
    m_autoMessageCenter = new QCheckBox(tr("Message Center"), this);
    m_autoDiscussions = new QCheckBox(tr("Discussions"), this);
    auto *types = new QHBoxLayout;
    types->addWidget(m_autoMessageCenter);
    types->addWidget(m_autoDiscussions);
    types->addStretch();
    m_autoWhen = new QComboBox(this);
    m_autoWhen->addItem(tr("always"), int(Autoresponder::When::Always));
    m_autoWhen->addItem(tr("within working hours"), int(Autoresponder::When::WorkingHours));
    m_autoWhen->addItem(tr("outside working hours"), int(Autoresponder::When::OutsideHours));
    m_autoFirstOnly = new QCheckBox(tr("Only the first message in a thread"), this);
    m_autoDelay = new QComboBox(this);
    for (int minutes : {0, 15, 30, 60})
        m_autoDelay->addItem(minutes ? tr("%n minute(s)", nullptr, minutes) : tr("at once"), minutes);
    m_autoAccounts = edit(tr("marketplace account numbers, comma-separated; empty: all"));
    m_autoText = new QPlainTextEdit(this);
    m_autoText->setPlaceholderText(tr("The reply; {shopName} is the shop's name"));
    m_autoText->setTabChangesFocus(true);
    m_autoText->setMaximumHeight(80);
    auto *hours = new QGridLayout;
    for (int d = 0; d < 7; ++d) {
        m_dayOpen[d] = new QCheckBox(QLocale().dayName(d + 1), this);
        m_dayStart[d] = new QTimeEdit(this);
        m_dayEnd[d] = new QTimeEdit(this);
        m_dayStart[d]->setDisplayFormat(u"HH:mm"_qs);
        m_dayEnd[d]->setDisplayFormat(u"HH:mm"_qs);
        hours->addWidget(m_dayOpen[d], d, 0);
        hours->addWidget(m_dayStart[d], d, 1);
        hours->addWidget(m_dayEnd[d], d, 2);
    }
    m_holidays = new QPlainTextEdit(this);
    m_holidays->setPlaceholderText(tr("Holidays: one date a line, e.g. 2026-12-25"));
    m_holidays->setTabChangesFocus(true);
    m_holidays->setMaximumHeight(70);
    responderForm->addRow(m_autoEnabled);
    responderForm->addRow(tr("Message types:"), types);
    responderForm->addRow(tr("&When:"), m_autoWhen);
    responderForm->addRow(m_autoFirstOnly);
    responderForm->addRow(tr("&Delay:"), m_autoDelay);
    responderForm->addRow(tr("Acc&ounts:"), m_autoAccounts);
    responderForm->addRow(tr("&Reply:"), m_autoText);
    responderForm->addRow(tr("Working hours:"), hours);
    responderForm->addRow(tr("&Holidays:"), m_holidays);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(responder);
    scroll->setWidgetResizable(true);
    tabs->addTab(scroll, tr("Auto&responder"));

    m_message->setWordWrap(true);
    m_message->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    connect(buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this, &MessagingSettingsDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(760, 680);
    load();
}

MessagingSettingsDialog::~MessagingSettingsDialog() = default;

QString MessagingSettingsDialog::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void MessagingSettingsDialog::report(const QString &message, bool error)
{
    m_message->setText(message);
    m_message->setStyleSheet(error ? u"background:#fdecea;color:#8a1f11;padding:6px"_qs
                                   : u"background:#e8f5e9;color:#1b5e20;padding:6px"_qs);
    m_message->setVisible(!message.isEmpty());
}

void MessagingSettingsDialog::loadMailAccounts()
{
    auto list = MessagingAccounts(m_db).mailAccounts();
    if (!list)
        return report(list.error().userMessage, true);
    m_mailAccounts->setRowCount(0);
    for (const MailAccount &a : std::as_const(*list)) {
        const int row = m_mailAccounts->rowCount();
        m_mailAccounts->insertRow(row);
        auto *name = new QTableWidgetItem(a.name);
        name->setData(Qt::UserRole, a.id);
        m_mailAccounts->setItem(row, 0, name);
        m_mailAccounts->setItem(row, 1, new QTableWidgetItem(u"%1:%2"_qs.arg(a.host).arg(a.port)));
        m_mailAccounts->setItem(row, 2, new QTableWidgetItem(MailAccount::securityKey(a.security)));
        m_mailAccounts->setItem(row, 3, new QTableWidgetItem(a.from.address));
        m_mailAccounts->setItem(
            row, 4, new QTableWidgetItem(a.marketplaceAccount.isEmpty() ? tr("default") : a.marketplaceAccount));
    }
    if (m_mailAccounts->rowCount() > 0)
        m_mailAccounts->selectRow(0);
}

void MessagingSettingsDialog::load()
{
    loadMailAccounts();
    MessagingAccounts settings(m_db);
    const auto value = [&](const char *name, const QString &fallback = {}) {
        return settings.setting(QString::fromLatin1(name), fallback).value_or(fallback);
    };
    if (auto sms = settings.smsAccount(); sms && sms->has_value()) {
        m_smsName->setText((*sms)->name);
        m_smsUrl->setText((*sms)->baseUrl.toString());
        m_smsSender->setText((*sms)->sender);
    }
    m_notifySms->setChecked(value("notify.sms", u"1"_qs) == u"1");
    m_invoiceMail->setChecked(value("invoice.mail", u"0"_qs) == u"1");
    m_invoiceUpload->setChecked(value("invoice.upload", u"0"_qs) == u"1");
    m_notifyDownloaded->setChecked(value("notify.downloaded", u"0"_qs) == u"1");
    m_notifyDeadlines->setChecked(value("notify.deadlines", u"0"_qs) == u"1");
    m_sellerEmail->setText(value("seller.email"));
    m_confirmationUrl->setText(value("confirmation.url"));
    m_paymentDays->setValue(value("deadline.paymentDays", u"0"_qs).toInt());
    m_dispatchDays->setValue(value("deadline.dispatchDays", u"0"_qs).toInt());

    auto loaded = Autoresponder::load(*m_db);
    const Autoresponder::Settings s = loaded ? *loaded : Autoresponder::Settings{};
    m_autoEnabled->setChecked(s.enabled);
    m_autoMessageCenter->setChecked(s.messageCenter);
    m_autoDiscussions->setChecked(s.discussions);
    m_autoWhen->setCurrentIndex(m_autoWhen->findData(int(s.when)));
    m_autoFirstOnly->setChecked(s.firstOnly);
    m_autoDelay->setCurrentIndex(qMax(0, m_autoDelay->findData(s.delayMinutes)));
    m_autoAccounts->setText(s.accounts.join(u", "_qs));
    m_autoText->setPlainText(s.text);
    for (int d = 0; d < 7; ++d) {
        m_dayOpen[d]->setChecked(s.hours.days[d].has_value());
        m_dayStart[d]->setTime(s.hours.days[d] ? s.hours.days[d]->start : QTime(8, 0));
        m_dayEnd[d]->setTime(s.hours.days[d] ? s.hours.days[d]->end : QTime(16, 0));
    }
    QStringList holidays;
    for (const QDate &day : s.hours.holidays)
        holidays.append(day.toString(Qt::ISODate));
    m_holidays->setPlainText(holidays.join(u'\n'));
}

bool MessagingSettingsDialog::save()
{
    Autoresponder::Settings s;
    s.enabled = m_autoEnabled->isChecked();
    s.messageCenter = m_autoMessageCenter->isChecked();
    s.discussions = m_autoDiscussions->isChecked();
    s.when = Autoresponder::When(m_autoWhen->currentData().toInt());
    s.firstOnly = m_autoFirstOnly->isChecked();
    s.delayMinutes = m_autoDelay->currentData().toInt();
    for (const QString &a : m_autoAccounts->text().split(u',', Qt::SkipEmptyParts))
        if (!a.trimmed().isEmpty())
            s.accounts.append(a.trimmed());
    s.text = m_autoText->toPlainText().trimmed();
    if (s.enabled && s.text.isEmpty()) {
        report(tr("The autoresponder needs the text of its reply."), true);
        m_autoText->setFocus();
        return false;
    }
    s.hours = messaging::WorkingHours{};
    for (int d = 0; d < 7; ++d) {
        if (!m_dayOpen[d]->isChecked())
            continue;
        if (m_dayStart[d]->time() >= m_dayEnd[d]->time()) {
            report(tr("%1: the working hours must end after they start.").arg(m_dayOpen[d]->text()), true);
            m_dayStart[d]->setFocus();
            return false;
        }
        s.hours.days[d] = messaging::WorkingHours::Span{m_dayStart[d]->time(), m_dayEnd[d]->time()};
    }
    for (const QString &line : m_holidays->toPlainText().split(u'\n', Qt::SkipEmptyParts)) {
        const QDate day = QDate::fromString(line.trimmed(), Qt::ISODate);
        if (!day.isValid()) {
            report(tr("\"%1\" is not a date (write it as 2026-12-25).").arg(line.trimmed()), true);
            m_holidays->setFocus();
            return false;
        }
        s.hours.holidays.append(day);
    }
    const QString sellerEmail = m_sellerEmail->text().trimmed();
    if ((m_notifyDownloaded->isChecked() || m_notifyDeadlines->isChecked()) && !sellerEmail.contains(u'@')) {
        report(tr("Give the seller's e-mail address for these notifications."), true);
        m_sellerEmail->setFocus();
        return false;
    }
    const QString confirmationUrl = m_confirmationUrl->text().trimmed();
    const QUrl confirmation(confirmationUrl, QUrl::StrictMode);
    if (!confirmationUrl.isEmpty() &&
        (!confirmation.isValid() || !confirmation.scheme().startsWith(u"http") || confirmation.host().isEmpty())) {
        report(tr("The confirmation link must be a web address such as https://sklep.example.pl/potwierdz."), true);
        m_confirmationUrl->setFocus();
        return false;
    }
    MessagingAccounts settings(m_db);
    const QList<QPair<const char *, QString>> values{
        {"notify.sms", m_notifySms->isChecked() ? u"1"_qs : u"0"_qs},
        {"invoice.mail", m_invoiceMail->isChecked() ? u"1"_qs : u"0"_qs},
        {"invoice.upload", m_invoiceUpload->isChecked() ? u"1"_qs : u"0"_qs},
        {"notify.downloaded", m_notifyDownloaded->isChecked() ? u"1"_qs : u"0"_qs},
        {"notify.deadlines", m_notifyDeadlines->isChecked() ? u"1"_qs : u"0"_qs},
        {"seller.email", sellerEmail},
        {"confirmation.url", confirmationUrl},
        {"deadline.paymentDays", QString::number(m_paymentDays->value())},
        {"deadline.dispatchDays", QString::number(m_dispatchDays->value())}};
    for (const auto &[name, value] : values)
        if (auto r = settings.setSetting(QString::fromLatin1(name), value); !r) {
            report(r.error().userMessage, true);
            return false;
        }
    if (auto r = Autoresponder::save(*m_db, s); !r) {
        report(r.error().userMessage, true);
        return false;
    }
    report(tr("Saved."), false);
    return true;
}

bool MessagingSettingsDialog::saveMailAccount()
{
    MailAccount a;
    a.name = m_mailName->text().trimmed();
    a.host = m_mailHost->text().trimmed();
    a.port = m_mailPort->value();
    a.security = MailAccount::securityFromKey(m_mailSecurity->currentData().toString())
                     .value_or(MailAccount::Security::StartTls);
    a.user = m_mailUser->text().trimmed();
    a.from = {m_mailFrom->text().trimmed(), m_mailFromName->text().trimmed()};
    a.marketplaceAccount = m_mailStore->text().trimmed();
    if (a.host.isEmpty() || !a.from.address.contains(u'@')) {
        report(tr("A mail account needs its server and a sender address."), true);
        (a.host.isEmpty() ? m_mailHost : m_mailFrom)->setFocus();
        return false;
    }
    if (!a.user.isEmpty() && !m_secrets) {
        report(tr("The secret store is not open: the password cannot be kept. Open it first (Accounts)."), true);
        return false;
    }
    const std::optional<QByteArray> password =
        a.user.isEmpty() ? std::nullopt : std::optional<QByteArray>(m_mailPassword->text().toUtf8());
    auto saved = MessagingAccounts(m_db).saveMail(a, password, m_secrets.get());
    if (!saved) {
        report(saved.error().userMessage, true);
        return false;
    }
    m_mailPassword->clear();
    loadMailAccounts();
    report(tr("Mail account %1 added.").arg(a.name.isEmpty() ? a.from.address : a.name), false);
    return true;
}

bool MessagingSettingsDialog::saveSmsAccount()
{
    SmsAccount a;
    a.name = m_smsName->text().trimmed();
    a.baseUrl = QUrl(m_smsUrl->text().trimmed());
    a.sender = m_smsSender->text().trimmed();
    if (!a.baseUrl.isValid() || a.baseUrl.scheme().isEmpty()) {
        report(tr("The gateway's address is not a URL."), true);
        m_smsUrl->setFocus();
        return false;
    }
    if (auto existing = MessagingAccounts(m_db).smsAccount(); existing && existing->has_value())
        a.id = (*existing)->id;
    const QString token = m_smsToken->text();
    if (!token.isEmpty() && !m_secrets) {
        report(tr("The secret store is not open: the password cannot be kept. Open it first (Accounts)."), true);
        return false;
    }
    auto saved = MessagingAccounts(m_db).saveSms(
        a, token.isEmpty() ? std::nullopt : std::optional<QByteArray>(token.toUtf8()), m_secrets.get());
    if (!saved) {
        report(saved.error().userMessage, true);
        return false;
    }
    m_smsToken->clear();
    report(tr("SMS gateway saved."), false);
    return true;
}

bool MessagingSettingsDialog::sendTestMail()
{
    const auto rows = m_mailAccounts->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        report(tr("Add a mail account first."), true);
        return false;
    }
    const QString to = m_testTo->text().trimmed();
    if (!to.contains(u'@')) {
        report(tr("Give the address to send the test e-mail to."), true);
        m_testTo->setFocus();
        return false;
    }
    const qint64 id = m_mailAccounts->item(rows.first().row(), 0)->data(Qt::UserRole).toLongLong();
    storage::OrderStore store(m_db);
    if (m_secrets)
        Outbox::setDefaultSecrets(m_secrets);
    auto sent = Outbox(store).sendTestMail(id, to);
    if (!sent) {
        report(tr("The test e-mail was not sent: %1").arg(sent.error().userMessage), true);
        return false;
    }
    report(tr("The test e-mail went to %1.").arg(to), false);
    return true;
}

} // namespace sd::ui
