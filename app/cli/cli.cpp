#include "cli.h"
#include "chaos.h"

#include "access.h"
#include "allegro.h"
#include "args.h"
#include "bench.h"
#include "benchlist.h"
#include "benchscan.h"
#include "console.h"
#include "demo.h"
#include "documents.h"
#include "fiscal.h"
#include "ksef.h"
#include "labels.h"
#include "marketplace/accountstore.h"
#include "marketplace/orderimporter.h"
#include "messaging.h"
#include "money.h"
#include "returns.h"
#include "rules.h"
#include "service.h"
#include "stock.h"
#include "storage/catalogstore.h"
#include "storage/database.h"
#include "storage/orderstore.h"
#include "storage/statuschange.h"
#include "training.h"
#include "util/trainingmode.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTextStream>

namespace sd::cli {

namespace {

int usageError(const QString &message)
{
    return usage(message);
}

int failure(const QString &message)
{
    return fail(makeError(Error::Code::Invalid, message));
}

int failure(const Error &error)
{
    return fail(error);
}

QString helpText()
{
    return QCoreApplication::translate(
               "sd::cli",
               "Usage: sellerdesk-cli [--profile DIR | --database postgresql://...] COMMAND [ARGS]\n"
               "\n"
               "Global options:\n"
               "  --profile DIR          use the SQLite profile in DIR (created when missing)\n"
               "  --database URL         use a shared PostgreSQL database\n"
               "  --user NAME            work as this user (password from SD_PASSWORD or stdin)\n"
               "  --verbose              also print technical details of failures\n"
               "  --version              print the version\n"
               "  --help                 print this help\n"
               "\n"
               "Commands:\n"
               "  import-orders [--account NAME] FILE...   import Allegro checkout forms (JSON)\n"
               "  orders list [--status S] [--search TEXT] [--limit N] [--json]\n"
               "  orders show ID [--json]                  ID: SellerDesk number or marketplace id\n"
               "  orders history ID [--json]\n"
               "  orders set-status ID STATUS [--inform]  --inform: tell the buyer (queued)\n"
               "  statuses list [--json]\n"
               "  statuses add NAME [--group new|in-progress|shipped|closed|cancelled] [--color #RRGGBB]\n"
               "  allegro connect --url URL [--name NAME] [--client-id ID]   connect an Allegro account (device flow)\n"
               "  allegro sync [--account NAME]            download orders of connected accounts\n"
               "  allegro accounts                         list Allegro accounts\n"
               "  ksef settings [--environment test|production|URL] [--nip NIP] [--token-stdin]\n"
               "                [--on|--off]               KSeF environment, seller's NIP, token (read from stdin);\n"
               "                                           --on: every issued invoice goes to KSeF\n"
               "  ksef send DOC [--wait S]                 send an issued invoice (number or id) to KSeF now\n"
               "  ksef status DOC [--json]                 the document's KSeF state, number, UPO or reason\n"
               "  rates list|add CUR DATE RATE|fetch CUR [--date D]\n"
               "                                           NBP rates for foreign-currency invoices\n"
               "  demo [--orders N] [--seed S]             fill the profile with realistic training orders\n"
               "  bench import [--orders N]                measure the import speed\n"
               "  bench list [--orders N]                  measure the order list on N orders (default 1,000,000)\n"
               "  bench scan [--orders N] [--samples S]    measure the packing station's reaction per scan\n"
               "  training serve [--port P] [--state FILE] [--orders N] [--rate PER_MIN] [--auto-approve] [--faults "
               "SPEC]\n"
               "                                           run a training marketplace on this computer\n"
               "%1%2"
               "\n"
               "Exit codes: 0 success, 1 failure, 2 wrong usage.\n")
        .arg(automationHelp() + stockHelp() + fiscalHelp() + labelsHelp() + messagingHelp() + moneyHelp() +
                 returnsHelp() + serviceHelp() + accessHelp(),
             documentsHelp());
}

// Options of one command: "--name value" pairs, "--flag" switches and positional words.
void printJson(const QJsonValue &value)
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out() << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    out().flush();
}

QString localTime(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_qs) : QString();
}

QString actorName()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return user.isEmpty() ? u"cli"_qs : u"cli:" + user;
}

// Prints rows as columns padded to the widest cell.
void printTable(const QStringList &header, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &cell : header)
        widths.append(cell.size());
    for (const QStringList &row : rows)
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = qMax(widths[i], qMin<qsizetype>(row[i].size(), 40));
    auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            QString cell = cells[i];
            if (cell.size() > 40)
                cell = cell.left(39) + u'…';
            text += i + 1 < cells.size() ? cell.leftJustified(widths[i] + 2) : cell;
        }
        out() << text << u'\n';
    };
    line(header);
    for (const QStringList &row : rows)
        line(row);
    out().flush();
}

class Session
{
public:
    QString profile;
    QString databaseUrl;
    QString user;
    std::shared_ptr<storage::Database> db;

    // Opens the database and starts the access session every command runs under (--user or the auto-login).
    Result<void> open()
    {
        if (db)
            return {};
        auto opened =
            databaseUrl.isEmpty() ? storage::Database::openProfile(profile) : storage::Database::openUrl(databaseUrl);
        if (!opened)
            return opened.error();
        if (auto r = startSession(*opened, user); !r)
            return r;
        db = *opened;
        // A training profile marks its printouts and reaches only this computer (sd::training).
        sd::training::setActive(marketplace::AccountStore(db).isTrainingProfile().value_or(false));
        return {};
    }
};

int importOrders(Session &session, const QStringList &words)
{
    const Args args = Args::parse(words, {u"account"_qs}, {});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    if (args.positional.isEmpty())
        return usageError(QCoreApplication::translate("sd::cli", "import-orders needs at least one FILE"));
    if (auto r = session.open(); !r)
        return failure(r.error());
    storage::OrderStore store(session.db);
    marketplace::OrderImporter importer(store, args.values.value(u"account"_qs));
    marketplace::ImportReport total;
    bool fileFailed = false;
    for (const QString &file : args.positional) {
        auto report = importer.importFile(file);
        if (!report) {
            err() << "sellerdesk-cli: " << report.error().userMessage << Qt::endl;
            fileFailed = true;
            continue;
        }
        for (const auto &rejection : report->rejected)
            err() << QCoreApplication::translate("sd::cli", "rejected %1 (%2): %3")
                         .arg(rejection.orderId, QDir::toNativeSeparators(file), rejection.reason)
                  << Qt::endl;
        total += *report;
    }
    out() << QCoreApplication::translate("sd::cli", "new: %1, updated: %2, unchanged: %3, rejected: %4")
                 .arg(total.created)
                 .arg(total.updated)
                 .arg(total.unchanged)
                 .arg(total.rejected.size())
          << Qt::endl;
    return fileFailed || !total.rejected.isEmpty() ? kFailure : kOk;
}

QJsonObject summaryJson(const storage::OrderSummary &s)
{
    return {{u"id"_qs, s.id},
            {u"marketplace"_qs, s.marketplace},
            {u"externalId"_qs, s.externalId},
            {u"createdAt"_qs, s.createdAt.toString(Qt::ISODateWithMs)},
            {u"buyerLogin"_qs, s.buyerLogin},
            {u"buyerName"_qs, s.buyerName},
            {u"total"_qs, QJsonObject{{u"amount"_qs, s.total.toDecimalString()}, {u"currency"_qs, s.total.currency()}}},
            {u"paymentMethod"_qs, s.paymentMethod},
            {u"paymentStatus"_qs, s.paymentStatus},
            {u"deliveryMethod"_qs, s.deliveryMethod},
            {u"status"_qs, s.status},
            {u"itemCount"_qs, s.itemCount},
            {u"invoiceWanted"_qs, s.invoiceWanted}};
}

QString paymentText(const QString &method, const QString &status)
{
    const QString cod = method == u"CASH_ON_DELIVERY" ? QCoreApplication::translate("sd::cli", "COD") : QString();
    QString text;
    if (status == u"paid")
        text = QCoreApplication::translate("sd::cli", "paid");
    else if (status == u"partially-paid")
        text = QCoreApplication::translate("sd::cli", "partly paid");
    else if (status == u"overpaid")
        text = QCoreApplication::translate("sd::cli", "overpaid");
    else if (status == u"refunded")
        text = QCoreApplication::translate("sd::cli", "refunded");
    else
        text = QCoreApplication::translate("sd::cli", "unpaid");
    return cod.isEmpty() ? text : cod + u", " + text;
}

int ordersList(Session &session, const QStringList &words)
{
    const Args args = Args::parse(words, {u"status"_qs, u"search"_qs, u"limit"_qs}, {u"json"_qs});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    if (!args.positional.isEmpty())
        return usageError(
            QCoreApplication::translate("sd::cli", "unexpected argument %1").arg(args.positional.constFirst()));
    storage::OrderFilter filter;
    QString problem;
    if (!args.intValue(u"limit"_qs, 100, 1, 1000000, &filter.limit, &problem))
        return usageError(problem);
    filter.status = args.values.value(u"status"_qs);
    filter.search = args.values.value(u"search"_qs);
    if (auto r = session.open(); !r)
        return failure(r.error());
    if (!filter.status.isEmpty()) {
        storage::CatalogStore catalog(session.db);
        if (auto status = catalog.statusByName(filter.status); !status)
            return failure(status.error());
    }
    storage::OrderStore store(session.db);
    auto list = store.list(filter);
    if (!list)
        return failure(list.error());
    if (args.flags.contains(u"json"_qs)) {
        QJsonArray array;
        for (const auto &s : *list)
            array.append(summaryJson(s));
        printJson(array);
        return kOk;
    }
    QList<QStringList> rows;
    for (const auto &s : *list) {
        rows.append({QString::number(s.id), localTime(s.createdAt), s.externalId, s.buyerLogin,
                     s.total.toDecimalString() + u' ' + s.total.currency(),
                     paymentText(s.paymentMethod, s.paymentStatus), s.status});
    }
    printTable({QCoreApplication::translate("sd::cli", "ID"), QCoreApplication::translate("sd::cli", "DATE"),
                QCoreApplication::translate("sd::cli", "MARKETPLACE ID"),
                QCoreApplication::translate("sd::cli", "BUYER"), QCoreApplication::translate("sd::cli", "TOTAL"),
                QCoreApplication::translate("sd::cli", "PAYMENT"), QCoreApplication::translate("sd::cli", "STATUS")},
               rows);
    out() << QCoreApplication::translate("sd::cli", "%n order(s)", nullptr, int(list->size())) << Qt::endl;
    return kOk;
}

void printOrder(const domain::Order &o)
{
    auto field = [](const QString &label, const QString &value) {
        if (!value.isEmpty())
            out() << u"  "_qs << QString(label + u':').leftJustified(18) << value << u'\n';
    };
    auto address = [](const domain::Address &a) {
        QStringList parts;
        for (const QString &p : {QString(a.firstName + u' ' + a.lastName).trimmed(), a.companyName, a.street,
                                 QString(a.postCode + u' ' + a.city).trimmed(), a.countryCode, a.phone})
            if (!p.isEmpty())
                parts.append(p);
        return parts.join(u", ");
    };
    auto money = [](const domain::Money &m) {
        return m.isNull() ? QString() : m.toDecimalString() + u' ' + m.currency();
    };

    out() << QCoreApplication::translate("sd::cli", "Order %1").arg(o.id) << u"  ("_qs << o.marketplace << u' '
          << o.externalId << u")\n"_qs;
    field(QCoreApplication::translate("sd::cli", "Status"), o.status);
    field(QCoreApplication::translate("sd::cli", "Marketplace"),
          QString(o.marketplaceStatus + u' ' + o.fulfillmentStatus).trimmed());
    field(QCoreApplication::translate("sd::cli", "Bought"), localTime(o.createdAt));
    field(QCoreApplication::translate("sd::cli", "Updated"), localTime(o.updatedAt));
    out() << QCoreApplication::translate("sd::cli", "Buyer") << u'\n';
    field(QCoreApplication::translate("sd::cli", "Login"), o.buyer.login);
    field(QCoreApplication::translate("sd::cli", "Name"), o.buyer.displayName());
    field(QCoreApplication::translate("sd::cli", "E-mail"), o.buyer.email);
    field(QCoreApplication::translate("sd::cli", "Phone"), o.buyer.phone);
    field(QCoreApplication::translate("sd::cli", "NIP"), o.buyer.nip);
    out() << QCoreApplication::translate("sd::cli", "Delivery") << u'\n';
    field(QCoreApplication::translate("sd::cli", "Method"), o.delivery.methodName);
    field(QCoreApplication::translate("sd::cli", "Address"), address(o.delivery.address));
    field(QCoreApplication::translate("sd::cli", "Pick-up point"),
          QString(o.delivery.pickupPoint.id + u' ' + o.delivery.pickupPoint.name).trimmed());
    field(QCoreApplication::translate("sd::cli", "Cost"), money(o.delivery.cost));
    out() << QCoreApplication::translate("sd::cli", "Payment") << u'\n';
    field(QCoreApplication::translate("sd::cli", "Method"),
          QString(o.payment.method + u' ' + o.payment.provider).trimmed());
    field(QCoreApplication::translate("sd::cli", "Status"),
          paymentText(o.payment.method, domain::paymentStatusKey(o.payment.status)));
    field(QCoreApplication::translate("sd::cli", "Paid"), money(o.payment.paidAmount));
    field(QCoreApplication::translate("sd::cli", "Paid at"), localTime(o.payment.finishedAt));
    if (o.invoice.wanted) {
        out() << QCoreApplication::translate("sd::cli", "Invoice") << u'\n';
        field(QCoreApplication::translate("sd::cli", "Company"), o.invoice.companyName);
        field(QCoreApplication::translate("sd::cli", "NIP"), o.invoice.nip);
        field(QCoreApplication::translate("sd::cli", "Address"), address(o.invoice.address));
    }
    out() << QCoreApplication::translate("sd::cli", "Items") << u'\n';
    for (const auto &item : o.items)
        out() << u"  "_qs << item.quantity << u" x "_qs << item.name << u"  "_qs << money(item.unitPrice)
              << (item.sku.isEmpty() ? QString() : u"  [" + item.sku + u']') << u'\n';
    for (const auto &adjustment : o.adjustments)
        out() << u"  "_qs << adjustment.kind << u": "_qs << adjustment.description << u"  "_qs
              << money(adjustment.amount) << u'\n';
    field(QCoreApplication::translate("sd::cli", "Total"), money(o.total));
    field(QCoreApplication::translate("sd::cli", "Buyer's comment"), o.buyerComment);
    field(QCoreApplication::translate("sd::cli", "Notes"), o.notes);
    field(QCoreApplication::translate("sd::cli", "Tags"), o.tags.join(u", "));
    field(QCoreApplication::translate("sd::cli", "Referrers"), o.referrers.join(u", "));
    out().flush();
}

int ordersShowOrHistory(Session &session, const QStringList &words, bool history)
{
    const Args args = Args::parse(words, {}, {u"json"_qs});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    if (args.positional.size() != 1)
        return usageError(history ? QCoreApplication::translate("sd::cli", "orders history needs exactly one order ID")
                                  : QCoreApplication::translate("sd::cli", "orders show needs exactly one order ID"));
    if (auto r = session.open(); !r)
        return failure(r.error());
    storage::OrderStore store(session.db);
    auto id = store.resolve(args.positional.constFirst());
    if (!id)
        return failure(id.error());
    if (!history) {
        auto order = store.load(*id);
        if (!order)
            return failure(order.error());
        if (args.flags.contains(u"json"_qs))
            printJson(order->toJson());
        else
            printOrder(*order);
        return kOk;
    }
    auto entries = store.history(*id);
    if (!entries)
        return failure(entries.error());
    if (args.flags.contains(u"json"_qs)) {
        QJsonArray array;
        for (const auto &e : *entries)
            array.append(QJsonObject{{u"id"_qs, e.id},
                                     {u"eventId"_qs, e.eventId},
                                     {u"at"_qs, e.at.toString(Qt::ISODateWithMs)},
                                     {u"actor"_qs, e.actor},
                                     {u"user"_qs, e.user},
                                     {u"workstation"_qs, e.workstation},
                                     {u"field"_qs, e.field},
                                     {u"old"_qs, e.oldValue},
                                     {u"new"_qs, e.newValue}});
        printJson(array);
        return kOk;
    }
    QList<QStringList> rows;
    for (const auto &e : *entries)
        rows.append({e.at.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_qs), e.actor, e.user + u'@' + e.workstation,
                     e.field, e.oldValue + u" -> " + e.newValue});
    printTable({QCoreApplication::translate("sd::cli", "WHEN"), QCoreApplication::translate("sd::cli", "WHO"),
                QCoreApplication::translate("sd::cli", "USER@WORKSTATION"),
                QCoreApplication::translate("sd::cli", "FIELD"), QCoreApplication::translate("sd::cli", "CHANGE")},
               rows);
    return kOk;
}

int ordersSetStatus(Session &session, const QStringList &words)
{
    const Args args = Args::parse(words, {}, {u"inform"_qs});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    if (args.positional.size() != 2)
        return usageError(QCoreApplication::translate("sd::cli", "orders set-status needs an order ID and a STATUS"));
    if (auto r = session.open(); !r)
        return failure(r.error());
    storage::CatalogStore catalog(session.db);
    auto status = catalog.statusByName(args.positional.at(1));
    if (!status)
        return failure(status.error());
    storage::OrderStore store(session.db);
    auto id = store.resolve(args.positional.constFirst());
    if (!id)
        return failure(id.error());
    const bool inform = args.flags.contains(u"inform"_qs);
    const storage::StatusChangeReport report =
        storage::changeStatus(store, {*id}, status->name, inform,
                              {actorName(), QCoreApplication::translate("sd::cli", "status set by hand"), 0});
    if (!report.failed.isEmpty())
        return failure(report.failed.constFirst().second);
    if (report.unchanged)
        out()
            << QCoreApplication::translate("sd::cli", "Order %1 already has the status %2.").arg(*id).arg(status->name)
            << Qt::endl;
    else if (inform)
        out() << QCoreApplication::translate("sd::cli", "Order %1: status set to %2; the buyer will be told.")
                     .arg(*id)
                     .arg(status->name)
              << Qt::endl;
    else
        out() << QCoreApplication::translate("sd::cli", "Order %1: status set to %2.").arg(*id).arg(status->name)
              << Qt::endl;
    return kOk;
}

int orders(Session &session, const QStringList &words)
{
    if (words.isEmpty())
        return usageError(
            QCoreApplication::translate("sd::cli", "orders needs a subcommand: list, show, history or set-status"));
    const QString sub = words.constFirst();
    const QStringList rest = words.mid(1);
    if (sub == u"list")
        return ordersList(session, rest);
    if (sub == u"show")
        return ordersShowOrHistory(session, rest, false);
    if (sub == u"history")
        return ordersShowOrHistory(session, rest, true);
    if (sub == u"set-status")
        return ordersSetStatus(session, rest);
    return usageError(QCoreApplication::translate("sd::cli", "unknown orders subcommand %1").arg(sub));
}

int statuses(Session &session, const QStringList &words)
{
    if (words.isEmpty())
        return usageError(QCoreApplication::translate("sd::cli", "statuses needs a subcommand: list or add"));
    const QString sub = words.constFirst();
    if (sub == u"list") {
        const Args args = Args::parse(words.mid(1), {}, {u"json"_qs});
        if (!args.problem.isEmpty())
            return usageError(args.problem);
        if (auto r = session.open(); !r)
            return failure(r.error());
        storage::CatalogStore catalog(session.db);
        auto list = catalog.statuses();
        if (!list)
            return failure(list.error());
        if (args.flags.contains(u"json"_qs)) {
            QJsonArray array;
            for (const auto &s : *list)
                array.append(QJsonObject{{u"id"_qs, s.id},
                                         {u"name"_qs, s.name},
                                         {u"color"_qs, s.color},
                                         {u"group"_qs, storage::statusGroupKey(s.group)},
                                         {u"position"_qs, s.position},
                                         {u"buyerName"_qs, s.buyerName}});
            printJson(array);
            return kOk;
        }
        QList<QStringList> rows;
        for (const auto &s : *list)
            rows.append({QString::number(s.id), s.name, storage::statusGroupDisplayName(s.group), s.color});
        printTable({QCoreApplication::translate("sd::cli", "ID"), QCoreApplication::translate("sd::cli", "NAME"),
                    QCoreApplication::translate("sd::cli", "GROUP"), QCoreApplication::translate("sd::cli", "COLOUR")},
                   rows);
        return kOk;
    }
    if (sub == u"add") {
        const Args args = Args::parse(words.mid(1), {u"group"_qs, u"color"_qs}, {});
        if (!args.problem.isEmpty())
            return usageError(args.problem);
        if (args.positional.size() != 1)
            return usageError(QCoreApplication::translate(
                "sd::cli", "statuses add needs exactly one NAME (quote names with spaces)"));
        const QString groupKey = args.values.value(u"group"_qs, u"in-progress"_qs);
        const auto group = storage::statusGroupFromKey(groupKey);
        if (!group)
            return usageError(QCoreApplication::translate(
                                  "sd::cli", "unknown group %1; use new, in-progress, shipped, closed or cancelled")
                                  .arg(groupKey));
        if (auto r = session.open(); !r)
            return failure(r.error());
        storage::CatalogStore catalog(session.db);
        auto added = catalog.addStatus(args.positional.constFirst(), *group, args.values.value(u"color"_qs));
        if (!added)
            return failure(added.error());
        out() << QCoreApplication::translate("sd::cli", "Status %1 added (%2).")
                     .arg(added->name, storage::statusGroupDisplayName(added->group))
              << Qt::endl;
        return kOk;
    }
    return usageError(QCoreApplication::translate("sd::cli", "unknown statuses subcommand %1").arg(sub));
}

int demo(Session &session, const QStringList &words)
{
    const Args args = Args::parse(words, {u"orders"_qs, u"seed"_qs}, {});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    int count = 0;
    int seed = 0;
    QString problem;
    if (!args.intValue(u"orders"_qs, 300, 1, 2000000, &count, &problem) ||
        !args.intValue(u"seed"_qs, 2026, 0, INT_MAX, &seed, &problem))
        return usageError(problem);
    if (auto r = session.open(); !r)
        return failure(r.error());
    auto report = seedDemoOrders(session.db, count, quint64(seed));
    if (!report)
        return failure(report.error());
    out() << QCoreApplication::translate("sd::cli", "Demo profile ready: %1 new orders, %2 already there.")
                 .arg(report->created)
                 .arg(report->unchanged)
          << Qt::endl;
    return report->rejected.isEmpty() ? kOk : kFailure;
}

int bench(Session &session, const QStringList &words)
{
    const QString name = words.value(0);
    if (name != u"import" && name != u"list" && name != u"scan")
        return usageError(QCoreApplication::translate("sd::cli", "bench needs a benchmark name: import, list or scan"));
    const Args args = Args::parse(words.mid(1), {u"orders"_qs, u"samples"_qs}, {});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    int count = 0;
    int samples = 0;
    QString problem;
    if (!args.intValue(u"orders"_qs, name == u"import" ? 100000 : 1000000, 1, 5000000, &count, &problem) ||
        !args.intValue(u"samples"_qs, 500, 1, 100000, &samples, &problem))
        return usageError(problem);
    Q_UNUSED(session);
    auto result = name == u"list"   ? benchList(count, out())
                  : name == u"scan" ? benchScan(count, samples, out())
                                    : benchImport(count, out());
    if (!result)
        return failure(result.error());
    return kOk;
}

} // namespace

int run(const QStringList &arguments)
{
    Session session;
    QStringList words = arguments;
    bool verbose = false;
    while (!words.isEmpty() && words.constFirst().startsWith(u"--")) {
        const QString option = words.takeFirst();
        if (option == u"--version") {
            out() << "sellerdesk-cli " << QCoreApplication::applicationVersion() << Qt::endl;
            return kOk;
        }
        if (option == u"--help" || option == u"-h") {
            out() << helpText();
            out().flush();
            return kOk;
        }
        if (option == u"--verbose") {
            verbose = true;
            continue;
        }
        if (option == u"--profile" || option == u"--database" || option == u"--user") {
            if (words.isEmpty())
                return usageError(QCoreApplication::translate("sd::cli", "the option %1 needs a value").arg(option));
            (option == u"--profile" ? session.profile
                                    : (option == u"--database" ? session.databaseUrl : session.user)) =
                words.takeFirst();
            continue;
        }
        return usageError(QCoreApplication::translate("sd::cli", "unknown option %1").arg(option));
    }
    // The technical detail of a failure goes to the log; the user gets one translated line.
    if (!verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("sd.*.debug=false\nsd.*.info=false\nsd.*.warning=false"));
    if (!session.profile.isEmpty() && !session.databaseUrl.isEmpty())
        return usageError(QCoreApplication::translate("sd::cli", "use either --profile or --database, not both"));
    if (session.profile.isEmpty() && session.databaseUrl.isEmpty())
        session.profile = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/default"_qs;
    if (words.isEmpty())
        return usageError(QCoreApplication::translate("sd::cli", "no command given"));

    const QString command = words.takeFirst();
    if (command == u"import-orders")
        return importOrders(session, words);
    if (command == u"orders")
        return orders(session, words);
    if (command == u"statuses")
        return statuses(session, words);
    if (command == u"demo")
        return demo(session, words);
    const OpenDatabase openDatabase = [&session]() -> Result<std::shared_ptr<storage::Database>> {
        if (auto r = session.open(); !r)
            return r.error();
        return session.db;
    };
    if (command == u"rules" || command == u"jobs" || (command == u"bench" && words.value(0) == u"rules"))
        return automationCommand(command, words, openDatabase,
                                 session.databaseUrl.isEmpty() ? session.profile : QString());
    if (command == u"company" || command == u"series" || command == u"invoice" || command == u"documents" ||
        command == u"rates")
        return documentsCommand(command, words, openDatabase);
    if (command == u"products" || command == u"warehouses" || command == u"stock" || command == u"offers" ||
        (command == u"bench" && words.value(0) == u"sync"))
        return stockCommand(command, words, openDatabase, session.databaseUrl.isEmpty() ? session.profile : QString());
    if (command == u"profit" || command == u"report" || command == u"money")
        return moneyCommand(command, words, openDatabase);
    if (command == u"returns")
        return returnsCommand(words, openDatabase, session.databaseUrl.isEmpty() ? session.profile : QString());
    if (command == u"service")
        return serviceCommand(words, openDatabase);
    if (command == u"mail" || command == u"sms" || command == u"messages" || command == u"templates" ||
        command == u"confirm")
        return messagingCommand(command, words, openDatabase,
                                session.databaseUrl.isEmpty() ? session.profile : QString());
    if (command == u"bench" && words.value(0) == u"chaos")
        return benchChaos(words.mid(1));
    if (command == u"users" || command == u"roles" || command == u"backup" || command == u"selftest")
        return accessCommand(command, words, openDatabase, session.databaseUrl.isEmpty() ? session.profile : QString(),
                             session.databaseUrl.isEmpty() ? QDir(session.profile).filePath(u"sellerdesk.sqlite"_qs)
                                                           : QString(),
                             [&session] { session.db.reset(); });
    if (command == u"bench")
        return bench(session, words);
    if (command == u"allegro") {
        if (auto r = session.open(); !r)
            return failure(r.error());
        return allegro(session.db, session.databaseUrl.isEmpty() ? session.profile : QString(), words);
    }
    if (command == u"ksef") {
        if (auto r = session.open(); !r)
            return failure(r.error());
        return ksef(session.db, session.databaseUrl.isEmpty() ? session.profile : QString(), words);
    }
    if (command == u"training")
        return training(words);
    if (command == u"fiscal")
        return fiscal(words, [&session]() -> Result<std::shared_ptr<storage::Database>> {
            if (auto r = session.open(); !r)
                return r.error();
            return session.db;
        });
    if (command == u"label" || command == u"print")
        return labelsCommand(
            command, words,
            [&session]() -> Result<std::shared_ptr<storage::Database>> {
                if (auto r = session.open(); !r)
                    return r.error();
                return session.db;
            },
            session.databaseUrl.isEmpty() ? session.profile : QString());
    if (command == u"help")
        return run({u"--help"_qs});
    return usageError(QCoreApplication::translate("sd::cli", "unknown command %1").arg(command));
}

} // namespace sd::cli
