#pragma once

#include "util/result.h"

#include <QObject>
#include <QSerialPort>

namespace sd::scanning {

// A scanner on a serial port or USB-CDC (ttyACM): it sends each code followed by CR and/or LF. No keyboard is
// involved, so nothing has to be told apart from typing.
class SerialScanner : public QObject
{
    Q_OBJECT

public:
    explicit SerialScanner(QObject *parent = nullptr);

    // portName: "ttyACM0", "/dev/ttyUSB0" or a pseudo-terminal; baudRate is ignored by USB-CDC devices.
    Result<void> open(const QString &portName, qint32 baudRate = 9600);
    void close();
    bool isOpen() const { return m_port.isOpen(); }
    // Bytes as the port delivered them; public so that a test can feed a recorded stream.
    void consume(const QByteArray &bytes);

Q_SIGNALS:
    void scanned(const QString &code);
    void failed(const QString &message);

private:
    QSerialPort m_port;
    QByteArray m_pending;
};

} // namespace sd::scanning
