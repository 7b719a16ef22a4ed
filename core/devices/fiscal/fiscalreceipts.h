#pragma once

#include "devices/fiscal/fiscalprinter.h"
#include "domain/order.h"
#include "storage/database.h"

#include <QDateTime>

#include <memory>
#include <optional>

namespace sd::devices::fiscal {

// A receipt's row in `fiscal_receipts` (schema 14).
//   pending  written, nothing sent yet
//   sending  the printer's receipt counter was read (`baseline`) and commands are going out: a run that stops here
//            was interrupted, and the next run asks the printer what it printed before doing anything else
//   printed  the printer closed it (`journalNumber` is the number it printed on it)
//   failed   the printer refused it or it could not be sent; nothing was printed, and it may be tried again
//   unknown  the printer cannot tell whether it was printed (it closed other receipts meanwhile): a person checks
//            the printer's journal and says which (`resolve`); it is never printed again on its own
struct ReceiptRecord
{
    qint64 id = 0;
    qint64 orderId = 0;
    QString key;
    QString state;
    QString printer;
    qint64 total = 0;
    std::optional<qint64> baseline;
    std::optional<qint64> journalNumber;
    QString error;
    int attempts = 0;
    QDateTime createdAt;
    QDateTime updatedAt;

    static QString stateLabel(const QString &state); // translated
};

// Prints an order's fiscal receipt exactly once. The row is written before anything is sent; after any failure the
// printer is asked what it last printed (receipts closed since `baseline` and the last transaction's totals per VAT
// slot) before a new attempt, and an open, unfinished receipt is cancelled first (block mode: nothing printed).
class FiscalReceipts
{
public:
    explicit FiscalReceipts(std::shared_ptr<storage::Database> db);

    // The receipt for an order: its items and delivery, each at its VAT rate, the buyer's NIP when an invoice was
    // asked for, and one payment (cash on delivery or a transfer). Refuses what a receipt cannot carry.
    static Result<Receipt> fromOrder(const domain::Order &order);
    static QString ledgerKey(qint64 orderId);
    // The order's discounts and surcharges, netted and spread over the item lines in proportion to their value (as the
    // invoice spreads them), each line's share printed as its discount or markup. Refuses a discount that leaves an
    // item line at zero or less.
    static Result<void>
    spreadAdjustments(const domain::Order &order,
                      Receipt &receipt); // the key the CLI and the window use: one receipt per order

    // Prints under `key` unless it was printed already (under this key or another for the same order); the caller
    // holds the action ledger's claim for the key.
    Result<ReceiptRecord> issue(const domain::Order &order, const QString &key, FiscalPrinter &printer,
                                int maxAttempts = 2);
    // The same, claiming the action ledger entry itself (the CLI's and the window's path). A claim left by a process
    // on this computer that no longer runs is taken over; the receipt row says what happened to its receipt.
    Result<ReceiptRecord> issueOnce(const domain::Order &order, FiscalPrinter &printer, const QString &owner);
    // The operator's answer for a receipt in the "unknown" state, after looking at the printer's journal.
    Result<ReceiptRecord> resolve(const QString &key, bool printed, std::optional<qint64> journalNumber);

    Result<std::optional<ReceiptRecord>> find(const QString &key);
    Result<QList<ReceiptRecord>> forOrder(qint64 orderId);
    Result<QList<ReceiptRecord>> inState(const QString &state);

private:
    enum class Reconciled { Printed, NotPrinted, Unknown, Unreachable };
    Result<Reconciled> reconcile(ReceiptRecord &record, const Receipt &receipt, FiscalPrinter &printer, Error &why);
    Result<QList<ReceiptRecord>> select(const char *column, const QVariant &value);
    Result<void> save(ReceiptRecord &record);
    Result<ReceiptRecord> insert(const domain::Order &order, const QString &key, const Receipt &receipt,
                                 const QString &printer);

    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::devices::fiscal
