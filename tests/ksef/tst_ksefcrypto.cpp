#include "documents/ksef/ksefcrypto.h"
#include "documents/ksef/ksefnumber.h"
#include "documents/ksef/ksefsettings.h"
#include "testsupport.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sd;
using namespace sd::documents::ksef;

// The KSeF crypto checked against OpenSSL's command line (an independent implementation of the same algorithms)
// and against published test vectors.
class TestKsefCrypto : public QObject
{
    Q_OBJECT

private:
    static QByteArray runOpenSsl(const QStringList &arguments, const QByteArray &input = {})
    {
        QProcess p;
        p.start(u"openssl"_qs, arguments);
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            qWarning().noquote() << "openssl failed:" << p.readAllStandardError();
        return p.readAllStandardOutput();
    }

private slots:
    void rsaOaepDecryptsWithOpenSslCli()
    {
        QTemporaryDir dir;
        const QString keyPath = dir.filePath(u"key.pem"_qs);
        const QString certPath = dir.filePath(u"cert.der"_qs);
        runOpenSsl({u"req"_qs, u"-x509"_qs, u"-newkey"_qs, u"rsa:2048"_qs, u"-nodes"_qs, u"-keyout"_qs, keyPath,
                    u"-outform"_qs, u"DER"_qs, u"-out"_qs, certPath, u"-days"_qs, u"2"_qs, u"-subj"_qs,
                    u"/CN=KSeF test"_qs});
        const QByteArray der = test::readFile(certPath);
        QVERIFY(!der.isEmpty());
        auto key = crypto::publicKeyFromCertificate(der);
        SD_VERIFY_OK(key);

        const QByteArray plain = crypto::tokenAuthPlaintext("20250625-EC-2B5F6B8000-ABCDEF1234-12|nip-1234567890|"
                                                            "0123456789abcdef",
                                                            1750850123456);
        QVERIFY(plain.endsWith("|1750850123456"));
        auto cipher = crypto::rsaOaepEncrypt(*key, plain);
        SD_VERIFY_OK(cipher);
        QCOMPARE(cipher->size(), 256);
        const QByteArray decrypted = runOpenSsl({u"pkeyutl"_qs, u"-decrypt"_qs, u"-inkey"_qs, keyPath, u"-pkeyopt"_qs,
                                                 u"rsa_padding_mode:oaep"_qs, u"-pkeyopt"_qs, u"rsa_oaep_md:sha256"_qs,
                                                 u"-pkeyopt"_qs, u"rsa_mgf1_md:sha256"_qs},
                                                *cipher);
        QCOMPARE(decrypted, plain);
        // OAEP is randomised: the same plaintext never gives the same ciphertext.
        QVERIFY(*crypto::rsaOaepEncrypt(*key, plain) != *cipher);
    }

    void badCertificateIsRefused()
    {
        auto key = crypto::publicKeyFromCertificate("not a certificate");
        QVERIFY(!key);
        QCOMPARE(key.error().code, Error::Code::Invalid);
    }

    void aesMatchesNistVector()
    {
        // NIST SP 800-38A F.2.5 (CBC-AES256.Encrypt), first block; PKCS#7 then adds one block of padding.
        const QByteArray key = QByteArray::fromHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        const QByteArray iv = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f");
        const QByteArray plain = QByteArray::fromHex("6bc1bee22e409f96e93d7e117393172a");
        auto cipher = crypto::aesCbcEncrypt(key, iv, plain);
        SD_VERIFY_OK(cipher);
        QCOMPARE(cipher->size(), 32);
        QCOMPARE(cipher->left(16).toHex(), QByteArray("f58c4c04d6e5f1ba779eabfb5f7bfbd6"));
        QCOMPARE(*crypto::aesCbcDecrypt(key, iv, *cipher), plain);
        QVERIFY(!crypto::aesCbcEncrypt(key.left(16), iv, plain));
    }

    void invoiceEncryptionAsKsefExpects()
    {
        const QByteArray xml = test::readFile(QFINDTESTDATA("../data/ksef/official-sample-fa3.xml"));
        QVERIFY(!xml.isEmpty());
        auto key = crypto::randomBytes(crypto::kSymmetricKeyBytes);
        auto iv = crypto::randomBytes(crypto::kIvBytes);
        SD_VERIFY_OK(key);
        SD_VERIFY_OK(iv);
        auto invoice = crypto::encryptInvoice(xml, *key, *iv);
        SD_VERIFY_OK(invoice);
        QCOMPARE(invoice->invoiceSize, xml.size());
        QCOMPARE(invoice->encryptedInvoiceSize, (xml.size() / 16 + 1) * 16);
        QCOMPARE(invoice->encryptedInvoiceSize, invoice->ciphertext.size());
        QCOMPARE(invoice->invoiceHash.size(), 44);
        QCOMPARE(invoice->encryptedInvoiceHash, crypto::sha256Base64(invoice->ciphertext));
        // The IV is not prepended: openssl enc with the same key and IV reads the ciphertext as it is.
        const QByteArray decrypted =
            runOpenSsl({u"enc"_qs, u"-d"_qs, u"-aes-256-cbc"_qs, u"-K"_qs, QString::fromLatin1(key->toHex()), u"-iv"_qs,
                        QString::fromLatin1(iv->toHex())},
                       invoice->ciphertext);
        QCOMPARE(decrypted, xml);
        const QByteArray digest = runOpenSsl({u"dgst"_qs, u"-sha256"_qs, u"-binary"_qs}, xml);
        QCOMPARE(invoice->invoiceHash, digest.toBase64());
        QVERIFY(*crypto::randomBytes(32) != *crypto::randomBytes(32));
    }

    void ksefNumberChecksum()
    {
        // The integrator guide's example and the sample UPO's number.
        QVERIFY(ksefnumber::isValid(u"5265877635-20250826-0100001AF629-AF"_qs));
        QVERIFY(ksefnumber::isValid(u"5265877635-20250916-0200A0D6723E-C2"_qs));
        QVERIFY(!ksefnumber::isValid(u"5265877635-20250826-0100001AF629-AE"_qs));
        QVERIFY(!ksefnumber::isValid(u"5265877635-20250826-0100001af629-AF"_qs));
        QCOMPARE(ksefnumber::checksum(u"5265877635-20250826-0100001AF629"_qs), u"AF"_qs);
    }

    void environmentArgument()
    {
        Settings base;
        auto test = Settings::fromEnvironmentArgument(u"test"_qs, base);
        SD_VERIFY_OK(test);
        QCOMPARE(test->baseUrl, QUrl(u"https://api-test.ksef.mf.gov.pl/v2"_qs));
        auto production = Settings::fromEnvironmentArgument(u"production"_qs, base);
        SD_VERIFY_OK(production);
        QCOMPARE(production->environment, Settings::Environment::Production);
        auto custom = Settings::fromEnvironmentArgument(u"http://127.0.0.1:8123/v2"_qs, base);
        SD_VERIFY_OK(custom);
        QCOMPARE(custom->environment, Settings::Environment::Custom);
        QVERIFY(!Settings::fromEnvironmentArgument(u"prod"_qs, base));
        QVERIFY(!Settings::fromEnvironmentArgument(u"ftp://x/v2"_qs, base));
    }
};

QTEST_GUILESS_MAIN(TestKsefCrypto)
#include "tst_ksefcrypto.moc"
