#include "access/selftest.h"

#include "devices/printing/printerrouting.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/tokenkeeper.h"
#include "marketplace/allegro/tokenset.h"
#include "security/secretstore.h"
#include "storage/migrations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QUuid>

namespace sd::access {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::access", text);
}

SelfTestLine databaseLine(const std::shared_ptr<storage::Database> &db)
{
    SelfTestLine line{tr("Database %1").arg(db->describe()), false, {}};
    const int version = db->schemaVersion();
    if (version < 0)
        line.detail = tr("not reachable");
    else if (version != storage::latestSchemaVersion())
        line.detail = tr("schema %1, expected %2").arg(version).arg(storage::latestSchemaVersion());
    else {
        line.ok = true;
        line.detail = tr("schema %1").arg(version);
    }
    return line;
}

SelfTestLine integrityLine(const std::shared_ptr<storage::Database> &db)
{
    SelfTestLine line{tr("Database integrity"), false, {}};
    QSqlQuery q(db->connection());
    if (!q.exec(u"PRAGMA quick_check"_qs) || !q.next())
        line.detail = tr("the check could not run");
    else if (q.value(0).toString() != u"ok")
        line.detail = tr("damaged: %1").arg(q.value(0).toString());
    else
        line.ok = true;
    return line;
}

SelfTestLine secretsLine(std::shared_ptr<security::SecretStore> &store, const QString &profileDir)
{
    SelfTestLine line{tr("Keychain"), false, {}};
    auto opened = security::SecretStore::open(security::SecretStore::Choice::fromEnvironment(profileDir));
    if (!opened) {
        line.detail = opened.error().userMessage;
        return line;
    }
    store = *opened;
    // A round trip of a throwaway value, removed again.
    const QString key = u"selftest/"_qs + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray value = QUuid::createUuid().toByteArray();
    auto written = store->write(key, value);
    auto read = written ? store->read(key) : Result<std::optional<QByteArray>>(written.error());
    auto removed = store->remove(key);
    if (!read)
        line.detail = read.error().userMessage;
    else if (!read->has_value() || **read != value)
        line.detail = tr("a value written could not be read back");
    else if (!removed)
        line.detail = removed.error().userMessage;
    else {
        line.ok = true;
        line.detail =
            store->kind() == security::SecretStore::Kind::Keychain ? tr("system keychain") : tr("encrypted file");
    }
    return line;
}

SelfTestLine printerLine(devices::printing::PrinterRouting::Role role)
{
    using devices::printing::PrinterAddress;
    SelfTestLine line{tr("Printer: %1").arg(devices::printing::PrinterRouting::roleName(role)), true, {}};
    const auto printer = devices::printing::PrinterRouting::printer(role);
    if (!printer) {
        line.detail = tr("not set up");
        return line;
    }
    line.what += u" ("_qs + printer->toString() + u')';
    switch (printer->kind) {
    case PrinterAddress::Kind::Tcp: {
        QTcpSocket socket;
        socket.connectToHost(printer->host, printer->port);
        if (!socket.waitForConnected(3000)) {
            line.ok = false;
            line.detail = tr("not reachable: %1").arg(socket.errorString());
        }
        socket.abort();
        break;
    }
    case PrinterAddress::Kind::Cups: {
        QProcess lpstat;
        lpstat.start(u"lpstat"_qs, {u"-p"_qs, printer->queue});
        if (!lpstat.waitForFinished(5000) || lpstat.exitStatus() != QProcess::NormalExit || lpstat.exitCode() != 0) {
            line.ok = false;
            line.detail = tr("CUPS does not know the queue %1 or is not running").arg(printer->queue);
        }
        break;
    }
    case PrinterAddress::Kind::PdfFile: {
        const QFileInfo dir(QFileInfo(printer->path).absolutePath());
        if (!dir.isDir() || !dir.isWritable()) {
            line.ok = false;
            line.detail = tr("the folder %1 cannot be written").arg(dir.absoluteFilePath());
        }
        break;
    }
    }
    return line;
}

QList<SelfTestLine> accountLines(const std::shared_ptr<storage::Database> &db,
                                 const std::shared_ptr<security::SecretStore> &secrets)
{
    QList<SelfTestLine> lines;
    marketplace::AccountStore accounts(db);
    auto list = accounts.list();
    if (!list) {
        lines.append({tr("Marketplace accounts"), false, list.error().userMessage});
        return lines;
    }
    for (const auto &account : *list) {
        SelfTestLine line{tr("Marketplace account %1").arg(account.name), false, {}};
        if (!account.connected) {
            line.detail = tr("not connected");
        } else if (!secrets) {
            line.detail = tr("the keychain is not usable, so its tokens cannot be read");
        } else {
            auto stored = secrets->read(marketplace::allegro::TokenKeeper::tokenKey(account.secretRef));
            const auto tokens =
                stored && stored->has_value() ? marketplace::allegro::TokenSet::fromJson(**stored) : std::nullopt;
            if (!stored)
                line.detail = stored.error().userMessage;
            else if (!tokens || !tokens->isValid())
                line.detail = tr("no token stored; connect the account again");
            else if (tokens->expiresWithin(0) && tokens->refreshToken.isEmpty())
                line.detail = tr("the token expired and cannot be refreshed; connect the account again");
            else {
                line.ok = true;
                line.detail = tokens->expiresWithin(0) ? tr("token expired, will be refreshed") : tr("token valid");
            }
        }
        lines.append(line);
    }
    return lines;
}

} // namespace

QList<SelfTestLine> runSelfTest(const std::shared_ptr<storage::Database> &db, const QString &profileDir)
{
    QList<SelfTestLine> lines;
    lines.append(databaseLine(db));
    if (!db->isPostgres())
        lines.append(integrityLine(db));
    std::shared_ptr<security::SecretStore> secrets;
    lines.append(secretsLine(secrets, profileDir));
    using Role = devices::printing::PrinterRouting::Role;
    for (Role role : {Role::Document, Role::Label, Role::Fiscal})
        lines.append(printerLine(role));
    lines.append(accountLines(db, secrets));
    return lines;
}

} // namespace sd::access
