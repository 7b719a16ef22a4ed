#include "fakeallegro.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/tokenkeeper.h"
#include "security/filesecretstore.h"
#include "testsupport.h"

#include <QTemporaryDir>

#include <future>

using namespace sd;
using namespace sd::marketplace;
using namespace sd::marketplace::allegro;

// Two workstations (two threads, each with its own Database handle) hit an expired token at once. Refresh tokens
// are single-use: exactly one may refresh, the other must pick up the new pair instead of refreshing again.
class TestTokenRefresh : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secondWorkstationUsesTheFirstOnesRefresh_data() { test::addEngineRows(); }
    void secondWorkstationUsesTheFirstOnesRefresh()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_allegro_refresh"_qs);
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
        initial.expiresAt = QDateTime::currentDateTimeUtc().addSecs(60);
        SD_VERIFY_OK(TokenKeeper(fresh->db, secrets, added->id).storeInitial(initial));

        auto workstation = [&](int) -> Result<QByteArray> {
            auto opened = engine == u"postgres" ? storage::Database::openUrl(fresh->path)
                                                : storage::Database::open({fresh->path, {}, 10000});
            if (!opened)
                return opened.error();
            auto db = *opened;
            HttpTransport transport;
            OAuthClient oauth(transport, fake.url(), u"cid"_qs, "secret");
            TokenKeeper keeper(db, secrets, added->id);
            auto token = keeper.accessToken();
            if (!token)
                return token.error();
            auto renewed = keeper.refreshAfterRejected(*token, oauth);
            db->closeThreadConnection();
            return renewed;
        };
        auto first = std::async(std::launch::async, workstation, 1);
        auto second = std::async(std::launch::async, workstation, 2);
        const auto a = first.get();
        const auto b = second.get();
        SD_VERIFY_OK(a);
        SD_VERIFY_OK(b);
        QCOMPARE(*a, QByteArray("access-2"));
        QCOMPARE(*b, QByteArray("access-2"));
        QMutexLocker lock(&fake.mutex);
        QCOMPARE(fake.refreshes, 1);
        QCOMPARE(fake.refusedRefreshes, 0);
        auto stored = accounts.get(added->id);
        SD_VERIFY_OK(stored);
        QCOMPARE(stored->tokenGeneration, 2);
    }
};

QTEST_GUILESS_MAIN(TestTokenRefresh)
#include "tst_tokenrefresh.moc"
