#include "cli.h"

#include "bench.h"
#include "demo.h"
#include "marketplace/orderimporter.h"
#include "storage/catalogstore.h"
#include "storage/database.h"
#include "storage/orderstore.h"

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

QString tr(const char *text, const char *comment = nullptr, int n = -1)
{
    return QCoreApplication::translate("sd::cli", text, comment, n);
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int usageError(const QString &message)
{
    err() << "sellerdesk-cli: " << message << u' ' << tr("(see sellerdesk-cli --help)") << Qt::endl;
    return kUsage;
}

int failure(const QString &message)
{
    err() << "sellerdesk-cli: " << tr("error:") << u' ' << message << Qt::endl;
    return kFailure;
}

int failure(const Error &error)
{
    return failure(error.userMessage);
}

QString helpText()
{
    return tr("Usage: sellerdesk-cli [--profile DIR | --database postgresql://...] COMMAND [ARGS]\n"
              "\n"
              "Global options:\n"
              "  --profile DIR          use the SQLite profile in DIR (created when missing)\n"
              "  --database URL         use a shared PostgreSQL database\n"
              "  --verbose              also print technical details of failures\n"
              "  --version              print the version\n"
              "  --help                 print this help\n"
              "\n"
              "Commands:\n"
              "  import-orders [--account NAME] FILE...   import Allegro checkout forms (JSON)\n"
              "  orders list [--status S] [--search TEXT] [--limit N] [--json]\n"
              "  orders show ID [--json]                  ID: SellerDesk number or marketplace id\n"
              "  orders history ID [--json]\n"
              "  orders set-status ID STATUS\n"
              "  statuses list [--json]\n"
              "  statuses add NAME [--group new|in-progress|shipped|closed|cancelled] [--color #RRGGBB]\n"
              "  demo [--orders N] [--seed S]             fill the profile with realistic training orders\n"
              "  bench import [--orders N]                measure the import speed\n"
              "\n"
              "Exit codes: 0 success, 1 failure, 2 wrong usage.\n");
}

// Options of one command: "--name value" pairs, "--flag" switches and positional words.
struct Args
{
    QStringList positional;
    QHash<QString, QString> values;
    QSet<QString> flags;
    QString problem;

    static Args parse(const QStringList &words, const QStringList &valueOptions, const QStringList &flagOptions)
    {
        Args args;
        for (qsizetype i = 0; i < words.size(); ++i) {
            const QString &word = words.at(i);
            if (word.startsWith(u"--") && word.size() > 2) {
                QString name = word.mid(2);
                QString value;
                bool inlineValue = false;
                if (const qsizetype eq = name.indexOf(u'='); eq > 0) {
                    value = name.mid(eq + 1);
                    name = name.left(eq);
                    inlineValue = true;
                }
                if (valueOptions.contains(name)) {
                    if (!inlineValue) {
                        if (i + 1 >= words.size()) {
                            args.problem = tr("the option --%1 needs a value").arg(name);
                            return args;
                        }
                        value = words.at(++i);
                    }
                    args.values.insert(name, value);
                } else if (flagOptions.contains(name) && !inlineValue) {
                    args.flags.insert(name);
                } else {
                    args.problem = tr("unknown option %1").arg(word);
                    return args;
                }
            } else {
                args.positional.append(word);
            }
        }
        return args;
    }

    bool intValue(const QString &name, int fallback, int min, int max, int *value, QString *problem) const
    {
        if (!values.contains(name)) {
            *value = fallback;
            return true;
        }
        bool ok = false;
        const int parsed = values.value(name).toInt(&ok);
        if (!ok || parsed < min || parsed > max) {
            *problem = tr("--%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max);
            return false;
        }
        *value = parsed;
        return true;
    }
};

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
    std::shared_ptr<storage::Database> db;

    Result<void> open()
    {
        if (db)
            return {};
        auto opened = databaseUrl.isEmpty() ? storage::Database::openProfile(profile)
                                            : storage::Database::openUrl(databaseUrl);
        if (!opened)
            return opened.error();
        db = *opened;
        return {};
    }
};

int importOrders(Session &session, const QStringList &words)
{
    const Args args = Args::parse(words, {u"account"_qs}, {});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    if (args.positional.isEmpty())
        return usageError(tr("import-orders needs at least one FILE"));
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
            err() << tr("rejected %1 (%2): %3").arg(rejection.orderId, QDir::toNativeSeparators(file), rejection.reason)
                  << Qt::endl;
        total += *report;
    }
    out() << tr("new: %1, updated: %2, unchanged: %3, rejected: %4")
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
    const QString cod = method == u"CASH_ON_DELIVERY" ? tr("COD") : QString();
    QString text;
    if (status == u"paid")
        text = tr("paid");
    else if (status == u"partially-paid")
        text = tr("partly paid");
    else if (status == u"overpaid")
        text = tr("overpaid");
    else if (status == u"refunded")
        text = tr("refunded");
    else
        text = tr("unpaid");
    return cod.isEmpty() ? text : cod + u", " + text;
}

int ordersList(Session &session, const QStringList &words)
{
    const Args args = Args::parse(words, {u"status"_qs, u"search"_qs, u"limit"_qs}, {u"json"_qs});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    if (!args.positional.isEmpty())
        return usageError(tr("unexpected argument %1").arg(args.positional.constFirst()));
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
                     s.total.toDecimalString() + u' ' + s.total.currency(), paymentText(s.paymentMethod, s.paymentStatus),
                     s.status});
    }
    printTable({tr("ID"), tr("DATE"), tr("MARKETPLACE ID"), tr("BUYER"), tr("TOTAL"), tr("PAYMENT"), tr("STATUS")}, rows);
    out() << tr("%n order(s)", nullptr, int(list->size())) << Qt::endl;
    return kOk;
}

void printOrder(const domain::Order &o)
{
    auto field = [](const QString &label, const QString &value) {
        if (!value.isEmpty())
            out() << u"  " << QString(label + u':').leftJustified(18) << value << u'\n';
    };
    auto address = [](const domain::Address &a) {
        QStringList parts;
        for (const QString &p : {QString(a.firstName + u' ' + a.lastName).trimmed(), a.companyName, a.street,
                                 QString(a.postCode + u' ' + a.city).trimmed(), a.countryCode, a.phone})
            if (!p.isEmpty())
                parts.append(p);
        return parts.join(u", ");
    };
    auto money = [](const domain::Money &m) { return m.isNull() ? QString() : m.toDecimalString() + u' ' + m.currency(); };

    out() << tr("Order %1").arg(o.id) << u"  (" << o.marketplace << u' ' << o.externalId << u")\n";
    field(tr("Status"), o.status);
    field(tr("Marketplace"), QString(o.marketplaceStatus + u' ' + o.fulfillmentStatus).trimmed());
    field(tr("Bought"), localTime(o.createdAt));
    field(tr("Updated"), localTime(o.updatedAt));
    out() << tr("Buyer") << u'\n';
    field(tr("Login"), o.buyer.login);
    field(tr("Name"), o.buyer.displayName());
    field(tr("E-mail"), o.buyer.email);
    field(tr("Phone"), o.buyer.phone);
    field(tr("NIP"), o.buyer.nip);
    out() << tr("Delivery") << u'\n';
    field(tr("Method"), o.delivery.methodName);
    field(tr("Address"), address(o.delivery.address));
    field(tr("Pick-up point"), QString(o.delivery.pickupPoint.id + u' ' + o.delivery.pickupPoint.name).trimmed());
    field(tr("Cost"), money(o.delivery.cost));
    out() << tr("Payment") << u'\n';
    field(tr("Method"), QString(o.payment.method + u' ' + o.payment.provider).trimmed());
    field(tr("Status"), paymentText(o.payment.method, domain::paymentStatusKey(o.payment.status)));
    field(tr("Paid"), money(o.payment.paidAmount));
    field(tr("Paid at"), localTime(o.payment.finishedAt));
    if (o.invoice.wanted) {
        out() << tr("Invoice") << u'\n';
        field(tr("Company"), o.invoice.companyName);
        field(tr("NIP"), o.invoice.nip);
        field(tr("Address"), address(o.invoice.address));
    }
    out() << tr("Items") << u'\n';
    for (const auto &item : o.items)
        out() << u"  " << item.quantity << u" x " << item.name << u"  " << money(item.unitPrice)
              << (item.sku.isEmpty() ? QString() : u"  [" + item.sku + u']') << u'\n';
    for (const auto &adjustment : o.adjustments)
        out() << u"  " << adjustment.kind << u": " << adjustment.description << u"  " << money(adjustment.amount) << u'\n';
    field(tr("Total"), money(o.total));
    field(tr("Buyer's comment"), o.buyerComment);
    field(tr("Notes"), o.notes);
    field(tr("Tags"), o.tags.join(u", "));
    field(tr("Referrers"), o.referrers.join(u", "));
    out().flush();
}

int ordersShowOrHistory(Session &session, const QStringList &words, bool history)
{
    const Args args = Args::parse(words, {}, {u"json"_qs});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    if (args.positional.size() != 1)
        return usageError(history ? tr("orders history needs exactly one order ID") : tr("orders show needs exactly one order ID"));
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
                                     {u"field"_qs, e.field},
                                     {u"old"_qs, e.oldValue},
                                     {u"new"_qs, e.newValue}});
        printJson(array);
        return kOk;
    }
    QList<QStringList> rows;
    for (const auto &e : *entries)
        rows.append({e.at.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_qs), e.actor, e.field,
                     e.oldValue + u" -> " + e.newValue});
    printTable({tr("WHEN"), tr("WHO"), tr("FIELD"), tr("CHANGE")}, rows);
    return kOk;
}

int ordersSetStatus(Session &session, const QStringList &words)
{
    const Args args = Args::parse(words, {}, {});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    if (args.positional.size() != 2)
        return usageError(tr("orders set-status needs an order ID and a STATUS"));
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
    auto result = store.apply(storage::OrderChange::setStatus(*id, status->name, {actorName(), tr("status set by hand"), 0}));
    if (!result)
        return failure(result.error());
    if (result->changedFields.isEmpty())
        out() << tr("Order %1 already has the status %2.").arg(*id).arg(status->name) << Qt::endl;
    else
        out() << tr("Order %1: status set to %2.").arg(*id).arg(status->name) << Qt::endl;
    return kOk;
}

int orders(Session &session, const QStringList &words)
{
    if (words.isEmpty())
        return usageError(tr("orders needs a subcommand: list, show, history or set-status"));
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
    return usageError(tr("unknown orders subcommand %1").arg(sub));
}

int statuses(Session &session, const QStringList &words)
{
    if (words.isEmpty())
        return usageError(tr("statuses needs a subcommand: list or add"));
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
        printTable({tr("ID"), tr("NAME"), tr("GROUP"), tr("COLOUR")}, rows);
        return kOk;
    }
    if (sub == u"add") {
        const Args args = Args::parse(words.mid(1), {u"group"_qs, u"color"_qs}, {});
        if (!args.problem.isEmpty())
            return usageError(args.problem);
        if (args.positional.size() != 1)
            return usageError(tr("statuses add needs exactly one NAME (quote names with spaces)"));
        const QString groupKey = args.values.value(u"group"_qs, u"in-progress"_qs);
        const auto group = storage::statusGroupFromKey(groupKey);
        if (!group)
            return usageError(tr("unknown group %1; use new, in-progress, shipped, closed or cancelled").arg(groupKey));
        if (auto r = session.open(); !r)
            return failure(r.error());
        storage::CatalogStore catalog(session.db);
        auto added = catalog.addStatus(args.positional.constFirst(), *group, args.values.value(u"color"_qs));
        if (!added)
            return failure(added.error());
        out() << tr("Status %1 added (%2).").arg(added->name, storage::statusGroupDisplayName(added->group)) << Qt::endl;
        return kOk;
    }
    return usageError(tr("unknown statuses subcommand %1").arg(sub));
}

int demo(Session &session, const QStringList &words)
{
    const Args args = Args::parse(words, {u"orders"_qs, u"seed"_qs}, {});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    int count = 0;
    int seed = 0;
    QString problem;
    if (!args.intValue(u"orders"_qs, 300, 1, 2000000, &count, &problem) || !args.intValue(u"seed"_qs, 2026, 0, INT_MAX, &seed, &problem))
        return usageError(problem);
    if (auto r = session.open(); !r)
        return failure(r.error());
    auto report = seedDemoOrders(session.db, count, quint64(seed));
    if (!report)
        return failure(report.error());
    out() << tr("Demo profile ready: %1 new orders, %2 already there.").arg(report->created).arg(report->unchanged) << Qt::endl;
    return report->rejected.isEmpty() ? kOk : kFailure;
}

int bench(Session &session, const QStringList &words)
{
    if (words.isEmpty() || words.constFirst() != u"import")
        return usageError(tr("bench needs a benchmark name: import"));
    const Args args = Args::parse(words.mid(1), {u"orders"_qs}, {});
    if (!args.problem.isEmpty())
        return usageError(args.problem);
    int count = 0;
    QString problem;
    if (!args.intValue(u"orders"_qs, 100000, 1, 5000000, &count, &problem))
        return usageError(problem);
    Q_UNUSED(session);
    auto result = benchImport(count, out());
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
        if (option == u"--profile" || option == u"--database") {
            if (words.isEmpty())
                return usageError(tr("the option %1 needs a value").arg(option));
            (option == u"--profile" ? session.profile : session.databaseUrl) = words.takeFirst();
            continue;
        }
        return usageError(tr("unknown option %1").arg(option));
    }
    // The technical detail of a failure goes to the log; the user gets one translated line.
    if (!verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("sd.*.debug=false\nsd.*.info=false\nsd.*.warning=false"));
    if (!session.profile.isEmpty() && !session.databaseUrl.isEmpty())
        return usageError(tr("use either --profile or --database, not both"));
    if (session.profile.isEmpty() && session.databaseUrl.isEmpty())
        session.profile = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/default"_qs;
    if (words.isEmpty())
        return usageError(tr("no command given"));

    const QString command = words.takeFirst();
    if (command == u"import-orders")
        return importOrders(session, words);
    if (command == u"orders")
        return orders(session, words);
    if (command == u"statuses")
        return statuses(session, words);
    if (command == u"demo")
        return demo(session, words);
    if (command == u"bench")
        return bench(session, words);
    if (command == u"help")
        return run({u"--help"_qs});
    return usageError(tr("unknown command %1").arg(command));
}

} // namespace sd::cli
