#include "security/keychainsecretstore.h"
#include "security/secretstore.h"
#include "testsupport.h"

#include <QThread>

#include <atomic>

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

    // The window probes the keychain on a short-lived thread and the order download then reads tokens on its own
    // long-lived thread with a running event loop. libsecret binds to the first caller's thread, so without one
    // keychain thread for every job the second thread waited forever.
    void worksFromThreadsThatComeAndGo()
    {
        QThread *probe = QThread::create([] { (void)security::KeychainSecretStore::probe(u"SellerDeskTest"_qs); });
        probe->start();
        QVERIFY(probe->wait(20000));
        delete probe;

        security::KeychainSecretStore store(u"SellerDeskTest"_qs);
        SD_VERIFY_OK(store.write(u"threads/tokens"_qs, "secret-1"));
        QThread worker;
        QObject context;
        context.moveToThread(&worker);
        worker.start();
        std::atomic_bool done = false;
        QByteArray seen;
        QMetaObject::invokeMethod(&context, [&] {
            auto read = store.read(u"threads/tokens"_qs);
            if (read && read->has_value())
                seen = **read;
            (void)store.remove(u"threads/tokens"_qs);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 20000);
        worker.quit();
        QVERIFY(worker.wait(5000));
        QCOMPARE(seen, QByteArray("secret-1"));
    }
};

QTEST_GUILESS_MAIN(TestKeychainStore)
#include "tst_keychainstore.moc"
