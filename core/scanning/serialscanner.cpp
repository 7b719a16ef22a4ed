#include "scanning/serialscanner.h"

#include <QCoreApplication>

namespace sd::scanning {

SerialScanner::SerialScanner(QObject *parent)
    : QObject(parent)
{
    connect(&m_port, &QSerialPort::readyRead, this, [this] { consume(m_port.readAll()); });
    connect(&m_port, &QSerialPort::errorOccurred, this, [this](QSerialPort::SerialPortError error) {
        if (error != QSerialPort::NoError && error != QSerialPort::TimeoutError)
            Q_EMIT failed(m_port.errorString());
    });
}

Result<void> SerialScanner::open(const QString &portName, qint32 baudRate)
{
    close();
    m_port.setPortName(portName);
    m_port.setBaudRate(baudRate);
    if (!m_port.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::scanning", "The scanner port %1 could not be opened: %2")
                             .arg(portName, m_port.errorString()));
    return {};
}

void SerialScanner::close()
{
    if (m_port.isOpen())
        m_port.close();
    m_pending.clear();
}

void SerialScanner::consume(const QByteArray &bytes)
{
    m_pending += bytes;
    for (;;) {
        qsizetype end = -1;
        for (qsizetype i = 0; i < m_pending.size() && end < 0; ++i) {
            if (m_pending.at(i) == '\r' || m_pending.at(i) == '\n')
                end = i;
        }
        if (end < 0)
            break;
        const QString code = QString::fromUtf8(m_pending.left(end)).trimmed();
        m_pending.remove(0, end + 1);
        if (!code.isEmpty())
            Q_EMIT scanned(code);
    }
    // A scanner that never sends a terminator must not grow the buffer without end.
    if (m_pending.size() > 4096)
        m_pending.clear();
}

} // namespace sd::scanning
