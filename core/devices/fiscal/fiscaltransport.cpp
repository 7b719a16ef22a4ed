#include "devices/fiscal/fiscaltransport.h"

#include <QCoreApplication>
#include <QSerialPort>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

namespace sd::devices::fiscal {

namespace {

Error ioError(const QString &message, const QString &detail)
{
    return makeError(Error::Code::Io, message, detail);
}

Error lost(const QString &detail)
{
    return ioError(QCoreApplication::translate("sd::devices::fiscal", "The connection to the fiscal printer was lost."),
                   detail);
}

// Writing and reading are the same on a socket and a serial port: both are QIODevices with blocking waits.
class DeviceTransport : public FiscalTransport
{
public:
    Result<void> write(const QByteArray &bytes, int timeoutMs) override
    {
        if (!isOpen())
            return lost(u"write on a closed device"_qs);
        device()->write(bytes);
        while (device()->bytesToWrite() > 0)
            if (!device()->waitForBytesWritten(timeoutMs))
                return lost(device()->errorString());
        return {};
    }
    Result<QByteArray> read(int timeoutMs) override
    {
        if (!isOpen())
            return lost(u"read on a closed device"_qs);
        if (device()->bytesAvailable() == 0 && !device()->waitForReadyRead(timeoutMs)) {
            if (!isOpen() || broken())
                return lost(device()->errorString());
            return QByteArray();
        }
        return device()->readAll();
    }

protected:
    virtual QIODevice *device() = 0;
    virtual bool broken() const = 0;
};

class TcpTransport : public DeviceTransport
{
public:
    TcpTransport(QString host, quint16 port)
        : m_host(std::move(host))
        , m_port(port)
    {}
    QString address() const override { return u"tcp://%1:%2"_qs.arg(m_host).arg(m_port); }
    bool isOpen() const override { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }
    Result<void> open(int timeoutMs) override
    {
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->connectToHost(m_host, m_port);
        if (!m_socket->waitForConnected(timeoutMs))
            return ioError(QCoreApplication::translate(
                               "sd::devices::fiscal",
                               "The fiscal printer at %1 does not answer. Check that it is on and connected.")
                               .arg(address()),
                           m_socket->errorString());
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        return {};
    }
    void close() override
    {
        if (m_socket) {
            m_socket->abort();
            m_socket.reset();
        }
    }

protected:
    QIODevice *device() override { return m_socket.get(); }
    bool broken() const override { return m_socket->state() != QAbstractSocket::ConnectedState; }

private:
    QString m_host;
    quint16 m_port;
    std::unique_ptr<QTcpSocket> m_socket;
};

class SerialTransport : public DeviceTransport
{
public:
    SerialTransport(QString device, qint32 baud, QSerialPort::FlowControl flow)
        : m_device(std::move(device))
        , m_baud(baud)
        , m_flow(flow)
    {}
    QString address() const override { return u"serial:"_qs + m_device; }
    bool isOpen() const override { return m_port && m_port->isOpen(); }
    Result<void> open(int) override
    {
        m_port = std::make_unique<QSerialPort>(m_device);
        m_port->setBaudRate(m_baud);
        m_port->setDataBits(QSerialPort::Data8);
        m_port->setParity(QSerialPort::NoParity);
        m_port->setStopBits(QSerialPort::OneStop);
        m_port->setFlowControl(m_flow);
        if (!m_port->open(QIODevice::ReadWrite))
            return ioError(QCoreApplication::translate("sd::devices::fiscal", "The serial port %1 cannot be opened.")
                               .arg(m_device),
                           m_port->errorString());
        return {};
    }
    void close() override
    {
        if (m_port) {
            m_port->close();
            m_port.reset();
        }
    }

protected:
    QIODevice *device() override { return m_port.get(); }
    bool broken() const override
    {
        return m_port->error() != QSerialPort::NoError && m_port->error() != QSerialPort::TimeoutError;
    }

private:
    QString m_device;
    qint32 m_baud;
    QSerialPort::FlowControl m_flow;
    std::unique_ptr<QSerialPort> m_port;
};

struct Parsed
{
    bool serial = false;
    QString host;
    quint16 port = 0;
    QString device;
    qint32 baud = 115200;
    QSerialPort::FlowControl flow = QSerialPort::NoFlowControl;
    QString protocol = u"posnet"_qs;
    QString problem;
};

// "?protocol=posnet|novitus" on either kind of address: which language the printer speaks.
void parseProtocol(const QUrlQuery &query, Parsed &p)
{
    if (!query.hasQueryItem(u"protocol"_qs))
        return;
    p.protocol = query.queryItemValue(u"protocol"_qs);
    if (p.protocol != u"posnet" && p.protocol != u"novitus")
        p.problem = QCoreApplication::translate("sd::devices::fiscal", "The protocol must be posnet or novitus.");
}

Parsed parse(const QString &address)
{
    Parsed p;
    const QString bad = QCoreApplication::translate(
        "sd::devices::fiscal", "\"%1\" is not a fiscal printer address; use tcp://HOST:PORT or serial:/dev/ttyX.");
    if (address.startsWith(u"serial:")) {
        p.serial = true;
        QString rest = address.mid(7);
        const qsizetype q = rest.indexOf(u'?');
        if (q >= 0) {
            const QUrlQuery query(rest.mid(q + 1));
            rest = rest.left(q);
            parseProtocol(query, p);
            if (query.hasQueryItem(u"baud"_qs)) {
                bool ok = false;
                p.baud = query.queryItemValue(u"baud"_qs).toInt(&ok);
                if (!ok || p.baud < 1200 || p.baud > 230400)
                    p.problem = QCoreApplication::translate("sd::devices::fiscal",
                                                            "The baud rate must be between 1200 and 230400.");
            }
            const QString flow = query.queryItemValue(u"flow"_qs);
            if (flow == u"rtscts")
                p.flow = QSerialPort::HardwareControl;
            else if (flow == u"xonxoff")
                p.flow = QSerialPort::SoftwareControl;
            else if (!flow.isEmpty() && flow != u"none")
                p.problem = QCoreApplication::translate("sd::devices::fiscal",
                                                        "The flow control must be none, rtscts or xonxoff.");
        }
        p.device = rest;
        if (!p.device.startsWith(u'/') || p.device.size() < 2)
            p.problem = bad.arg(address);
        return p;
    }
    const QUrl url(address, QUrl::StrictMode);
    parseProtocol(QUrlQuery(url), p);
    if (url.scheme() != u"tcp" || url.host().isEmpty() || url.port() <= 0 || !url.path().isEmpty())
        p.problem = bad.arg(address);
    p.host = url.host();
    p.port = quint16(url.port());
    return p;
}

} // namespace

QString FiscalTransport::checkAddress(const QString &address)
{
    return parse(address).problem;
}

QString FiscalTransport::protocolOf(const QString &address)
{
    return parse(address).protocol;
}

Result<std::unique_ptr<FiscalTransport>> FiscalTransport::fromAddress(const QString &address)
{
    const Parsed p = parse(address);
    if (!p.problem.isEmpty())
        return makeError(Error::Code::Invalid, p.problem);
    std::unique_ptr<FiscalTransport> transport;
    if (p.serial)
        transport = std::make_unique<SerialTransport>(p.device, p.baud, p.flow);
    else
        transport = std::make_unique<TcpTransport>(p.host, p.port);
    return transport;
}

} // namespace sd::devices::fiscal
