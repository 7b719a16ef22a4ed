#include "devices/fiscal/simulator/fiscalsimulator.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QTcpSocket>
#include <QTimer>

Q_LOGGING_CATEGORY(lcFiscalSim, "sd.fiscal.simulator")

namespace sd::devices::fiscal {

namespace {

// Posnet error numbers the simulator answers with (the manual's own).
enum : int {
    kErrUnknownCommand = 1,
    kErrMissingField = 2,
    kErrConversion = 3,
    kErrCrc = 5,
    kErrDevice = 50,
    kErrZeroReport = 382,
    kErrNoTransaction = 2005,
    kErrVat = 2000,
    kErrPrice = 2006,
    kErrQuantity = 2007,
    kErrTrEmpty = 1992,
    kErrTransactionOpen = 2038,
    kErrPaymentsShort = 2054,
    kErrNipLength = 2096,
    kErrLineValue = 2802,
    kErrTotal = 2805,
    kErrPayments = 2808,
};

QString rateText(int hundredths)
{
    return u"%1,%2"_qs.arg(hundredths / 100).arg(hundredths % 100, 2, 10, QChar(u'0'));
}

bool printing(const QString &command)
{
    return command == u"trinit" || command == u"trline" || command == u"trend" || command == u"dailyrep" ||
           command == u"trpayment" || command == u"trnipset";
}

} // namespace

SimulatorOptions::SimulatorOptions()
{
    vat.rates = {2300, 800, 500, 0, VatTable::kInactive, VatTable::kInactive, VatTable::kExempt};
}

Result<SimulatorFaults> SimulatorFaults::parse(const QString &spec)
{
    SimulatorFaults faults;
    for (const QString &raw : spec.split(u',', Qt::SkipEmptyParts)) {
        const QString item = raw.trimmed();
        const QString kind = item.section(u':', 0, 0);
        const QString arg = item.section(u':', 1);
        auto bad = [&item]() {
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::devices::fiscal",
                                                         "Unknown fault \"%1\": use paper-out, cover-open, "
                                                         "paper-out:CMD[#N], bad-crc:CMD[#N], timeout:CMD[#N], "
                                                         "drop:CMD[#N] or delay:MS.")
                                 .arg(item));
        };
        if (arg.isEmpty()) {
            if (kind == u"paper-out")
                faults.paperOut = true;
            else if (kind == u"cover-open")
                faults.coverOpen = true;
            else
                return bad();
            continue;
        }
        if (kind == u"delay") {
            bool ok = false;
            faults.delayMs = arg.toInt(&ok);
            if (!ok || faults.delayMs < 0 || faults.delayMs > 60000)
                return bad();
            continue;
        }
        if (kind != u"paper-out" && kind != u"bad-crc" && kind != u"timeout" && kind != u"drop")
            return bad();
        OneShot shot;
        shot.kind = kind;
        shot.command = arg.section(u'#', 0, 0);
        if (arg.contains(u'#')) {
            bool ok = false;
            shot.occurrence = arg.section(u'#', 1).toInt(&ok);
            if (!ok || shot.occurrence < 1)
                return bad();
        }
        if (shot.command.isEmpty())
            return bad();
        faults.oneShots.append(shot);
    }
    return faults;
}

FiscalSimulator::FiscalSimulator(SimulatorOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    connect(&m_server, &QTcpServer::newConnection, this, &FiscalSimulator::onConnection);
}

FiscalSimulator::~FiscalSimulator()
{
    // The sockets are the server's children and outlive the hash of readers: close them while it is still there.
    const QList<QTcpSocket *> sockets = m_readers.keys();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        delete socket;
    }
    m_readers.clear();
}

Result<quint16> FiscalSimulator::start()
{
    load();
    if (!m_server.listen(QHostAddress::LocalHost, m_options.port))
        return makeError(
            Error::Code::Io,
            QCoreApplication::translate("sd::devices::fiscal", "The fiscal printer simulator cannot listen on port %1.")
                .arg(m_options.port),
            m_server.errorString());
    return m_server.serverPort();
}

QString FiscalSimulator::address() const
{
    return u"tcp://127.0.0.1:%1"_qs.arg(m_server.serverPort());
}

QJsonArray FiscalSimulator::journal() const
{
    QMutexLocker lock(&m_mutex);
    return m_journal;
}

QList<QJsonObject> FiscalSimulator::receipts() const
{
    QList<QJsonObject> out;
    for (const QJsonValue &entry : journal())
        if (entry[u"type"].toString() == u"receipt")
            out.append(entry.toObject());
    return out;
}

void FiscalSimulator::setPaperOut(bool out)
{
    QMutexLocker lock(&m_mutex);
    m_options.faults.paperOut = out;
}

void FiscalSimulator::setCoverOpen(bool open)
{
    QMutexLocker lock(&m_mutex);
    m_options.faults.coverOpen = open;
}

void FiscalSimulator::setFaults(const SimulatorFaults &faults)
{
    QMutexLocker lock(&m_mutex);
    m_options.faults = faults;
    m_seen.clear();
}

int FiscalSimulator::framesReceived() const
{
    QMutexLocker lock(&m_mutex);
    return m_frames;
}

int FiscalSimulator::badFramesReceived() const
{
    QMutexLocker lock(&m_mutex);
    return m_badFrames;
}

void FiscalSimulator::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_readers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_readers.remove(socket);
            socket->deleteLater();
        });
    }
}

void FiscalSimulator::onReadyRead(QTcpSocket *socket)
{
    auto it = m_readers.find(socket);
    if (it == m_readers.end())
        return;
    it->feed(socket->readAll());
    while (true) {
        it = m_readers.find(socket);
        if (it == m_readers.end())
            return;
        auto inner = it->next();
        if (!inner)
            return;
        handle(socket, *inner);
    }
}

void FiscalSimulator::handle(QTcpSocket *socket, const QByteArray &inner)
{
    auto request = PosnetFrame::decode(inner);
    QMutexLocker lock(&m_mutex);
    ++m_frames;
    if (!request) {
        ++m_badFrames;
        qCWarning(lcFiscalSim).noquote() << "bad frame:" << request.error().detail;
        PosnetFrame err(u"ERR"_qs);
        const bool crc = request.error().detail.startsWith(u"CRC");
        err.add(u"?"_qs, QString::number(crc ? kErrCrc : 6));
        lock.unlock();
        reply(socket, err, false);
        return;
    }
    const QString command = request->command.startsWith(u'!') ? request->command.mid(1) : request->command;
    const auto fault = takeFault(command);
    if (fault && fault->kind == u"timeout") {
        qCInfo(lcFiscalSim) << "fault: swallowing" << command;
        return;
    }
    if (fault && fault->kind == u"paper-out")
        m_options.faults.paperOut = true;
    PosnetFrame answer = execute(*request);
    answer.token = request->token;
    qCInfo(lcFiscalSim).noquote() << command << "->" << QString::fromLatin1(answer.body());
    lock.unlock();
    if (fault && fault->kind == u"drop") {
        qCInfo(lcFiscalSim) << "fault: dropping the connection after" << command;
        socket->abort();
        return;
    }
    reply(socket, answer, fault && fault->kind == u"bad-crc");
}

void FiscalSimulator::reply(QTcpSocket *socket, PosnetFrame frame, bool badCrc)
{
    QByteArray bytes = frame.encode();
    if (badCrc) {
        // Flip the last CRC digit: the reply arrives, but damaged.
        char &digit = bytes[bytes.size() - 2];
        digit = digit == '0' ? '1' : '0';
    }
    const int delay = m_options.faults.delayMs;
    if (delay <= 0) {
        socket->write(bytes);
        return;
    }
    QPointer<QTcpSocket> guard(socket);
    QTimer::singleShot(delay, this, [guard, bytes] {
        if (guard)
            guard->write(bytes);
    });
}

std::optional<SimulatorFaults::OneShot> FiscalSimulator::takeFault(const QString &command)
{
    const int n = ++m_seen[command];
    for (SimulatorFaults::OneShot &shot : m_options.faults.oneShots) {
        if (!shot.used && shot.command == command && shot.occurrence == n) {
            shot.used = true;
            return shot;
        }
    }
    return std::nullopt;
}

PosnetFrame FiscalSimulator::error(const PosnetFrame &request, int code) const
{
    PosnetFrame frame(request.command.startsWith(u'!') ? request.command.mid(1) : request.command);
    frame.add(u"?"_qs, QString::number(code));
    return frame;
}

PosnetFrame FiscalSimulator::execute(const PosnetFrame &request)
{
    const QString command = request.command.startsWith(u'!') ? request.command.mid(1) : request.command;
    PosnetFrame ok(command);
    const int mechanism = m_options.faults.coverOpen ? 3 : m_options.faults.paperOut ? 5 : 0;
    if (mechanism && printing(command))
        return error(request, kErrDevice);

    if (command == u"sdev") {
        ok.add(u"ds"_qs, mechanism ? 3 : 0).add(u"cp"_qs, 1).add(u"qe"_qs, 1).add(u"pe"_qs, 0);
        return ok.add(u"tl"_qs, m_trans.open ? 1 : 0);
    }
    if (command == u"sprn")
        return ok.add(u"pr"_qs, mechanism);
    if (command == u"scomm") {
        bool zero = true;
        for (qint64 t : m_daily)
            zero = zero && t == 0;
        return ok.add(u"fs"_qs, 1).add(u"tz"_qs, zero ? 1 : 0).add(u"ts"_qs, m_trans.open ? 17 : 0).add(u"td"_qs, 0);
    }
    if (command == u"scnt") {
        ok.add(u"rd"_qs, m_dailyReports).add(u"bn"_qs, m_receiptsClosed).add(u"bc"_qs, m_cancelled);
        return ok.add(u"bt"_qs, m_lastReceiptNumber);
    }
    if (command == u"strns") {
        const Transaction &t = m_trans.open ? m_trans : m_last;
        ok.add(u"to"_qs, m_trans.open ? 1 : 0).add(u"ts"_qs, 17);
        for (int i = 0; i < VatTable::kSlots; ++i)
            ok.add(u"v"_qs + QChar(u'a' + i), t.totals[i]);
        return ok.add(u"fp"_qs, t.paid);
    }
    if (command == u"vatget") {
        for (int i = 0; i < VatTable::kSlots; ++i)
            ok.add(u"v"_qs + QChar(u'a' + i), rateText(m_options.vat.rates[i]));
        return ok;
    }
    if (command == u"rtcget")
        return ok.add(u"da"_qs, QDateTime::currentDateTime().toString(u"yyyy-MM-dd,HH:mm"));
    if (command == u"trinit") {
        if (m_trans.open)
            return error(request, kErrTransactionOpen);
        m_trans = Transaction();
        m_trans.open = true;
        return ok;
    }
    if (command == u"trline") {
        if (!m_trans.open)
            return error(request, kErrNoTransaction);
        if (!request.has(u"na") || !request.has(u"vt") || !request.has(u"pr"))
            return error(request, kErrMissingField);
        bool okVt = false, okPr = false;
        const int vt = request.value(u"vt").toInt(&okVt);
        const qint64 price = request.value(u"pr").toLongLong(&okPr);
        if (!okVt || !okPr)
            return error(request, kErrConversion);
        if (vt < 0 || vt >= VatTable::kSlots || m_options.vat.rates[vt] == VatTable::kInactive)
            return error(request, kErrVat);
        if (price <= 0)
            return error(request, kErrPrice);
        const int quantity = request.has(u"il") ? request.value(u"il").toInt() : 1;
        if (quantity <= 0)
            return error(request, kErrQuantity);
        const qint64 value = price * quantity;
        if (request.has(u"wa") && request.number(u"wa") != value)
            return error(request, kErrLineValue);
        m_trans.totals[vt] += value;
        m_trans.lines.append(QJsonObject{{u"name"_qs, request.value(u"na")},
                                         {u"slot"_qs, QString(VatTable::letter(vt))},
                                         {u"rate"_qs, rateText(m_options.vat.rates[vt])},
                                         {u"price"_qs, price},
                                         {u"quantity"_qs, quantity},
                                         {u"value"_qs, value}});
        return ok;
    }
    if (command == u"trnipset") {
        if (!m_trans.open)
            return error(request, kErrNoTransaction);
        const QString nip = request.value(u"ni");
        if (nip.size() != 10 || !std::all_of(nip.begin(), nip.end(), [](QChar c) { return c.isDigit(); }))
            return error(request, kErrNipLength);
        m_trans.nip = nip;
        return ok;
    }
    if (command == u"trpayment") {
        if (!m_trans.open)
            return error(request, kErrNoTransaction);
        if (!request.has(u"ty") || !request.has(u"wa"))
            return error(request, kErrMissingField);
        m_trans.paid += request.number(u"wa");
        m_trans.payments.append(QJsonObject{{u"type"_qs, int(request.number(u"ty"))},
                                            {u"amount"_qs, request.number(u"wa")},
                                            {u"name"_qs, request.value(u"na")}});
        return ok;
    }
    if (command == u"trend") {
        if (!m_trans.open)
            return error(request, kErrNoTransaction);
        if (m_trans.lines.isEmpty())
            return error(request, kErrTrEmpty);
        qint64 total = 0;
        for (qint64 t : m_trans.totals)
            total += t;
        if (request.has(u"to") && request.number(u"to") != total)
            return error(request, kErrTotal);
        if (request.has(u"fp") && request.number(u"fp") != m_trans.paid)
            return error(request, kErrPayments);
        if (!m_trans.payments.isEmpty() && m_trans.paid < total)
            return error(request, kErrPaymentsShort);
        ++m_receiptsClosed;
        ++m_lastReceiptNumber;
        for (int i = 0; i < VatTable::kSlots; ++i)
            m_daily[i] += m_trans.totals[i];
        appendJournal(QJsonObject{{u"type"_qs, u"receipt"_qs},
                                  {u"number"_qs, m_lastReceiptNumber},
                                  {u"lines"_qs, m_trans.lines},
                                  {u"nip"_qs, m_trans.nip},
                                  {u"payments"_qs, m_trans.payments},
                                  {u"total"_qs, total}});
        m_trans.open = false;
        m_last = m_trans;
        m_trans = Transaction();
        return ok;
    }
    if (command == u"prncancel" || command == u"trcancel" || command == u"hardprncancel") {
        if (m_trans.open) {
            ++m_cancelled;
            appendJournal(QJsonObject{{u"type"_qs, u"cancelled"_qs}, {u"lines"_qs, m_trans.lines}});
            m_trans.open = false;
            m_last = m_trans;
            m_trans = Transaction();
        }
        return ok;
    }
    if (command == u"dailyrep") {
        if (m_trans.open)
            return error(request, kErrTransactionOpen);
        qint64 sum = 0;
        QJsonObject totals;
        for (int i = 0; i < VatTable::kSlots; ++i) {
            sum += m_daily[i];
            totals.insert(QString(VatTable::letter(i)), m_daily[i]);
        }
        if (sum == 0)
            return error(request, kErrZeroReport);
        ++m_dailyReports;
        appendJournal(QJsonObject{{u"type"_qs, u"daily-report"_qs},
                                  {u"number"_qs, m_dailyReports},
                                  {u"date"_qs, request.value(u"da")},
                                  {u"totals"_qs, totals}});
        m_daily = {};
        return ok;
    }
    return error(request, kErrUnknownCommand);
}

void FiscalSimulator::appendJournal(QJsonObject entry)
{
    entry.insert(u"at"_qs, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    m_journal.append(entry);
    save();
}

void FiscalSimulator::load()
{
    if (m_options.journalFile.isEmpty())
        return;
    QFile file(m_options.journalFile);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
    m_journal = state.value(u"journal").toArray();
    m_receiptsClosed = state.value(u"receiptsClosed").toInteger();
    m_lastReceiptNumber = state.value(u"lastReceiptNumber").toInteger();
    m_cancelled = state.value(u"cancelled").toInteger();
    m_dailyReports = state.value(u"dailyReports").toInteger();
    const QJsonArray daily = state.value(u"daily").toArray();
    for (int i = 0; i < VatTable::kSlots && i < daily.size(); ++i)
        m_daily[i] = daily.at(i).toInteger();
}

void FiscalSimulator::save()
{
    if (m_options.journalFile.isEmpty())
        return;
    QJsonArray daily;
    for (qint64 t : m_daily)
        daily.append(t);
    const QJsonObject state{{u"receiptsClosed"_qs, m_receiptsClosed},
                            {u"lastReceiptNumber"_qs, m_lastReceiptNumber},
                            {u"cancelled"_qs, m_cancelled},
                            {u"dailyReports"_qs, m_dailyReports},
                            {u"daily"_qs, daily},
                            {u"journal"_qs, m_journal}};
    QSaveFile file(m_options.journalFile);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(state).toJson()) < 0 || !file.commit())
        qCWarning(lcFiscalSim) << "cannot write the journal" << m_options.journalFile << file.errorString();
}

} // namespace sd::devices::fiscal
