#pragma once

#include "devices/fiscal/fiscalprinter.h"
#include "devices/fiscal/fiscaltransport.h"
#include "devices/fiscal/posnetframe.h"

#include <memory>

namespace sd::devices::fiscal {

// The Posnet protocol (Thermal/Temo/Trio/Vero/Evo online printers) over any transport. One command in flight; every
// reply is checked (frame, CRC, token). A command the printer refuses fails with Error::Code::Conflict and a clear
// message (the mechanism status is read to say "out of paper" rather than a number); a reply that never came or came
// damaged fails with Error::Code::Io, because then nobody knows whether the printer carried the command out.
class PosnetPrinter : public FiscalPrinter
{
public:
    explicit PosnetPrinter(std::unique_ptr<FiscalTransport> transport, int timeoutMs = 5000);

    QString address() const override { return m_transport->address(); }
    Result<VatTable> vatTable() override;
    Result<PrinterStatus> status() override;
    Result<LastReceipt> lastReceipt() override;
    Result<void> printReceipt(const Receipt &receipt, const QList<int> &slotIndexes) override;
    Result<void> cancel() override;
    Result<void> dailyReport(const QDate &date) override;
    void disconnect() override { m_transport->close(); }
    QString protocol() const override { return u"posnet"_qs; }

    // Sends one command and waits for its reply.
    Result<PosnetFrame> exec(PosnetFrame request);

private:
    Error refused(const PosnetFrame &request, const PosnetFrame &reply);

    std::unique_ptr<FiscalTransport> m_transport;
    PosnetReader m_reader;
    int m_timeoutMs;
    int m_nextToken = 1;
};

} // namespace sd::devices::fiscal
