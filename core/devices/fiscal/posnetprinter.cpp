#include "devices/fiscal/posnetprinter.h"

#include "devices/fiscal/posneterrors.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QLoggingCategory>

#include <cmath>

Q_LOGGING_CATEGORY(lcFiscal, "sd.fiscal")

namespace sd::devices::fiscal {

namespace {

QString bare(const QString &command)
{
    return command.startsWith(u'!') ? command.mid(1) : command;
}

// "23,00" / "23.00" / "23" -> 2300 (hundredths of a percent).
int rateValue(const QString &text)
{
    QString t = text;
    t.replace(u',', u'.');
    bool ok = false;
    const double v = t.toDouble(&ok);
    return ok ? int(std::lround(v * 100)) : VatTable::kInactive;
}

} // namespace

PosnetPrinter::PosnetPrinter(std::unique_ptr<FiscalTransport> transport, int timeoutMs)
    : m_transport(std::move(transport))
    , m_timeoutMs(timeoutMs)
{}

Result<PosnetFrame> PosnetPrinter::exec(PosnetFrame request)
{
    if (!m_transport->isOpen()) {
        m_reader.clear();
        if (auto r = m_transport->open(m_timeoutMs); !r)
            return r.error();
    }
    request.token = m_nextToken;
    m_nextToken = m_nextToken % 9999 + 1;
    qCDebug(lcFiscal).noquote() << "->" << m_transport->address() << request.body();
    if (auto r = m_transport->write(request.encode(), m_timeoutMs); !r) {
        m_transport->close();
        return r.error();
    }
    const QDeadlineTimer deadline(m_timeoutMs);
    while (true) {
        while (auto inner = m_reader.next()) {
            auto reply = PosnetFrame::decode(*inner);
            if (!reply) {
                // A damaged reply: whether the command ran is unknown, and the stream cannot be trusted any more.
                qCWarning(lcFiscal).noquote() << "damaged reply:" << reply.error().detail;
                m_transport->close();
                return reply.error();
            }
            if (reply->token >= 0 && reply->token != request.token) {
                qCDebug(lcFiscal) << "skipping a reply to token" << reply->token;
                continue; // a late reply to an earlier command
            }
            qCDebug(lcFiscal).noquote() << "<-" << reply->body();
            if (reply->command == u"ERR" || reply->errorCode())
                return refused(request, *reply);
            if (bare(reply->command) != bare(request.command)) {
                m_transport->close();
                return makeError(Error::Code::Io,
                                 QCoreApplication::translate("sd::devices::fiscal",
                                                             "The fiscal printer answered a different command."),
                                 u"sent %1, got %2"_qs.arg(request.command, reply->command));
            }
            return *reply;
        }
        const qint64 left = deadline.remainingTime();
        if (left <= 0) {
            m_transport->close();
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::devices::fiscal", "The fiscal printer did not answer in time."),
                u"no reply to %1 within %2 ms"_qs.arg(request.command).arg(m_timeoutMs));
        }
        auto bytes = m_transport->read(int(left));
        if (!bytes) {
            m_transport->close();
            return bytes.error();
        }
        m_reader.feed(*bytes);
    }
}

Error PosnetPrinter::refused(const PosnetFrame &request, const PosnetFrame &reply)
{
    const int code = reply.errorCode().value_or(reply.number(u"er", -1));
    QString message = posnetErrorMessage(code);
    // The command failed for a reason the printer knows; a mechanism fault says it best ("out of paper").
    if (request.command != u"!sprn" && request.command != u"!sdev") {
        if (auto mech = exec(PosnetFrame(u"!sprn"_qs)); mech && mech->number(u"pr") != 0)
            message = posnetMechanismMessage(int(mech->number(u"pr")));
        else if (auto dev = exec(PosnetFrame(u"!sdev"_qs)); dev && dev->number(u"ds") != 0)
            message = posnetDeviceMessage(int(dev->number(u"ds")));
    }
    return makeError(
        Error::Code::Conflict, message,
        u"%1 refused with %2 (%3)"_qs.arg(request.command).arg(code).arg(QString::fromLatin1(reply.body())));
}

Result<VatTable> PosnetPrinter::vatTable()
{
    auto reply = exec(PosnetFrame(u"vatget"_qs));
    if (!reply)
        return reply.error();
    VatTable table;
    for (int i = 0; i < VatTable::kSlots; ++i) {
        const QString id = u"v"_qs + QChar(u'a' + i);
        table.rates[i] = reply->has(id) ? rateValue(reply->value(id)) : VatTable::kInactive;
    }
    return table;
}

Result<PrinterStatus> PosnetPrinter::status()
{
    PrinterStatus s;
    auto dev = exec(PosnetFrame(u"!sdev"_qs));
    if (!dev)
        return dev.error();
    s.device = int(dev->number(u"ds"));
    const QString pe = dev->value(u"pe");
    s.paperNearEnd = pe == u"1" || pe.startsWith(u'T', Qt::CaseInsensitive) || pe.startsWith(u'Y', Qt::CaseInsensitive);
    auto prn = exec(PosnetFrame(u"!sprn"_qs));
    if (!prn)
        return prn.error();
    s.mechanism = int(prn->number(u"pr"));
    auto comm = exec(PosnetFrame(u"scomm"_qs));
    if (!comm)
        return comm.error();
    const QString fs = comm->value(u"fs");
    s.fiscalMode = fs == u"1" || fs.startsWith(u'T', Qt::CaseInsensitive);
    s.openDocument = int(comm->number(u"ts"));
    s.message = posnetMechanismMessage(s.mechanism);
    if (s.message.isEmpty())
        s.message = posnetDeviceMessage(s.device);
    if (s.message.isEmpty())
        s.message = s.paperNearEnd
                        ? QCoreApplication::translate("sd::devices::fiscal", "Ready; the paper is running out.")
                        : QCoreApplication::translate("sd::devices::fiscal", "Ready.");
    return s;
}

Result<LastReceipt> PosnetPrinter::lastReceipt()
{
    LastReceipt last;
    auto cnt = exec(PosnetFrame(u"scnt"_qs));
    if (!cnt)
        return cnt.error();
    last.closedReceipts = cnt->number(u"bn");
    last.lastNumber = cnt->number(u"bt");
    auto trns = exec(PosnetFrame(u"strns"_qs));
    if (!trns)
        return trns.error();
    last.transactionOpen = trns->number(u"to") == 1;
    for (int i = 0; i < VatTable::kSlots; ++i)
        last.totals[i] = trns->number(QString(u"v"_qs + QChar(u'a' + i)));
    return last;
}

Result<void> PosnetPrinter::printReceipt(const Receipt &receipt, const QList<int> &slotIndexes)
{
    if (slotIndexes.size() != receipt.lines.size())
        return makeError(
            Error::Code::Internal,
            QCoreApplication::translate("sd::devices::fiscal", "The receipt's lines and VAT slots do not match."));
    // On a refusal the open transaction is cancelled (block mode: nothing was printed); on a transport failure it
    // is left as it is, for the caller to ask the printer what happened.
    auto step = [this](PosnetFrame frame) -> Result<void> {
        auto reply = exec(std::move(frame));
        if (!reply) {
            if (reply.error().code == Error::Code::Conflict)
                (void)exec(PosnetFrame(u"prncancel"_qs));
            return reply.error();
        }
        return {};
    };
    if (auto r = step(PosnetFrame(u"trinit"_qs).add(u"bm"_qs, 1)); !r)
        return r;
    for (qsizetype i = 0; i < receipt.lines.size(); ++i) {
        const ReceiptLine &line = receipt.lines.at(i);
        PosnetFrame frame(u"trline"_qs);
        frame.add(u"na"_qs, line.name.simplified().left(80))
            .add(u"vt"_qs, slotIndexes.at(i))
            .add(u"pr"_qs, line.unitPrice);
        if (line.quantity != 1)
            frame.add(u"il"_qs, line.quantity);
        frame.add(u"wa"_qs, line.gross());
        if (line.adjustment != 0) {
            // rd1 is a discount (rabat), rd0 a markup (narzut); rw the amount in grosze, rn its name on paper.
            frame.add(u"rd"_qs, line.adjustment < 0 ? 1 : 0)
                .add(u"rw"_qs, line.adjustment < 0 ? -line.adjustment : line.adjustment);
            if (!line.adjustmentName.isEmpty())
                frame.add(u"rn"_qs, line.adjustmentName.simplified().left(25));
        }
        if (auto r = step(frame); !r)
            return r;
    }
    if (!receipt.buyerNip.isEmpty())
        if (auto r = step(PosnetFrame(u"trnipset"_qs).add(u"ni"_qs, receipt.buyerNip)); !r)
            return r;
    qint64 paid = 0;
    for (const ReceiptPayment &payment : receipt.payments) {
        PosnetFrame frame(u"trpayment"_qs);
        frame.add(u"ty"_qs, int(payment.kind)).add(u"wa"_qs, payment.amount);
        if (!payment.name.isEmpty() && payment.kind != ReceiptPayment::Kind::Cash)
            frame.add(u"na"_qs, payment.name.left(25));
        if (auto r = step(frame); !r)
            return r;
        paid += payment.amount;
    }
    PosnetFrame end(u"trend"_qs);
    end.add(u"to"_qs, receipt.total());
    if (!receipt.payments.isEmpty())
        end.add(u"fp"_qs, paid);
    return step(end);
}

Result<void> PosnetPrinter::cancel()
{
    auto reply = exec(PosnetFrame(u"prncancel"_qs));
    if (!reply)
        return reply.error();
    return {};
}

Result<void> PosnetPrinter::dailyReport(const QDate &date)
{
    auto reply = exec(PosnetFrame(u"dailyrep"_qs).add(u"da"_qs, date.toString(u"yyyy-MM-dd")));
    if (!reply)
        return reply.error();
    return {};
}

} // namespace sd::devices::fiscal
