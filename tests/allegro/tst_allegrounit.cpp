#include "marketplace/allegro/apierror.h"
#include "marketplace/allegro/httptransport.h"
#include "marketplace/allegro/retrypolicy.h"
#include "marketplace/allegro/tokenset.h"
#include "security/filesecretstore.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>

using namespace sd;
using namespace sd::marketplace::allegro;

class TestAllegroUnit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resourceErrorBody()
    {
        const QByteArray body = R"({"errors":[{"code":"VALIDATION_ERROR","message":"Offset too big","details":null,
            "path":"/order/checkout-forms","userMessage":"Za duży offset","metadata":{}}]})";
        const ApiError e = ApiError::parse(422, body);
        QCOMPARE(e.code, u"VALIDATION_ERROR"_qs);
        QCOMPARE(e.userMessage, u"Za duży offset"_qs);
        QCOMPARE(e.path, u"/order/checkout-forms"_qs);
        const Error error = e.toError(u"reading orders"_qs);
        QCOMPARE(error.code, Error::Code::Invalid);
        QVERIFY(error.userMessage.contains(u"Za duży offset"));
        QVERIFY(error.detail.contains(u"VALIDATION_ERROR"));
    }

    void authErrorBody()
    {
        const ApiError e =
            ApiError::parse(401, R"({"error":"invalid_token","error_description":"Access token expired: eyJ"})");
        QCOMPARE(e.code, u"invalid_token"_qs);
        QVERIFY(e.message.startsWith(u"Access token expired"));
        QCOMPARE(ApiError::parse(409, "{}").toError(u"x"_qs).code, Error::Code::Conflict);
        QCOMPARE(ApiError::parse(404, "not json").toError(u"x"_qs).code, Error::Code::NotFound);
        QCOMPARE(ApiError::parse(0, {}).toError(u"x"_qs).code, Error::Code::Io);
    }

    void backoffPolicy()
    {
        RetryPolicy policy;
        policy.jitter = false;
        QCOMPARE(policy.delayMs(1, std::nullopt, false), 1000);
        QCOMPARE(policy.delayMs(2, std::nullopt, false), 2000);
        QCOMPARE(policy.delayMs(4, std::nullopt, false), 8000);
        QCOMPARE(policy.delayMs(30, std::nullopt, false), policy.maxBackoffMs);
        QCOMPARE(policy.delayMs(1, 7, false), 7000); // Retry-After wins
        policy.jitter = true;
        for (int i = 0; i < 50; ++i) {
            const qint64 d = policy.delayMs(3, std::nullopt, true);
            QVERIFY(d >= 2000 && d <= 4000);
        }
        policy.timeScale = 0.001;
        QCOMPARE(policy.delayMs(1, 5, false), 5);
    }

    void redaction()
    {
        const QByteArray json = R"({"access_token":"eyJsecret","token_type":"bearer","refresh_token":"r-secret"})";
        const QByteArray red = HttpTransport::redactTokens(json);
        QVERIFY(!red.contains("eyJsecret"));
        QVERIFY(!red.contains("r-secret"));
        QVERIFY(red.contains("\"access_token\":\"***\""));
        const QByteArray form = "grant_type=refresh_token&refresh_token=abc.def&x=1";
        QCOMPARE(HttpTransport::redactTokens(form), QByteArray("grant_type=refresh_token&refresh_token=***&x=1"));
    }

    void tokenSetRoundTrip()
    {
        auto t = TokenSet::fromTokenResponse(R"({"access_token":"a1","refresh_token":"r1","expires_in":43199})");
        QVERIFY(t);
        QVERIFY(!t->expiresWithin(3600));
        t->generation = 4;
        auto back = TokenSet::fromJson(t->toJson());
        QVERIFY(back);
        QCOMPARE(back->accessToken, QByteArray("a1"));
        QCOMPARE(back->refreshToken, QByteArray("r1"));
        QCOMPARE(back->generation, 4);
    }

    void encryptedFileStore()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"secrets.enc"_qs);
        {
            security::FileSecretStore store(path, "correct horse", 1000);
            SD_VERIFY_OK(store.unlock());
            SD_VERIFY_OK(store.write(u"allegro/1/tokens"_qs, "TOPSECRET-token"));
            SD_VERIFY_OK(store.write(u"other"_qs, "two"));
            SD_VERIFY_OK(store.remove(u"other"_qs));
        }
        const auto mode = QFile::permissions(path);
        QVERIFY(mode.testFlag(QFileDevice::ReadOwner) && mode.testFlag(QFileDevice::WriteOwner));
        QCOMPARE(int(mode & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                             QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther)),
                 0); // 0600
        QVERIFY(!test::readFile(path).contains("TOPSECRET"));
        security::FileSecretStore again(path, "correct horse", 1000);
        auto read = again.read(u"allegro/1/tokens"_qs);
        SD_VERIFY_OK(read);
        QCOMPARE(read->value_or(QByteArray()), QByteArray("TOPSECRET-token"));
        auto missing = again.read(u"other"_qs);
        SD_VERIFY_OK(missing);
        QVERIFY(!missing->has_value());

        security::FileSecretStore wrong(path, "wrong", 1000);
        auto refused = wrong.unlock();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, Error::Code::Invalid);
    }

    void noKeychainGivesClearError()
    {
        // Without a session bus there is no Secret Service: the store must say so, not fall back silently.
        if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("a session bus is present");
        security::SecretStore::Choice choice;
        choice.service = u"SellerDeskTest"_qs;
        auto store = security::SecretStore::open(choice);
        QVERIFY(!store.ok());
        QVERIFY(store.error().userMessage.contains(u"SD_SECRET_PASSPHRASE"));
        QTemporaryDir dir;
        choice.allowFile = true;
        choice.passphrase = "pass";
        choice.filePath = dir.filePath(u"s.enc"_qs);
        choice.pbkdf2Iterations = 1000;
        auto file = security::SecretStore::open(choice);
        SD_VERIFY_OK(file);
        QCOMPARE((*file)->kind(), security::SecretStore::Kind::EncryptedFile);
    }
};

QTEST_GUILESS_MAIN(TestAllegroUnit)
#include "tst_allegrounit.moc"
