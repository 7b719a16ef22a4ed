#include "devices/fiscal/novitusprinter.h"

#include "devices/fiscal/posneterrors.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QLoggingCategory>

#include <cmath>

Q_DECLARE_LOGGING_CATEGORY(lcFiscal)

namespace sd::devices::fiscal {

namespace {

QString paymentType(ReceiptPayment::Kind kind)
{
    switch (kind) {
    case ReceiptPayment::Kind::Cash:
        return u"cash"_qs;
    case ReceiptPayment::Kind::Card:
        return u"card"_qs;
    case ReceiptPayment::Kind::Cheque:
        return u"cheque"_qs;
    case ReceiptPayment::Kind::Voucher:
        return u"voucher"_qs;
    case ReceiptPayment::Kind::Credit:
        return u"credit"_qs;
    case ReceiptPayment::Kind::Transfer:
        return u"transfer"_qs;
    case ReceiptPayment::Kind::Other:
        break;
    }
    return u"account"_qs;
}

// "23.00%" / "23%" -> 2300; "free" -> exempt; anything else (a slot not in use) -> inactive.
int rateValue(const QString &text)
{
    const QString t = text.trimmed();
    if (t.compare(u"free", Qt::CaseInsensitive) == 0)
        return VatTable::kExempt;
    if (!t.endsWith(u'%'))
        return VatTable::kInactive;
    QString number = t.chopped(1);
    number.replace(u',', u'.');
    bool ok = false;
    const double v = number.toDouble(&ok);
    return ok ? int(std::lround(v * 100)) : VatTable::kInactive;
}

// <dle printererror="yes"> names no cause; the operator is told where to look.
QString printerErrorMessage()
{
    return QCoreApplication::translate("sd::devices::fiscal",
                                       "The printer reports a fault in its print mechanism (open cover, jammed paper "
                                       "or cutter). Look at its display.");
}

// Calls f(slot, text) for every <ptu name="A">text</ptu> child that names a slot A-G (rates and totals alike).
template<typename F>
void forEachPtu(const NovitusElement &parent, F f)
{
    for (const NovitusElement &ptu : parent.children) {
        const QString name = ptu.attribute(u"name");
        if (ptu.name != u"ptu" || name.size() != 1)
            continue;
        const int slot = name.at(0).toUpper().unicode() - u'A';
        if (slot >= 0 && slot < VatTable::kSlots)
            f(slot, ptu.text);
    }
}

} // namespace

NovitusPrinter::NovitusPrinter(std::unique_ptr<FiscalTransport> transport, int timeoutMs)
    : m_transport(std::move(transport))
    , m_timeoutMs(timeoutMs)
{}

QString NovitusPrinter::address() const
{
    const QString base = m_transport->address();
    return base + (base.contains(u'?') ? u"&"_qs : u"?"_qs) + u"protocol=novitus"_qs;
}

Result<void> NovitusPrinter::send(const NovitusElement &request)
{
    if (!m_transport->isOpen()) {
        m_reader.clear();
        if (auto r = m_transport->open(m_timeoutMs); !r)
            return r.error();
    }
    const QByteArray bytes = NovitusPacket{{request}}.encode(true);
    qCDebug(lcFiscal).noquote() << "->" << m_transport->address() << QString::fromLatin1(bytes);
    if (auto r = m_transport->write(bytes, m_timeoutMs); !r) {
        m_transport->close();
        return r.error();
    }
    return {};
}

Result<NovitusElement> NovitusPrinter::receive(const QString &expected)
{
    const QDeadlineTimer deadline(m_timeoutMs);
    while (true) {
        while (auto bytes = m_reader.next()) {
            auto packet = NovitusPacket::decode(*bytes);
            if (!packet) {
                qCWarning(lcFiscal).noquote() << "damaged reply:" << packet.error().detail;
                m_transport->close();
                return packet.error();
            }
            qCDebug(lcFiscal).noquote() << "<-" << QString::fromLatin1(*bytes);
            for (const NovitusElement &e : std::as_const(packet->elements))
                if (e.name == expected)
                    return e;
            m_transport->close();
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::devices::fiscal", "The fiscal printer answered a different command."),
                u"expected <%1>, got %2"_qs.arg(expected, QString::fromLatin1(*bytes)));
        }
        const qint64 left = deadline.remainingTime();
        if (left <= 0) {
            m_transport->close();
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::devices::fiscal", "The fiscal printer did not answer in time."),
                u"no <%1> within %2 ms"_qs.arg(expected).arg(m_timeoutMs));
        }
        auto bytes = m_transport->read(int(left));
        if (!bytes) {
            m_transport->close();
            return bytes.error();
        }
        m_reader.feed(*bytes);
    }
}

Result<NovitusElement> NovitusPrinter::query(const NovitusElement &request)
{
    if (auto s = send(request); !s)
        return s.error();
    return receive(request.name);
}

Result<void> NovitusPrinter::command(const NovitusElement &request)
{
    if (auto s = send(request); !s)
        return s;
    auto enq = query(NovitusElement(u"enq"_qs));
    if (!enq)
        return enq.error();
    if (!enq->yes(u"lastcommanderror"))
        return {};
    auto error = query(NovitusElement(u"error"_qs).set(u"action"_qs, u"get"_qs).set(u"value"_qs, QString()));
    if (!error)
        return error.error();
    const QString code = error->attribute(u"value");
    QString message =
        QCoreApplication::translate("sd::devices::fiscal", "The fiscal printer refused the command (Novitus error %1).")
            .arg(code);
    if (auto dle = query(NovitusElement(u"dle"_qs)); dle) {
        if (dle->yes(u"papererror"))
            message = posnetMechanismMessage(5);
        else if (dle->yes(u"printererror"))
            message = printerErrorMessage();
    }
    return makeError(Error::Code::Conflict, message,
                     u"<%1 action=\"%2\"> refused with %3"_qs.arg(request.name, request.attribute(u"action"), code));
}

Result<VatTable> NovitusPrinter::vatTable()
{
    auto reply = query(NovitusElement(u"taxrates"_qs).set(u"action"_qs, u"get"_qs));
    if (!reply)
        return reply.error();
    VatTable table;
    forEachPtu(*reply, [&table](int slot, const QString &text) { table.rates[slot] = rateValue(text); });
    return table;
}

Result<PrinterStatus> NovitusPrinter::status()
{
    PrinterStatus s;
    auto dle = query(NovitusElement(u"dle"_qs));
    if (!dle)
        return dle.error();
    auto enq = query(NovitusElement(u"enq"_qs));
    if (!enq)
        return enq.error();
    // Mapped onto the Posnet numbers the interface speaks: 5 no paper, 2 a mechanism fault; 3 waiting after an error.
    s.mechanism = dle->yes(u"papererror") ? 5 : dle->yes(u"printererror") ? 2 : 0;
    s.device = dle->attribute(u"online") == u"no" ? 3 : 0;
    s.fiscalMode = enq->yes(u"fiscal");
    s.openDocument = enq->yes(u"intransaction") ? 16 : 0;
    s.message = s.mechanism == 2 ? printerErrorMessage() : posnetMechanismMessage(s.mechanism);
    if (s.message.isEmpty())
        s.message = posnetDeviceMessage(s.device);
    if (s.message.isEmpty())
        s.message = QCoreApplication::translate("sd::devices::fiscal", "Ready.");
    return s;
}

Result<LastReceipt> NovitusPrinter::lastReceipt()
{
    LastReceipt last;
    auto enq = query(NovitusElement(u"enq"_qs));
    if (!enq)
        return enq.error();
    last.transactionOpen = enq->yes(u"intransaction");
    auto info = query(NovitusElement(u"info"_qs).set(u"action"_qs, u"transaction"_qs));
    if (!info)
        return info.error();
    last.closedReceipts = info->attribute(u"receiptcount").toLongLong();
    last.lastNumber = info->attribute(u"lastreceipt").toLongLong();
    forEachPtu(*info,
               [&last](int slot, const QString &text) { last.totals[slot] = parseNovitusAmount(text).value_or(0); });
    return last;
}

QList<NovitusElement> NovitusPrinter::receiptElements(const Receipt &receipt, const QList<int> &slotIndexes)
{
    QList<NovitusElement> out;
    out.append(NovitusElement(u"receipt"_qs)
                   .set(u"action"_qs, u"begin"_qs)
                   .set(u"mode"_qs, u"online"_qs)
                   .set(u"pharmaceutical"_qs, u"no"_qs));
    for (qsizetype i = 0; i < receipt.lines.size(); ++i) {
        const ReceiptLine &line = receipt.lines.at(i);
        NovitusElement item(u"item"_qs);
        item.set(u"name"_qs, line.name.simplified().left(80))
            .set(u"quantity"_qs, QString::number(line.quantity))
            .set(u"quantityunit"_qs, u"szt"_qs)
            .set(u"ptu"_qs, QString(VatTable::letter(slotIndexes.at(i))))
            .set(u"price"_qs, novitusAmount(line.unitPrice))
            .set(u"total"_qs, novitusAmount(line.gross()))
            .set(u"action"_qs, u"sale"_qs);
        if (line.adjustment != 0) {
            NovitusElement discount(u"discount"_qs);
            discount.set(u"value"_qs, novitusAmount(line.adjustment < 0 ? -line.adjustment : line.adjustment))
                .set(u"name"_qs, line.adjustmentName.simplified().left(25))
                .set(u"action"_qs, line.adjustment < 0 ? u"discount"_qs : u"markup"_qs);
            item.add(discount);
        }
        out.append(item);
    }
    for (const ReceiptPayment &payment : receipt.payments) {
        NovitusElement p(u"payment"_qs);
        p.set(u"type"_qs, paymentType(payment.kind))
            .set(u"action"_qs, u"add"_qs)
            .set(u"value"_qs, novitusAmount(payment.amount));
        if (!payment.name.isEmpty() && payment.kind != ReceiptPayment::Kind::Cash)
            p.set(u"name"_qs, payment.name.left(25));
        out.append(p);
    }
    NovitusElement close(u"receipt"_qs);
    close.set(u"action"_qs, u"close"_qs).set(u"total"_qs, novitusAmount(receipt.total()));
    if (!receipt.buyerNip.isEmpty())
        close.set(u"nip"_qs, receipt.buyerNip); // Novitus takes the buyer's NIP on the closing packet
    out.append(close);
    return out;
}

Result<void> NovitusPrinter::printReceipt(const Receipt &receipt, const QList<int> &slotIndexes)
{
    if (slotIndexes.size() != receipt.lines.size())
        return makeError(
            Error::Code::Internal,
            QCoreApplication::translate("sd::devices::fiscal", "The receipt's lines and VAT slots do not match."));
    for (const NovitusElement &element : receiptElements(receipt, slotIndexes)) {
        auto r = command(element);
        if (!r) {
            // Refused: the printer knows nothing was printed; cancel what is open. Lost: leave it for reconciling.
            if (r.error().code == Error::Code::Conflict)
                (void)command(NovitusElement(u"receipt"_qs).set(u"action"_qs, u"cancel"_qs));
            return r;
        }
    }
    return {};
}

Result<void> NovitusPrinter::cancel()
{
    return command(NovitusElement(u"receipt"_qs).set(u"action"_qs, u"cancel"_qs));
}

Result<void> NovitusPrinter::dailyReport(const QDate &date)
{
    return command(
        NovitusElement(u"report"_qs).set(u"type"_qs, u"daily"_qs).set(u"date"_qs, date.toString(u"dd-MM-yyyy")));
}

} // namespace sd::devices::fiscal
