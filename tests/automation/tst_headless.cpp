#include "../integration/trainingharness.h"
#include "automation/dispatcher.h"
#include "automation/rulestore.h"
#include "documentfixtures.h"
#include "documents/documentservice.h"
#include "documents/settings.h"
#include "inventory/inventorysettings.h"
#include "inventory/inventorystore.h"
#include "inventory/invoicestockgate.h"
#include "inventory/offercatalog.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrosync.h"
#include "messaging/messagingaccounts.h"
#include "security/filesecretstore.h"
#include "smtpsink.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QSettings>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

using namespace sd;
using namespace sd::automation;
using namespace sd::storage;

namespace {

// A receiver of call-URL actions on 127.0.0.1 that answers 200 after a short pause (which widens the window
// between "the call arrived" and "the ledger knows", where a kill leaves a repeat) and keeps every
// Idempotency-Key it was sent, repeats included.
class Receiver : public QObject
{
public:
    QStringList keys;

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    QByteArray &buffer = m_buffers[socket];
                    buffer += socket->readAll();
                    if (!buffer.contains("\r\n\r\n"))
                        return;
                    for (const QByteArray &line : buffer.left(buffer.indexOf("\r\n\r\n")).split('\n'))
                        if (line.toLower().startsWith("idempotency-key:"))
                            keys.append(QString::fromUtf8(line.mid(16).trimmed()));
                    m_buffers.remove(socket);
                    QTimer::singleShot(15, socket, [socket] {
                        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                        socket->disconnectFromHost();
                    });
                });
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QByteArray hookBase(quint16 port)
{
    return QByteArray("http:") + "//127.0.0.1:" + QByteArray::number(port);
}

qint64 scalar(Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

Rule rule(const QByteArray &json)
{
    auto r = Rule::fromText(json);
    if (!r)
        qFatal("%s", qPrintable(r.error().userMessage));
    return *r;
}

// `sellerdesk --headless` on a profile (and a database URL when given).
std::unique_ptr<QProcess> startHeadless(const QString &profile, const QString &url = {}, const QString &log = {})
{
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args{u"--headless"_qs, u"--profile"_qs, profile};
    if (!url.isEmpty())
        args << u"--database"_qs << url;
    if (!log.isEmpty())
        args << u"--log"_qs << log;
    process->start(qEnvironmentVariable("SD_APP"), args);
    return process;
}

// Waits (serving the receiver meanwhile) until no automation job is pending or running.
bool waitForQueue(Database &db, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (scalar(db, u"SELECT COUNT(*) FROM jobs WHERE kind LIKE 'rule.%' AND state IN ('pending', 'running')"_qs) ==
            0)
            return true;
        QTest::qWait(50);
    }
    return false;
}

// Starts `sellerdesk --headless` on the profile with its encrypted secret file (passphrase "pw"); returns the
// path of its log.
QString startNode(QProcess &process, const QString &profile,
                  QProcessEnvironment env = QProcessEnvironment::systemEnvironment())
{
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    env.insert(u"SD_SECRET_STORE"_qs, u"file"_qs);
    env.insert(u"SD_SECRET_PASSPHRASE"_qs, u"pw"_qs);
    process.setProcessEnvironment(env);
    const QString log = QDir(profile).filePath(u"logs/headless.log"_qs);
    process.start(qEnvironmentVariable("SD_APP"), {u"--headless"_qs, u"--profile"_qs, profile, u"--log"_qs, log});
    return log;
}

} // namespace

class TestHeadless : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(qEnvironmentVariable("SD_APP")), "SD_APP names the sellerdesk program");
    }
    void runsADueTimerAndStopsOnSigterm();
    void crashLoopLeavesEveryActionDoneOnce();
    void twoProcessesShareOnePostgresQueue();
    void syncsStockWithoutTheCli();
    void invoicesWhatItDownloads();
    void drawsInvoicesWithoutADisplay();
};

void TestHeadless::runsADueTimerAndStopsOnSigterm()
{
    QTemporaryDir dir;
    auto db = Database::openProfile(dir.path());
    SD_VERIFY_OK(db);
    OrderStore store(*db);
    RuleStore rules(*db);
    SD_VERIFY_OK(rules.save(rule(R"({"format": "sellerdesk.rule/1", "name": "an hour after the order",
        "trigger": {"type": "time.after", "params": {"minutes": 60, "anchor": "order-date"}},
        "actions": [{"type": "addTag", "params": {"tag": "timer-done"}}]})"),
                            u"test"_qs));
    domain::Order order = test::sampleOrder(u"T-1"_qs);
    // Due two seconds from now.
    order.createdAt = QDateTime::currentDateTimeUtc().addSecs(-3600 + 2);
    auto created = store.apply(OrderChange::create(order, {u"test"_qs, u"test"_qs, 0}));
    SD_VERIFY_OK(created);
    Dispatcher dispatcher(store, rules);
    SD_VERIFY_OK(dispatcher.dispatch());
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'rule.timer' AND state = 'pending'"_qs), 1);

    const QString log = dir.filePath(u"logs/headless.log"_qs);
    auto process = startHeadless(dir.path(), {}, log);
    QVERIFY(process->waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(store.load(created->orderId)->tags.contains(u"timer-done"_qs), 15000);
    process->terminate();
    QVERIFY(process->waitForFinished(10000));
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 0);
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM jobs WHERE kind LIKE 'rule.%' AND state <> 'done'"_qs), 0);
    const QByteArray text = test::readFile(log);
    QVERIFY2(text.contains("headless scheduler started"), text.constData());
    QVERIFY2(text.contains("stop requested by a signal"), text.constData());
    QVERIFY2(text.contains("headless scheduler stopped"), text.constData());
}

void TestHeadless::crashLoopLeavesEveryActionDoneOnce()
{
    QTemporaryDir dir;
    auto db = Database::openProfile(dir.path());
    SD_VERIFY_OK(db);
    OrderStore store(*db);
    RuleStore rules(*db);
    Receiver receiver;
    QVERIFY(receiver.listen());
    SD_VERIFY_OK(rules.save(rule(QByteArray(R"({"format": "sellerdesk.rule/1", "name": "hook",
        "trigger": {"type": "order.downloaded"},
        "actions": [{"type": "callUrl", "params": {"url": "HOOK/hook?order={orderId}", "method": "POST"}},
                    {"type": "addTag", "params": {"tag": "hooked"}}]})")
                                     .replace("HOOK", hookBase(receiver.port()))),
                            u"test"_qs));
    constexpr int kOrders = 30;
    QList<qint64> ids;
    for (int i = 0; i < kOrders; ++i) {
        auto created = store.apply(OrderChange::create(test::sampleOrder(u"C-%1"_qs.arg(i)), {u"t"_qs, u"t"_qs, 0}));
        SD_VERIFY_OK(created);
        ids.append(created->orderId);
    }

    // Kill it at random moments, restart it, again and again.
    constexpr int kKills = 10;
    QRandomGenerator random(QRandomGenerator::global()->generate());
    for (int k = 0; k < kKills; ++k) {
        auto process = startHeadless(dir.path());
        QVERIFY(process->waitForStarted(10000));
        QTest::qWait(150 + int(random.bounded(450)));
        process->kill();
        QVERIFY(process->waitForFinished(10000));
    }
    auto process = startHeadless(dir.path());
    QVERIFY(process->waitForStarted(10000));
    // Its SIGTERM handler is in place once it says it started (the earlier runs wrote the same line).
    const QString log = dir.filePath(u"logs/sellerdesk-headless.log"_qs);
    const int startedBefore = int(test::readFile(log).count("headless scheduler started"));
    QTRY_VERIFY_WITH_TIMEOUT(test::readFile(log).count("headless scheduler started") > startedBefore, 10000);
    QVERIFY2(waitForQueue(**db, 30000), "the queue did not drain");
    process->terminate();
    QVERIFY(process->waitForFinished(10000));
    QCOMPARE(process->exitCode(), 0);

    // Every action is done once in the ledger, once in the execution log, and every order got both.
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM action_ledger WHERE state = 'done'"_qs), 2 * kOrders);
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM action_ledger"_qs), 2 * kOrders);
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM job_runs WHERE outcome = 'done'"_qs), 2 * kOrders);
    QCOMPARE(scalar(**db, u"SELECT COUNT(DISTINCT job_id) FROM job_runs WHERE outcome = 'done'"_qs), 2 * kOrders);
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM jobs WHERE state <> 'done'"_qs), 0);
    for (qint64 id : ids)
        QVERIFY(store.load(id)->tags.contains(u"hooked"_qs));
    // The receiver heard every call; a call cut between its arrival and the ledger is made again after the
    // restart with the same key, so a receiver that keeps keys acts once. Calls run side by side (none waits for
    // another's answer), so one kill can cut several; each key is called at most once per run of the process.
    const QSet<QString> distinct(receiver.keys.cbegin(), receiver.keys.cend());
    QCOMPARE(distinct.size(), kOrders);
    for (qint64 id : ids)
        QVERIFY(distinct.contains(u"rule:1@v1/action:0/order:%1/event:%2"_qs.arg(id).arg(
            scalar(**db, u"SELECT id FROM events WHERE type = 'order.created' AND order_id = %1"_qs.arg(id)))));
    for (const QString &key : distinct)
        QVERIFY2(receiver.keys.count(key) <= kKills + 1,
                 qPrintable(u"%1 calls with the key %2"_qs.arg(receiver.keys.count(key)).arg(key)));
    qInfo() << receiver.keys.size() - distinct.size() << "repeated calls after" << kKills << "kills";
}

void TestHeadless::twoProcessesShareOnePostgresQueue()
{
    SD_REQUIRE_POSTGRES();
    auto url = test::freshPostgresDatabase(u"sd_headless_two"_qs);
    SD_VERIFY_OK(url);
    auto db = Database::openUrl(*url);
    SD_VERIFY_OK(db);
    OrderStore store(*db);
    RuleStore rules(*db);
    auto saved = rules.save(rule(R"({"format": "sellerdesk.rule/1", "name": "tell",
        "trigger": {"type": "manual"}, "actions": [{"type": "notifyOperator", "params": {"message": "x"}}]})"),
                            u"test"_qs);
    SD_VERIFY_OK(saved);
    constexpr int kJobs = 5000;
    QList<qint64> ids;
    for (int i = 0; i < 10; ++i) {
        auto created = store.apply(OrderChange::create(test::sampleOrder(u"P-%1"_qs.arg(i)), {u"t"_qs, u"t"_qs, 0}));
        SD_VERIFY_OK(created);
        ids.append(created->orderId);
    }
    Dispatcher dispatcher(store, rules);
    SD_VERIFY_OK(dispatcher.dispatch());
    {
        Transaction transaction(**db, "queue test jobs");
        for (int i = 0; i < kJobs; ++i)
            SD_VERIFY_OK(dispatcher.enqueueAction(*saved, ids.at(i % ids.size()), u"test:%1"_qs.arg(i), 0, 1, 0));
        SD_VERIFY_OK(transaction.commit());
    }
    QTemporaryDir dirA;
    QTemporaryDir dirB;
    auto a = startHeadless(dirA.path(), *url);
    auto b = startHeadless(dirB.path(), *url);
    QVERIFY(a->waitForStarted(10000));
    QVERIFY(b->waitForStarted(10000));
    QVERIFY2(waitForQueue(**db, 240000), "the queue did not drain");
    a->terminate();
    b->terminate();
    QVERIFY(a->waitForFinished(10000));
    QVERIFY(b->waitForFinished(10000));
    QCOMPARE(a->exitCode(), 0);
    QCOMPARE(b->exitCode(), 0);
    // None lost, none twice: each job ran once, each effect (an alert) happened once.
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM jobs WHERE kind = 'rule.action' AND state = 'done'"_qs), kJobs);
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM job_runs"_qs), kJobs);
    QCOMPARE(scalar(**db, u"SELECT COUNT(DISTINCT job_id) FROM job_runs"_qs), kJobs);
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM operator_alerts"_qs), kJobs);
    QCOMPARE(scalar(**db, u"SELECT COUNT(DISTINCT job_id) FROM operator_alerts"_qs), kJobs);
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM action_ledger WHERE state = 'done'"_qs), kJobs);
    // Both took part.
    QCOMPARE(scalar(**db, u"SELECT COUNT(DISTINCT owner) FROM job_runs"_qs), 2);
}

// Issue 11 (D2) and the printDocument action on a server: `sellerdesk --headless` with no display and no platform
// chosen by the caller draws the invoice PDF itself (a QGuiApplication on the offscreen platform), e-mails it to the
// buyer through a real SMTP server, attaches it to the Allegro order and prints it on the document printer.
void TestHeadless::drawsInvoicesWithoutADisplay()
{
    marketplace::training::TrainingOptions options;
    options.autoApprove = true;
    TrainingHarness server(options);
    QVERIFY2(server.url().isValid(), qPrintable(server.error()));
    test::SmtpSink sink;
    QVERIFY2(sink.start({u"none"_qs, u"sklep"_qs, u"hasło"_qs, 0, 0}), qPrintable(sink.error()));
    QTemporaryDir dir;
    auto db = Database::openProfile(dir.path());
    SD_VERIFY_OK(db);
    auto secrets = std::make_shared<security::FileSecretStore>(dir.filePath(u"secrets.enc"_qs), "pw", 1000);
    SD_VERIFY_OK(secrets->unlock());
    marketplace::allegro::ClientOptions fast;
    fast.retry.timeScale = 0.001;
    auto connected = server.connectAccount(*db, secrets, fast);
    SD_VERIFY_OK(connected);
    messaging::MailAccount mail;
    mail.host = u"127.0.0.1"_qs;
    mail.port = sink.port();
    mail.security = messaging::MailAccount::Security::None;
    mail.user = u"sklep"_qs;
    mail.from = {u"sklep@example.pl"_qs, u"Sklep Żółw"_qs};
    mail.timeoutSeconds = 5;
    messaging::MessagingAccounts accounts(*db);
    SD_VERIFY_OK(accounts.saveMail(mail, QByteArray("hasło"), secrets.get()));

    // An order downloaded from the marketplace and its invoice, issued here (as a window or the CLI would).
    const QString formId =
        server.run([](marketplace::training::TrainingServer &s) { return s.generateOrders(1); }).constFirst();
    marketplace::allegro::AllegroSync syncer(*db, secrets);
    syncer.setClientOptions(fast);
    SD_VERIFY_OK(syncer.syncAccount(connected->id));
    const qint64 orderId = scalar(**db, u"SELECT id FROM orders WHERE external_id = '%1'"_qs.arg(formId));
    QVERIFY(orderId > 0);
    SD_VERIFY_OK(accounts.setSetting(u"invoice.mail"_qs, u"1"_qs));
    SD_VERIFY_OK(accounts.setSetting(u"invoice.upload"_qs, u"1"_qs));
    SD_VERIFY_OK(
        accounts.setSetting(u"invoice.cursor"_qs, QString::number(scalar(**db, u"SELECT MAX(id) FROM events"_qs))));
    OrderStore store(*db);
    documents::DocumentService documents(store);
    SD_VERIFY_OK(documents.settings().setCompany(test::sampleCompany()));
    documents::IssueRequest request;
    request.orderId = orderId;
    request.type = documents::DocumentType::Private;
    auto invoice = documents.issueForOrder(request, {u"user:anna"_qs, {}, 0});
    SD_VERIFY_OK(invoice);
    // The invoice on the document printer (a PDF file printer), by a rule run asked for before the node starts.
    RuleStore rules(*db);
    auto print = rules.save(rule(R"({"format": "sellerdesk.rule/1", "name": "Print the invoice",
        "trigger": {"type": "manual"}, "actions": [{"type": "printDocument"}]})"),
                            u"test"_qs);
    SD_VERIFY_OK(print);
    SD_VERIFY_OK(Dispatcher(store, rules).requestManualRun(print->id, orderId, {u"user:anna"_qs, {}, 0}));
    const QString printed = dir.filePath(u"printed-invoice.pdf"_qs);
    {
        QSettings workstation(dir.filePath(u"config/SellerDesk/SellerDesk.conf"_qs), QSettings::IniFormat);
        workstation.setValue(u"printers/document"_qs, QString(u"pdf:"_qs + printed));
    }

    // No display and no platform chosen: the node picks the offscreen one itself.
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"QT_QPA_PLATFORM"_qs);
    env.remove(u"DISPLAY"_qs);
    env.remove(u"WAYLAND_DISPLAY"_qs);
    env.insert(u"XDG_CONFIG_HOME"_qs, dir.filePath(u"config"_qs));
    env.insert(u"XDG_DATA_HOME"_qs, dir.filePath(u"data"_qs));
    startNode(process, dir.path(), env);
    QVERIFY(process.waitForStarted(10000));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(**db, u"SELECT COUNT(*) FROM print_jobs WHERE state = 'printed' AND kind = 'document'"_qs), 1, 30000);
    // The upload is the last step of D2's pass; the e-mail's job may go first.
    marketplace::allegro::AllegroClient client(*marketplace::AccountStore(*db).get(connected->id), *db, secrets, fast);
    auto uploadedInvoices = [&] {
        auto list = client.getJson(u"/order/checkout-forms/"_qs + formId + u"/invoices"_qs);
        return list ? list->value(u"invoices").toArray() : QJsonArray();
    };
    QTRY_COMPARE_WITH_TIMEOUT(uploadedInvoices().size(), 1, 30000);
    process.terminate();
    QVERIFY(process.waitForFinished(15000));
    QCOMPARE(process.exitCode(), 0);

    // The e-mail carries the PDF the node drew, byte for byte, and it is this invoice.
    const QJsonObject sent = sink.messages().constFirst();
    QCOMPARE(sent.value(u"to").toArray().at(0).toString(), store.load(orderId)->buyer.email);
    const QJsonArray attachments = sent.value(u"attachments").toArray();
    QCOMPARE(attachments.size(), 1);
    QString drawn;
    for (QDirIterator it(dir.filePath(u"data"_qs), {u"*.pdf"_qs}, QDir::Files, QDirIterator::Subdirectories);
         it.hasNext();)
        drawn = it.next();
    QVERIFY2(!drawn.isEmpty(), "the node kept no PDF of the invoice");
    const QByteArray pdf = test::readFile(drawn);
    QVERIFY(pdf.startsWith("%PDF"));
    QCOMPARE(attachments.at(0).toObject().value(u"sha256").toString(),
             QString::fromLatin1(QCryptographicHash::hash(pdf, QCryptographicHash::Sha256).toHex()));
    QVERIFY(test::pdfText(pdf).contains(invoice->number));
    QVERIFY(uploadedInvoices().at(0).toObject().value(u"file").toObject().contains(u"uploadedAt"));
    QVERIFY(test::pdfText(test::readFile(printed)).contains(invoice->number));
    // Once each, however many passes ran.
    QCOMPARE(sink.messages().size(), 1);
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM messages WHERE state = 'sent'"_qs), 1);
    QCOMPARE(uploadedInvoices().size(), 1);
}

QTEST_GUILESS_MAIN(TestHeadless)
// Issue 7: a receipt stored by another process (here the test, as the CLI or a window would) reaches the training
// marketplace's offer through the headless node's scheduler alone.
void TestHeadless::syncsStockWithoutTheCli()
{
    marketplace::training::TrainingOptions options;
    options.autoApprove = true;
    TrainingHarness server(options);
    QVERIFY2(server.url().isValid(), qPrintable(server.error()));
    QTemporaryDir dir;
    auto db = Database::openProfile(dir.path());
    SD_VERIFY_OK(db);
    auto secrets = std::make_shared<security::FileSecretStore>(dir.filePath(u"secrets.enc"_qs), "pw", 1000);
    SD_VERIFY_OK(secrets->unlock());
    marketplace::allegro::ClientOptions fast;
    fast.retry.timeScale = 0.001;
    auto connected = server.connectAccount(*db, secrets, fast);
    SD_VERIFY_OK(connected);
    OrderStore store(*db);
    inventory::InventoryStore inventory(store);
    inventory::OfferCatalog offers(inventory);
    SD_VERIFY_OK(inventory::InventorySettings::set(**db, u"autoOrderDownload"_qs, u"on"_qs));
    SD_VERIFY_OK(inventory::InventorySettings::set(**db, u"autoInvoicing"_qs, u"on"_qs));
    SD_VERIFY_OK(inventory.addWarehouse(u"MAIN"_qs, u"Main"_qs));
    SD_VERIFY_OK(inventory.addProduct(inventory::Product{0, u"HL-1"_qs, {}, u"Headless"_qs}));
    const QString offer = server.run([](marketplace::training::TrainingServer &s) {
        return s.addOffer(u"Headless offer"_qs, u"HL-1"_qs, u"BUY_NOW"_qs, 10);
    });
    marketplace::allegro::AllegroClient client(*marketplace::AccountStore(*db).get(connected->id), *db, secrets, fast);
    SD_VERIFY_OK(offers.refresh(client));
    auto enabled = offers.enableSync({offer});
    SD_VERIFY_OK(enabled);
    QVERIFY(enabled->constFirst().ok);
    auto quantity = [&] {
        return server.run([&](marketplace::training::TrainingServer &s) { return s.offer(offer); })
            .value(u"stock")
            .toObject()
            .value(u"available")
            .toInt(-1);
    };
    QCOMPARE(quantity(), 10);

    QProcess process;
    const QString log = startNode(process, dir.path());
    QVERIFY(process.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(test::readFile(log).contains("headless scheduler started"), 15000);
    SD_VERIFY_OK(inventory.receive(u"HL-1"_qs, 7, {}, u"cli:test"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(quantity(), 7, 30000);
    process.terminate();
    QVERIFY(process.waitForFinished(15000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(scalar(**db, u"SELECT COUNT(*) FROM job_runs WHERE kind = 'stock.sync' AND outcome = 'done'"_qs) >= 1);
}

// D1 on a headless node: orders it downloads are invoiced when automatic invoicing is on, as the window does.
void TestHeadless::invoicesWhatItDownloads()
{
    marketplace::training::TrainingOptions options;
    options.autoApprove = true;
    options.orders = 4;
    TrainingHarness server(options);
    QVERIFY2(server.url().isValid(), qPrintable(server.error()));
    QTemporaryDir dir;
    auto db = Database::openProfile(dir.path());
    SD_VERIFY_OK(db);
    auto secrets = std::make_shared<security::FileSecretStore>(dir.filePath(u"secrets.enc"_qs), "pw", 1000);
    SD_VERIFY_OK(secrets->unlock());
    marketplace::allegro::ClientOptions fast;
    fast.retry.timeScale = 0.001;
    SD_VERIFY_OK(server.connectAccount(*db, secrets, fast));
    documents::SettingsStore documentSettings(*db);
    SD_VERIFY_OK(documentSettings.setCompany(test::sampleCompany()));
    auto settings = documentSettings.settings();
    SD_VERIFY_OK(settings);
    settings->autoInvoice = true;
    settings->invoicePrivatePersons = true; // every ready order gets an invoice, NIP or not
    SD_VERIFY_OK(documentSettings.setSettings(*settings));
    OrderStore store(*db);
    SD_VERIFY_OK(inventory::autoInvoiceDownloaded(store)); // switched on now: from here on
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM orders"_qs), 0);

    QProcess process;
    startNode(process, dir.path());
    QVERIFY(process.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(scalar(**db, u"SELECT COUNT(*) FROM orders"_qs) >= 4, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(scalar(**db, u"SELECT COUNT(*) FROM documents"_qs) >= 1, 30000);
    process.terminate();
    QVERIFY(process.waitForFinished(15000));
    QCOMPARE(process.exitCode(), 0);
    // Each order at most once.
    QCOMPARE(scalar(**db, u"SELECT COUNT(*) FROM (SELECT order_id FROM documents GROUP BY order_id "
                          "HAVING COUNT(*) > 1) twice"_qs),
             0);
}

#include "tst_headless.moc"
