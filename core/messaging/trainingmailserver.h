#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QTcpServer>

namespace sd::messaging {

// A training mail server (a product feature, like the training marketplace and the fiscal printer simulator): a
// small SMTP server on 127.0.0.1 only that accepts every message without TLS or AUTH and keeps it, so a training
// profile's e-mails go nowhere real and can be looked at. Each message is kept in memory and, with a folder, written
// there as NNNN.eml before the server says 250. Thread-safe accessors let a caller on another thread read them.
class TrainingMailServer : public QTcpServer
{
    Q_OBJECT

public:
    struct Message
    {
        QByteArray from;
        QList<QByteArray> to;
        QByteArray data; // the message as sent, dot-unstuffed
    };

    explicit TrainingMailServer(QString folder = {}, QObject *parent = nullptr);

    Result<quint16> start(quint16 port = 0);
    QList<Message> messages() const;
    // The Message-ID header of each message, in arrival order (empty when a message has none).
    QList<QByteArray> messageIds() const;

private:
    void serve(QTcpSocket *socket);

    QString m_folder;
    mutable QMutex m_mutex;
    QList<Message> m_messages;
};

} // namespace sd::messaging
