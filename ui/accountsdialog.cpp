#include "accountsdialog.h"

#include "connectorcontroller.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

using Environment = marketplace::MarketplaceAccount::Environment;

QString environmentName(Environment environment)
{
    switch (environment) {
    case Environment::Production:
        return AccountsDialog::tr("Allegro");
    case Environment::Sandbox:
        return AccountsDialog::tr("Allegro Sandbox (tests)");
    case Environment::Training:
        return AccountsDialog::tr("Training marketplace");
    }
    return {};
}

// Why the details cannot make an account, or an empty string.
QString checkAccountInput(const QString &name, Environment environment, const QString &address, const QString &clientId,
                          QUrl *url)
{
    if (name.trimmed().isEmpty())
        return AccountsDialog::tr("Give the account a name, e.g. the shop's login.");
    if (name.trimmed().size() > 60)
        return AccountsDialog::tr("The name is too long (at most 60 characters).");
    if (environment == Environment::Training) {
        const QUrl parsed = QUrl::fromUserInput(address.trimmed());
        const QHostAddress host(parsed.host());
        if (!parsed.isValid() || parsed.scheme() != u"http"_qs || parsed.port() <= 0)
            return AccountsDialog::tr("Enter the training marketplace's address, e.g. http://127.0.0.1:8470.");
        if (!(parsed.host() == u"localhost"_qs || host.isLoopback()))
            return AccountsDialog::tr("The training marketplace runs on this computer: its address starts with "
                                      "http://127.0.0.1.");
        *url = parsed;
        return {};
    }
    if (clientId.trimmed().isEmpty())
        return AccountsDialog::tr("Enter the Client ID of your application registered at Allegro.");
    *url = marketplace::MarketplaceAccount::defaultApiUrl(environment);
    return {};
}

QTableWidgetItem *item(const QString &text)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return cell;
}

} // namespace

AccountsDialog::AccountsDialog(ConnectorController *controller, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
{
    setWindowTitle(tr("Marketplace accounts"));
    resize(900, 520);

    m_secretsBanner = new QLabel(this);
    m_secretsBanner->setWordWrap(true);
    m_secretsBanner->setStyleSheet(u"QLabel { background: #fff4e5; color: #663c00; padding: 6px; }"_qs);
    m_useFile = new QPushButton(tr("Keep sign-ins in an &encrypted file…"), this);
    auto *banner = new QHBoxLayout;
    banner->addWidget(m_secretsBanner, 1);
    banner->addWidget(m_useFile);

    m_table = new QTableWidget(0, 6, this);
    m_table->setHorizontalHeaderLabels(
        {tr("Name"), tr("Marketplace"), tr("Seller"), tr("State"), tr("Last download"), tr("Problem")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_add = new QPushButton(tr("&Add…"), this);
    m_connect = new QPushButton(tr("&Connect…"), this);
    m_rename = new QPushButton(tr("Re&name…"), this);
    m_interval = new QPushButton(tr("Download &every…"), this);
    m_disconnect = new QPushButton(tr("&Disconnect"), this);
    m_remove = new QPushButton(tr("&Remove…"), this);
    m_download = new QPushButton(tr("Download &now"), this);
    auto *buttons = new QVBoxLayout;
    for (QPushButton *button : {m_add, m_connect, m_rename, m_interval, m_disconnect, m_remove, m_download})
        buttons->addWidget(button);
    buttons->addStretch(1);

    auto *middle = new QHBoxLayout;
    middle->addWidget(m_table, 1);
    middle->addLayout(buttons);

    m_connectBox = new QGroupBox(tr("Connecting"), this);
    m_connectText = new QLabel(m_connectBox);
    m_connectText->setWordWrap(true);
    m_code = new QLabel(m_connectBox);
    QFont big = m_code->font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    big.setBold(true);
    big.setLetterSpacing(QFont::AbsoluteSpacing, 3);
    m_code->setFont(big);
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_link = new QLabel(m_connectBox);
    m_link->setOpenExternalLinks(true);
    m_link->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_openPage = new QPushButton(tr("&Open the page"), m_connectBox);
    m_copyCode = new QPushButton(tr("Co&py the code"), m_connectBox);
    m_cancelConnect = new QPushButton(tr("Cancel connecting"), m_connectBox);
    auto *codeRow = new QHBoxLayout;
    codeRow->addWidget(m_code);
    codeRow->addStretch(1);
    codeRow->addWidget(m_openPage);
    codeRow->addWidget(m_copyCode);
    codeRow->addWidget(m_cancelConnect);
    auto *connectLayout = new QVBoxLayout(m_connectBox);
    connectLayout->addWidget(m_connectText);
    connectLayout->addWidget(m_link);
    connectLayout->addLayout(codeRow);
    m_connectBox->hide();

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(banner);
    layout->addLayout(middle, 1);
    layout->addWidget(m_connectBox);
    layout->addWidget(m_message);
    layout->addWidget(close);

    connect(m_add, &QPushButton::clicked, this, &AccountsDialog::addClicked);
    connect(m_connect, &QPushButton::clicked, this, &AccountsDialog::connectClicked);
    connect(m_rename, &QPushButton::clicked, this, &AccountsDialog::renameClicked);
    connect(m_interval, &QPushButton::clicked, this, &AccountsDialog::intervalClicked);
    connect(m_disconnect, &QPushButton::clicked, this, [this] { disconnectCurrent(); });
    connect(m_remove, &QPushButton::clicked, this, &AccountsDialog::removeClicked);
    connect(m_download, &QPushButton::clicked, m_controller, &ConnectorController::downloadNow);
    connect(m_useFile, &QPushButton::clicked, this, &AccountsDialog::chooseEncryptedFile);
    connect(m_openPage, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(m_verificationComplete.isValid() ? m_verificationComplete : m_verification);
    });
    connect(m_copyCode, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_code->text()); });
    connect(m_cancelConnect, &QPushButton::clicked, this, &AccountsDialog::cancelConnecting);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &AccountsDialog::updateButtons);
    connect(&m_controller->accounts(), &marketplace::AccountStore::accountsChanged, this, &AccountsDialog::reload);
    connect(m_controller, &ConnectorController::secretsReady, this, &AccountsDialog::updateSecretsBanner);
    connect(m_controller, &ConnectorController::syncFinished, this, &AccountsDialog::reload);

    reload();
    updateSecretsBanner();
}

AccountsDialog::~AccountsDialog()
{
    cancelConnecting();
}

QString AccountsDialog::message() const
{
    return m_message->text();
}

QString AccountsDialog::userCode() const
{
    return m_code->text();
}

void AccountsDialog::report(const QString &text, bool problem)
{
    m_message->setText(text);
    m_message->setStyleSheet(problem ? u"QLabel { color: #b00020; }"_qs : QString());
}

void AccountsDialog::updateSecretsBanner()
{
    const bool missing = !m_controller->secrets();
    QString text;
    if (missing) {
        text = m_controller->secretsProblem().isEmpty()
                   ? tr("Looking for the system keychain…")
                   : m_controller->secretsProblem() + u' ' +
                         tr("Sign-ins can also be kept in a file encrypted with a passphrase you choose.");
    }
    m_secretsBanner->setText(text);
    m_secretsBanner->setVisible(missing);
    m_useFile->setVisible(missing && !m_controller->secretsProblem().isEmpty());
    updateButtons();
}

void AccountsDialog::reload()
{
    const qint64 keep = currentId();
    auto list = m_controller->accounts().list();
    if (!list) {
        report(list.error().userMessage, true);
        return;
    }
    m_accounts = *list;
    m_table->setRowCount(int(m_accounts.size()));
    for (int row = 0; row < m_accounts.size(); ++row) {
        const auto &account = m_accounts.at(row);
        m_table->setItem(row, 0, item(account.name));
        auto *where = item(environmentName(account.environment));
        where->setToolTip(account.apiBaseUrl.toString());
        m_table->setItem(row, 1, where);
        m_table->setItem(row, 2, item(account.sellerLogin));
        m_table->setItem(row, 3, item(account.connected ? tr("connected") : tr("not connected")));
        const QString last = account.lastSyncAt.isValid()
                                 ? QLocale().toString(account.lastSyncAt.toLocalTime(), QLocale::ShortFormat)
                                 : tr("never");
        m_table->setItem(row, 4, item(last + u" · " + tr("every %n min", nullptr, account.syncIntervalSeconds / 60)));
        auto *problem = item(account.lastError);
        problem->setForeground(QColor(0xb0, 0x00, 0x20));
        problem->setToolTip(account.lastError);
        m_table->setItem(row, 5, problem);
        if (account.id == keep)
            m_table->selectRow(row);
    }
    if (m_table->currentRow() < 0 && !m_accounts.isEmpty())
        m_table->selectRow(0);
    m_table->resizeColumnsToContents();
    updateButtons();
}

void AccountsDialog::updateButtons()
{
    const auto account = current();
    const bool ready = m_controller->secrets() != nullptr;
    const bool idle = !m_job;
    m_add->setEnabled(ready && idle);
    m_connect->setEnabled(ready && idle && account.has_value());
    m_connect->setText(account && account->connected ? tr("Re&connect…") : tr("&Connect…"));
    m_rename->setEnabled(account.has_value());
    m_interval->setEnabled(account.has_value());
    m_disconnect->setEnabled(ready && idle && account && account->connected);
    m_remove->setEnabled(ready && idle && account.has_value());
    m_download->setEnabled(
        ready && std::any_of(m_accounts.cbegin(), m_accounts.cend(), [](const auto &a) { return a.connected; }));
}

qint64 AccountsDialog::currentId() const
{
    const auto account = current();
    return account ? account->id : 0;
}

std::optional<marketplace::MarketplaceAccount> AccountsDialog::current() const
{
    const int row = m_table->currentRow();
    if (row < 0 || row >= m_accounts.size() || !m_table->selectionModel()->isRowSelected(row, {}))
        return std::nullopt;
    return m_accounts.at(row);
}

bool AccountsDialog::selectAccount(const QString &name)
{
    for (int row = 0; row < m_accounts.size(); ++row) {
        if (m_accounts.at(row).name == name) {
            m_table->selectRow(row);
            return true;
        }
    }
    return false;
}

bool AccountsDialog::addAccount(const QString &name, Environment environment, const QString &address,
                                const QString &clientId, const QByteArray &clientSecret, QString *problem)
{
    auto fail = [&](const QString &text) {
        report(text, true);
        if (problem)
            *problem = text;
        return false;
    };
    if (!m_controller->secrets())
        return fail(tr("Choose where sign-ins are kept first (see above)."));
    if (m_job)
        return fail(tr("Another account is being connected; finish or cancel that first."));
    QUrl url;
    if (const QString why = checkAccountInput(name, environment, address, clientId, &url); !why.isEmpty())
        return fail(why);
    for (const auto &existing : std::as_const(m_accounts)) {
        if (existing.name.compare(name.trimmed(), Qt::CaseInsensitive) == 0)
            return fail(tr("An account named “%1” already exists.").arg(existing.name));
    }
    marketplace::MarketplaceAccount account;
    account.name = name.trimmed();
    account.environment = environment;
    account.apiBaseUrl = url;
    account.authBaseUrl =
        environment == Environment::Training ? url : marketplace::MarketplaceAccount::defaultAuthUrl(environment);
    account.clientId = environment == Environment::Training && clientId.trimmed().isEmpty() ? u"sellerdesk-training"_qs
                                                                                            : clientId.trimmed();
    beginConnect(account, clientSecret.isEmpty() && environment == Environment::Training ? "training" : clientSecret);
    return true;
}

bool AccountsDialog::connectCurrent(const QByteArray &clientSecret, QString *problem)
{
    const auto account = current();
    if (!account || m_job || !m_controller->secrets()) {
        const QString text = !account ? tr("Choose an account first.") : tr("Connecting is not possible right now.");
        report(text, true);
        if (problem)
            *problem = text;
        return false;
    }
    beginConnect(*account, clientSecret);
    return true;
}

void AccountsDialog::beginConnect(const marketplace::MarketplaceAccount &account, const QByteArray &clientSecret)
{
    m_job = new ConnectJob(m_controller, account, clientSecret);
    m_job->setParent(this);
    m_verification = {};
    m_verificationComplete = {};
    m_code->clear();
    m_link->clear();
    m_openPage->setEnabled(false);
    m_copyCode->setEnabled(false);
    m_connectBox->setTitle(tr("Connecting “%1”").arg(account.name));
    m_connectText->setText(tr("Asking the marketplace for a confirmation code…"));
    m_connectBox->show();
    report({}, false);
    connect(m_job, &ConnectJob::authorizationReady, this,
            [this](const QString &code, const QUrl &uri, const QUrl &complete, const QDateTime &expiresAt) {
                m_verification = uri;
                m_verificationComplete = complete;
                m_code->setText(code);
                m_link->setText(u"<a href=\"%1\">%2</a>"_qs.arg(
                    (complete.isValid() ? complete : uri).toString(QUrl::FullyEncoded).toHtmlEscaped(),
                    uri.toString().toHtmlEscaped()));
                m_openPage->setEnabled(true);
                m_copyCode->setEnabled(true);
                m_connectText->setText(
                    tr("Open the page below, sign in to the marketplace and confirm the code. SellerDesk waits "
                       "for your confirmation until %1.")
                        .arg(QLocale().toString(expiresAt.toLocalTime().time(), QLocale::ShortFormat)));
            });
    connect(m_job, &ConnectJob::connected, this, [this](const QString &seller) {
        endConnect(true, tr("Connected as %1. Orders download in the background.").arg(seller));
    });
    connect(m_job, &ConnectJob::failed, this, [this](const QString &reason) { endConnect(false, reason); });
    updateButtons();
    m_job->run();
}

void AccountsDialog::endConnect(bool ok, const QString &text)
{
    if (m_job) {
        m_job->deleteLater();
        m_job = nullptr;
    }
    m_connectBox->hide();
    reload();
    report(text, !ok);
    if (ok)
        m_controller->downloadNow();
    emit connectFinished(ok);
}

void AccountsDialog::cancelConnecting()
{
    if (!m_job)
        return;
    ConnectJob *job = m_job;
    m_job = nullptr;
    job->disconnect(this);
    delete job; // cancels and waits for the polling thread
    m_connectBox->hide();
    report(tr("Connecting was cancelled."), false);
    updateButtons();
}

bool AccountsDialog::renameCurrent(const QString &name, QString *problem)
{
    const qint64 id = currentId();
    auto renamed = id ? m_controller->accounts().rename(id, name.trimmed())
                      : Result<void>(makeError(Error::Code::Invalid, tr("Choose an account first.")));
    if (!renamed) {
        report(renamed.error().userMessage, true);
        if (problem)
            *problem = renamed.error().userMessage;
        return false;
    }
    report(tr("Renamed to “%1”.").arg(name.trimmed()), false);
    return true;
}

bool AccountsDialog::setCurrentInterval(int minutes, QString *problem)
{
    const qint64 id = currentId();
    auto set = id ? m_controller->accounts().setSyncInterval(id, minutes * 60)
                  : Result<void>(makeError(Error::Code::Invalid, tr("Choose an account first.")));
    if (!set) {
        report(set.error().userMessage, true);
        if (problem)
            *problem = set.error().userMessage;
        return false;
    }
    report(tr("Orders of this account are downloaded every %n minute(s).", nullptr, minutes), false);
    return true;
}

bool AccountsDialog::disconnectCurrent(QString *problem)
{
    const qint64 id = currentId();
    auto done = id ? m_controller->accounts().disconnect(id, m_controller->secrets().get())
                   : Result<void>(makeError(Error::Code::Invalid, tr("Choose an account first.")));
    if (!done) {
        report(done.error().userMessage, true);
        if (problem)
            *problem = done.error().userMessage;
        return false;
    }
    report(tr("Disconnected. The orders already downloaded stay; connect again to resume downloading."), false);
    return true;
}

bool AccountsDialog::removeCurrent(QString *problem)
{
    const qint64 id = currentId();
    auto done = id ? m_controller->accounts().remove(id, m_controller->secrets().get())
                   : Result<void>(makeError(Error::Code::Invalid, tr("Choose an account first.")));
    if (!done) {
        report(done.error().userMessage, true);
        if (problem)
            *problem = done.error().userMessage;
        return false;
    }
    report(tr("The account was removed. Its orders stay in SellerDesk."), false);
    return true;
}

void AccountsDialog::addClicked()
{
    AddAccountDialog dialog(this);
    while (dialog.exec() == QDialog::Accepted) {
        QString problem;
        if (addAccount(dialog.name(), dialog.environment(), dialog.address(), dialog.clientId(), dialog.clientSecret(),
                       &problem))
            return;
        dialog.setProblem(problem); // the form stays filled
    }
}

void AccountsDialog::connectClicked()
{
    const auto account = current();
    if (!account)
        return;
    QByteArray secret = "training";
    if (account->environment != Environment::Training) {
        bool ok = false;
        secret = QInputDialog::getText(this, tr("Connect “%1”").arg(account->name),
                                       tr("Client Secret of your application registered at Allegro:"),
                                       QLineEdit::Password, {}, &ok)
                     .toUtf8();
        if (!ok)
            return;
    }
    connectCurrent(secret);
}

void AccountsDialog::renameClicked()
{
    const auto account = current();
    if (!account)
        return;
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Rename account"), tr("New name:"), QLineEdit::Normal, account->name, &ok);
    if (ok)
        renameCurrent(name);
}

void AccountsDialog::intervalClicked()
{
    const auto account = current();
    if (!account)
        return;
    bool ok = false;
    const int minutes = QInputDialog::getInt(this, tr("Download interval"), tr("Download new orders every (minutes):"),
                                             qMax(1, account->syncIntervalSeconds / 60), 1, 24 * 60, 1, &ok);
    if (ok)
        setCurrentInterval(minutes);
}

void AccountsDialog::removeClicked()
{
    const auto account = current();
    if (!account)
        return;
    if (QMessageBox::question(this, tr("Remove account"),
                              tr("Remove “%1”? Its orders stay in SellerDesk; downloading stops and the sign-in "
                                 "is forgotten.")
                                  .arg(account->name)) == QMessageBox::Yes)
        removeCurrent();
}

void AccountsDialog::chooseEncryptedFile()
{
    bool ok = false;
    const QString first = QInputDialog::getText(
        this, tr("Encrypted file for sign-ins"),
        tr("Choose a passphrase (at least 8 characters). SellerDesk asks for it at every start and cannot recover "
           "it."),
        QLineEdit::Password, {}, &ok);
    if (!ok)
        return;
    const QString second = QInputDialog::getText(this, tr("Encrypted file for sign-ins"),
                                                 tr("Type the passphrase again:"), QLineEdit::Password, {}, &ok);
    if (!ok)
        return;
    if (first != second) {
        report(tr("The two passphrases differ; nothing was changed."), true);
        return;
    }
    QString problem;
    if (!m_controller->useEncryptedFile(first.toUtf8(), &problem)) {
        report(problem, true);
        return;
    }
    report(tr("Sign-ins are kept in %1, encrypted with your passphrase.").arg(ConnectorController::encryptedFilePath()),
           false);
    updateSecretsBanner();
}

AddAccountDialog::AddAccountDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Add a marketplace account"));
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("e.g. the shop's Allegro login"));
    m_environment = new QComboBox(this);
    for (Environment environment : {Environment::Production, Environment::Sandbox, Environment::Training})
        m_environment->addItem(environmentName(environment), int(environment));
    m_address = new QLineEdit(u"http://127.0.0.1:8470"_qs, this);
    m_addressLabel = new QLabel(tr("&Address:"), this);
    m_addressLabel->setBuddy(m_address);
    m_clientId = new QLineEdit(this);
    m_clientSecret = new QLineEdit(this);
    m_clientSecret->setEchoMode(QLineEdit::Password);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(u"QLabel { color: #b00020; }"_qs);
    m_problem->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Marketplace:"), m_environment);
    form->addRow(m_addressLabel, m_address);
    form->addRow(tr("Client &ID:"), m_clientId);
    form->addRow(tr("Client &Secret:"), m_clientSecret);
    auto *hint = new QLabel(tr("After “Add” SellerDesk shows a page address and a code: open the page, sign in to "
                               "the marketplace and confirm the code. Passwords are never typed into SellerDesk."),
                            this);
    hint->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Add and connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    connect(m_environment, &QComboBox::currentIndexChanged, this, &AddAccountDialog::environmentChanged);
    environmentChanged();
}

void AddAccountDialog::environmentChanged()
{
    const bool training = environment() == Environment::Training;
    m_address->setVisible(training);
    m_addressLabel->setVisible(training);
    m_clientId->setPlaceholderText(training ? tr("any value works for training") : QString());
    m_clientSecret->setPlaceholderText(training ? tr("any value works for training") : QString());
}

QString AddAccountDialog::name() const
{
    return m_name->text();
}

Environment AddAccountDialog::environment() const
{
    return Environment(m_environment->currentData().toInt());
}

QString AddAccountDialog::address() const
{
    return m_address->text();
}

QString AddAccountDialog::clientId() const
{
    return m_clientId->text();
}

QByteArray AddAccountDialog::clientSecret() const
{
    return m_clientSecret->text().toUtf8();
}

void AddAccountDialog::setProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

} // namespace sd::ui
