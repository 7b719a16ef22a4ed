#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace sd::devices::fiscal {

// A blocking byte pipe to a fiscal printer: TCP (QTcpSocket) or a serial port (QSerialPort, also USB CDC devices).
// Blocking keeps one command in flight and suits the synchronous automation executors and the CLI.
class FiscalTransport
{
public:
    virtual ~FiscalTransport() = default;

    // "tcp://HOST:PORT" or "serial:/dev/ttyX" (optionally "serial:/dev/ttyX?baud=115200&flow=xonxoff"); either may
    // end in "protocol=novitus" (default posnet), which the transport ignores and the driver choice reads.
    static Result<std::unique_ptr<FiscalTransport>> fromAddress(const QString &address);
    // The same check without opening anything: a translated reason, or empty when the address is good.
    static QString checkAddress(const QString &address);
    // "posnet" (the default) or "novitus", from the address's "?protocol=" item.
    static QString protocolOf(const QString &address);

    virtual QString address() const = 0;
    virtual Result<void> open(int timeoutMs) = 0;
    virtual bool isOpen() const = 0;
    virtual void close() = 0;
    virtual Result<void> write(const QByteArray &bytes, int timeoutMs) = 0;
    // Waits up to timeoutMs for more bytes; an empty result means nothing came in time.
    virtual Result<QByteArray> read(int timeoutMs) = 0;
};

} // namespace sd::devices::fiscal
