#include "devices/fiscal/fiscalreceipts.h"

#include "automation/sqlrun.h"
#include "documents/documentbuilder.h"
#include "domain/nip.h"
#include "storage/actionledger.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QLoggingCategory>

#include <cerrno>
#include <csignal>
#include <numeric>

Q_DECLARE_LOGGING_CATEGORY(lcFiscal)

namespace sd::devices::fiscal {

namespace {

using automation::runSql;

const QString kColumns = u"id, order_id, ledger_key, state, printer, total, baseline, journal_number, error, attempts, "
                         "created_at, updated_at"_qs;

ReceiptRecord readRecord(const QSqlQuery &q)
{
    ReceiptRecord r;
    r.id = q.value(0).toLongLong();
    r.orderId = q.value(1).toLongLong();
    r.key = q.value(2).toString();
    r.state = q.value(3).toString();
    r.printer = q.value(4).toString();
    r.total = q.value(5).toLongLong();
    if (!q.value(6).isNull())
        r.baseline = q.value(6).toLongLong();
    if (!q.value(7).isNull())
        r.journalNumber = q.value(7).toLongLong();
    r.error = q.value(8).toString();
    r.attempts = q.value(9).toInt();
    r.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(10).toLongLong(), Qt::UTC);
    r.updatedAt = QDateTime::fromMSecsSinceEpoch(q.value(11).toLongLong(), Qt::UTC);
    return r;
}

QVariant optionalNumber(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

// "cli:HOST:PID" / "gui:HOST:PID": a claim made on this computer by a process that is gone may be taken over.
bool ownerIsGone(const QString &owner)
{
    const QStringList parts = owner.split(u':');
    if (parts.size() != 3 || parts.at(1) != QHostInfo::localHostName())
        return false;
    bool ok = false;
    const qint64 pid = parts.at(2).toLongLong(&ok);
    if (!ok || pid <= 0 || pid == QCoreApplication::applicationPid())
        return false;
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

QString ReceiptRecord::stateLabel(const QString &state)
{
    if (state == u"pending")
        return QCoreApplication::translate("sd::devices::fiscal", "waiting to be sent");
    if (state == u"sending")
        return QCoreApplication::translate("sd::devices::fiscal", "being printed (or interrupted)");
    if (state == u"printed")
        return QCoreApplication::translate("sd::devices::fiscal", "printed");
    if (state == u"failed")
        return QCoreApplication::translate("sd::devices::fiscal", "not printed");
    if (state == u"unknown")
        return QCoreApplication::translate("sd::devices::fiscal", "unknown: check the printer's journal");
    return state;
}

FiscalReceipts::FiscalReceipts(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

QString FiscalReceipts::ledgerKey(qint64 orderId)
{
    return u"fiscal.receipt/order:%1"_qs.arg(orderId);
}

Result<void> FiscalReceipts::spreadAdjustments(const domain::Order &order, Receipt &receipt)
{
    qint64 net = 0;
    QStringList names;
    for (const domain::Adjustment &adjustment : order.adjustments) {
        if (adjustment.amount.isZero())
            continue;
        net += adjustment.amount.minor();
        names << adjustment.description.simplified();
    }
    if (net == 0)
        return {};
    // Spread over the goods only (delivery keeps its price), in proportion to each line's value, as the invoice does.
    QList<qint64> weights;
    for (qsizetype i = 0; i < receipt.lines.size(); ++i)
        weights.append(i < order.items.size() ? receipt.lines.at(i).gross() : 0);
    const qint64 amount = net < 0 ? -net : net;
    QList<qint64> parts = documents::spreadProportionally(amount, weights);
    if (net > 0 && std::accumulate(parts.cbegin(), parts.cend(), qint64(0)) < amount) {
        // A surcharge may exceed the goods' value: the remainder goes on the first line.
        parts[0] += amount - std::accumulate(parts.cbegin(), parts.cend(), qint64(0));
    }
    // Receipt text is Polish by law: the order's own name when there is one, else "Rabat" / "Narzut".
    const QString name = names.size() == 1 && !names.first().isEmpty() ? names.first()
                         : net < 0                                     ? u"Rabat"_qs
                                                                       : u"Narzut"_qs;
    for (qsizetype i = 0; i < receipt.lines.size(); ++i) {
        ReceiptLine &line = receipt.lines[i];
        if (parts.at(i) == 0)
            continue;
        line.adjustment = net < 0 ? -parts.at(i) : parts.at(i);
        line.adjustmentName = name.left(25);
        if (line.total() <= 0)
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::devices::fiscal",
                                                         "The order's discounts (%1) leave nothing to pay for its "
                                                         "items; a fiscal receipt cannot carry that.")
                                 .arg(domain::Money(net, order.currency()).toDisplayString()));
    }
    return {};
}

Result<Receipt> FiscalReceipts::fromOrder(const domain::Order &order)
{
    auto invalid = [](const QString &message) { return makeError(Error::Code::Invalid, message); };
    if (order.currency() != u"PLN")
        return invalid(QCoreApplication::translate("sd::devices::fiscal",
                                                   "A fiscal receipt is printed in PLN; this order is in %1.")
                           .arg(order.currency()));
    if (order.items.isEmpty())
        return invalid(
            QCoreApplication::translate("sd::devices::fiscal", "The order has no items to put on a receipt."));
    Receipt receipt;
    domain::VatRate highest;
    for (const domain::LineItem &item : order.items) {
        ReceiptLine line;
        line.name = item.name.simplified();
        line.unitPrice = item.unitPrice.minor();
        line.quantity = item.quantity;
        // Allegro sends an item's rate only when the seller set one; the standard rate is what applies otherwise.
        line.rate = item.vatRate.isValid() ? item.vatRate : domain::VatRate::percent(23);
        if (line.name.isEmpty())
            return invalid(QCoreApplication::translate("sd::devices::fiscal", "An item of the order has no name."));
        if (line.unitPrice <= 0)
            return invalid(
                QCoreApplication::translate("sd::devices::fiscal", "The item \"%1\" has no price.").arg(line.name));
        if (line.rate.kind() == domain::VatRate::Kind::Percent &&
            (!highest.isValid() || highest.kind() != domain::VatRate::Kind::Percent ||
             line.rate.percentValue() > highest.percentValue()))
            highest = line.rate;
        receipt.lines.append(line);
    }
    if (order.delivery.cost.minor() > 0) {
        // Delivery follows the goods it brings: taxed at the order's highest rate (receipt text is Polish by law).
        ReceiptLine line;
        line.name = u"Dostawa"_qs;
        line.unitPrice = order.delivery.cost.minor();
        line.rate = highest.isValid() ? highest : domain::VatRate::percent(23);
        receipt.lines.append(line);
    }
    if (auto spread = spreadAdjustments(order, receipt); !spread)
        return spread.error();
    if (receipt.total() != order.total.minor())
        return invalid(QCoreApplication::translate(
                           "sd::devices::fiscal",
                           "The order's total (%1) differs from its items and delivery (%2); check the order first.")
                           .arg(order.total.toDisplayString(),
                                domain::Money(receipt.total(), order.currency()).toDisplayString()));
    if (order.invoice.wanted && !order.invoice.nip.trimmed().isEmpty()) {
        auto nip = domain::Nip::parse(order.invoice.nip);
        if (!nip)
            return invalid(
                QCoreApplication::translate("sd::devices::fiscal", "The buyer's NIP cannot go on the receipt: %1")
                    .arg(nip.error().userMessage));
        receipt.buyerNip = nip->digits();
    }
    ReceiptPayment payment;
    payment.kind = order.payment.isCashOnDelivery() ? ReceiptPayment::Kind::Cash : ReceiptPayment::Kind::Transfer;
    payment.amount = receipt.total();
    receipt.payments.append(payment);
    return receipt;
}

Result<std::optional<ReceiptRecord>> FiscalReceipts::find(const QString &key)
{
    auto q = runSql(*m_db, u"SELECT "_qs + kColumns + u" FROM fiscal_receipts WHERE ledger_key = ?"_qs,
                    "find fiscal receipt", {key});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<ReceiptRecord>();
    return std::optional<ReceiptRecord>(readRecord(*q));
}

Result<QList<ReceiptRecord>> FiscalReceipts::select(const char *column, const QVariant &value)
{
    auto q = runSql(*m_db,
                    u"SELECT "_qs + kColumns + u" FROM fiscal_receipts WHERE "_qs + QLatin1StringView(column) +
                        u" = ? ORDER BY id"_qs,
                    "list fiscal receipts", {value});
    if (!q)
        return q.error();
    QList<ReceiptRecord> out;
    while (q->next())
        out.append(readRecord(*q));
    return out;
}

Result<QList<ReceiptRecord>> FiscalReceipts::forOrder(qint64 orderId)
{
    return select("order_id", orderId);
}

Result<QList<ReceiptRecord>> FiscalReceipts::inState(const QString &state)
{
    return select("state", state);
}

Result<void> FiscalReceipts::save(ReceiptRecord &record)
{
    record.updatedAt = QDateTime::currentDateTimeUtc();
    auto q =
        runSql(*m_db,
               u"UPDATE fiscal_receipts SET state = ?, printer = ?, baseline = ?, journal_number = ?, error = ?, "
               "attempts = ?, updated_at = ? WHERE id = ?"_qs,
               "save fiscal receipt",
               {record.state, record.printer, optionalNumber(record.baseline), optionalNumber(record.journalNumber),
                record.error, record.attempts, record.updatedAt.toMSecsSinceEpoch(), record.id});
    if (!q)
        return q.error();
    return {};
}

Result<ReceiptRecord> FiscalReceipts::insert(const domain::Order &order, const QString &key, const Receipt &receipt,
                                             const QString &printer)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto q = runSql(*m_db,
                    u"INSERT INTO fiscal_receipts (order_id, ledger_key, state, printer, total, created_at, "
                    "updated_at) VALUES (?, ?, 'pending', ?, ?, ?, ?)"_qs,
                    "add fiscal receipt", {order.id, key, printer, receipt.total(), now, now});
    if (!q)
        return q.error();
    auto found = find(key);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(
            Error::Code::Storage,
            QCoreApplication::translate("sd::devices::fiscal", "The receipt's record could not be written."));
    return **found;
}

Result<FiscalReceipts::Reconciled> FiscalReceipts::reconcile(ReceiptRecord &record, const Receipt &receipt,
                                                             FiscalPrinter &printer, Error &why)
{
    // Start from a fresh connection: whatever was in flight on the old one is lost either way.
    printer.disconnect();
    auto vat = printer.vatTable();
    if (!vat) {
        why = vat.error();
        return Reconciled::Unreachable;
    }
    auto expected = receipt.totalsBySlot(*vat);
    if (!expected)
        return expected.error();
    auto last = printer.lastReceipt();
    if (!last) {
        why = last.error();
        return Reconciled::Unreachable;
    }
    const qint64 baseline = record.baseline.value_or(last->closedReceipts);
    qCInfo(lcFiscal) << "reconciling receipt" << record.key << "baseline" << baseline << "printer closed"
                     << last->closedReceipts << "open" << last->transactionOpen;
    if (last->closedReceipts > baseline) {
        if (last->closedReceipts == baseline + 1 && !last->transactionOpen && last->totals == *expected) {
            record.journalNumber = last->lastNumber;
            return Reconciled::Printed;
        }
        return Reconciled::Unknown;
    }
    if (last->transactionOpen) {
        // Our receipt, opened and never closed: cancel it (block mode, nothing was printed) before trying again.
        if (auto c = printer.cancel(); !c) {
            why = c.error();
            return Reconciled::Unreachable;
        }
    }
    return Reconciled::NotPrinted;
}

Result<ReceiptRecord> FiscalReceipts::issue(const domain::Order &order, const QString &key, FiscalPrinter &printer,
                                            int maxAttempts)
{
    auto receipt = fromOrder(order);
    if (!receipt)
        return receipt.error();
    auto existing = forOrder(order.id);
    if (!existing)
        return existing.error();
    for (const ReceiptRecord &other : *existing)
        if (other.key != key && (other.state == u"printed" || other.state == u"sending" || other.state == u"unknown"))
            return makeError(Error::Code::Conflict,
                             other.state == u"printed"
                                 ? QCoreApplication::translate(
                                       "sd::devices::fiscal",
                                       "The order already has fiscal receipt no. %1; it is not printed twice.")
                                       .arg(other.journalNumber.value_or(0))
                                 : QCoreApplication::translate("sd::devices::fiscal",
                                                               "Another receipt of this order is %1; resolve it first.")
                                       .arg(ReceiptRecord::stateLabel(other.state)));
    auto found = find(key);
    if (!found)
        return found.error();
    ReceiptRecord record;
    if (found->has_value()) {
        record = **found;
    } else {
        auto inserted = insert(order, key, *receipt, printer.address());
        if (!inserted)
            return inserted.error();
        record = *inserted;
    }
    if (record.state == u"printed")
        return record;
    if (record.state == u"unknown")
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate(
                             "sd::devices::fiscal",
                             "Whether the receipt was printed is unknown (%1). Check the printer's journal and "
                             "record the answer; it is not printed again on its own.")
                             .arg(record.error));

    auto interrupted = [&](const Error &cause) -> Result<ReceiptRecord> {
        record.error = cause.userMessage;
        if (auto s = save(record); !s)
            return s.error();
        return makeError(Error::Code::Io,
                         QCoreApplication::translate(
                             "sd::devices::fiscal",
                             "The receipt was interrupted and the printer cannot be asked now (%1). It will be "
                             "checked with the printer before any new attempt.")
                             .arg(cause.userMessage),
                         cause.detail);
    };
    auto settle = [&](Reconciled outcome, const Error &cause) -> std::optional<Result<ReceiptRecord>> {
        switch (outcome) {
        case Reconciled::Printed:
            record.state = u"printed"_qs;
            record.error.clear();
            if (auto s = save(record); !s)
                return Result<ReceiptRecord>(s.error());
            return Result<ReceiptRecord>(record);
        case Reconciled::Unknown:
            record.state = u"unknown"_qs;
            record.error = QCoreApplication::translate("sd::devices::fiscal",
                                                       "the printer closed other receipts since this one started");
            if (auto s = save(record); !s)
                return Result<ReceiptRecord>(s.error());
            return Result<ReceiptRecord>(makeError(
                Error::Code::Conflict,
                QCoreApplication::translate(
                    "sd::devices::fiscal",
                    "Whether the receipt was printed is unknown: the printer closed other receipts meanwhile. Check "
                    "its journal and record the answer.")));
        case Reconciled::Unreachable:
            return interrupted(cause);
        case Reconciled::NotPrinted:
            return std::nullopt;
        }
        return std::nullopt;
    };

    // Asks the printer what became of an interrupted attempt: an answer that settles the receipt, or nothing when it
    // was not printed and may be tried again.
    auto checkWithPrinter = [&](Error why) -> std::optional<Result<ReceiptRecord>> {
        auto outcome = reconcile(record, *receipt, printer, why);
        if (!outcome)
            return Result<ReceiptRecord>(outcome.error());
        if (auto done = settle(*outcome, why))
            return done;
        record.state = u"failed"_qs;
        return std::nullopt;
    };
    if (record.state == u"sending")
        if (auto done = checkWithPrinter(makeError(Error::Code::Io, record.error)))
            return *done;

    Error lastError;
    for (int attempt = 0; attempt < maxAttempts; ++attempt) {
        auto vat = printer.vatTable();
        if (!vat) {
            lastError = vat.error();
            break;
        }
        auto totals = receipt->totalsBySlot(*vat);
        if (!totals) {
            lastError = totals.error();
            break;
        }
        QList<int> slotIndexes;
        for (const ReceiptLine &line : receipt->lines)
            slotIndexes.append(*vat->slotFor(line.rate));
        auto last = printer.lastReceipt();
        if (!last) {
            lastError = last.error();
            break;
        }
        if (last->transactionOpen) {
            lastError = makeError(Error::Code::Conflict,
                                  QCoreApplication::translate(
                                      "sd::devices::fiscal",
                                      "Another receipt is open at the printer (started on its keypad or by another "
                                      "program). Finish or cancel it there first."));
            break;
        }
        // Written before the first byte of the receipt goes out: from here on, a crash leaves "sending" behind.
        record.state = u"sending"_qs;
        record.baseline = last->closedReceipts;
        record.printer = printer.address();
        record.attempts += 1;
        record.error.clear();
        if (auto s = save(record); !s)
            return s.error();
        auto printed = printer.printReceipt(*receipt, slotIndexes);
        if (printed) {
            if (auto after = printer.lastReceipt(); after && after->closedReceipts == *record.baseline + 1)
                record.journalNumber = after->lastNumber;
            record.state = u"printed"_qs;
            if (auto s = save(record); !s)
                return s.error();
            return record;
        }
        lastError = printed.error();
        if (printed.error().code != Error::Code::Io)
            break; // refused: the printer knows it did not print it (and the transaction was cancelled)
        qCWarning(lcFiscal).noquote() << "receipt" << key << "interrupted:" << printed.error().text();
        if (auto done = checkWithPrinter(printed.error()))
            return *done;
    }
    record.state = u"failed"_qs;
    record.error = lastError.userMessage;
    if (auto s = save(record); !s)
        return s.error();
    return lastError;
}

Result<ReceiptRecord> FiscalReceipts::issueOnce(const domain::Order &order, FiscalPrinter &printer,
                                                const QString &owner)
{
    const QString key = ledgerKey(order.id);
    storage::ActionLedger ledger(m_db);
    auto claim = ledger.claim(key, u"issueReceipt"_qs, order.id, owner);
    if (!claim)
        return claim.error();
    if (*claim == storage::ActionLedger::Claim::FailedBefore)
        claim = ledger.claimRetry(key, owner);
    if (!claim)
        return claim.error();
    if (*claim == storage::ActionLedger::Claim::InProgress) {
        auto entry = ledger.find(key);
        if (!entry)
            return entry.error();
        if (!entry->has_value() || !ownerIsGone((*entry)->owner))
            return makeError(
                Error::Code::Conflict,
                QCoreApplication::translate("sd::devices::fiscal", "This receipt is being printed by %1 right now.")
                    .arg(entry->has_value() ? (*entry)->owner : QString()));
        auto taken = ledger.takeOver(key, owner, (*entry)->owner);
        if (!taken)
            return taken.error();
        if (!*taken)
            return makeError(
                Error::Code::Conflict,
                QCoreApplication::translate("sd::devices::fiscal", "Another process took over this receipt just now."));
        qCInfo(lcFiscal).noquote() << "took over receipt" << key << "from" << (*entry)->owner;
    } else if (*claim == storage::ActionLedger::Claim::AlreadyDone) {
        auto found = find(key);
        if (!found)
            return found.error();
        if (found->has_value())
            return **found;
    }
    auto issued = issue(order, key, printer);
    if (issued) {
        QJsonObject result{{u"state"_qs, issued->state}, {u"printer"_qs, issued->printer}};
        if (issued->journalNumber)
            result.insert(u"number"_qs, *issued->journalNumber);
        if (auto c = ledger.complete(key, result); !c)
            return c.error();
        return issued;
    }
    if (auto f = ledger.fail(key, issued.error().userMessage); !f)
        return f.error();
    return issued.error();
}

Result<ReceiptRecord> FiscalReceipts::resolve(const QString &key, bool printed, std::optional<qint64> journalNumber)
{
    auto found = find(key);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::devices::fiscal", "There is no receipt %1.").arg(key));
    ReceiptRecord record = **found;
    if (record.state != u"unknown" && record.state != u"sending")
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::devices::fiscal",
                                                     "The receipt is %1; only an unknown one needs an answer.")
                             .arg(ReceiptRecord::stateLabel(record.state)));
    record.state = printed ? u"printed"_qs : u"failed"_qs;
    record.journalNumber = printed ? journalNumber : std::nullopt;
    record.error = printed ? QString()
                           : QCoreApplication::translate("sd::devices::fiscal", "not printed, as the operator checked");
    if (auto s = save(record); !s)
        return s.error();
    return record;
}

} // namespace sd::devices::fiscal
