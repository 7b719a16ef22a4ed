#pragma once

#include "domain/vatrate.h"
#include "util/result.h"

#include <QDate>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace sd::devices::fiscal {

// The printer's VAT rate table: seven slots (A-G, index 0-6), each a rate in hundredths of a percent, or exempt,
// or inactive. Products are matched to a slot by their rate, never by a letter assumed to mean something.
struct VatTable
{
    static constexpr int kSlots = 7;
    static constexpr int kExempt = 10000;   // "100,00" on the wire: zw
    static constexpr int kInactive = 10100; // "101,00": the slot is not in use
    std::array<int, kSlots> rates{kInactive, kInactive, kInactive, kInactive, kInactive, kInactive, kInactive};

    // The slot that holds this rate, or nothing when the printer has no such rate.
    std::optional<int> slotFor(const domain::VatRate &rate) const;
    static QChar letter(int slot) { return QChar(u'A' + slot); }
    QString describe() const; // "A 23%, B 8%, ..., G zw" for messages
};

struct ReceiptLine
{
    QString name;
    qint64 unitPrice = 0; // grosze
    int quantity = 1;
    domain::VatRate rate;
    // The line's share of the order's discounts (negative) or surcharges (positive), in grosze: printed under the
    // line as a discount or markup (Posnet trline rd/rn/rw, Novitus <discount>). 0: none.
    qint64 adjustment = 0;
    QString adjustmentName{}; // printed beside it (25 characters at most)
    qint64 gross() const { return unitPrice * quantity; }
    qint64 total() const { return gross() + adjustment; }
};

struct ReceiptPayment
{
    // Posnet's payment kinds (trpayment ty); Novitus names them.
    enum class Kind { Cash = 0, Card = 2, Cheque = 3, Voucher = 4, Credit = 5, Other = 6, Transfer = 8 };
    Kind kind = Kind::Cash;
    qint64 amount = 0;
    QString name;
};

struct Receipt
{
    QList<ReceiptLine> lines;
    QString buyerNip; // ten digits, or empty
    QList<ReceiptPayment> payments;
    qint64 total() const;
    // Sale per VAT slot, as the printer will total it: what a later check compares with the printer's own totals.
    Result<std::array<qint64, VatTable::kSlots>> totalsBySlot(const VatTable &table) const;
};

struct PrinterStatus
{
    int device = 0;    // sdev ds: 0 ready, 1 in menu, 2 waiting for a key, 3 waiting after an error
    int mechanism = 0; // sprn pr: 0 ok, 1/3 cover open, 5 no paper, 8 cutter, ...
    bool paperNearEnd = false;
    bool fiscalMode = false;
    int openDocument = 0; // scomm ts: 0 none, 16/17 receipt, 33 invoice
    QString message;      // translated, one sentence for the operator
    bool ok() const { return device == 0 && mechanism == 0; }
};

// What the printer says about its last receipt: the answer to "was it printed?" after a failure.
struct LastReceipt
{
    qint64 closedReceipts = 0; // receipts closed since fiscalisation (scnt bn)
    qint64 lastNumber = 0;     // number printed on the last receipt (scnt bt)
    bool transactionOpen = false;
    std::array<qint64, VatTable::kSlots> totals{}; // per slot, of the open or the last transaction (strns)
};

// One fiscal printer, whatever its protocol. Every call is blocking and sends one command at a time; a failure
// says what the operator should do in a translated message.
class FiscalPrinter
{
public:
    virtual ~FiscalPrinter() = default;
    virtual QString address() const = 0;
    virtual Result<VatTable> vatTable() = 0;
    virtual Result<PrinterStatus> status() = 0;
    virtual Result<LastReceipt> lastReceipt() = 0;
    // Opens, sends every line, the NIP and the payments, and closes the receipt. Lines carry their VAT slot already
    // matched (`slotIndexes`, one per line).
    virtual Result<void> printReceipt(const Receipt &receipt, const QList<int> &slotIndexes) = 0;
    // Cancels an open transaction (nothing is printed in block mode).
    virtual Result<void> cancel() = 0;
    virtual Result<void> dailyReport(const QDate &date) = 0;
    // "posnet" or "novitus": what the operator sees beside the address.
    virtual QString protocol() const = 0;
    // Drops the connection; the next call opens it again.
    virtual void disconnect() = 0;
};

} // namespace sd::devices::fiscal
