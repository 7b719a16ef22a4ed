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
    const QList<QTcpSocket *> sockets = m_readers.keys() + m_novitus.keys();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        delete socket;
    }
    m_readers.clear();
    m_novitus.clear();
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
    return u"tcp://127.0.0.1:%1"_qs.arg(m_server.serverPort()) +
           (m_options.protocol == SimulatorOptions::Protocol::Novitus ? u"?protocol=novitus"_qs : QString());
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
        if (m_options.protocol == SimulatorOptions::Protocol::Novitus) {
            m_novitus.insert(socket, {});
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                auto it = m_novitus.find(socket);
                if (it == m_novitus.end())
                    return;
                it->reader.feed(socket->readAll());
                while (true) {
                    it = m_novitus.find(socket);
                    if (it == m_novitus.end())
                        return;
                    auto packet = it->reader.next();
                    if (!packet)
                        return;
                    handleNovitus(socket, *packet);
                }
            });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_novitus.remove(socket);
                socket->deleteLater();
            });
            continue;
        }
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
    send(socket, bytes);
}

void FiscalSimulator::send(QTcpSocket *socket, const QByteArray &bytes)
{
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
        const qint64 gross = price * quantity;
        if (request.has(u"wa") && request.number(u"wa") != gross)
            return error(request, kErrLineValue);
        // A discount (rd1) or markup (rd0) on the line: an amount in grosze (rw) or a percentage x100 (rp).
        qint64 adjustment = 0;
        if (request.has(u"rw") || request.has(u"rp")) {
            if (!request.has(u"rd"))
                return error(request, kErrMissingField);
            const qint64 amount =
                request.has(u"rw") ? request.number(u"rw", -1) : (gross * request.number(u"rp", -1) + 5000) / 10000;
            if (amount <= 0)
                return error(request, kErrConversion);
            adjustment = request.number(u"rd") == 1 ? -amount : amount;
        }
        const qint64 value = gross + adjustment;
        if (value <= 0)
            return error(request, kErrLineValue);
        m_trans.totals[vt] += value;
        QJsonObject line{{u"name"_qs, request.value(u"na")},
                         {u"slot"_qs, QString(VatTable::letter(vt))},
                         {u"rate"_qs, rateText(m_options.vat.rates[vt])},
                         {u"price"_qs, price},
                         {u"quantity"_qs, quantity},
                         {u"value"_qs, value}};
        if (adjustment != 0) {
            line.insert(u"adjustment"_qs, adjustment);
            line.insert(u"adjustmentName"_qs, request.value(u"rn"));
        }
        m_trans.lines.append(line);
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

void FiscalSimulator::writeNovitus(QTcpSocket *socket, const QList<NovitusElement> &elements)
{
    auto it = m_novitus.find(socket);
    if (it == m_novitus.end())
        return;
    if (it->drop) {
        qCInfo(lcFiscalSim) << "fault: dropping the connection before a reply";
        socket->abort();
        return;
    }
    QByteArray bytes = NovitusPacket{elements}.encode(true);
    if (it->badCrc) {
        it->badCrc = false;
        char &digit = bytes[bytes.indexOf("crc=\"") + 5];
        digit = digit == '0' ? '1' : '0';
    }
    send(socket, bytes);
}

void FiscalSimulator::handleNovitus(QTcpSocket *socket, const QByteArray &bytes)
{
    auto packet = NovitusPacket::decode(bytes);
    QMutexLocker lock(&m_mutex);
    ++m_frames;
    auto it = m_novitus.find(socket);
    if (it == m_novitus.end() || it->silent)
        return;
    if (!packet) {
        ++m_badFrames;
        qCWarning(lcFiscalSim).noquote() << "bad packet:" << packet.error().detail;
        it->lastError = kErrCrc; // reported by the next <enq/>
        return;
    }
    QList<NovitusElement> replies;
    for (const NovitusElement &element : std::as_const(packet->elements))
        if (auto r = executeNovitus(socket, element))
            replies.append(*r);
    it = m_novitus.find(socket);
    if (it == m_novitus.end() || it->silent)
        return;
    lock.unlock();
    if (!replies.isEmpty())
        writeNovitus(socket, replies);
}

bool FiscalSimulator::runTranslated(QTcpSocket *socket, const PosnetFrame &request)
{
    auto it = m_novitus.find(socket);
    const auto fault = takeFault(request.command);
    if (fault && fault->kind == u"timeout") {
        qCInfo(lcFiscalSim) << "fault: the printer stops answering at" << request.command;
        it->silent = true;
        return false;
    }
    if (fault && fault->kind == u"paper-out")
        m_options.faults.paperOut = true;
    const PosnetFrame answer = execute(request);
    it->lastError = answer.errorCode().value_or(0);
    it->badCrc = fault && fault->kind == u"bad-crc";
    it->drop = fault && fault->kind == u"drop";
    qCInfo(lcFiscalSim).noquote() << "novitus" << request.command << "->" << QString::fromLatin1(answer.body());
    return true;
}

std::optional<NovitusElement> FiscalSimulator::executeNovitus(QTcpSocket *socket, const NovitusElement &e)
{
    auto it = m_novitus.find(socket);
    const QString action = e.attribute(u"action");
    auto yesNo = [](bool b) { return b ? u"yes"_qs : u"no"_qs; };
    const bool mechanismFault = m_options.faults.coverOpen || m_options.faults.paperOut;
    if (e.name == u"dle")
        return NovitusElement(u"dle"_qs)
            .set(u"online"_qs, u"yes"_qs)
            .set(u"papererror"_qs, yesNo(m_options.faults.paperOut))
            .set(u"printererror"_qs, yesNo(m_options.faults.coverOpen));
    if (e.name == u"enq")
        return NovitusElement(u"enq"_qs)
            .set(u"fiscal"_qs, u"yes"_qs)
            .set(u"lastcommanderror"_qs, yesNo(it->lastError != 0))
            .set(u"intransaction"_qs, yesNo(m_trans.open))
            .set(u"lasttransactioncorrect"_qs, yesNo(!mechanismFault));
    if (e.name == u"error") {
        if (action == u"get")
            return NovitusElement(u"error"_qs)
                .set(u"action"_qs, u"get"_qs)
                .set(u"value"_qs, QString::number(it->lastError));
        it->lastError = 0;
        return std::nullopt;
    }
    if (e.name == u"taxrates" && action == u"get") {
        NovitusElement table(u"taxrates"_qs);
        table.set(u"action"_qs, u"get"_qs);
        for (int i = 0; i < VatTable::kSlots; ++i) {
            const int rate = m_options.vat.rates[i];
            NovitusElement ptu(u"ptu"_qs);
            ptu.set(u"name"_qs, QString(VatTable::letter(i)));
            ptu.text = rate == VatTable::kExempt     ? u"free"_qs
                       : rate == VatTable::kInactive ? u"---"_qs
                                                     : u"%1%"_qs.arg(novitusAmount(rate));
            table.add(ptu);
        }
        return table;
    }
    if (e.name == u"info" && action == u"transaction") {
        const Transaction &t = m_trans.open ? m_trans : m_last;
        NovitusElement info(u"info"_qs);
        info.set(u"action"_qs, u"transaction"_qs)
            .set(u"receiptcount"_qs, QString::number(m_receiptsClosed))
            .set(u"lastreceipt"_qs, QString::number(m_lastReceiptNumber));
        for (int i = 0; i < VatTable::kSlots; ++i) {
            NovitusElement ptu(u"ptu"_qs);
            ptu.set(u"name"_qs, QString(VatTable::letter(i)));
            ptu.text = novitusAmount(t.totals[i]);
            info.add(ptu);
        }
        return info;
    }
    // Changes: translated to the Posnet command that does the same to the device state.
    auto amount = [&e](QStringView attribute) { return parseNovitusAmount(e.attribute(attribute)).value_or(-1); };
    if (e.name == u"receipt" && action == u"begin") {
        runTranslated(socket, PosnetFrame(u"trinit"_qs).add(u"bm"_qs, 1));
    } else if (e.name == u"item") {
        PosnetFrame line(u"trline"_qs);
        const QString ptu = e.attribute(u"ptu");
        line.add(u"na"_qs, e.attribute(u"name"))
            .add(u"vt"_qs, ptu.size() == 1 ? ptu.at(0).toUpper().unicode() - u'A' : -1)
            .add(u"pr"_qs, amount(u"price"))
            .add(u"il"_qs, e.attribute(u"quantity"));
        if (e.has(u"total"))
            line.add(u"wa"_qs, amount(u"total"));
        if (const NovitusElement *discount = e.child(u"discount")) {
            const QString value = discount->attribute(u"value");
            line.add(u"rd"_qs, discount->attribute(u"action") == u"markup" ? 0 : 1)
                .add(u"rn"_qs, discount->attribute(u"name"));
            if (value.endsWith(u'%'))
                line.add(u"rp"_qs, parseNovitusAmount(value.chopped(1)).value_or(-1));
            else
                line.add(u"rw"_qs, parseNovitusAmount(value).value_or(-1));
        }
        runTranslated(socket, line);
    } else if (e.name == u"payment" && action == u"add") {
        static const QHash<QString, int> kinds{{u"cash"_qs, 0},    {u"card"_qs, 2},   {u"cheque"_qs, 3},
                                               {u"voucher"_qs, 4}, {u"credit"_qs, 5}, {u"transfer"_qs, 8}};
        runTranslated(socket, PosnetFrame(u"trpayment"_qs)
                                  .add(u"ty"_qs, kinds.value(e.attribute(u"type"), 6))
                                  .add(u"wa"_qs, amount(u"value"))
                                  .add(u"na"_qs, e.attribute(u"name")));
    } else if (e.name == u"receipt" && action == u"close") {
        if (e.has(u"nip")) {
            if (!runTranslated(socket, PosnetFrame(u"trnipset"_qs).add(u"ni"_qs, e.attribute(u"nip"))))
                return std::nullopt;
            if (it->lastError != 0)
                return std::nullopt;
        }
        PosnetFrame end(u"trend"_qs);
        if (e.has(u"total"))
            end.add(u"to"_qs, amount(u"total"));
        runTranslated(socket, end);
    } else if (e.name == u"receipt" && action == u"cancel") {
        runTranslated(socket, PosnetFrame(u"prncancel"_qs));
    } else if (e.name == u"report" && e.attribute(u"type") == u"daily") {
        const QDate date = QDate::fromString(e.attribute(u"date"), u"dd-MM-yyyy");
        runTranslated(socket, PosnetFrame(u"dailyrep"_qs).add(u"da"_qs, date.toString(u"yyyy-MM-dd")));
    } else {
        it->lastError = kErrUnknownCommand;
    }
    return std::nullopt;
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
