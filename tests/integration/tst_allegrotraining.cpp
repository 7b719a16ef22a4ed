#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/allegrosync.h"
#include "marketplace/allegro/selleractions.h"
#include "marketplace/allegro/tokenkeeper.h"
#include "openapivalidator.h"
#include "security/filesecretstore.h"
#include "storage/actionledger.h"
#include "storage/orderstore.h"
#include "testsupport.h"
#include "trainingharness.h"

#include <QJsonDocument>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <future>

using namespace sd;
using namespace sd::marketplace;
using namespace sd::marketplace::allegro;
using sd::marketplace::training::FaultPlan;
using sd::marketplace::training::TrainingAuth;
using sd::marketplace::training::TrainingOptions;
using sd::marketplace::training::TrainingServer;

namespace {

FaultPlan faults(const QString &spec)
{
    auto plan = FaultPlan::parse(spec);
    if (!plan)
        qFatal("bad fault spec %s", qPrintable(spec));
    return *plan;
}

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

int countOf(const QList<HttpExchange> &traffic, const QByteArray &method, const QString &pathPart, int status = -1)
{
    int n = 0;
    for (const HttpExchange &e : traffic) {
        if (e.method == method && e.url.path().contains(pathPart) && (status < 0 || e.status == status))
            ++n;
    }
    return n;
}

} // namespace

// The Allegro client against the real training marketplace (in this process, on its own thread): the order
// download, faults, the write actions under the ledger, tokens, and every exchange checked against Allegro's
// OpenAPI file.
class TestAllegroTraining : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TrainingHarness> m_server;
    std::optional<test::TempDatabase> m_fresh;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<security::FileSecretStore> m_secrets;
    MarketplaceAccount m_account;
    QList<HttpExchange> m_traffic;
    ClientOptions m_options;

    // A training shop with the given options, a fresh profile and an account connected through the device flow.
    void open(TrainingOptions options)
    {
        options.autoApprove = true;
        m_server = std::make_unique<TrainingHarness>(options);
        QVERIFY2(m_server->url().isValid(), qPrintable(m_server->error()));
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_allegro_training"_qs);
        SD_VERIFY_OK(fresh);
        m_fresh = *fresh;
        m_dir = std::make_unique<QTemporaryDir>();
        m_secrets = std::make_shared<security::FileSecretStore>(m_dir->filePath(u"secrets.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(m_secrets->unlock());
        m_traffic.clear();
        m_options = ClientOptions{};
        m_options.retry.timeScale = 0.001;
        m_options.retry.requestTimeoutMs = 10000;

        MarketplaceAccount account;
        account.name = u"training"_qs;
        account.environment = MarketplaceAccount::Environment::Training;
        account.apiBaseUrl = m_server->url();
        account.authBaseUrl = m_server->url();
        account.clientId = u"sellerdesk-test"_qs;
        AccountConnector connector(db(), m_secrets, m_options);
        connector.setObserver([this](const HttpExchange &e) { m_traffic.append(e); });
        auto authorization = connector.start(account, "client-secret");
        SD_VERIFY_OK(authorization);
        QVERIFY(!authorization->userCode.isEmpty());
        auto connected = connector.finish();
        SD_VERIFY_OK(connected);
        QVERIFY(connected->connected);
        QVERIFY(!connected->sellerLogin.isEmpty());
        m_account = *connected;
    }

    std::shared_ptr<storage::Database> db() { return m_fresh->db; }

    MarketplaceAccount account()
    {
        auto a = AccountStore(db()).get(m_account.id);
        return a ? *a : m_account;
    }

    Result<SyncReport> sync()
    {
        AllegroSync syncer(db(), m_secrets);
        syncer.setClientOptions(m_options);
        QObject::connect(&syncer, &AllegroSync::exchange, &syncer,
                         [this](const HttpExchange &e) { m_traffic.append(e); });
        return syncer.syncAccount(m_account.id);
    }

    std::unique_ptr<AllegroClient> client()
    {
        auto c = std::make_unique<AllegroClient>(account(), db(), m_secrets, m_options);
        c->setObserver([this](const HttpExchange &e) { m_traffic.append(e); });
        return c;
    }

    // A client whose waits the server's clock follows: with timeScale 0.001 a Retry-After of 1 s costs the client
    // 1 ms, so the test moves the training clock by the second the client stands for when it answers 429 or 409
    // (an offer edit still processing). Called on the client's thread; the clock moves on the server's.
    std::unique_ptr<AllegroClient> clientFollowedByClock()
    {
        auto c = std::make_unique<AllegroClient>(account(), db(), m_secrets, m_options);
        c->setObserver([this](const HttpExchange &e) {
            m_traffic.append(e);
            if (e.status == 429 || e.status == 409) {
                bool numeric = false;
                const qint64 seconds = e.responseHeader("Retry-After").toLongLong(&numeric);
                m_server->run([&](TrainingServer &s) { s.advanceClock(numeric ? qMax<qint64>(1, seconds) : 1); });
            }
        });
        return c;
    }

    QString activeOffer(AllegroClient &c, int index = 0)
    {
        QUrlQuery query;
        query.addQueryItem(u"publication.status"_qs, u"ACTIVE"_qs);
        query.addQueryItem(u"sellingMode.format"_qs, u"BUY_NOW"_qs);
        auto page = c.offers(query);
        if (!page)
            return {};
        return page->value(u"offers").toArray().at(index).toObject().value(u"id").toString();
    }

    // The marketplace of an order is its form's (allegro-pl, allegro-cz, ...): look it up by the form id alone.
    qint64 localId(const QString &checkoutFormId)
    {
        QSqlQuery q(db()->connection());
        q.prepare(u"SELECT id FROM orders WHERE external_id = ? AND account = ?"_qs);
        q.addBindValue(checkoutFormId);
        q.addBindValue(m_account.orderAccountKey());
        return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
    }

    // Every exchange against the OpenAPI file. With faults, the injected answers (429, 5xx, broken JSON) are not
    // the API's and only their requests are checked.
    void verifyTraffic(bool injectedFaults = false)
    {
        static const auto spec = test::OpenApiValidator::load(test::allegroOpenApiJsonPath());
        SD_VERIFY_OK(spec);
        QStringList problems;
        int checked = 0;
        for (const HttpExchange &e : std::as_const(m_traffic)) {
            const bool injected =
                injectedFaults &&
                (e.status == 429 || e.status >= 500 || e.status == 0 ||
                 (e.status == 200 && e.method == "GET" && QJsonDocument::fromJson(e.responseBody).isNull()));
            problems +=
                injected ? (*spec)->checkRequest(e, m_server->url()) : (*spec)->checkExchange(e, m_server->url());
            ++checked;
        }
        problems.removeDuplicates();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 40).join(u'\n')));
        QVERIFY(checked > 0);
        // The check is live: the same traffic with a wrong body is refused.
        HttpExchange wrong = m_traffic.constLast();
        wrong.method = "GET";
        wrong.url = m_server->url().resolved(QUrl(u"/order/events"_qs));
        wrong.requestBody.clear();
        wrong.status = 200;
        wrong.responseHeaders = {{"Content-Type", "application/vnd.allegro.public.v1+json"}};
        wrong.responseBody = R"({"events":[{"id":1,"type":"BOUGHT"}]})";
        QVERIFY(!(*spec)->checkExchange(wrong, m_server->url()).isEmpty());
    }

private Q_SLOTS:
    void cleanup()
    {
        m_server.reset();
        m_fresh.reset();
        m_dir.reset();
    }

    void fullDownloadOf500Orders()
    {
        TrainingOptions options;
        options.orders = 500;
        open(options);
        if (QTest::currentTestFailed())
            return;
        // Every order's future (payment, cancellation) happens before the first sync, so nothing moves during it.
        m_server->run([](TrainingServer &s) { s.advanceClock(3 * 24 * 3600); });
        // The access token expired with that: the first call refreshes it.
        auto report = sync();
        SD_VERIFY_OK(report);
        QVERIFY2(report->ok(), qPrintable(report->errors.join(u'\n')));
        QCOMPARE(report->created, 500);
        QCOMPARE(report->rejected.size(), 0);
        storage::OrderStore store(db());
        QCOMPARE(*store.count(), qint64(500));
        QCOMPARE(scalar(*db(), u"SELECT COUNT(DISTINCT external_id) FROM orders"_qs), qint64(500));
        auto stats = client()->latestOrderEventId();
        SD_VERIFY_OK(stats);
        QCOMPARE(report->cursor, *stats);
        QCOMPARE(account().eventCursor, *stats);
        QVERIFY(account().lastSyncAt.isValid());
        QVERIFY(account().lastError.isEmpty());
        // Statuses as the server has them now.
        const QStringList ids = m_server->run([](TrainingServer &s) { return s.orderIds(); });
        for (const QString &id : ids.mid(0, 50)) {
            const QString serverStatus =
                m_server->run([&](TrainingServer &s) { return s.checkoutForm(id).value(u"status").toString(); });
            auto order = store.load(localId(id));
            SD_VERIFY_OK(order);
            QCOMPARE(order->marketplaceStatus, serverStatus);
        }

        auto again = sync();
        SD_VERIFY_OK(again);
        QVERIFY(again->ok());
        QCOMPARE(again->events, 0);
        QCOMPARE(again->created + again->updated, 0);
        QCOMPARE(*store.count(), qint64(500));
        verifyTraffic();
    }

    void duplicatedAndOutOfOrderEvents()
    {
        TrainingOptions options;
        options.faults = faults(u"duplicate-events=0.4,reorder-events=0.3"_qs);
        open(options);
        if (QTest::currentTestFailed())
            return;
        const QStringList ids = m_server->run([](TrainingServer &s) {
            const QStringList made = s.generateOrders(40);
            s.advanceClock(3600); // filled in, paid or cancelled: more events, duplicated and swapped
            return made;
        });
        auto report = sync();
        SD_VERIFY_OK(report);
        QVERIFY2(report->ok(), qPrintable(report->errors.join(u'\n')));
        QVERIFY2(report->duplicates > 0, "the fault plan made no duplicate events");
        QCOMPARE(report->created, 40);
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM orders"_qs), qint64(40));
        QCOMPARE(scalar(*db(), u"SELECT COUNT(DISTINCT external_id) FROM orders"_qs), qint64(40));
        storage::OrderStore store(db());
        for (const QString &id : ids) {
            const QJsonObject form = m_server->run([&](TrainingServer &s) { return s.checkoutForm(id); });
            auto order = store.load(localId(id));
            SD_VERIFY_OK(order);
            QCOMPARE(order->marketplaceStatus, form.value(u"status").toString());
            QCOMPARE(order->revision, form.value(u"revision").toString());
        }
        auto again = sync();
        SD_VERIFY_OK(again);
        QCOMPARE(again->created + again->updated, 0);
        verifyTraffic();
    }

    void buyerChangesDeliveryAddress()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        const QStringList ids = m_server->run([](TrainingServer &s) {
            const QStringList made = s.generateOrders(5);
            for (const QString &id : made)
                s.buyerPays(id);
            return made;
        });
        SD_VERIFY_OK(sync());
        const QString id = ids.at(2);
        const qint64 local = localId(id);
        QVERIFY(local > 0);
        storage::OrderStore store(db());
        const QString oldStreet = store.load(local)->delivery.address.street;
        QVERIFY(m_server->run([&](TrainingServer &s) { return s.changeDeliveryAddress(id); }));
        const QJsonObject form = m_server->run([&](TrainingServer &s) { return s.checkoutForm(id); });
        const QString newStreet =
            form.value(u"delivery").toObject().value(u"address").toObject().value(u"street").toString();
        QVERIFY(newStreet != oldStreet);

        auto report = sync();
        SD_VERIFY_OK(report);
        QCOMPARE(report->updated, 1);
        auto order = store.load(local);
        SD_VERIFY_OK(order);
        QCOMPARE(order->delivery.address.street, newStreet);
        QCOMPARE(order->revision, form.value(u"revision").toString());
        auto history = store.history(local);
        SD_VERIFY_OK(history);
        bool recorded = false;
        for (const auto &h : *history)
            recorded = recorded || (h.field == u"delivery.address.street" && h.oldValue == oldStreet &&
                                    h.newValue == newStreet && h.actor.startsWith(u"marketplace:"));
        QVERIFY2(recorded, "the address change is not in the order's history");
        auto events = store.eventsAfter(0, 100000);
        SD_VERIFY_OK(events);
        bool deliveryChanged = false;
        for (const auto &e : *events)
            deliveryChanged = deliveryChanged || (e.orderId == local && e.type == u"order.delivery_changed");
        QVERIFY(deliveryChanged);
        verifyTraffic();
    }

    void staleRevisionIsReadAgainAndRetried()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        const QString id = m_server->run([](TrainingServer &s) {
            const QString made = s.generateOrders(1).constFirst();
            s.buyerPays(made);
            return made;
        });
        SD_VERIFY_OK(sync());
        const qint64 local = localId(id);
        storage::OrderStore store(db());
        const QString stored = store.load(local)->revision;
        // The buyer changes the address; SellerDesk has not synced since, so its revision is stale.
        QVERIFY(m_server->run([&](TrainingServer &s) { return s.changeDeliveryAddress(id); }));

        auto c = client();
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        auto done = actions.setFulfillmentStatus(u"test/fulfillment/1"_qs, local, u"PROCESSING"_qs);
        SD_VERIFY_OK(done);
        QVERIFY(done->performed);
        QCOMPARE(countOf(m_traffic, "PUT", u"/fulfillment"_qs, 409), 1);
        QCOMPARE(countOf(m_traffic, "PUT", u"/fulfillment"_qs, 204), 1);
        for (const HttpExchange &e : std::as_const(m_traffic)) {
            if (e.method == "PUT" && e.status == 409)
                QCOMPARE(QUrlQuery(e.url).queryItemValue(u"checkoutForm.revision"_qs), stored);
        }
        const QJsonObject form = m_server->run([&](TrainingServer &s) { return s.checkoutForm(id); });
        QCOMPARE(form.value(u"fulfillment").toObject().value(u"status").toString(), u"PROCESSING"_qs);
        auto order = store.load(local);
        SD_VERIFY_OK(order);
        QCOMPARE(order->fulfillmentStatus, u"PROCESSING"_qs);
        QCOMPARE(order->revision, form.value(u"revision").toString());
        // The same key again: nothing is sent.
        auto repeat = actions.setFulfillmentStatus(u"test/fulfillment/1"_qs, local, u"PROCESSING"_qs);
        SD_VERIFY_OK(repeat);
        QVERIFY(repeat->alreadyDone);
        QCOMPARE(countOf(m_traffic, "PUT", u"/fulfillment"_qs), 2);
        verifyTraffic();
    }

    void tokenExpiryAndSingleUseRefresh()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        m_server->run([](TrainingServer &s) { s.generateOrders(3); });
        SD_VERIFY_OK(sync());
        const qint64 generation = account().tokenGeneration;
        auto before = m_secrets->read(TokenKeeper::tokenKey(m_account.secretRef));
        SD_VERIFY_OK(before);
        const auto oldPair = TokenSet::fromJson(**before);
        QVERIFY(oldPair && !oldPair->refreshToken.isEmpty());

        // Half a day later the access token has expired: one 401, one refresh, and the sync goes on.
        m_server->run([](TrainingServer &s) {
            s.advanceClock(43200);
            s.generateOrders(2);
        });
        const qsizetype mark = m_traffic.size();
        auto report = sync();
        SD_VERIFY_OK(report);
        QVERIFY2(report->ok(), qPrintable(report->errors.join(u'\n')));
        QCOMPARE(report->created, 2);
        const QList<HttpExchange> recent = m_traffic.mid(mark);
        QCOMPARE(countOf(recent, "GET", u"/order/events"_qs, 401), 1);
        QCOMPARE(countOf(recent, "POST", u"/auth/oauth/token"_qs, 200), 1);
        QCOMPARE(account().tokenGeneration, generation + 1);
        for (const HttpExchange &e : recent) {
            QVERIFY(!e.requestBody.contains(oldPair->refreshToken));
            QVERIFY(e.requestHeader("Authorization").isEmpty());
        }

        // The used refresh token is refused once its grace period is over.
        m_server->run([](TrainingServer &s) { s.advanceClock(TrainingAuth::kRefreshGraceSeconds + 1); });
        HttpTransport transport;
        OAuthClient oauth(transport, m_server->url(), m_account.clientId, "client-secret");
        auto reused = oauth.refresh(oldPair->refreshToken);
        QVERIFY(!reused);
        QCOMPARE(reused.error().code, Error::Code::Conflict);

        // Two workstations sharing the database hit the expired token at once: one refresh between them.
        m_server->run([](TrainingServer &s) { s.expireTokens(); });
        const QString path = m_fresh->path;
        const MarketplaceAccount shared = account();
        auto workstation = [&, path, shared]() -> Result<int> {
            auto opened = storage::Database::open({path, {}, 10000});
            if (!opened)
                return opened.error();
            int refreshes = 0;
            {
                AllegroClient c(shared, *opened, m_secrets, m_options);
                auto me = c.me();
                if (!me) {
                    (*opened)->closeThreadConnection();
                    return me.error();
                }
                refreshes = c.tokens().refreshesDone();
            }
            (*opened)->closeThreadConnection();
            return refreshes;
        };
        auto first = std::async(std::launch::async, workstation);
        auto second = std::async(std::launch::async, workstation);
        const auto a = first.get();
        const auto b = second.get();
        SD_VERIFY_OK(a);
        SD_VERIFY_OK(b);
        QCOMPARE(*a + *b, 1);
        QCOMPARE(account().tokenGeneration, generation + 2);
        // And the first workstation (this one) keeps working with the pair the other one got.
        m_server->run([](TrainingServer &s) { s.generateOrders(1); });
        auto after = sync();
        SD_VERIFY_OK(after);
        QVERIFY2(after->ok(), qPrintable(after->errors.join(u'\n')));
        QCOMPARE(after->created, 1);
        verifyTraffic();
    }

    void rateLimitAndServerErrorStorms()
    {
        TrainingOptions options;
        open(options);
        if (QTest::currentTestFailed())
            return;
        m_server->run([](TrainingServer &s) {
            s.generateOrders(60);
            s.setFaults(faults(u"429=0.3,503=0.3"_qs));
        });
        m_options.retry.maxAttempts = 3;
        QString cursor;
        int runs = 0;
        int failedRuns = 0;
        for (; runs < 40; ++runs) {
            auto report = sync();
            SD_VERIFY_OK(report);
            QVERIFY(report->cursor.toLongLong() >= cursor.toLongLong()); // never back, whatever failed
            cursor = report->cursor;
            if (report->ok())
                break;
            ++failedRuns;
        }
        QVERIFY2(countOf(m_traffic, "GET", u"/order"_qs, 429) > 0, "no 429 was injected");
        QVERIFY2(countOf(m_traffic, "GET", u"/order"_qs, 503) > 0, "no 503 was injected");
        // The storm ends; whatever is left comes in.
        m_server->run([](TrainingServer &s) { s.setFaults({}); });
        auto calm = sync();
        SD_VERIFY_OK(calm);
        QVERIFY2(calm->ok(), qPrintable(calm->errors.join(u'\n')));
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM orders"_qs), qint64(60));
        QCOMPARE(scalar(*db(), u"SELECT COUNT(DISTINCT external_id) FROM orders"_qs), qint64(60));
        qInfo() << "storm:" << runs + 1 << "runs," << failedRuns << "stopped early";
        verifyTraffic(true);
    }

    void malformedFormsAreReportedAndReadLater()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        const QStringList ids = m_server->run([](TrainingServer &s) {
            const QStringList made = s.generateOrders(30);
            s.setFaults(faults(u"malformed=0.15,truncated=0.15"_qs));
            return made;
        });
        auto report = sync();
        SD_VERIFY_OK(report);
        QVERIFY2(report->ok(), qPrintable(report->errors.join(u'\n')));
        QVERIFY2(!report->rejected.isEmpty(), "the fault plan broke no order");
        QCOMPARE(report->created + report->rejected.size(), 30);
        for (const auto &rejection : std::as_const(report->rejected)) {
            QVERIFY2(ids.contains(rejection.orderId), qPrintable(rejection.orderId));
            QCOMPARE(localId(rejection.orderId), 0);
        }
        const int broken = int(report->rejected.size());

        m_server->run([](TrainingServer &s) { s.setFaults({}); });
        auto clean = sync();
        SD_VERIFY_OK(clean);
        QVERIFY2(clean->ok(), qPrintable(clean->errors.join(u'\n')));
        QCOMPARE(clean->rejected.size(), 0);
        QCOMPARE(clean->created, broken);
        QCOMPARE(scalar(*db(), u"SELECT COUNT(*) FROM orders"_qs), qint64(30));
        auto quiet = sync();
        SD_VERIFY_OK(quiet);
        QCOMPARE(quiet->created + quiet->updated, 0);
        verifyTraffic(true);
    }

    void commandIdsAreReusedNeverDuplicated()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        m_server->run([](TrainingServer &s) { s.generateOrders(5); });
        auto c = client();
        storage::OrderStore store(db());
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        auto offers = actions.refreshOffers();
        SD_VERIFY_OK(offers);
        QVERIFY(*offers >= 2);
        auto page = c->offers({});
        SD_VERIFY_OK(page);
        const QJsonArray list = page->value(u"offers").toArray();
        const QString offerA = list.at(0).toObject().value(u"id").toString();
        const QString offerB = list.at(1).toObject().value(u"id").toString();

        // The answer is lost (the server is slower than the client waits): the command was made, the ledger says
        // failed. The retry reuses the UUID kept in the ledger, gets 409 and reads the command's report.
        const QString key = u"test/quantity/1"_qs;
        m_server->run([](TrainingServer &s) { s.setFaults(faults(u"slow=1:1500"_qs)); });
        ClientOptions impatient = m_options;
        impatient.retry.requestTimeoutMs = 300;
        impatient.retry.maxAttempts = 1;
        {
            AllegroClient slow(account(), db(), m_secrets, impatient);
            slow.setObserver([this](const HttpExchange &e) { m_traffic.append(e); });
            SellerActions lost(slow, store, ledger, records);
            auto first = lost.changeQuantity(key, {offerA}, 7);
            QVERIFY(!first);
        }
        m_server->run([](TrainingServer &s) { s.setFaults({}); });
        QTest::qWait(1700); // the slow answer is sent to nobody
        auto retry = actions.changeQuantity(key, {offerA}, 7);
        SD_VERIFY_OK(retry);
        QVERIFY(retry->performed);
        const QString commandId = retry->result.value(u"commandId").toString();
        QCOMPARE(commandId, SellerActions::commandIdFor(key));
        QStringList sentIds;
        for (const HttpExchange &e : std::as_const(m_traffic)) {
            if (e.method == "PUT" && e.url.path().contains(u"offer-quantity-change-commands"))
                sentIds.append(e.url.path().section(u'/', -1));
        }
        QCOMPARE(sentIds.size(), 2);
        QCOMPARE(sentIds.at(0), commandId);
        QCOMPARE(sentIds.at(1), commandId);
        QCOMPARE(countOf(m_traffic, "PUT", u"offer-quantity-change-commands"_qs, 409), 1);
        auto status = actions.commandStatus(key);
        SD_VERIFY_OK(status);
        QCOMPARE(status->value(u"tasks").toArray().size(), 1);
        QCOMPARE(status->value(u"tasks").toArray().at(0).toObject().value(u"offer").toObject().value(u"id").toString(),
                 offerA);
        auto again = actions.changeQuantity(key, {offerA}, 7);
        SD_VERIFY_OK(again);
        QVERIFY(again->alreadyDone);

        // A deliberate reuse: the id was already used for another change. 409, and it is reported, not taken for
        // this one.
        const QString other = u"test/publication/1"_qs;
        SD_VERIFY_OK(c->publicationCommand(SellerActions::commandIdFor(other), {offerB}, false));
        auto reused = actions.changePublication(other, {offerA}, false);
        QVERIFY(!reused);
        QCOMPARE(reused.error().code, Error::Code::Conflict);
        auto entry = ledger.find(other);
        SD_VERIFY_OK(entry);
        QVERIFY(entry->has_value());
        QCOMPARE((*entry)->state, storage::ActionLedger::State::Failed);
        // A direct reuse through the client gets Allegro's 409 as a conflict.
        auto direct = c->quantityCommand(commandId, {offerB}, 3);
        QVERIFY(!direct);
        QCOMPARE(direct.error().code, Error::Code::Conflict);
        verifyTraffic(true);
    }

    void refundIsMadeOnce()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        const QStringList paid = m_server->run([](TrainingServer &s) {
            QStringList online;
            for (const QString &id : s.generateOrders(30)) {
                if (s.checkoutForm(id).value(u"payment").toObject().value(u"type").toString() == u"ONLINE" &&
                    s.buyerPays(id))
                    online.append(id);
            }
            return online;
        });
        QVERIFY(paid.size() >= 2);
        SD_VERIFY_OK(sync());
        auto c = client();
        storage::OrderStore store(db());
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        const auto refundBody = [&](const QString &id) {
            const QJsonObject form = m_server->run([&](TrainingServer &s) { return s.checkoutForm(id); });
            const QJsonObject item = form.value(u"lineItems").toArray().at(0).toObject();
            return QJsonObject{{u"reason"_qs, u"REFUND"_qs},
                               {u"lineItems"_qs, QJsonArray{QJsonObject{{u"id"_qs, item.value(u"id")},
                                                                        {u"type"_qs, u"QUANTITY"_qs},
                                                                        {u"quantity"_qs, 1}}}}};
        };
        const auto refundsOnServer = [&](const QString &id) {
            const QString payment = m_server->run([&](TrainingServer &s) { return s.checkoutForm(id); })
                                        .value(u"payment")
                                        .toObject()
                                        .value(u"id")
                                        .toString();
            QUrlQuery query;
            query.addQueryItem(u"payment.id"_qs, payment);
            auto list = c->getJson(u"/payments/refunds"_qs, query);
            return list ? list->value(u"totalCount").toInt() : -1;
        };

        // Twice through the ledger: one refund.
        const QString a = paid.at(0);
        auto first = actions.refundPayment(u"test/refund/a"_qs, localId(a), refundBody(a));
        SD_VERIFY_OK(first);
        QVERIFY(first->performed);
        auto second = actions.refundPayment(u"test/refund/a"_qs, localId(a), refundBody(a));
        SD_VERIFY_OK(second);
        QVERIFY(second->alreadyDone);
        QCOMPARE(second->result.value(u"refundId"), first->result.value(u"refundId"));
        QCOMPARE(refundsOnServer(a), 1);

        // A crash between the call and the ledger's completion: the entry stays claimed, the refund was made. The
        // next attempt sends the same commandId and Allegro answers with the refund it already has.
        const QString b = paid.at(1);
        const QString key = u"test/refund/b"_qs;
        auto claim = ledger.claim(key, u"allegro.refund"_qs, localId(b), u"allegro"_qs);
        SD_VERIFY_OK(claim);
        QJsonObject body = refundBody(b);
        body.insert(u"commandId"_qs, SellerActions::commandIdFor(key));
        body.insert(u"payment"_qs, QJsonObject{{u"id"_qs, store.load(localId(b))->payment.externalId}});
        body.insert(u"order"_qs, QJsonObject{{u"id"_qs, b}});
        auto made = c->paymentRefund(body);
        SD_VERIFY_OK(made);
        QCOMPARE(refundsOnServer(b), 1);
        actions.setAbandonedAfterSeconds(0); // the crashed claim counts as abandoned at once
        auto recovered = actions.refundPayment(key, localId(b), refundBody(b));
        SD_VERIFY_OK(recovered);
        QVERIFY(recovered->performed);
        QCOMPARE(recovered->result.value(u"refundId").toString(), made->value(u"id").toString());
        QCOMPARE(refundsOnServer(b), 1);
        auto entry = ledger.find(key);
        SD_VERIFY_OK(entry);
        QCOMPARE((*entry)->state, storage::ActionLedger::State::Done);
        auto stored = records.refunds(localId(b));
        SD_VERIFY_OK(stored);
        QCOMPARE(stored->size(), 1);
        verifyTraffic();
    }

    void shipmentsInvoicesClaimsMessagesBillingOffersTracking()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        const QString id = m_server->run([](TrainingServer &s) {
            for (const QString &made : s.generateOrders(20)) {
                if (!s.checkoutForm(made).value(u"delivery").toObject().contains(u"pickupPoint") && s.buyerPays(made))
                    return made;
            }
            return QString();
        });
        QVERIFY(!id.isEmpty());
        SD_VERIFY_OK(sync());
        const qint64 local = localId(id);
        auto c = client();
        storage::OrderStore store(db());
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);

        // Shipment: once, whatever the retries.
        const QString waybill = u"620123456789012345678901"_qs;
        auto shipped = actions.addShipment(u"test/ship/1"_qs, local, u"INPOST"_qs, waybill);
        SD_VERIFY_OK(shipped);
        QVERIFY(shipped->performed);
        auto shippedAgain = actions.addShipment(u"test/ship/1"_qs, local, u"INPOST"_qs, waybill);
        SD_VERIFY_OK(shippedAgain);
        QVERIFY(shippedAgain->alreadyDone);
        auto serverShipments = c->getJson(u"/order/checkout-forms/"_qs + id + u"/shipments"_qs);
        SD_VERIFY_OK(serverShipments);
        QCOMPARE(serverShipments->value(u"shipments").toArray().size(), 1);

        // Tracking: polled for open shipments; each new status is an order change with history and an event.
        auto polled = actions.pollTracking();
        SD_VERIFY_OK(polled);
        QCOMPARE(*polled, 1);
        m_server->run([](TrainingServer &s) { s.advanceClock(7 * 3600); });
        polled = actions.pollTracking();
        SD_VERIFY_OK(polled);
        QCOMPARE(*polled, 1);
        auto shipments = records.shipments(local);
        SD_VERIFY_OK(shipments);
        QCOMPARE(shipments->size(), 1);
        QCOMPARE(shipments->first().trackingStatus, u"IN_TRANSIT"_qs);
        auto order = store.load(local);
        SD_VERIFY_OK(order);
        QCOMPARE(order->shipments.size(), 1);
        QCOMPARE(order->shipments.first().waybill, waybill);
        QCOMPARE(order->shipments.first().status, u"IN_TRANSIT"_qs);
        auto history = store.history(local);
        SD_VERIFY_OK(history);
        bool tracked = false;
        for (const auto &h : *history)
            tracked = tracked ||
                      (h.field == u"shipments[0].status" && h.oldValue == u"PENDING" && h.newValue == u"IN_TRANSIT");
        QVERIFY2(tracked, "the tracking change is not in the order's history");
        auto events = store.eventsAfter(0, 100000);
        SD_VERIFY_OK(events);
        int shipmentEvents = 0;
        for (const auto &e : *events) {
            if (e.orderId == local && e.type == QLatin1StringView(storage::EventType::kShipmentStatusChanged)) {
                ++shipmentEvents;
                QCOMPARE(e.payload.value(u"waybill").toString(), waybill);
            }
        }
        QCOMPARE(shipmentEvents, 2); // PENDING, then IN_TRANSIT
        polled = actions.pollTracking();
        SD_VERIFY_OK(polled);
        QCOMPARE(*polled, 0);
        m_server->run([](TrainingServer &s) { s.advanceClock(30 * 3600); });
        polled = actions.pollTracking();
        SD_VERIFY_OK(polled);
        QCOMPARE(*polled, 1);
        auto open = records.openShipments(m_account.id);
        SD_VERIFY_OK(open);
        QVERIFY(open->isEmpty()); // delivered: no longer polled

        // Invoice: the file step fails (empty file), the retry resumes at the file.
        auto badInvoice = actions.uploadInvoice(u"test/invoice/1"_qs, local, u"FV/1/2026"_qs, u"fv-1.pdf"_qs, {});
        QVERIFY(!badInvoice);
        const QByteArray pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
        auto invoice = actions.uploadInvoice(u"test/invoice/1"_qs, local, u"FV/1/2026"_qs, u"fv-1.pdf"_qs, pdf);
        SD_VERIFY_OK(invoice);
        QVERIFY(invoice->performed);
        QVERIFY(invoice->result.value(u"resumed").toBool());
        QCOMPARE(countOf(m_traffic, "POST", u"/invoices"_qs), 1);
        auto invoices = c->getJson(u"/order/checkout-forms/"_qs + id + u"/invoices"_qs);
        SD_VERIFY_OK(invoices);
        QCOMPARE(invoices->value(u"invoices").toArray().size(), 1);
        QVERIFY(
            invoices->value(u"invoices").toArray().at(0).toObject().value(u"file").toObject().contains(u"uploadedAt"));

        // Commission claims: one per line item; the same key again sends nothing.
        const int lineItems = int(store.load(local)->items.size());
        auto claimed = actions.claimCommissionRefunds(u"test/claim/1"_qs, local);
        SD_VERIFY_OK(claimed);
        QVERIFY(claimed->performed);
        QCOMPARE(countOf(m_traffic, "POST", u"/order/refund-claims"_qs, 201), lineItems);
        auto claimedAgain = actions.claimCommissionRefunds(u"test/claim/1"_qs, local);
        SD_VERIFY_OK(claimedAgain);
        QVERIFY(claimedAgain->alreadyDone);
        QCOMPARE(countOf(m_traffic, "POST", u"/order/refund-claims"_qs), lineItems);

        // Message Center: the buyer writes, the seller answers once.
        QVERIFY(m_server->run([&](TrainingServer &s) { return s.buyerWrites(id, u"Kiedy wysyłka?"_qs); }));
        auto threadCount = actions.refreshThreads();
        SD_VERIFY_OK(threadCount);
        QVERIFY(*threadCount >= 1);
        auto threads = c->messageThreads();
        SD_VERIFY_OK(threads);
        const QString threadId = threads->at(0).toObject().value(u"id").toString();
        auto replied = actions.replyToThread(u"test/reply/1"_qs, threadId, u"Dziś, numer: "_qs + waybill);
        SD_VERIFY_OK(replied);
        QVERIFY(replied->performed);
        auto repliedAgain = actions.replyToThread(u"test/reply/1"_qs, threadId, u"Dziś, numer: "_qs + waybill);
        SD_VERIFY_OK(repliedAgain);
        QVERIFY(repliedAgain->alreadyDone);
        auto messages = c->threadMessages(threadId);
        SD_VERIFY_OK(messages);
        int mine = 0;
        for (const QJsonValue &m : *messages)
            mine += m.toObject().value(u"text").toString().contains(waybill) ? 1 : 0;
        QCOMPARE(mine, 1);

        // Billing entries of the order, stored once however often they are read.
        auto billing = actions.downloadBilling(local);
        SD_VERIFY_OK(billing);
        QVERIFY(*billing >= 1);
        SD_VERIFY_OK(actions.downloadBilling(local));
        auto entries = records.billing(local);
        SD_VERIFY_OK(entries);
        QCOMPARE(int(entries->size()), *billing);
        QVERIFY(entries->first().value.minor() < 0);

        // Offers with the seller's own id (external.id) for matching with the catalogue.
        auto offers = actions.refreshOffers();
        SD_VERIFY_OK(offers);
        QVERIFY(*offers >= 1);
        QCOMPARE(*records.offerCount(m_account.id), *offers);
        QVERIFY(scalar(*db(), u"SELECT COUNT(*) FROM marketplace_offers WHERE external_id <> ''"_qs) > 0);
        verifyTraffic();
    }

    void offerEditIsFollowedToTheEnd()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        m_server->run([](TrainingServer &s) { s.generateOrders(5); });
        auto c = client();
        storage::OrderStore store(db());
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        const QString offerId = activeOffer(*c);
        QVERIFY(!offerId.isEmpty());
        const QString offerPath = u"/sale/product-offers/"_qs + offerId;

        // Stock: 202, the operation polled (PENDING, IN_PROGRESS) until 303, then the offer is read.
        auto stocked = actions.setOfferStock(u"test/offer-stock/1"_qs, offerId, 11);
        SD_VERIFY_OK(stocked);
        QVERIFY(stocked->performed);
        QCOMPARE(stocked->result.value(u"offerId").toString(), offerId);
        QCOMPARE(stocked->result.value(u"offer").toObject().value(u"stock").toObject().value(u"available").toInt(), 11);
        QCOMPARE(countOf(m_traffic, "PATCH", offerPath, 202), 1);
        QCOMPARE(countOf(m_traffic, "GET", offerPath + u"/operations/"_qs, 202), 2);
        QCOMPARE(countOf(m_traffic, "GET", offerPath + u"/operations/"_qs, 303), 1);
        auto onServer = c->productOffer(offerId);
        SD_VERIFY_OK(onServer);
        QCOMPARE(onServer->value(u"stock").toObject().value(u"available").toInt(), 11);

        // The same key again sends nothing.
        auto again = actions.setOfferStock(u"test/offer-stock/1"_qs, offerId, 11);
        SD_VERIFY_OK(again);
        QVERIFY(again->alreadyDone);
        QCOMPARE(countOf(m_traffic, "PATCH", offerPath), 1);

        // The seller's own id alone is applied at once (200 with the offer).
        auto signed_ = actions.setOfferExternalId(u"test/offer-external/1"_qs, offerId, u"SKU-77"_qs);
        SD_VERIFY_OK(signed_);
        QVERIFY(signed_->performed);
        QCOMPARE(countOf(m_traffic, "PATCH", offerPath, 200), 1);
        QCOMPARE(signed_->result.value(u"offer").toObject().value(u"external").toObject().value(u"id").toString(),
                 u"SKU-77"_qs);
        onServer = c->productOffer(offerId);
        SD_VERIFY_OK(onServer);
        QCOMPARE(onServer->value(u"external").toObject().value(u"id").toString(), u"SKU-77"_qs);
        QCOMPARE(onServer->value(u"stock").toObject().value(u"available").toInt(), 11);
        verifyTraffic();
    }

    void concurrentOfferEditWaitsForTheFirst()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        m_server->run([](TrainingServer &s) { s.generateOrders(5); });
        auto c = clientFollowedByClock();
        storage::OrderStore store(db());
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        const QString offerId = activeOffer(*c);
        QVERIFY(!offerId.isEmpty());
        const QString offerPath = u"/sale/product-offers/"_qs + offerId;

        // Someone else's edit is being processed (accepted, nobody polls it).
        auto first = c->sendJson("PATCH", offerPath, QJsonObject{{u"stock"_qs, QJsonObject{{u"available"_qs, 3}}}});
        SD_VERIFY_OK(first);
        QCOMPARE(first->status, 202);
        const QByteArray firstOperation = first->header("Location");

        // Ours gets 409, waits (the clock moves the second it stands for), the first completes, ours goes through.
        auto second = actions.setOfferStock(u"test/offer-stock/2"_qs, offerId, 4);
        SD_VERIFY_OK(second);
        QVERIFY(second->performed);
        QVERIFY(countOf(m_traffic, "PATCH", offerPath, 409) >= 1);
        QCOMPARE(countOf(m_traffic, "PATCH", offerPath, 202), 2);
        auto onServer = c->productOffer(offerId);
        SD_VERIFY_OK(onServer);
        QCOMPARE(onServer->value(u"stock").toObject().value(u"available").toInt(), 4); // ours last, once
        auto firstDone = c->call("GET", QUrl::fromEncoded(firstOperation).path());
        SD_VERIFY_OK(firstDone);
        QCOMPARE(firstDone->status, 303);

        // Without the clock moving, the earlier edit stays in progress: a bounded number of tries, then a conflict
        // error and a failed ledger entry; the next call with the key, once the edit is done, goes through.
        auto plain = client();
        SellerActions impatient(*plain, store, ledger, records);
        auto blocking =
            plain->sendJson("PATCH", offerPath, QJsonObject{{u"stock"_qs, QJsonObject{{u"available"_qs, 5}}}});
        SD_VERIFY_OK(blocking);
        QCOMPARE(blocking->status, 202);
        const int conflictsBefore = countOf(m_traffic, "PATCH", offerPath, 409);
        auto refused = impatient.setOfferStock(u"test/offer-stock/3"_qs, offerId, 6);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::Conflict);
        QCOMPARE(countOf(m_traffic, "PATCH", offerPath, 409) - conflictsBefore, AllegroClient::kEditConflictTries);
        m_server->run([](TrainingServer &s) { s.advanceClock(2); });
        auto retried = impatient.setOfferStock(u"test/offer-stock/3"_qs, offerId, 6);
        SD_VERIFY_OK(retried);
        QVERIFY(retried->performed);
        onServer = c->productOffer(offerId);
        SD_VERIFY_OK(onServer);
        QCOMPARE(onServer->value(u"stock").toObject().value(u"available").toInt(), 6);
        verifyTraffic();
    }

    void invoiceMetadataTooFastIsRetried()
    {
        open({});
        if (QTest::currentTestFailed())
            return;
        const QStringList paid = m_server->run([](TrainingServer &s) {
            QStringList ids;
            for (const QString &made : s.generateOrders(20)) {
                if (ids.size() < 2 && s.buyerPays(made))
                    ids.append(made);
            }
            return ids;
        });
        QCOMPARE(paid.size(), 2);
        SD_VERIFY_OK(sync());
        auto c = clientFollowedByClock();
        storage::OrderStore store(db());
        storage::ActionLedger ledger(db());
        AllegroRecords records(db());
        SellerActions actions(*c, store, ledger, records);
        const QByteArray pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

        // Two invoices in a row: the second metadata POST is "too fast" (429), the client pauses and tries again.
        for (int i = 0; i < 2; ++i) {
            auto invoice = actions.uploadInvoice(u"test/invoice-burst/"_qs + QString::number(i), localId(paid.at(i)),
                                                 u"FV/%1/2026"_qs.arg(i + 1), u"fv-%1.pdf"_qs.arg(i + 1), pdf);
            SD_VERIFY_OK(invoice);
            QVERIFY(invoice->performed);
        }
        QVERIFY(countOf(m_traffic, "POST", u"/invoices"_qs, 429) >= 1);
        QVERIFY(c->rateLimitPauses() >= 1);
        QCOMPARE(countOf(m_traffic, "POST", u"/invoices"_qs, 201), 2);
        for (const QString &id : paid) {
            auto invoices = c->getJson(u"/order/checkout-forms/"_qs + id + u"/invoices"_qs);
            SD_VERIFY_OK(invoices);
            const QJsonArray list = invoices->value(u"invoices").toArray();
            QCOMPARE(list.size(), 1);
            QVERIFY(list.at(0).toObject().value(u"file").toObject().contains(u"uploadedAt"));
        }
        verifyTraffic();
    }

    void cliConnectsAndSyncsAgainstServeProcess()
    {
        QTemporaryDir dir;
        QProcess serve;
        serve.setProcessChannelMode(QProcess::SeparateChannels);
        serve.start(qEnvironmentVariable("SD_CLI"), {u"training"_qs, u"serve"_qs, u"--port"_qs, u"0"_qs, u"--orders"_qs,
                                                     u"25"_qs, u"--auto-approve"_qs});
        QVERIFY2(serve.waitForStarted(10000), "cannot start sellerdesk-cli training serve");
        QString line;
        for (int i = 0; i < 100 && line.isEmpty(); ++i) {
            serve.waitForReadyRead(200);
            if (serve.canReadLine())
                line = QString::fromUtf8(serve.readLine()).trimmed();
        }
        QVERIFY2(line.startsWith(u"http://127.0.0.1:"), qPrintable(line));
        const QString profile = dir.filePath(u"profile"_qs);
        qputenv("SD_SECRET_PASSPHRASE", "training passphrase");
        qputenv("SD_SECRET_STORE", "file");
        const auto connected = test::runCli(
            {u"--profile"_qs, profile, u"allegro"_qs, u"connect"_qs, u"--url"_qs, line, u"--name"_qs, u"szkolenie"_qs});
        QVERIFY2(connected.exitCode == 0, qPrintable(connected.err));
        QVERIFY(connected.out.contains(u"szkolenie"));
        const auto synced = test::runCli({u"--profile"_qs, profile, u"allegro"_qs, u"sync"_qs});
        QVERIFY2(synced.exitCode == 0, qPrintable(synced.err + synced.out));
        QVERIFY2(synced.out.contains(u"25"), qPrintable(synced.out));
        const auto listed = test::runCli({u"--profile"_qs, profile, u"orders"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(listed.out.toUtf8()).array().size(), 25);
        const auto accounts = test::runCli({u"--profile"_qs, profile, u"allegro"_qs, u"accounts"_qs});
        QCOMPARE(accounts.exitCode, 0);
        QVERIFY(accounts.out.contains(u"szkolenie"));
        // The tokens are in the encrypted file, never in the database.
        QVERIFY(QFile::exists(QDir(profile).filePath(u"secrets.enc"_qs)));
        const QByteArray database = test::readFile(QDir(profile).filePath(u"sellerdesk.sqlite"_qs));
        QVERIFY(!database.contains("access_token"));
        qunsetenv("SD_SECRET_PASSPHRASE");
        qunsetenv("SD_SECRET_STORE");
        serve.terminate();
        if (!serve.waitForFinished(5000))
            serve.kill();
        serve.waitForFinished(2000);
    }
};

QTEST_GUILESS_MAIN(TestAllegroTraining)
#include "tst_allegrotraining.moc"
