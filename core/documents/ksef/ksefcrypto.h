#pragma once

#include "util/result.h"

#include <QByteArray>

#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace sd::documents::ksef {

// An RSA public (or, on the fake service's side, private) key held by OpenSSL.
using PKey = std::shared_ptr<EVP_PKEY>;

// What POST /sessions/online/{ref}/invoices carries for one invoice: the hashes and sizes of the plain and of the
// encrypted bytes, and the ciphertext (AES-256-CBC, PKCS#7, the session's key and IV; the IV is not prepended,
// as the Ministry's own client does it).
struct EncryptedInvoice
{
    QByteArray invoiceHash; // base64(SHA-256(xml))
    qint64 invoiceSize = 0;
    QByteArray encryptedInvoiceHash; // base64(SHA-256(ciphertext))
    qint64 encryptedInvoiceSize = 0;
    QByteArray ciphertext; // raw; base64 on the wire
};

// The crypto KSeF API 2.0 asks for, on OpenSSL 3.
namespace crypto {

constexpr int kSymmetricKeyBytes = 32;
constexpr int kIvBytes = 16;

// The public key of a DER X.509 certificate (what GET /security/public-key-certificates sends, base64-decoded).
Result<PKey> publicKeyFromCertificate(const QByteArray &der);
// RSA-OAEP with SHA-256 and MGF1-SHA-256.
Result<QByteArray> rsaOaepEncrypt(const PKey &key, const QByteArray &plain);
Result<QByteArray> rsaOaepDecrypt(const PKey &privateKey, const QByteArray &cipher);
Result<QByteArray> aesCbcEncrypt(const QByteArray &key, const QByteArray &iv, const QByteArray &plain);
Result<QByteArray> aesCbcDecrypt(const QByteArray &key, const QByteArray &iv, const QByteArray &cipher);
// Cryptographically strong random bytes (OpenSSL's RAND_bytes).
Result<QByteArray> randomBytes(int count);
QByteArray sha256Base64(const QByteArray &data);
// The string KSeF-token authentication encrypts: "<token>|<timestampMs of the challenge>".
QByteArray tokenAuthPlaintext(const QByteArray &token, qint64 challengeTimestampMs);
Result<EncryptedInvoice> encryptInvoice(const QByteArray &xml, const QByteArray &key, const QByteArray &iv);

} // namespace crypto

} // namespace sd::documents::ksef
