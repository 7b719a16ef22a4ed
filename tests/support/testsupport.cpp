#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrl>

namespace sd::test {

QString postgresBaseUrl()
{
    return qEnvironmentVariable("SD_TEST_POSTGRES_URL");
}

bool inCi()
{
    return !qEnvironmentVariable("CI").isEmpty();
}

Result<QString> freshPostgresDatabase(const QString &name)
{
    const QUrl base(postgresBaseUrl());
    if (base.isEmpty())
        return makeError(Error::Code::Invalid, u"no PostgreSQL test server"_qs);
    const QString connection = u"sd-test-admin-"_qs + name;
    QString problem;
    {
        QSqlDatabase admin = QSqlDatabase::addDatabase(u"QPSQL"_qs, connection);
        admin.setHostName(base.host());
        admin.setPort(base.port(5432));
        admin.setUserName(base.userName());
        admin.setPassword(base.password());
        admin.setDatabaseName(base.path().mid(1));
        if (!admin.open()) {
            problem = admin.lastError().text();
        } else {
            QSqlQuery query(admin);
            if (!query.exec(u"DROP DATABASE IF EXISTS "_qs + name + u" WITH (FORCE)"_qs) ||
                !query.exec(u"CREATE DATABASE "_qs + name))
                problem = query.lastError().text();
            admin.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    if (!problem.isEmpty())
        return makeError(Error::Code::Storage, u"cannot create the test database "_qs + name, problem);
    QUrl url = base;
    url.setPath(u"/"_qs + name);
    return url.toString();
}

Result<TempDatabase> openFresh(const QString &engine, const QString &name)
{
    TempDatabase result;
    if (engine == u"postgres") {
        auto url = freshPostgresDatabase(name);
        if (!url)
            return url.error();
        auto db = storage::Database::openUrl(*url);
        if (!db)
            return db.error();
        result.db = *db;
        result.path = *url;
        return result;
    }
    auto dir = std::make_shared<QTemporaryDir>();
    if (!dir->isValid())
        return makeError(Error::Code::Io, u"no temporary folder"_qs);
    result.path = dir->filePath(u"sellerdesk.sqlite"_qs);
    auto db = storage::Database::openProfile(dir->path());
    if (!db)
        return db.error();
    result.db = *db;
    result.keep = dir;
    return result;
}

CliRun runCli(const QStringList &arguments, const QString &language)
{
    CliRun run;
    QProcess process;
    if (!language.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"LANG"_qs, language);
        env.insert(u"LC_ALL"_qs, language);
        env.insert(u"LANGUAGE"_qs, language);
        process.setProcessEnvironment(env);
    }
    const QString program = qEnvironmentVariable("SD_CLI");
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        run.err = u"cannot start "_qs + program;
        return run;
    }
    process.closeWriteChannel();
    process.waitForFinished(120000);
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

domain::Order sampleOrder(const QString &externalId)
{
    using domain::Money;
    domain::Order order;
    order.marketplace = u"allegro-pl"_qs;
    order.account = u"test-seller"_qs;
    order.externalId = externalId;
    order.revision = u"r1"_qs;
    order.marketplaceStatus = u"READY_FOR_PROCESSING"_qs;
    order.buyer.login = u"ania_test"_qs;
    order.buyer.email = u"ania@example.com"_qs;
    order.buyer.firstName = u"Anna"_qs;
    order.buyer.lastName = u"Wiśniewska"_qs;
    order.delivery.methodName = u"Allegro Kurier DPD"_qs;
    order.delivery.address = {u"Anna"_qs,   u"Wiśniewska"_qs, {},       u"Długa 1"_qs,
                              u"Gdańsk"_qs, u"80-001"_qs,     u"PL"_qs, {}};
    order.delivery.cost = Money(1299, u"PLN"_qs);
    order.payment.method = u"ONLINE"_qs;
    order.payment.status = domain::PaymentStatus::Paid;
    order.payment.paidAmount = Money(11297, u"PLN"_qs);
    domain::LineItem kettle;
    kettle.name = u"Czajnik elektryczny"_qs;
    kettle.sku = u"CZ-1"_qs;
    kettle.quantity = 2;
    kettle.unitPrice = Money(4999, u"PLN"_qs);
    kettle.originalPrice = kettle.unitPrice;
    order.items.append(kettle);
    order.total = order.computedTotal();
    order.createdAt = QDateTime(QDate(2026, 11, 20), QTime(10, 0), Qt::UTC);
    return order;
}

void addEngineRows()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("sqlite") << u"sqlite"_qs;
    QTest::newRow("postgres") << u"postgres"_qs;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QJsonObject readJsonObject(const QString &path)
{
    return QJsonDocument::fromJson(readFile(path)).object();
}

QString pdfText(const QByteArray &pdf)
{
    QTemporaryDir dir;
    QFile file(dir.filePath(u"doc.pdf"_qs));
    if (!file.open(QIODevice::WriteOnly) || file.write(pdf) != pdf.size())
        return {};
    file.close();
    QProcess p;
    p.start(u"pdftotext"_qs, {u"-raw"_qs, file.fileName(), u"-"_qs});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).simplified();
}

Result<QStringList> decodePdfBarcodes(const QByteArray &pdf)
{
    QTemporaryDir dir;
    const QString source = dir.filePath(u"label.pdf"_qs);
    QFile file(source);
    if (!file.open(QIODevice::WriteOnly) || file.write(pdf) != pdf.size())
        return makeError(Error::Code::Io, u"cannot write "_qs + source);
    file.close();
    QProcess render;
    render.start(u"pdftoppm"_qs, {u"-r"_qs, u"300"_qs, u"-gray"_qs, u"-png"_qs, source, dir.filePath(u"page"_qs)});
    if (!render.waitForFinished(60000) || render.exitCode() != 0)
        return makeError(Error::Code::Io,
                         u"pdftoppm failed: "_qs + QString::fromLocal8Bit(render.readAllStandardError()));
    QStringList pages = QDir(dir.path()).entryList({u"page*.png"_qs}, QDir::Files, QDir::Name);
    if (pages.isEmpty())
        return makeError(Error::Code::Io, u"pdftoppm made no page"_qs);
    QStringList codes;
    for (const QString &page : pages) {
        QProcess zbar;
        zbar.start(u"zbarimg"_qs, {u"--raw"_qs, u"-q"_qs, dir.filePath(page)});
        if (!zbar.waitForFinished(60000))
            return makeError(Error::Code::Io, u"zbarimg did not finish (is zbar-tools installed?)"_qs);
        // zbarimg exits 4 when it found no barcode on the page.
        if (zbar.exitStatus() != QProcess::NormalExit || (zbar.exitCode() != 0 && zbar.exitCode() != 4))
            return makeError(Error::Code::Io, u"zbarimg failed: "_qs + zbar.errorString() +
                                                  QString::fromLocal8Bit(zbar.readAllStandardError()));
        for (const QByteArray &line : zbar.readAllStandardOutput().split('\n'))
            if (!line.trimmed().isEmpty())
                codes << QString::fromUtf8(line.trimmed());
    }
    return codes;
}

} // namespace sd::test
