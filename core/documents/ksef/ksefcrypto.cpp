#include "documents/ksef/ksefcrypto.h"

#include <QCoreApplication>
#include <QCryptographicHash>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace sd::documents::ksef::crypto {

namespace {

Error cryptoError(const char *what)
{
    char buffer[256] = {};
    ERR_error_string_n(ERR_get_error(), buffer, sizeof buffer);
    ERR_clear_error();
    return makeError(Error::Code::Internal, QCoreApplication::translate("sd::ksef", "Encryption for KSeF failed."),
                     QString::fromLatin1(what) + u": " + QString::fromLatin1(buffer));
}

using PKeyCtx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

bool setOaep(EVP_PKEY_CTX *ctx)
{
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0;
}

// One RSA-OAEP operation (encrypt or decrypt: the same calls with other OpenSSL functions).
Result<QByteArray> rsaOaep(int (*init)(EVP_PKEY_CTX *),
                           int (*run)(EVP_PKEY_CTX *, unsigned char *, size_t *, const unsigned char *, size_t),
                           const PKey &key, const QByteArray &input)
{
    PKeyCtx ctx(EVP_PKEY_CTX_new(key.get(), nullptr), &EVP_PKEY_CTX_free);
    if (!ctx || init(ctx.get()) <= 0 || !setOaep(ctx.get()))
        return cryptoError("rsa-oaep init");
    const auto *in = reinterpret_cast<const unsigned char *>(input.constData());
    size_t length = 0;
    if (run(ctx.get(), nullptr, &length, in, size_t(input.size())) <= 0)
        return cryptoError("rsa-oaep size");
    QByteArray out(qsizetype(length), Qt::Uninitialized);
    if (run(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &length, in, size_t(input.size())) <= 0)
        return cryptoError("rsa-oaep");
    out.truncate(qsizetype(length));
    return out;
}

Result<QByteArray> aesCbc(bool encrypt, const QByteArray &key, const QByteArray &iv, const QByteArray &in)
{
    if (key.size() != kSymmetricKeyBytes || iv.size() != kIvBytes)
        return makeError(Error::Code::Invalid, QCoreApplication::translate("sd::ksef", "Encryption for KSeF failed."),
                         QStringLiteral("AES-256-CBC needs a 32-byte key and a 16-byte IV"));
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    const auto *k = reinterpret_cast<const unsigned char *>(key.constData());
    const auto *v = reinterpret_cast<const unsigned char *>(iv.constData());
    // PKCS#7 padding is OpenSSL's default for CBC.
    if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, v, encrypt ? 1 : 0) != 1)
        return cryptoError("aes init");
    QByteArray out(in.size() + EVP_MAX_BLOCK_LENGTH, Qt::Uninitialized);
    int written = 0;
    int last = 0;
    if (EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &written,
                         reinterpret_cast<const unsigned char *>(in.constData()), int(in.size())) != 1)
        return cryptoError("aes update");
    if (EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + written, &last) != 1)
        return cryptoError(encrypt ? "aes final" : "aes final (wrong key or padding)");
    out.truncate(written + last);
    return out;
}

} // namespace

Result<PKey> publicKeyFromCertificate(const QByteArray &der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, long(der.size())), &X509_free);
    if (!cert)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::ksef", "The KSeF public key certificate cannot be read."),
                         QStringLiteral("d2i_X509 failed"));
    EVP_PKEY *key = X509_get_pubkey(cert.get());
    if (!key)
        return cryptoError("X509_get_pubkey");
    if (EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::ksef", "The KSeF public key certificate cannot be read."),
                         QStringLiteral("the certificate's key is not RSA"));
    }
    return PKey(key, &EVP_PKEY_free);
}

Result<QByteArray> rsaOaepEncrypt(const PKey &key, const QByteArray &plain)
{
    return rsaOaep(&EVP_PKEY_encrypt_init, &EVP_PKEY_encrypt, key, plain);
}

Result<QByteArray> rsaOaepDecrypt(const PKey &privateKey, const QByteArray &cipher)
{
    return rsaOaep(&EVP_PKEY_decrypt_init, &EVP_PKEY_decrypt, privateKey, cipher);
}

Result<QByteArray> aesCbcEncrypt(const QByteArray &key, const QByteArray &iv, const QByteArray &plain)
{
    return aesCbc(true, key, iv, plain);
}

Result<QByteArray> aesCbcDecrypt(const QByteArray &key, const QByteArray &iv, const QByteArray &cipher)
{
    return aesCbc(false, key, iv, cipher);
}

Result<QByteArray> randomBytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        return cryptoError("RAND_bytes");
    return out;
}

QByteArray sha256Base64(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toBase64();
}

QByteArray tokenAuthPlaintext(const QByteArray &token, qint64 challengeTimestampMs)
{
    return token + '|' + QByteArray::number(challengeTimestampMs);
}

Result<EncryptedInvoice> encryptInvoice(const QByteArray &xml, const QByteArray &key, const QByteArray &iv)
{
    auto cipher = aesCbcEncrypt(key, iv, xml);
    if (!cipher)
        return cipher.error();
    EncryptedInvoice out;
    out.invoiceHash = sha256Base64(xml);
    out.invoiceSize = xml.size();
    out.encryptedInvoiceHash = sha256Base64(*cipher);
    out.encryptedInvoiceSize = cipher->size();
    out.ciphertext = *cipher;
    return out;
}

} // namespace sd::documents::ksef::crypto
