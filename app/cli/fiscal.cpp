#include "fiscal.h"

#include "cli.h"
#include "devices/fiscal/fiscalreceipts.h"
#include "devices/fiscal/fiscalsettings.h"
#include "devices/fiscal/simulator/fiscalsimulator.h"
#include "storage/orderstore.h"
#include "untilsignal.h"

#include <QCoreApplication>
#include <QHash>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QTextStream>

namespace sd::cli {

namespace {

namespace fiscal = devices::fiscal;

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int usage(const QString &message)
{
    QTextStream(stderr) << "sellerdesk-cli: " << message << u' ' << tr("(see sellerdesk-cli --help)") << Qt::endl;
    return kUsage;
}

int failure(const Error &error)
{
    QTextStream(stderr) << "sellerdesk-cli: " << tr("error:") << u' ' << error.userMessage << Qt::endl;
    return kFailure;
}

// "--name value" options (the names in `valued`), "--flag" switches (in `flags`) and positional words.
struct Options
{
    QStringList positional;
    QHash<QString, QString> values;
    QStringList flags;
    QString problem;
};

Options parse(const QStringList &words, const QStringList &valued, const QStringList &flags)
{
    Options o;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString &word = words.at(i);
        if (!word.startsWith(u"--")) {
            o.positional << word;
        } else if (flags.contains(word)) {
            o.flags << word;
        } else if (!valued.contains(word)) {
            o.problem = tr("unknown option %1").arg(word);
        } else if (i + 1 >= words.size()) {
            o.problem = tr("the option %1 needs a value").arg(word);
        } else {
            o.values.insert(word, words.at(++i));
        }
    }
    return o;
}

Result<std::unique_ptr<fiscal::FiscalPrinter>> printerFor(const Options &o)
{
    const QString address = o.values.value(u"--printer"_qs, fiscal::configuredPrinter());
    if (address.isEmpty())
        return makeError(Error::Code::Invalid,
                         tr("No fiscal printer: give --printer tcp://HOST:PORT or serial:/dev/ttyX, or set one for "
                            "this workstation."));
    bool ok = true;
    const int timeout = qEnvironmentVariableIntValue("SD_FISCAL_TIMEOUT_MS", &ok);
    return fiscal::openPrinter(address, ok && timeout > 0 ? timeout : 5000);
}

QString owner()
{
    return u"cli:%1:%2"_qs.arg(QHostInfo::localHostName()).arg(QCoreApplication::applicationPid());
}

QString describe(const fiscal::ReceiptRecord &r)
{
    QString text = fiscal::ReceiptRecord::stateLabel(r.state);
    if (r.journalNumber)
        text += u", "_qs + tr("no. %1").arg(*r.journalNumber);
    if (!r.error.isEmpty())
        text += u" ("_qs + r.error + u')';
    return text;
}

int receipt(const QStringList &words, const OpenDatabase &open)
{
    const Options o = parse(words, {u"--printer"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1)
        return usage(tr("fiscal receipt needs exactly one order ID"));
    auto db = open();
    if (!db)
        return failure(db.error());
    storage::OrderStore store(*db);
    auto id = store.resolve(o.positional.constFirst());
    if (!id)
        return failure(id.error());
    auto order = store.load(*id);
    if (!order)
        return failure(order.error());
    auto printer = printerFor(o);
    if (!printer)
        return failure(printer.error());
    auto issued = fiscal::FiscalReceipts(*db).issueOnce(*order, **printer, owner());
    if (!issued)
        return failure(issued.error());
    out() << tr("Order %1: fiscal receipt %2.").arg(*id).arg(describe(*issued)) << Qt::endl;
    return kOk;
}

int report(const QStringList &words)
{
    const Options o = parse(words, {u"--printer"_qs, u"--date"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional != QStringList{u"daily"_qs})
        return usage(tr("fiscal report needs the report's kind: daily"));
    QDate date = QDate::currentDate();
    if (o.values.contains(u"--date"_qs)) {
        date = QDate::fromString(o.values.value(u"--date"_qs), Qt::ISODate);
        if (!date.isValid())
            return usage(tr("--date needs a date as YYYY-MM-DD"));
    }
    auto printer = printerFor(o);
    if (!printer)
        return failure(printer.error());
    if (auto r = (*printer)->dailyReport(date); !r)
        return failure(r.error());
    out() << tr("The daily report for %1 was printed.").arg(date.toString(Qt::ISODate)) << Qt::endl;
    return kOk;
}

int status(const QStringList &words)
{
    const Options o = parse(words, {u"--printer"_qs}, {});
    if (!o.problem.isEmpty() || !o.positional.isEmpty())
        return usage(o.problem.isEmpty() ? tr("fiscal status takes no arguments") : o.problem);
    auto printer = printerFor(o);
    if (!printer)
        return failure(printer.error());
    auto s = (*printer)->status();
    if (!s)
        return failure(s.error());
    auto vat = (*printer)->vatTable();
    if (!vat)
        return failure(vat.error());
    auto last = (*printer)->lastReceipt();
    if (!last)
        return failure(last.error());
    out() << tr("Printer: %1").arg((*printer)->address()) << Qt::endl
          << tr("Status: %1").arg(s->message) << Qt::endl
          << tr("VAT rates: %1").arg(vat->describe()) << Qt::endl
          << tr("Receipts closed: %1, last receipt no. %2").arg(last->closedReceipts).arg(last->lastNumber) << Qt::endl;
    if (last->transactionOpen)
        out() << tr("A receipt is open at the printer.") << Qt::endl;
    return s->ok() ? kOk : kFailure;
}

int receipts(const QStringList &words, const OpenDatabase &open)
{
    const Options o = parse(words, {u"--state"_qs, u"--order"_qs}, {});
    if (!o.problem.isEmpty() || !o.positional.isEmpty())
        return usage(o.problem.isEmpty() ? tr("fiscal receipts takes only options") : o.problem);
    auto db = open();
    if (!db)
        return failure(db.error());
    fiscal::FiscalReceipts book(*db);
    Result<QList<fiscal::ReceiptRecord>> rows = QList<fiscal::ReceiptRecord>();
    if (o.values.contains(u"--order"_qs)) {
        auto id = storage::OrderStore(*db).resolve(o.values.value(u"--order"_qs));
        if (!id)
            return failure(id.error());
        rows = book.forOrder(*id);
    } else {
        rows = book.inState(o.values.value(u"--state"_qs, u"unknown"_qs));
    }
    if (!rows)
        return failure(rows.error());
    for (const fiscal::ReceiptRecord &r : *rows)
        out() << r.orderId << u'\t' << r.state << u'\t'
              << (r.journalNumber ? QString::number(*r.journalNumber) : u"-"_qs) << u'\t' << r.printer << u'\t'
              << r.updatedAt.toLocalTime().toString(Qt::ISODate) << u'\t' << r.error << Qt::endl;
    return kOk;
}

int resolve(const QStringList &words, const OpenDatabase &open)
{
    const Options o = parse(words, {u"--number"_qs}, {u"--printed"_qs, u"--not-printed"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    const bool printed = o.flags.contains(u"--printed"_qs);
    if (o.positional.size() != 1 || printed == o.flags.contains(u"--not-printed"_qs))
        return usage(tr("fiscal resolve needs an order ID and either --printed or --not-printed"));
    std::optional<qint64> number;
    if (o.values.contains(u"--number"_qs)) {
        bool ok = false;
        number = o.values.value(u"--number"_qs).toLongLong(&ok);
        if (!ok)
            return usage(tr("--number needs the receipt number printed on it"));
    }
    auto db = open();
    if (!db)
        return failure(db.error());
    auto id = storage::OrderStore(*db).resolve(o.positional.constFirst());
    if (!id)
        return failure(id.error());
    auto resolved = fiscal::FiscalReceipts(*db).resolve(fiscal::FiscalReceipts::ledgerKey(*id), printed, number);
    if (!resolved)
        return failure(resolved.error());
    out() << tr("Order %1: fiscal receipt %2.").arg(*id).arg(describe(*resolved)) << Qt::endl;
    return kOk;
}

Result<fiscal::VatTable> parseVat(const QString &text)
{
    fiscal::VatTable table;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts)) {
        const QString letter = item.section(u'=', 0, 0).trimmed().toUpper();
        const QString value = item.section(u'=', 1).trimmed();
        const int slot = letter.size() == 1 ? letter.at(0).unicode() - u'A' : -1;
        bool ok = false;
        const int percent = value.toInt(&ok);
        if (slot < 0 || slot >= fiscal::VatTable::kSlots || (!ok && value != u"zw") ||
            (ok && (percent < 0 || percent > 99)))
            return makeError(Error::Code::Invalid,
                             tr("--vat takes slots as A=23,B=8,C=5,D=0,G=zw; \"%1\" is not one").arg(item));
        table.rates[slot] = ok ? percent * 100 : fiscal::VatTable::kExempt;
    }
    return table;
}

int simulate(const QStringList &words)
{
    const Options o = parse(words, {u"--port"_qs, u"--journal"_qs, u"--faults"_qs, u"--vat"_qs, u"--protocol"_qs}, {});
    if (!o.problem.isEmpty() || !o.positional.isEmpty())
        return usage(o.problem.isEmpty() ? tr("fiscal simulate takes only options") : o.problem);
    fiscal::SimulatorOptions options;
    if (o.values.contains(u"--port"_qs)) {
        bool ok = false;
        const int port = o.values.value(u"--port"_qs).toInt(&ok);
        if (!ok || port < 0 || port > 65535)
            return usage(tr("--port needs a port number"));
        options.port = quint16(port);
    }
    const QString protocol = o.values.value(u"--protocol"_qs, u"posnet"_qs);
    if (protocol != u"posnet" && protocol != u"novitus")
        return usage(tr("--protocol takes posnet or novitus"));
    if (protocol == u"novitus")
        options.protocol = fiscal::SimulatorOptions::Protocol::Novitus;
    options.journalFile = o.values.value(u"--journal"_qs);
    if (auto faults = fiscal::SimulatorFaults::parse(o.values.value(u"--faults"_qs)); !faults)
        return usage(faults.error().userMessage);
    else
        options.faults = *faults;
    if (o.values.contains(u"--vat"_qs)) {
        auto vat = parseVat(o.values.value(u"--vat"_qs));
        if (!vat)
            return usage(vat.error().userMessage);
        options.vat = *vat;
    }
    QLoggingCategory::setFilterRules(u"sd.fiscal.simulator.info=true"_qs);
    fiscal::FiscalSimulator simulator(options);
    auto port = simulator.start();
    if (!port)
        return failure(port.error());
    out() << simulator.address() << Qt::endl; // the first line: scripts read the address from it
    return runUntilSignal() ? kOk : kFailure;
}

} // namespace

QString fiscalHelp()
{
    return tr("  fiscal receipt ORDER [--printer ADDR]    print the order's fiscal receipt (never twice)\n"
              "  fiscal report daily [--date D] [--printer ADDR]   print the daily report\n"
              "  fiscal status [--printer ADDR]           the printer's state, VAT rates and counters\n"
              "  fiscal receipts [--state S | --order ORDER]   receipts by state (default: unknown)\n"
              "  fiscal resolve ORDER --printed [--number N] | --not-printed   answer for an unknown receipt\n"
              "  fiscal simulate [--port P] [--journal FILE] [--faults SPEC] [--vat A=23,B=8,...]\n"
              "                  [--protocol posnet|novitus]   run a fiscal printer simulator on this computer\n"
              "                                           ADDR: tcp://HOST:PORT or serial:/dev/ttyX, with\n"
              "                                           ?protocol=novitus for a Novitus XML printer\n");
}

int fiscal(const QStringList &words, const OpenDatabase &open)
{
    const QString sub = words.value(0);
    const QStringList rest = words.mid(1);
    if (sub == u"receipt")
        return receipt(rest, open);
    if (sub == u"report")
        return report(rest);
    if (sub == u"status")
        return status(rest);
    if (sub == u"receipts")
        return receipts(rest, open);
    if (sub == u"resolve")
        return resolve(rest, open);
    if (sub == u"simulate")
        return simulate(rest);
    return usage(tr("fiscal needs a subcommand: receipt, report, status, receipts, resolve or simulate"));
}

} // namespace sd::cli
