#pragma once

#include "devices/fiscal/fiscalprinter.h"
#include "devices/fiscal/fiscaltransport.h"
#include "devices/fiscal/novitusxml.h"

#include <memory>

namespace sd::devices::fiscal {

// The Novitus XML protocol (online printers: Deon, Bono, HD II, POINT) over any transport, behind the same interface
// as Posnet. Commands that change something get no reply of their own: each is followed by <enq/>, and when that says
// lastcommanderror="yes" the code is fetched with <error action="get"/>. A refusal fails with Error::Code::Conflict
// (the <dle/> status says "out of paper" rather than a number); a reply that never came or came damaged fails with
// Error::Code::Io, because then nobody knows whether the printer carried the command out. Packets carry the optional
// CRC-32 on every transport (it costs nothing on TCP and catches a damaged serial link).
class NovitusPrinter : public FiscalPrinter
{
public:
    explicit NovitusPrinter(std::unique_ptr<FiscalTransport> transport, int timeoutMs = 5000);

    // The transport's address with "?protocol=novitus", so that a stored address opens this driver again.
    QString address() const override;
    Result<VatTable> vatTable() override;
    Result<PrinterStatus> status() override;
    Result<LastReceipt> lastReceipt() override;
    Result<void> printReceipt(const Receipt &receipt, const QList<int> &slotIndexes) override;
    Result<void> cancel() override;
    Result<void> dailyReport(const QDate &date) override;
    void disconnect() override { m_transport->close(); }
    QString protocol() const override { return u"novitus"_qs; }

    // A query: sends the element and returns the element the printer answered with.
    Result<NovitusElement> query(const NovitusElement &request);
    // A command: sends it, then asks <enq/> whether it was carried out.
    Result<void> command(const NovitusElement &request);

    // The receipt as the packets the printer gets, one element per command (for tests and the log).
    static QList<NovitusElement> receiptElements(const Receipt &receipt, const QList<int> &slotIndexes);

private:
    Result<void> send(const NovitusElement &request);
    Result<NovitusElement> receive(const QString &expected);

    std::unique_ptr<FiscalTransport> m_transport;
    NovitusReader m_reader;
    int m_timeoutMs;
};

} // namespace sd::devices::fiscal
