#include "security/keychainsecretstore.h"
#include "security/secretstore.h"
#include "testsupport.h"

using namespace sd;

// Runs under dbus-run-session with an unlocked gnome-keyring-daemon (see CMakeLists.txt): the real keychain path.
class TestKeychainStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void probeWriteReadRemove()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no session bus: this test must run through its dbus-run-session wrapper");
        SD_VERIFY_OK(security::KeychainSecretStore::probe(u"SellerDeskTest"_qs));
        security::SecretStore::Choice choice;
        choice.service = u"SellerDeskTest"_qs;
        auto store = security::SecretStore::open(choice);
        SD_VERIFY_OK(store);
        QCOMPARE((*store)->kind(), security::SecretStore::Kind::Keychain);
        SD_VERIFY_OK((*store)->write(u"allegro/x/tokens"_qs, "{\"access_token\":\"k1\"}"));
        auto read = (*store)->read(u"allegro/x/tokens"_qs);
        SD_VERIFY_OK(read);
        QCOMPARE(read->value_or(QByteArray()), QByteArray("{\"access_token\":\"k1\"}"));
        SD_VERIFY_OK((*store)->remove(u"allegro/x/tokens"_qs));
        auto gone = (*store)->read(u"allegro/x/tokens"_qs);
        SD_VERIFY_OK(gone);
        QVERIFY(!gone->has_value());
        SD_VERIFY_OK((*store)->remove(u"allegro/x/tokens"_qs)); // removing a missing key is fine
    }
};

QTEST_GUILESS_MAIN(TestKeychainStore)
#include "tst_keychainstore.moc"
