#include "access/passwordhash.h"

#include <QStringList>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace sd::access {

namespace {

constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;

QByteArray derive(const QByteArray &password, const QByteArray &salt, int iterations)
{
    QByteArray key(kHashBytes, Qt::Uninitialized);
    if (PKCS5_PBKDF2_HMAC(password.constData(), int(password.size()),
                          reinterpret_cast<const unsigned char *>(salt.constData()), int(salt.size()), iterations,
                          EVP_sha256(), kHashBytes, reinterpret_cast<unsigned char *>(key.data())) != 1)
        return {};
    return key;
}

} // namespace

QString hashPassword(const QString &password, int iterations)
{
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), kSaltBytes) != 1)
        return {};
    QByteArray utf8 = password.toUtf8();
    const QByteArray hash = derive(utf8, salt, iterations);
    OPENSSL_cleanse(utf8.data(), size_t(utf8.size()));
    if (hash.isEmpty())
        return {};
    return u"pbkdf2-sha256$%1$%2$%3"_qs.arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(hash.toBase64()));
}

bool verifyPassword(const QString &password, const QString &stored)
{
    const QStringList parts = stored.split(u'$');
    if (parts.size() != 4 || parts[0] != u"pbkdf2-sha256")
        return false;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < 1)
        return false;
    const QByteArray salt = QByteArray::fromBase64(parts[2].toLatin1());
    const QByteArray expected = QByteArray::fromBase64(parts[3].toLatin1());
    QByteArray utf8 = password.toUtf8();
    const QByteArray actual = derive(utf8, salt, iterations);
    OPENSSL_cleanse(utf8.data(), size_t(utf8.size()));
    return actual.size() == expected.size() && !expected.isEmpty() &&
           CRYPTO_memcmp(actual.constData(), expected.constData(), size_t(actual.size())) == 0;
}

} // namespace sd::access
