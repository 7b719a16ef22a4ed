#include "traininglauncher.h"

#include "connectorcontroller.h"
#include "devices/printing/printerrouting.h"
#include "util/logging.h"
#include "util/trainingmode.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QTcpSocket>

namespace sd::ui {

namespace {

constexpr int kStartTimeoutMs = 20000;

bool isTrainingAccount(const marketplace::MarketplaceAccount &account)
{
    return account.environment == marketplace::MarketplaceAccount::Environment::Training &&
           sd::training::isLoopback(account.apiBaseUrl) && account.apiBaseUrl.port() > 0;
}

} // namespace

TrainingLauncher::TrainingLauncher(QString profileDir, QObject *parent)
    : QObject(parent)
    , m_profileDir(std::move(profileDir))
    , m_cli(QCoreApplication::applicationDirPath() + u"/sellerdesk-cli"_qs)
{}

TrainingLauncher::~TrainingLauncher()
{
    for (QProcess *child : std::as_const(m_children)) {
        child->disconnect(this);
        child->terminate(); // the training marketplace saves its state on SIGTERM
        if (!child->waitForFinished(5000))
            child->kill();
        child->waitForFinished(1000);
    }
}

bool TrainingLauncher::answers(const QUrl &url)
{
    QTcpSocket socket;
    socket.connectToHost(url.host() == u"localhost" ? u"127.0.0.1"_qs : url.host(), quint16(url.port()));
    return socket.waitForConnected(500);
}

int TrainingLauncher::running() const
{
    int n = 0;
    for (const QProcess *child : m_children)
        n += child->state() != QProcess::NotRunning;
    return n;
}

void TrainingLauncher::ensure(ConnectorController *connector)
{
    m_connector = connector;
    if (!sd::training::active() || !connector)
        return;
    auto accounts = connector->accounts().list();
    if (!accounts) {
        Q_EMIT problem(accounts.error().userMessage);
        return;
    }
    for (const marketplace::MarketplaceAccount &account : std::as_const(*accounts))
        if (isTrainingAccount(account) && !m_children.contains(account.apiBaseUrl.port()) &&
            !answers(account.apiBaseUrl))
            startMarketplace(account.apiBaseUrl);
    const QUrl fiscal(devices::printing::PrinterRouting::text(devices::printing::PrinterRouting::Role::Fiscal));
    if (fiscal.scheme() == u"tcp" && sd::training::isLoopback(fiscal) && fiscal.port() > 0 &&
        !m_children.contains(fiscal.port()) && !answers(fiscal))
        startFiscalSimulator(fiscal);
    connectAccounts();
}

QProcess *TrainingLauncher::startChild(const QStringList &arguments, const QString &logName)
{
    auto *child = new QProcess(this);
    child->setProgram(m_cli);
    child->setArguments(arguments);
    child->setStandardErrorFile(QDir(m_profileDir).filePath(logName), QIODevice::Append);
    child->start();
    return child;
}

void TrainingLauncher::startMarketplace(const QUrl &url)
{
    QDir().mkpath(m_profileDir);
    QProcess *child = startChild({u"training"_qs, u"serve"_qs, u"--port"_qs, QString::number(url.port()), u"--state"_qs,
                                  QDir(m_profileDir).filePath(u"training-shop.json"_qs), u"--orders"_qs, u"20"_qs,
                                  u"--rate"_qs, u"2"_qs, u"--auto-approve"_qs},
                                 u"training-marketplace.log"_qs);
    m_children.insert(url.port(), child);
    // `training serve` prints its address on the first line when it listens.
    connect(child, &QProcess::readyReadStandardOutput, this, [this, child] {
        if (child->property("listening").toBool()) {
            child->readAllStandardOutput(); // only the first line says anything
            return;
        }
        if (!child->canReadLine())
            return;
        const QUrl address(QString::fromUtf8(child->readLine()).trimmed());
        child->setProperty("listening", true);
        qCInfo(lcAllegro).noquote() << "training marketplace started at" << address.toString();
        Q_EMIT marketplaceStarted(address);
        connectAccounts();
    });
    connect(child, &QProcess::errorOccurred, this, [this, url](QProcess::ProcessError) {
        Q_EMIT problem(tr("The training marketplace could not be started on %1 (see training-marketplace.log in the "
                          "profile folder).")
                           .arg(url.authority()));
    });
}

void TrainingLauncher::startFiscalSimulator(const QUrl &url)
{
    QProcess *child = startChild({u"fiscal"_qs, u"simulate"_qs, u"--port"_qs, QString::number(url.port()),
                                  u"--journal"_qs, QDir(m_profileDir).filePath(u"fiscal-journal.json"_qs)},
                                 u"fiscal-simulator.log"_qs);
    m_children.insert(url.port(), child);
    connect(child, &QProcess::errorOccurred, this, [this, url](QProcess::ProcessError) {
        Q_EMIT problem(tr("The fiscal printer simulator could not be started on %1.").arg(url.authority()));
    });
}

void TrainingLauncher::connectAccounts()
{
    ConnectorController *connector = m_connector;
    if (!connector)
        return;
    if (!connector->secrets()) { // the keychain answers later: try again then
        connect(connector, &ConnectorController::secretsReady, this, &TrainingLauncher::connectAccounts,
                Qt::UniqueConnection);
        return;
    }
    auto accounts = connector->accounts().list();
    if (!accounts)
        return;
    for (marketplace::MarketplaceAccount account : std::as_const(*accounts)) {
        if (!isTrainingAccount(account) || account.connected || m_connecting.value(account.id))
            continue;
        const QProcess *child = m_children.value(account.apiBaseUrl.port());
        if (child ? !child->property("listening").toBool() : !answers(account.apiBaseUrl))
            continue; // not up yet (its first line brings us back) or not ours and away
        if (account.authBaseUrl.isEmpty())
            account.authBaseUrl = account.apiBaseUrl;
        m_connecting.insert(account.id, true);
        auto *job = new ConnectJob(connector, account, "training");
        const qint64 id = account.id;
        const QString name = account.name;
        connect(job, &ConnectJob::connected, this, [this, job, id, name, connector] {
            m_connecting.remove(id);
            job->deleteLater();
            Q_EMIT accountConnected(name);
            if (connector)
                connector->downloadNow();
        });
        connect(job, &ConnectJob::failed, this, [this, job, id](const QString &reason) {
            m_connecting.remove(id);
            job->deleteLater();
            Q_EMIT problem(reason);
        });
        job->run();
    }
}

} // namespace sd::ui
