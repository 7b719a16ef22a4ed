#include "chaos.h"

#include "args.h"
#include "console.h"

#include "marketplace/training/faultplan.h"
#include "messaging/trainingmailserver.h"
#include "storage/database.h"
#include "storage/sqlquery.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <memory>

namespace sd::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

// The receiver of the rules' URL calls: counts each Idempotency-Key it is called with.
class UrlSink : public QTcpServer
{
public:
    UrlSink()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            }
        });
    }
    QHash<QByteArray, int> calls() const
    {
        QMutexLocker lock(&m_mutex);
        return m_calls;
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end);
        const QRegularExpression length(u"(?im)^content-length:\\s*(\\d+)"_qs);
        const auto m = length.match(QString::fromLatin1(head));
        if (m.hasMatch() && buffer.size() < end + 4 + m.captured(1).toLongLong())
            return;
        const QRegularExpression key(u"(?im)^idempotency-key:\\s*(\\S+)"_qs);
        const auto k = key.match(QString::fromLatin1(head));
        {
            QMutexLocker lock(&m_mutex);
            ++m_calls[k.hasMatch() ? k.captured(1).toLatin1() : QByteArray("(none)")];
        }
        m_buffers.remove(socket);
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        socket->disconnectFromHost();
    }

    mutable QMutex m_mutex;
    QHash<QByteArray, int> m_calls;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// A child process that prints its address on its first line (the training marketplace, the fiscal simulator).
struct Server
{
    std::unique_ptr<QProcess> process;
    QString address;
};

Result<Server> startServer(const QString &program, const QStringList &arguments, const QProcessEnvironment &env)
{
    Server server{std::make_unique<QProcess>(), {}};
    server.process->setProcessEnvironment(env);
    server.process->start(program, arguments);
    if (!server.process->waitForStarted(10000))
        return makeError(Error::Code::Io, tr("cannot start %1").arg(arguments.join(u' ')));
    for (int i = 0; i < 150 && server.address.isEmpty(); ++i) {
        server.process->waitForReadyRead(200);
        if (server.process->canReadLine())
            server.address = QString::fromUtf8(server.process->readLine()).trimmed();
    }
    if (server.address.isEmpty())
        return makeError(Error::Code::Io, tr("%1 did not start").arg(arguments.join(u' ')));
    return server;
}

void stopServer(Server &server)
{
    if (!server.process)
        return;
    server.process->terminate();
    if (!server.process->waitForFinished(5000))
        server.process->kill();
    server.process->waitForFinished(2000);
}

struct Figures
{
    int marketplaceOrders = 0;
    int ordersStored = 0;
    int orderDuplicates = 0;
    int lost = 0;
    int invoices = 0;
    int invoiceDuplicates = 0;
    int seriesGaps = 0;
    int receiptsPrinted = 0;
    int receiptsInJournal = 0;
    int receiptsLeftToOperator = 0;
    int receiptDuplicates = 0;
    int mailsSent = 0;
    int mailsReceived = 0;
    int mailDuplicates = 0;
    int mailsLeftToOperator = 0;
    int urlKeys = 0;
    int urlRedeliveries = 0;
    int actionsMissing = 0;
    int jobsWaiting = 0;
    int refused = 0;
};

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

int benchChaos(const QStringList &words)
{
    const Args args = Args::parse(
        words, {u"kills"_qs, u"orders"_qs, u"rate"_qs, u"nodes"_qs, u"postgres"_qs, u"faults"_qs}, {u"keep"_qs});
    if (!args.problem.isEmpty())
        return usage(args.problem);
    int kills = 0, orders = 0, rate = 0, nodes = 0;
    QString problem;
    if (!args.intValue(u"kills"_qs, 20, 1, 10000, &kills, &problem) ||
        !args.intValue(u"orders"_qs, 20, 1, 5000, &orders, &problem) ||
        !args.intValue(u"rate"_qs, 60, 0, 6000, &rate, &problem) ||
        !args.intValue(u"nodes"_qs, 1, 1, 3, &nodes, &problem))
        return usage(problem);
    const QString postgres = args.values.value(u"postgres"_qs);
    if (nodes > 1 && postgres.isEmpty())
        return usage(tr("several nodes share one PostgreSQL database: give --postgres URL"));
    const auto plan = marketplace::training::FaultPlan::parse(args.values.value(u"faults"_qs, u"none"_qs));
    if (!plan)
        return usage(plan.error().userMessage);
    const QString faults = plan->toString(); // canonical: what each kind of fault is, at what rate
    const QString app = QCoreApplication::applicationDirPath() + u"/sellerdesk"_qs;
    const QString cli = QCoreApplication::applicationFilePath();
    if (!QFile::exists(app))
        return fail(makeError(Error::Code::NotFound, tr("%1 is missing: the bench runs it headless").arg(app)));

    // On PostgreSQL the nodes share the database (which must hold no orders yet: the checks count them all) and
    // one folder for the secrets file (a warehouse's nodes would each have the tokens in their keychain).
    std::shared_ptr<storage::Database> shared;
    if (!postgres.isEmpty()) {
        auto opened = storage::Database::openUrl(postgres);
        if (!opened)
            return fail(opened.error());
        if (scalar(**opened, u"SELECT COUNT(*) FROM orders"_qs) != 0)
            return fail(makeError(Error::Code::Invalid,
                                  tr("the database at --postgres already holds orders: give the bench an empty one")));
        shared = *opened;
    }
    const QStringList database = postgres.isEmpty() ? QStringList{} : QStringList{u"--database"_qs, postgres};
    QTemporaryDir dir;
    dir.setAutoRemove(!args.flags.contains(u"keep"_qs));
    // With --database the command line keeps the secrets file in the data folder (XDG_DATA_HOME/SellerDesk/SellerDesk,
    // made the bench's own below), so the nodes are given that folder as their profile.
    const QString profile = postgres.isEmpty()
                                ? dir.filePath(u"profile"_qs)
                                : dir.filePath(u"data/%1/%2"_qs.arg(QCoreApplication::organizationName(),
                                                                    QCoreApplication::applicationName()));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_DATA_HOME"_qs, dir.filePath(u"data"_qs));
    env.insert(u"SD_SECRET_STORE"_qs, u"file"_qs);
    env.insert(u"SD_SECRET_PASSPHRASE"_qs, QString::number(QRandomGenerator::system()->generate64(), 36));
    env.insert(u"XDG_CONFIG_HOME"_qs, dir.filePath(u"config"_qs)); // the workstation settings stay the bench's own
    env.insert(u"QT_QPA_PLATFORM"_qs, u"offscreen"_qs);

    // The outside world, all on loopback: the marketplace streaming orders, the fiscal printer, a mail server and
    // a URL receiver (the last two on a thread of this process, so the checks can read what they received).
    auto shop =
        startServer(cli,
                    {u"training"_qs, u"serve"_qs, u"--port"_qs, u"0"_qs, u"--orders"_qs, QString::number(orders),
                     u"--rate"_qs, QString::number(rate), u"--auto-approve"_qs, u"--faults"_qs, faults},
                    env);
    if (!shop)
        return fail(shop.error());
    const QString journal = dir.filePath(u"fiscal-journal.json"_qs);
    auto printer =
        startServer(cli, {u"fiscal"_qs, u"simulate"_qs, u"--port"_qs, u"0"_qs, u"--journal"_qs, journal}, env);
    if (!printer)
        return fail(printer.error());
    env.insert(u"SD_FISCAL_PRINTER"_qs, printer->address);
    QThread sinks;
    sinks.start();
    std::unique_ptr<messaging::TrainingMailServer> mail;
    std::unique_ptr<UrlSink> urls;
    quint16 mailPort = 0, urlPort = 0;
    QObject anchor;
    anchor.moveToThread(&sinks);
    QMetaObject::invokeMethod(
        &anchor,
        [&] {
            mail = std::make_unique<messaging::TrainingMailServer>();
            urls = std::make_unique<UrlSink>();
            mailPort = mail->start().value_or(0);
            urlPort = urls->listen(QHostAddress::LocalHost, 0) ? urls->serverPort() : 0;
        },
        Qt::BlockingQueuedConnection);
    auto finish = [&](int code) {
        QMetaObject::invokeMethod(
            &anchor,
            [&] {
                mail.reset();
                urls.reset();
            },
            Qt::BlockingQueuedConnection);
        sinks.quit();
        sinks.wait();
        stopServer(*shop);
        stopServer(*printer);
        if (args.flags.contains(u"keep"_qs))
            out() << tr("The bench's files are kept in %1").arg(dir.path()) << Qt::endl;
        return code;
    };
    if (!mailPort || !urlPort)
        return finish(fail(makeError(Error::Code::Io, tr("cannot listen on 127.0.0.1"))));

    // The profile: an account on the training marketplace, the seller, a mail account, four rules on every order.
    auto run = [&](const QStringList &arguments) -> Result<QString> {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(cli, (database.isEmpty() ? QStringList{u"--profile"_qs, profile} : database) + arguments);
        if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return makeError(Error::Code::Io,
                             arguments.join(u' ') + u": "_qs + QString::fromUtf8(p.readAllStandardError()).trimmed());
        return QString::fromUtf8(p.readAllStandardOutput());
    };
    const QString rulesDir = dir.filePath(u"rules"_qs);
    QDir().mkpath(rulesDir);
    const QList<QByteArray> rules = {
        R"({"format": "sellerdesk.rule/1", "name": "chaos: invoice", "trigger": {"type": "order.downloaded"},
            "conditions": {"any": [{"field": "invoiceWanted", "op": "isTrue"}, {"field": "currency", "op": "ne", "value": "PLN"}]},
            "actions": [{"type": "issueInvoice"}]})",
        R"({"format": "sellerdesk.rule/1", "name": "chaos: receipt", "trigger": {"type": "order.downloaded"},
            "conditions": {"all": [{"field": "invoiceWanted", "op": "isFalse"}, {"field": "currency", "op": "eq", "value": "PLN"}]},
            "actions": [{"type": "issueReceipt"}]})",
        R"({"format": "sellerdesk.rule/1", "name": "chaos: e-mail", "trigger": {"type": "order.downloaded"},
            "actions": [{"type": "sendEmail", "params": {"template": "statusChanged"}}]})",
        QByteArray(R"({"format": "sellerdesk.rule/1", "name": "chaos: URL", "trigger": {"type": "order.downloaded"},
            "actions": [{"type": "callUrl", "params": {"url": "http://127.0.0.1:)") +
            QByteArray::number(urlPort) + R"(/order/{orderId}", "method": "POST"}}]})",
    };
    QList<QStringList> setup = {
        {u"allegro"_qs, u"connect"_qs, u"--url"_qs, shop->address, u"--name"_qs, u"chaos"_qs},
        {u"company"_qs, u"set"_qs, u"--name"_qs, u"Chaos sp. z o.o."_qs, u"--nip"_qs, u"5265877635"_qs, u"--street"_qs,
         u"Prosta 1"_qs, u"--postcode"_qs, u"00-001"_qs, u"--city"_qs, u"Warszawa"_qs},
        {u"documents"_qs, u"settings"_qs, u"--private-persons"_qs, u"on"_qs},
        {u"mail"_qs, u"account"_qs, u"add"_qs, u"--host"_qs, u"127.0.0.1"_qs, u"--port"_qs, QString::number(mailPort),
         u"--security"_qs, u"none"_qs, u"--from"_qs, u"shop@example.com"_qs},
    };
    for (int i = 0; i < rules.size(); ++i) {
        const QString path = QDir(rulesDir).filePath(u"%1.json"_qs.arg(i));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(rules.at(i)) < 0)
            return finish(fail(makeError(Error::Code::Io, tr("cannot write %1").arg(path))));
        f.close();
        setup.append({u"rules"_qs, u"import"_qs, path});
    }
    for (const QStringList &command : std::as_const(setup))
        if (auto r = run(command); !r)
            return finish(fail(r.error()));

    // The chaos: the headless nodes run for a random while, then one of them dies with SIGKILL and starts again, again
    // and again, while the marketplace answers with faults (when asked to).
    QElapsedTimer clock;
    clock.start();
    QRandomGenerator random(20261124);
    out() << tr("chaos: %1 kills of %2 sellerdesk --headless node(s) on %3 while the training marketplace sells %4 "
                "orders a minute (faults: %5)")
                 .arg(kills)
                 .arg(nodes)
                 .arg(postgres.isEmpty() ? tr("SQLite") : tr("PostgreSQL"))
                 .arg(rate)
                 .arg(faults)
          << Qt::endl;
    auto startNode = [&](int index) {
        auto node = std::make_unique<QProcess>();
        QProcessEnvironment nodeEnv = env;
        nodeEnv.insert(u"SD_WORKSTATION"_qs, u"chaos-%1"_qs.arg(index + 1));
        node->setProcessEnvironment(nodeEnv);
        node->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        node->setStandardOutputFile(QProcess::nullDevice());
        node->start(app, QStringList{u"--headless"_qs, u"--profile"_qs, profile, u"--log"_qs,
                                     dir.filePath(u"node-%1.log"_qs.arg(index + 1))} +
                             database);
        node->waitForStarted(10000);
        return node;
    };
    std::vector<std::unique_ptr<QProcess>> running;
    for (int i = 0; i < nodes; ++i)
        running.push_back(startNode(i));
    int survived = 0;
    for (int k = 0; k < kills; ++k) {
        QThread::msleep(250 + random.bounded(2250) / nodes);
        const int victim = int(random.bounded(nodes));
        ::kill(pid_t(running[victim]->processId()), SIGKILL);
        running[victim]->waitForFinished(10000);
        if (running[victim]->exitStatus() == QProcess::CrashExit)
            ++survived; // killed, not finished by itself: the next start must pick up where it died
        else
            err() << tr("a node ended by itself with code %1 before it was killed").arg(running[victim]->exitCode())
                  << Qt::endl;
        running[victim] = startNode(victim);
    }

    // The end: the storm is over, the marketplace's orders so far, and the nodes run until everything is done.
    QNetworkAccessManager network;
    auto training = [&](QNetworkReply *reply) {
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        loop.exec();
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        return body;
    };
    if (faults != u"none") {
        QNetworkRequest calm(QUrl(shop->address + u"/_training/faults?spec=none"_qs));
        calm.setHeader(QNetworkRequest::ContentTypeHeader, u"text/plain"_qs);
        (void)training(network.post(calm, QByteArray()));
    }
    auto db = shared ? Result<std::shared_ptr<storage::Database>>(shared) : storage::Database::openProfile(profile);
    if (!db)
        return finish(fail(db.error()));
    QSet<QString> marketplaceIds;
    {
        const QJsonObject json =
            QJsonDocument::fromJson(
                training(network.get(QNetworkRequest(QUrl(shop->address + u"/_training/status"_qs)))))
                .object();
        if (json.value(u"faults"_qs).toString(u"none"_qs) != u"none")
            return finish(fail(makeError(Error::Code::Io, tr("the training marketplace did not end the fault storm"))));
        for (const QJsonValue &id : json.value(u"orders"_qs).toArray())
            marketplaceIds.insert(id.toString());
        if (marketplaceIds.isEmpty())
            return finish(fail(makeError(Error::Code::Io, tr("the training marketplace did not list its orders"))));
    }
    int quietPolls = 0;
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 300000 && quietPolls < 6) {
        QThread::msleep(500);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QSqlQuery q((*db)->connection());
        int present = 0;
        if (q.exec(u"SELECT DISTINCT external_id FROM orders"_qs))
            while (q.next())
                present += marketplaceIds.contains(q.value(0).toString()) ? 1 : 0;
        const qint64 busy = scalar(**db, u"SELECT COUNT(*) FROM jobs WHERE state = 'running' OR (state = 'pending' "
                                         "AND due_at <= %1)"_qs.arg(now + 30000));
        quietPolls = present == marketplaceIds.size() && busy == 0 ? quietPolls + 1 : 0;
    }
    for (auto &node : running)
        node->terminate();
    for (auto &node : running) {
        if (!node->waitForFinished(60000))
            node->kill();
        node->waitForFinished(5000);
    }

    // The checks: every order here; every action once (or visibly left to the operator), never twice.
    Figures f;
    f.marketplaceOrders = int(marketplaceIds.size());
    QSqlQuery q((*db)->connection());
    QSet<QString> stored;
    if (q.exec(u"SELECT external_id FROM orders"_qs))
        while (q.next())
            stored.insert(q.value(0).toString());
    f.ordersStored = int(stored.size());
    f.orderDuplicates = int(scalar(**db, u"SELECT COUNT(*) - COUNT(DISTINCT external_id) FROM orders"_qs));
    for (const QString &id : std::as_const(marketplaceIds))
        f.lost += stored.contains(id) ? 0 : 1;
    f.invoices =
        int(scalar(**db, u"SELECT COUNT(*) FROM documents WHERE order_id IS NOT NULL AND state <> 'cancelled'"_qs));
    f.invoiceDuplicates =
        int(scalar(**db, u"SELECT COUNT(*) FROM (SELECT order_id FROM documents WHERE order_id IS NOT NULL AND state "
                         "<> 'cancelled' GROUP BY order_id HAVING COUNT(*) > 1) AS d"_qs));
    {
        QHash<QString, QList<int>> numbers; // per series: FV/1/11/2026 -> FV: 1
        if (q.exec(u"SELECT number FROM documents WHERE number IS NOT NULL"_qs))
            while (q.next()) {
                const auto m = QRegularExpression(u"^([A-Z]+)/(\\d+)/"_qs).match(q.value(0).toString());
                if (m.hasMatch())
                    numbers[m.captured(1)] << m.captured(2).toInt();
            }
        for (QList<int> &series : numbers) {
            std::sort(series.begin(), series.end());
            for (int i = 0; i < series.size(); ++i)
                f.seriesGaps += series.at(i) == i + 1 ? 0 : 1;
        }
    }
    f.receiptsPrinted = int(scalar(**db, u"SELECT COUNT(*) FROM fiscal_receipts WHERE state = 'printed'"_qs));
    f.receiptsLeftToOperator = int(scalar(**db, u"SELECT COUNT(*) FROM fiscal_receipts WHERE state = 'unknown'"_qs));
    {
        QFile file(journal);
        if (file.open(QIODevice::ReadOnly))
            for (const QJsonValue &entry :
                 QJsonDocument::fromJson(file.readAll()).object().value(u"journal"_qs).toArray())
                if (entry.toObject().value(u"type"_qs).toString() == u"receipt")
                    ++f.receiptsInJournal;
        f.receiptDuplicates = qMax(0, f.receiptsInJournal - f.receiptsPrinted - f.receiptsLeftToOperator);
    }
    f.mailsSent = int(scalar(**db, u"SELECT COUNT(*) FROM messages WHERE channel = 'email' AND state = 'sent'"_qs));
    // A run cut by a kill after its claim is never repeated (it may have happened): the job fails, visibly.
    f.mailsLeftToOperator = int(scalar(**db, u"SELECT COUNT(DISTINCT j.id) FROM jobs j JOIN job_runs r ON r.job_id = "
                                             "j.id WHERE j.state = 'failed' AND r.action = 'sendEmail'"_qs));
    const QList<QByteArray> ids = mail->messageIds();
    f.mailsReceived = int(ids.size());
    f.mailDuplicates = f.mailsReceived - int(QSet<QByteArray>(ids.begin(), ids.end()).size());
    const QHash<QByteArray, int> calls = urls->calls();
    f.urlKeys = int(calls.size());
    for (int n : calls)
        f.urlRedeliveries += n - 1;
    // An order whose action is neither done nor visibly waiting or failed would be a lost action.
    f.actionsMissing = int(scalar(
        **db, u"SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.order_id = o.id) "
              "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.order_id = o.id)"_qs));
    f.refused = int(scalar(**db, u"SELECT COUNT(DISTINCT order_id) FROM job_runs WHERE outcome = 'failed' AND "
                                 "action IN ('issueInvoice', 'issueReceipt')"_qs));
    f.jobsWaiting = int(scalar(**db, u"SELECT COUNT(*) FROM jobs WHERE state IN ('pending', 'waiting')"_qs));

    const int duplicates = f.orderDuplicates + f.invoiceDuplicates + f.receiptDuplicates + f.mailDuplicates;
    const int lost = f.lost + f.actionsMissing + f.seriesGaps;
    out() << tr("time: %1 s").arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1) << Qt::endl
          << tr("kills survived: %1 of %2").arg(survived).arg(kills) << Qt::endl
          << tr("orders: %1 on the marketplace, %2 stored (stored twice: %3)")
                 .arg(f.marketplaceOrders)
                 .arg(f.ordersStored)
                 .arg(f.orderDuplicates)
          << Qt::endl
          << tr("invoices: %1 (orders with two: %2; gaps in the numbers: %3)")
                 .arg(f.invoices)
                 .arg(f.invoiceDuplicates)
                 .arg(f.seriesGaps)
          << Qt::endl
          << tr("receipts: %1 printed, %2 in the printer's journal, %3 interrupted and left to the operator")
                 .arg(f.receiptsPrinted)
                 .arg(f.receiptsInJournal)
                 .arg(f.receiptsLeftToOperator)
          << Qt::endl
          << tr("e-mails: %1 sent, %2 received (same Message-ID twice: %3), %4 interrupted and left to the operator")
                 .arg(f.mailsSent)
                 .arg(f.mailsReceived)
                 .arg(f.mailDuplicates)
                 .arg(f.mailsLeftToOperator)
          << Qt::endl
          << tr("URL calls: %1 keys, %2 repeated with the same Idempotency-Key after a kill")
                 .arg(f.urlKeys)
                 .arg(f.urlRedeliveries)
          << Qt::endl
          << tr("documents refused with a reason (in the execution log): %1").arg(f.refused) << Qt::endl
          << tr("jobs still waiting for a retry: %1").arg(f.jobsWaiting) << Qt::endl
          << tr("lost = %1, duplicates = %2").arg(lost).arg(duplicates) << Qt::endl;
    return finish(lost == 0 && duplicates == 0 && f.ordersStored > 0 ? 0 : 1);
}

} // namespace sd::cli
