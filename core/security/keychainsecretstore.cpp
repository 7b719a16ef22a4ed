#include "security/keychainsecretstore.h"

#include "util/logging.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>
#include <QUuid>

#include <qt6keychain/keychain.h>

#include <functional>
#include <memory>
#include <type_traits>

namespace sd::security {

namespace {

// libsecret (behind QtKeychain) binds its Secret Service connection to the GLib main context of the thread that
// first used it and completes later calls there. Jobs started on any other thread would wait forever once that
// thread is gone or busy, so every job runs on one thread of its own that lives as long as the application.
class KeychainThread
{
public:
    static KeychainThread &instance()
    {
        static KeychainThread thread;
        return thread;
    }

    void run(const std::function<void()> &work)
    {
        if (QThread::currentThread() == &m_thread) {
            work();
            return;
        }
        QMetaObject::invokeMethod(m_context, work, Qt::BlockingQueuedConnection);
    }

private:
    KeychainThread()
    {
        m_thread.setObjectName(QStringLiteral("keychain"));
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread.start();
        // Stopped before the application object goes away (static destruction is too late for a QThread).
        qAddPostRoutine([] {
            KeychainThread &self = instance();
            self.m_thread.quit();
            self.m_thread.wait();
        });
    }

    QThread m_thread;
    QObject *m_context = nullptr;
};

// What a finished job said.
struct Outcome
{
    QKeychain::Error error = QKeychain::OtherError;
    QString errorString;
    QByteArray data;
};

// Makes one QtKeychain job on the keychain thread, runs it to its end there and waits for it here.
template<typename Job, typename Setup>
Outcome runJob(const QString &service, Setup setup)
{
    Outcome outcome;
    KeychainThread::instance().run([&] {
        Job job(service);
        job.setAutoDelete(false);
        setup(job);
        QEventLoop loop;
        QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
        job.start();
        loop.exec(QEventLoop::ExcludeUserInputEvents);
        outcome.error = job.error();
        outcome.errorString = job.errorString();
        if constexpr (std::is_same_v<Job, QKeychain::ReadPasswordJob>)
            outcome.data = job.binaryData();
    });
    return outcome;
}

Error keychainError(const Outcome &outcome, const char *what)
{
    qCWarning(lcSecurity) << "keychain" << what << "failed:" << outcome.error << outcome.errorString;
    return makeError(Error::Code::Io,
                     QCoreApplication::translate("sd::security", "The system keychain refused to %1 a secret.")
                         .arg(QCoreApplication::translate("sd::security", what)),
                     QStringLiteral("QtKeychain error %1: %2").arg(int(outcome.error)).arg(outcome.errorString));
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service)
    : m_service(std::move(service))
{}

Result<void> KeychainSecretStore::probe(const QString &service)
{
    KeychainSecretStore store(service);
    const QString key = QStringLiteral("sellerdesk-probe-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray sentinel = QUuid::createUuid().toByteArray();
    if (auto r = store.write(key, sentinel); !r)
        return r;
    auto back = store.read(key);
    if (!back)
        return back.error();
    auto removed = store.remove(key);
    if (!back->has_value() || **back != sentinel)
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::security", "The system keychain does not keep secrets."),
                         QStringLiteral("probe read back a different value"));
    if (!removed)
        return removed;
    return {};
}

Result<void> KeychainSecretStore::write(const QString &key, const QByteArray &secret)
{
    const Outcome outcome = runJob<QKeychain::WritePasswordJob>(m_service, [&](auto &job) {
        job.setKey(key);
        job.setBinaryData(secret);
    });
    if (outcome.error != QKeychain::NoError)
        return keychainError(outcome, QT_TRANSLATE_NOOP("sd::security", "store"));
    return {};
}

Result<std::optional<QByteArray>> KeychainSecretStore::read(const QString &key)
{
    const Outcome outcome = runJob<QKeychain::ReadPasswordJob>(m_service, [&](auto &job) { job.setKey(key); });
    if (outcome.error == QKeychain::EntryNotFound)
        return std::optional<QByteArray>();
    if (outcome.error != QKeychain::NoError)
        return keychainError(outcome, QT_TRANSLATE_NOOP("sd::security", "read"));
    return std::optional<QByteArray>(outcome.data);
}

Result<void> KeychainSecretStore::remove(const QString &key)
{
    const Outcome outcome = runJob<QKeychain::DeletePasswordJob>(m_service, [&](auto &job) { job.setKey(key); });
    if (outcome.error != QKeychain::NoError && outcome.error != QKeychain::EntryNotFound)
        return keychainError(outcome, QT_TRANSLATE_NOOP("sd::security", "remove"));
    return {};
}

} // namespace sd::security
