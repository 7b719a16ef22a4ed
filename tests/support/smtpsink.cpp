#include "smtpsink.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

namespace sd::test {

namespace {

// Debian's python3 has python3-aiosmtpd; a python3 of one's own earlier on PATH may not.
QString python()
{
    const QByteArray chosen = qgetenv("SD_TEST_PYTHON");
    if (!chosen.isEmpty())
        return QString::fromLocal8Bit(chosen);
    return QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                             : QStringLiteral("python3");
}

} // namespace

SmtpSink::SmtpSink() = default;

SmtpSink::~SmtpSink()
{
    stop();
}

bool SmtpSink::makeCertificate()
{
    if (QFile::exists(certificate()))
        return true;
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                   m_dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"), certificate(),
                   QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0) {
        m_error = QStringLiteral("openssl could not make a certificate: ") +
                  QString::fromLocal8Bit(openssl.readAllStandardError());
        return false;
    }
    return true;
}

bool SmtpSink::start(const Options &options)
{
    stop();
    QDir(m_dir.path()).mkpath(QStringLiteral("mail"));
    QStringList args{QStringLiteral(SD_SMTPSINK_PY),
                     QStringLiteral("--dir"),
                     m_dir.filePath(QStringLiteral("mail")),
                     QStringLiteral("--port"),
                     QString::number(options.port),
                     QStringLiteral("--tls"),
                     options.tls,
                     QStringLiteral("--fail-first"),
                     QString::number(options.failFirst)};
    if (options.tls != QStringLiteral("none")) {
        if (!makeCertificate())
            return false;
        args << QStringLiteral("--cert") << certificate() << QStringLiteral("--key")
             << m_dir.filePath(QStringLiteral("key.pem"));
    }
    if (!options.user.isEmpty())
        args << QStringLiteral("--auth") << options.user + u':' + options.password;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->start(python(), args);
    QElapsedTimer timer;
    timer.start();
    QByteArray out;
    while (timer.elapsed() < 20000 && m_process->state() != QProcess::NotRunning) {
        m_process->waitForReadyRead(200);
        out += m_process->readAllStandardOutput();
        if (out.contains('\n'))
            break;
    }
    if (!out.startsWith("READY ")) {
        m_error = QStringLiteral("the SMTP sink did not start: ") + QString::fromLocal8Bit(out) +
                  QString::fromLocal8Bit(m_process->readAllStandardError());
        stop();
        return false;
    }
    m_port = out.mid(6).trimmed().toInt();
    return true;
}

void SmtpSink::stop()
{
    if (!m_process)
        return;
    m_process->closeWriteChannel(); // the sink stops when its stdin closes
    if (!m_process->waitForFinished(10000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
}

QList<QJsonObject> SmtpSink::messages() const
{
    QList<QJsonObject> list;
    for (int i = 1;; ++i) {
        QFile file(m_dir.filePath(QStringLiteral("mail/%1.json").arg(i)));
        if (!file.open(QIODevice::ReadOnly))
            break;
        list.append(QJsonDocument::fromJson(file.readAll()).object());
    }
    return list;
}

QByteArray SmtpSink::raw(int index) const
{
    QFile file(m_dir.filePath(QStringLiteral("mail/%1.eml").arg(index + 1)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace sd::test
