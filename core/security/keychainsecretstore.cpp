#include "security/keychainsecretstore.h"

#include "util/logging.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QUuid>

#include <qt6keychain/keychain.h>

#include <memory>

namespace sd::security {

namespace {

// Runs one QtKeychain job to its end in a local event loop.
template<typename Job>
void runJob(Job &job)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec(QEventLoop::ExcludeUserInputEvents);
}

Error keychainError(const QKeychain::Job &job, const char *what)
{
    qCWarning(lcSecurity) << "keychain" << what << "failed:" << job.error() << job.errorString();
    return makeError(Error::Code::Io,
                     QCoreApplication::translate("sd::security", "The system keychain refused to %1 a secret.")
                         .arg(QCoreApplication::translate("sd::security", what)),
                     QStringLiteral("QtKeychain error %1: %2").arg(int(job.error())).arg(job.errorString()));
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
    QKeychain::WritePasswordJob job(m_service);
    job.setKey(key);
    job.setBinaryData(secret);
    runJob(job);
    if (job.error() != QKeychain::NoError)
        return keychainError(job, QT_TRANSLATE_NOOP("sd::security", "store"));
    return {};
}

Result<std::optional<QByteArray>> KeychainSecretStore::read(const QString &key)
{
    QKeychain::ReadPasswordJob job(m_service);
    job.setKey(key);
    runJob(job);
    if (job.error() == QKeychain::EntryNotFound)
        return std::optional<QByteArray>();
    if (job.error() != QKeychain::NoError)
        return keychainError(job, QT_TRANSLATE_NOOP("sd::security", "read"));
    return std::optional<QByteArray>(job.binaryData());
}

Result<void> KeychainSecretStore::remove(const QString &key)
{
    QKeychain::DeletePasswordJob job(m_service);
    job.setKey(key);
    runJob(job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        return keychainError(job, QT_TRANSLATE_NOOP("sd::security", "remove"));
    return {};
}

} // namespace sd::security
