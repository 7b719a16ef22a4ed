#include "allegro.h"

#include "cli.h"
#include "console.h"
#include "documents/documentservice.h"
#include "inventory/invoicestockgate.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegrosync.h"
#include "security/secretstore.h"

#include <QCoreApplication>
#include <QTextStream>

namespace sd::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

// "--name value" options of one subcommand; a problem text when the words do not fit.
bool parseOptions(const QStringList &words, const QStringList &names, QHash<QString, QString> *values, QString *problem)
{
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString name = words.at(i).startsWith(u"--") ? words.at(i).mid(2) : QString();
        if (!names.contains(name)) {
            *problem = tr("unknown option %1").arg(words.at(i));
            return false;
        }
        if (i + 1 >= words.size()) {
            *problem = tr("the option --%1 needs a value").arg(name);
            return false;
        }
        values->insert(name, words.at(++i));
    }
    return true;
}

int connect(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    QHash<QString, QString> options;
    QString problem;
    if (!parseOptions(words, {u"url"_qs, u"name"_qs, u"client-id"_qs, u"environment"_qs}, &options, &problem))
        return usage(problem);
    if (!options.contains(u"url"_qs))
        return usage(tr("allegro connect needs --url URL"));
    const QUrl url = QUrl::fromUserInput(options.value(u"url"_qs));
    if (!url.isValid() || url.scheme().isEmpty())
        return usage(tr("--url is not a valid address"));
    marketplace::MarketplaceAccount account;
    account.name =
        options.value(u"name"_qs, url.host() + (url.port() > 0 ? u':' + QString::number(url.port()) : QString()));
    account.clientId = options.value(u"client-id"_qs, u"sellerdesk"_qs);
    const QString environment = options.value(u"environment"_qs);
    if (!environment.isEmpty()) {
        auto env = marketplace::MarketplaceAccount::environmentFromKey(environment);
        if (!env)
            return usage(tr("--environment must be production, sandbox or training"));
        account.environment = *env;
    } else {
        const bool allegroHost = url.host().endsWith(u"allegro.pl") || url.host().endsWith(u"allegrosandbox.pl");
        account.environment = !allegroHost ? marketplace::MarketplaceAccount::Environment::Training
                              : url.host().endsWith(u"allegrosandbox.pl")
                                  ? marketplace::MarketplaceAccount::Environment::Sandbox
                                  : marketplace::MarketplaceAccount::Environment::Production;
    }
    if (account.environment == marketplace::MarketplaceAccount::Environment::Training) {
        account.apiBaseUrl = url;
        account.authBaseUrl = url;
    } else {
        account.apiBaseUrl = marketplace::MarketplaceAccount::defaultApiUrl(account.environment);
        account.authBaseUrl = marketplace::MarketplaceAccount::defaultAuthUrl(account.environment);
    }
    auto secrets = openSecrets(profileDir);
    if (!secrets)
        return fail(secrets.error());
    marketplace::allegro::AccountConnector connector(db, *secrets);
    auto authorization = connector.start(account, qgetenv("SD_ALLEGRO_CLIENT_SECRET"));
    if (!authorization)
        return fail(authorization.error());
    out() << tr("Open %1 and enter the code %2").arg(authorization->verificationUri.toString(), authorization->userCode)
          << Qt::endl;
    if (authorization->verificationUriComplete.isValid())
        out() << tr("or open %1").arg(authorization->verificationUriComplete.toString()) << Qt::endl;
    out() << tr("Waiting for the approval…") << Qt::endl;
    auto connected = connector.finish();
    if (!connected)
        return fail(connected.error());
    out() << tr("Connected the account %1 (%2).")
                 .arg(connected->name, connected->sellerLogin.isEmpty() ? connected->sellerId : connected->sellerLogin)
          << Qt::endl;
    return kOk;
}

int sync(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    QHash<QString, QString> options;
    QString problem;
    if (!parseOptions(words, {u"account"_qs}, &options, &problem))
        return usage(problem);
    marketplace::AccountStore accounts(db);
    auto list = accounts.list();
    if (!list)
        return fail(list.error());
    QList<marketplace::MarketplaceAccount> chosen;
    for (const auto &account : *list) {
        if (options.contains(u"account"_qs) ? account.name == options.value(u"account"_qs) : account.connected)
            chosen.append(account);
    }
    if (chosen.isEmpty())
        return fail(
            makeError(Error::Code::NotFound,
                      options.contains(u"account"_qs)
                          ? tr("There is no account called %1.").arg(options.value(u"account"_qs))
                          : tr("No Allegro account is connected. Use: sellerdesk-cli allegro connect --url URL")));
    auto secrets = openSecrets(profileDir);
    if (!secrets)
        return fail(secrets.error());
    marketplace::allegro::AllegroSync syncer(db, *secrets);
    int exit = kOk;
    for (const auto &account : chosen) {
        auto report = syncer.syncAccount(account.id);
        if (!report) {
            exit = kFailure;
            fail(report.error());
            continue;
        }
        out() << tr("%1: new: %2, updated: %3, unchanged: %4, rejected: %5")
                     .arg(account.name)
                     .arg(report->created)
                     .arg(report->updated)
                     .arg(report->unchanged)
                     .arg(report->rejected.size())
              << Qt::endl;
        for (const auto &rejection : report->rejected)
            err() << tr("rejected %1: %2").arg(rejection.orderId, rejection.reason) << Qt::endl;
        for (const QString &error : report->errors) {
            err() << "sellerdesk-cli: " << tr("error:") << u' ' << error << Qt::endl;
            exit = kFailure;
        }
    }
    // D1: invoices for the downloaded orders, when automatic invoicing is on (it reports nothing otherwise).
    storage::OrderStore orders(db);
    auto invoiced = inventory::autoInvoiceDownloaded(orders);
    if (!invoiced)
        return fail(invoiced.error());
    if (invoiced->issued + invoiced->flagged + invoiced->failed > 0)
        out() << tr("invoices: %1 issued, %2 left for manual invoicing, %3 failed")
                     .arg(invoiced->issued)
                     .arg(invoiced->flagged)
                     .arg(invoiced->failed)
              << Qt::endl;
    return exit;
}

int accountsList(const std::shared_ptr<storage::Database> &db)
{
    marketplace::AccountStore accounts(db);
    auto list = accounts.list();
    if (!list)
        return fail(list.error());
    for (const auto &a : *list) {
        out() << a.name << u'\t' << marketplace::MarketplaceAccount::environmentKey(a.environment) << u'\t'
              << a.apiBaseUrl.toString() << u'\t' << (a.connected ? tr("connected") : tr("not connected")) << u'\t'
              << (a.lastSyncAt.isValid() ? a.lastSyncAt.toLocalTime().toString(Qt::ISODate) : tr("never synced"))
              << u'\t' << a.lastError << Qt::endl;
    }
    return kOk;
}

} // namespace

// The keychain when this machine has one; otherwise the encrypted file, but only with a passphrase from
// SD_SECRET_PASSPHRASE (the user's explicit choice). SD_SECRET_STORE=file skips the keychain.
Result<std::shared_ptr<security::SecretStore>> openSecrets(const QString &profileDir)
{
    const auto choice = security::SecretStore::Choice::fromEnvironment(profileDir);
    if (choice.preferFile && choice.passphrase.isEmpty())
        return makeError(Error::Code::Invalid,
                         tr("The encrypted secret file needs a passphrase: set SD_SECRET_PASSPHRASE."));
    return security::SecretStore::open(choice);
}

int allegro(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const QString sub = words.value(0);
    if (sub == u"connect")
        return connect(db, profileDir, words.mid(1));
    if (sub == u"sync")
        return sync(db, profileDir, words.mid(1));
    if (sub == u"accounts")
        return accountsList(db);
    return usage(tr("allegro needs a subcommand: connect, sync or accounts"));
}

} // namespace sd::cli
