#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace sd::test {

// A real SMTP server (python3-aiosmtpd, tests/support/smtpsink.py) on 127.0.0.1 for one test. Each message it
// accepts is decoded by Python's email module; messages() returns those summaries in arrival order.
class SmtpSink
{
public:
    struct Options
    {
        QString tls = QStringLiteral("none"); // none, starttls, ssl
        QString user;                         // with password: AUTH required
        QString password;
        int failFirst = 0; // 451 to the first N messages
        int port = 0;      // 0: any free port
    };

    SmtpSink();
    ~SmtpSink();

    // Starts the server; false with the reason in error() when it cannot (python3-aiosmtpd missing, ...).
    bool start(const Options &options);
    void stop();
    int port() const { return m_port; }
    QString error() const { return m_error; }
    // A self-signed certificate for localhost and 127.0.0.1 (made with openssl on first use).
    QString certificate() const { return m_dir.filePath(QStringLiteral("cert.pem")); }
    QList<QJsonObject> messages() const;
    QByteArray raw(int index) const; // the received bytes of message index (0-based)

private:
    bool makeCertificate();

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    int m_port = 0;
    QString m_error;
};

} // namespace sd::test
