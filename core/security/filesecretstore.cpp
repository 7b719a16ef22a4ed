#include "security/filesecretstore.h"

#include "util/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>
#include <QSaveFile>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace sd::security {

namespace {

constexpr int kKeyBytes = 32;
constexpr int kIvBytes = 12;
constexpr int kTagBytes = 16;
constexpr int kSaltBytes = 16;

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::security", text);
}

Error cryptoError(const char *what)
{
    return makeError(Error::Code::Internal, tr("Encrypting or decrypting the secret file failed."),
                     QString::fromLatin1(what));
}

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count) != 1)
        return {};
    return bytes;
}

// AES-256-GCM; the output is iv | ciphertext | tag.
std::optional<QByteArray> seal(const QByteArray &key, const QByteArray &plain)
{
    const QByteArray iv = randomBytes(kIvBytes);
    if (iv.isEmpty())
        return std::nullopt;
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    QByteArray out(plain.size() + 16, Qt::Uninitialized);
    int len = 0;
    int total = 0;
    const auto *k = reinterpret_cast<const unsigned char *>(key.constData());
    const auto *v = reinterpret_cast<const unsigned char *>(iv.constData());
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kIvBytes, nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, k, v) != 1 ||
        EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len,
                          reinterpret_cast<const unsigned char *>(plain.constData()), int(plain.size())) != 1)
        return std::nullopt;
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + total, &len) != 1)
        return std::nullopt;
    total += len;
    out.truncate(total);
    QByteArray tag(kTagBytes, Qt::Uninitialized);
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) != 1)
        return std::nullopt;
    return iv + out + tag;
}

std::optional<QByteArray> unseal(const QByteArray &key, const QByteArray &sealed)
{
    if (sealed.size() < kIvBytes + kTagBytes)
        return std::nullopt;
    const QByteArray iv = sealed.left(kIvBytes);
    QByteArray tag = sealed.right(kTagBytes);
    const QByteArray cipher = sealed.mid(kIvBytes, sealed.size() - kIvBytes - kTagBytes);
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    QByteArray out(cipher.size() + 16, Qt::Uninitialized);
    int len = 0;
    const auto *k = reinterpret_cast<const unsigned char *>(key.constData());
    const auto *v = reinterpret_cast<const unsigned char *>(iv.constData());
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kIvBytes, nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, k, v) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len,
                          reinterpret_cast<const unsigned char *>(cipher.constData()), int(cipher.size())) != 1)
        return std::nullopt;
    int total = len;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1)
        return std::nullopt;
    if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + total, &len) != 1)
        return std::nullopt; // wrong key or tampered
    total += len;
    out.truncate(total);
    return out;
}

} // namespace

FileSecretStore::FileSecretStore(QString path, QByteArray passphrase, int iterations)
    : m_path(std::move(path))
    , m_passphrase(std::move(passphrase))
    , m_iterations(qMax(1000, iterations))
{}

FileSecretStore::~FileSecretStore()
{
    OPENSSL_cleanse(m_passphrase.data(), size_t(m_passphrase.size()));
    OPENSSL_cleanse(m_key.data(), size_t(m_key.size()));
}

QByteArray FileSecretStore::deriveKey(const QByteArray &salt, int iterations) const
{
    QByteArray key(kKeyBytes, Qt::Uninitialized);
    if (PKCS5_PBKDF2_HMAC(m_passphrase.constData(), int(m_passphrase.size()),
                          reinterpret_cast<const unsigned char *>(salt.constData()), int(salt.size()), iterations,
                          EVP_sha256(), kKeyBytes, reinterpret_cast<unsigned char *>(key.data())) != 1)
        return {};
    return key;
}

Result<void> FileSecretStore::unlock()
{
    QMutexLocker lock(&m_mutex);
    return load();
}

Result<void> FileSecretStore::load()
{
    if (m_loaded)
        return {};
    QFile file(m_path);
    if (!file.exists()) {
        m_salt = randomBytes(kSaltBytes);
        m_key = deriveKey(m_salt, m_iterations);
        if (m_salt.isEmpty() || m_key.isEmpty())
            return cryptoError("key derivation");
        m_loaded = true;
        return {};
    }
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, tr("The secret file %1 cannot be read.").arg(m_path), file.errorString());
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    if (root.value(u"format").toString() != u"sellerdesk-secrets-1")
        return makeError(Error::Code::Invalid, tr("The file %1 is not a SellerDesk secret file.").arg(m_path));
    const QByteArray salt = QByteArray::fromBase64(root.value(u"salt").toString().toLatin1());
    const int iterations = root.value(u"iterations").toInt();
    const QByteArray sealed = QByteArray::fromBase64(root.value(u"data").toString().toLatin1());
    // The derivation is slow on purpose; the file is read again before each use, so keep the key for its salt.
    const QByteArray key =
        salt == m_salt && iterations == m_iterations && !m_key.isEmpty() ? m_key : deriveKey(salt, iterations);
    if (key.isEmpty())
        return cryptoError("key derivation");
    const auto plain = unseal(key, sealed);
    if (!plain)
        return makeError(Error::Code::Invalid,
                         tr("The passphrase does not open the secret file %1 (wrong passphrase, or the file was "
                            "changed).")
                             .arg(m_path));
    const QJsonObject entries = QJsonDocument::fromJson(*plain).object();
    m_entries.clear();
    for (auto it = entries.begin(); it != entries.end(); ++it)
        m_entries.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
    m_salt = salt;
    m_iterations = iterations;
    m_key = key;
    m_loaded = true;
    return {};
}

Result<void> FileSecretStore::save()
{
    QJsonObject entries;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        entries.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    const auto sealed = seal(m_key, QJsonDocument(entries).toJson(QJsonDocument::Compact));
    if (!sealed)
        return cryptoError("seal");
    const QJsonObject root{
        {u"format"_qs, u"sellerdesk-secrets-1"_qs}, {u"kdf"_qs, u"pbkdf2-hmac-sha256"_qs},
        {u"iterations"_qs, m_iterations},           {u"salt"_qs, QString::fromLatin1(m_salt.toBase64())},
        {u"cipher"_qs, u"aes-256-gcm"_qs},          {u"data"_qs, QString::fromLatin1(sealed->toBase64())}};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(Error::Code::Io, tr("The secret file %1 cannot be written.").arg(m_path), file.errorString());
    // Owner only, before a byte of it is written.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return makeError(Error::Code::Io, tr("The secret file %1 cannot be written.").arg(m_path), file.errorString());
    QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

Result<void> FileSecretStore::write(const QString &key, const QByteArray &secret)
{
    QMutexLocker lock(&m_mutex);
    m_loaded = false;
    if (auto r = load(); !r)
        return r;
    m_entries.insert(key, secret);
    return save();
}

Result<std::optional<QByteArray>> FileSecretStore::read(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    // Another process (a second workstation on this machine, the CLI) may have written since: read again.
    m_loaded = false;
    if (auto r = load(); !r)
        return r.error();
    if (!m_entries.contains(key))
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(m_entries.value(key));
}

Result<void> FileSecretStore::remove(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    m_loaded = false;
    if (auto r = load(); !r)
        return r;
    if (!m_entries.remove(key))
        return {};
    return save();
}

} // namespace sd::security
