#include "fakeallegro.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegrosync.h"
#include "marketplace/allegro/tokenkeeper.h"
#include "security/filesecretstore.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace sd;
using namespace sd::marketplace;
using namespace sd::marketplace::allegro;

namespace {

QJsonObject journalEvent(const QString &id, const QString &type, const QString &formId, const QString &at)
{
    return QJsonObject{{u"id"_qs, id},
                       {u"type"_qs, type},
                       {u"occurredAt"_qs, at},
                       {u"order"_qs, QJsonObject{{u"checkoutForm"_qs, QJsonObject{{u"id"_qs, formId}}}}}};
}

} // namespace

class TestAllegroSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void journalWithDuplicatesStormsAndABrokenForm()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_allegro_sync"_qs);
        SD_VERIFY_OK(fresh);
        FakeAllegro fake;
        QTemporaryDir dir;
        auto secrets = std::make_shared<security::FileSecretStore>(dir.filePath(u"s.enc"_qs), "pw", 1000);
        SD_VERIFY_OK(secrets->unlock());
        AccountStore accounts(fresh->db);
        MarketplaceAccount account;
        account.name = u"shop"_qs;
        account.environment = MarketplaceAccount::Environment::Training;
        account.apiBaseUrl = fake.url();
        account.authBaseUrl = fake.url();
        account.clientId = u"cid"_qs;
        auto added = accounts.add(account);
        SD_VERIFY_OK(added);
        TokenSet initial;
        initial.accessToken = "access-1";
        initial.refreshToken = "refresh-1";
        SD_VERIFY_OK(TokenKeeper(fresh->db, secrets, added->id).storeInitial(initial));

        const QJsonObject base = test::readJsonObject(QFINDTESTDATA("../data/allegro/checkout-form-full.json"));
        const QString a = u"00000000-0000-4000-8000-00000000000a"_qs;
        const QString b = u"00000000-0000-4000-8000-00000000000b"_qs;
        const QString broken = u"00000000-0000-4000-8000-00000000000c"_qs;
        {
            QMutexLocker lock(&fake.mutex);
            QJsonObject fa = base;
            fa[u"id"_qs] = a;
            QJsonObject fb = base;
            fb[u"id"_qs] = b;
            fake.forms.insert(a, QJsonDocument(fa).toJson());
            fake.forms.insert(b, QJsonDocument(fb).toJson());
            fake.forms.insert(broken, R"({"id":")" + broken.toLatin1() + R"(","buyer":{"id":)");
            fake.events = QJsonArray{
                journalEvent(u"100"_qs, u"BOUGHT"_qs, a, u"2026-01-01T10:00:00.000Z"_qs),
                journalEvent(u"101"_qs, u"READY_FOR_PROCESSING"_qs, b, u"2026-01-01T10:01:00.000Z"_qs),
                journalEvent(u"102"_qs, u"BOUGHT"_qs, a, u"2026-01-01T10:00:00.000Z"_qs), // duplicate, other id
                journalEvent(u"103"_qs, u"BOUGHT"_qs, broken, u"2026-01-01T10:02:00.000Z"_qs),
                journalEvent(u"104"_qs, u"FILLED_IN"_qs, b, u"2026-01-01T10:00:30.000Z"_qs), // out of order
            };
            fake.accessToken = "access-expired"; // the stored token is stale: 401, refresh, retry
            fake.fail429 = 3;
            fake.fail503 = 2;
        }

        AllegroSync sync(fresh->db, secrets);
        ClientOptions options;
        options.retry.timeScale = 0.001;
        sync.setClientOptions(options);
        QList<HttpExchange> exchanges;
        connect(&sync, &AllegroSync::exchange, this, [&](const HttpExchange &e) { exchanges.append(e); });
        QSignalSpy finished(&sync, &AllegroSync::finished);
        auto report = sync.syncAccount(added->id);
        SD_VERIFY_OK(report);
        QVERIFY2(report->ok(), qPrintable(report->errors.join(u'\n')));
        QCOMPARE(report->created, 2);
        QCOMPARE(report->rejected.size(), 1);
        QCOMPARE(report->rejected.first().orderId, broken);
        QCOMPARE(report->cursor, u"104"_qs);
        QCOMPARE(finished.count(), 1);
        auto stored = accounts.get(added->id);
        SD_VERIFY_OK(stored);
        QCOMPARE(stored->eventCursor, u"104"_qs);
        QVERIFY(stored->lastError.isEmpty());
        for (const HttpExchange &e : exchanges) {
            QVERIFY(e.requestHeader("Authorization").isEmpty());
            QVERIFY(!e.requestBody.contains("refresh-"));
            QVERIFY(!e.responseBody.contains("access-"));
            if (e.url.path().startsWith(u"/order"))
                QCOMPARE(e.requestHeader("Accept"), QByteArray("application/vnd.allegro.public.v1+json"));
        }

        // Nothing new: nothing changes. Then the buyer changes the address: the order is updated, with history.
        auto again = sync.syncAccount(added->id);
        SD_VERIFY_OK(again);
        QCOMPARE(again->created + again->updated, 0);
        {
            QMutexLocker lock(&fake.mutex);
            QJsonObject fa = base;
            fa[u"id"_qs] = a;
            fa[u"revision"_qs] = u"rev-2"_qs;
            QJsonObject delivery = fa.value(u"delivery").toObject();
            QJsonObject address = delivery.value(u"address").toObject();
            address[u"street"_qs] = u"Nowa 7"_qs;
            delivery[u"address"_qs] = address;
            fa[u"delivery"_qs] = delivery;
            fake.forms.insert(a, QJsonDocument(fa).toJson());
            fake.events.append(journalEvent(u"105"_qs, u"BUYER_MODIFIED"_qs, a, u"2026-01-02T08:00:00.000Z"_qs));
        }
        auto modified = sync.syncAccount(added->id);
        SD_VERIFY_OK(modified);
        QCOMPARE(modified->updated, 1);
        storage::OrderStore store(fresh->db);
        auto id = store.findByExternal(u"allegro-pl"_qs, added->orderAccountKey(), a);
        SD_VERIFY_OK(id);
        QVERIFY(id->has_value());
        auto history = store.history(**id);
        SD_VERIFY_OK(history);
        bool street = false;
        for (const auto &h : *history)
            street = street || h.newValue == u"Nowa 7";
        QVERIFY(street);
    }
};

QTEST_GUILESS_MAIN(TestAllegroSync)
#include "tst_allegrosync.moc"
