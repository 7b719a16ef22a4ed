#include "messaging/trainingmailserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpSocket>

namespace sd::messaging {

namespace {

// One connection's SMTP conversation: commands line by line, then the DATA lines until a lone dot.
struct Session
{
    QByteArray buffer;
    bool inData = false;
    TrainingMailServer::Message message;
};

QByteArray headerValue(const QByteArray &data, const QByteArray &name)
{
    const qsizetype end = data.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = data.left(end < 0 ? data.size() : end).split('\n');
    for (const QByteArray &line : lines)
        if (line.toLower().startsWith(QByteArray(name.toLower() + ':')))
            return line.mid(name.size() + 1).trimmed();
    return {};
}

} // namespace

TrainingMailServer::TrainingMailServer(QString folder, QObject *parent)
    : QTcpServer(parent)
    , m_folder(std::move(folder))
{
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = nextPendingConnection())
            serve(socket);
    });
}

Result<quint16> TrainingMailServer::start(quint16 port)
{
    if (!m_folder.isEmpty() && !QDir().mkpath(m_folder))
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::messaging", "Cannot create the folder %1 for the training "
                                                                      "mail server.")
                             .arg(m_folder));
    // Loopback only, always: a training server is never reachable from another computer.
    if (!listen(QHostAddress::LocalHost, port))
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::messaging", "The training mail server cannot listen on port "
                                                                      "%1: %2")
                             .arg(port)
                             .arg(errorString()));
    return serverPort();
}

QList<TrainingMailServer::Message> TrainingMailServer::messages() const
{
    QMutexLocker lock(&m_mutex);
    return m_messages;
}

QList<QByteArray> TrainingMailServer::messageIds() const
{
    QList<QByteArray> ids;
    for (const Message &m : messages())
        ids << headerValue(m.data, "Message-ID");
    return ids;
}

void TrainingMailServer::serve(QTcpSocket *socket)
{
    auto session = std::make_shared<Session>();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write("220 127.0.0.1 SellerDesk training mail server\r\n");
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, session] {
        session->buffer += socket->readAll();
        qsizetype eol;
        while ((eol = session->buffer.indexOf("\r\n")) >= 0) {
            QByteArray line = session->buffer.left(eol);
            session->buffer.remove(0, eol + 2);
            if (session->inData) {
                if (line == ".") {
                    session->inData = false;
                    {
                        QMutexLocker lock(&m_mutex);
                        if (!m_folder.isEmpty()) {
                            QFile file(QDir(m_folder).filePath(
                                QStringLiteral("%1.eml").arg(m_messages.size() + 1, 4, 10, QLatin1Char('0'))));
                            if (!file.open(QIODevice::WriteOnly) || file.write(session->message.data) < 0) {
                                socket->write("451 cannot keep the message\r\n");
                                continue;
                            }
                        }
                        m_messages.append(session->message);
                    }
                    session->message = {};
                    socket->write("250 kept\r\n");
                } else {
                    if (line.startsWith('.'))
                        line.remove(0, 1); // dot-stuffing
                    session->message.data += line + "\r\n";
                }
                continue;
            }
            const QByteArray verb = line.left(4).toUpper();
            if (verb == "EHLO")
                socket->write("250-127.0.0.1\r\n250-8BITMIME\r\n250 SIZE 26214400\r\n");
            else if (verb == "HELO")
                socket->write("250 127.0.0.1\r\n");
            else if (verb == "MAIL") {
                session->message = {};
                session->message.from = line.mid(line.indexOf(':') + 1).trimmed();
                socket->write("250 ok\r\n");
            } else if (verb == "RCPT") {
                session->message.to.append(line.mid(line.indexOf(':') + 1).trimmed());
                socket->write("250 ok\r\n");
            } else if (verb == "DATA") {
                if (session->message.to.isEmpty()) {
                    socket->write("554 no recipients\r\n");
                } else {
                    session->inData = true;
                    socket->write("354 end with <CRLF>.<CRLF>\r\n");
                }
            } else if (verb == "RSET") {
                session->message = {};
                socket->write("250 ok\r\n");
            } else if (verb == "NOOP")
                socket->write("250 ok\r\n");
            else if (verb == "QUIT") {
                socket->write("221 bye\r\n");
                socket->disconnectFromHost();
            } else
                socket->write("502 not implemented\r\n");
        }
    });
}

} // namespace sd::messaging
