#include "returns.h"

#include "allegro.h"
#include "cliutil.h"
#include "returns/customerreturns.h"
#include "returns/returnservice.h"
#include "storage/orderstore.h"

#include <QJsonArray>

namespace sd::cli {

namespace {

using namespace sd::returns;

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

storage::ChangeContext context()
{
    return {actor(), {}, 0};
}

void printCase(const ReturnCase &r)
{
    out() << tr("Return %1 (order %2): %3").arg(r.number).arg(r.orderId).arg(stateLabel(r.state)) << Qt::endl;
    out() << tr("Reason: %1").arg(r.reason) << Qt::endl;
    if (!r.lateOverride.isEmpty())
        out() << tr("Accepted after the term: %1").arg(r.lateOverride) << Qt::endl;
    if (r.source != u"manual")
        out() << tr("From %1: %2").arg(r.source, r.externalId) << Qt::endl;
    for (const ReturnItem &item : r.items)
        out() << u"  "_qs << item.quantity << u" x "_qs << item.sku << u"  "_qs << item.name << u"  "_qs
              << item.unitPrice.toDisplayString() << Qt::endl;
    if (!r.warehouse.isEmpty())
        out() << tr("Received into %1 (%2)")
                     .arg(r.warehouse, r.stockDocument.isEmpty() ? tr("no stock product") : r.stockDocument)
              << Qt::endl;
    if (!r.refund.isEmpty())
        out() << tr("Refund: %1").arg(r.refund == u"manual" ? tr("by the seller, outside the marketplace") : r.refund)
              << Qt::endl;
    if (!r.correction.isEmpty())
        out() << tr("Correction invoice: %1").arg(r.correction) << Qt::endl;
    for (const ReturnAttachment &a : r.attachments)
        out() << tr("Attachment: %1 (%2, %3 bytes)").arg(a.name, a.mimeType).arg(a.size) << Qt::endl;
    QStringList next;
    for (ReturnState s : nextStates(r.state))
        next.append(stateKey(s));
    if (!next.isEmpty())
        out() << tr("Next: %1").arg(next.join(u", "_qs)) << Qt::endl;
}

std::shared_ptr<automation::MarketplaceAccess> marketplaceAccess(const QString &profileDir, Error *error)
{
    auto secrets = openSecrets(profileDir);
    if (!secrets) {
        *error = secrets.error();
        return {};
    }
    auto access = std::make_shared<automation::MarketplaceAccess>();
    access->secrets = *secrets;
    return access;
}

int add(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    Options o(words, {u"item"_qs, u"reason"_qs, u"late-reason"_qs, u"attach"_qs}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1 || !o.values.contains(u"item"_qs))
        return usage(tr("returns add needs one order and at least one --item SKU:QTY"));
    storage::OrderStore store(db);
    auto id = store.resolve(o.positional.constFirst());
    if (!id)
        return fail(id.error());
    ReturnRequest request;
    request.orderId = *id;
    for (const QString &item : o.repeated.value(u"item"_qs)) {
        const qsizetype colon = item.lastIndexOf(u':');
        bool ok = colon < 0;
        const int quantity = colon < 0 ? 1 : item.mid(colon + 1).toInt(&ok);
        if (!ok)
            return usage(tr("--item is SKU:QTY (or #LINE:QTY), not %1").arg(item));
        request.items.append({colon < 0 ? item : item.left(colon), quantity});
    }
    request.reason = o.values.value(u"reason"_qs);
    request.lateOverride = o.values.value(u"late-reason"_qs);
    request.attachments = o.repeated.value(u"attach"_qs);
    auto made = ReturnService(store).registerReturn(request, context());
    if (!made)
        return fail(made.error());
    if (o.flags.contains(u"json"_qs)) {
        printJson(QJsonDocument(made->toJson()));
        return kOk;
    }
    out() << tr("Return %1 registered (id %2).").arg(made->number).arg(made->id) << Qt::endl;
    return kOk;
}

int list(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    Options o(words, {u"state"_qs, u"order"_qs}, {u"json"_qs, u"open"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    ReturnFilter filter;
    filter.openOnly = o.flags.contains(u"open"_qs);
    if (o.values.contains(u"state"_qs)) {
        filter.state = stateFromKey(o.values.value(u"state"_qs));
        if (!filter.state)
            return usage(tr("--state is one of registered, received, inspected, refunded, replaced, repaired, "
                            "rejected"));
    }
    if (o.values.contains(u"order"_qs)) {
        auto id = storage::OrderStore(db).resolve(o.values.value(u"order"_qs));
        if (!id)
            return fail(id.error());
        filter.orderId = *id;
    }
    auto cases = ReturnStore(db).list(filter);
    if (!cases)
        return fail(cases.error());
    if (o.flags.contains(u"json"_qs)) {
        QJsonArray a;
        for (const ReturnCase &r : std::as_const(*cases))
            a.append(r.toJson());
        printJson(QJsonDocument(a));
        return kOk;
    }
    if (cases->isEmpty())
        out() << tr("No returns.") << Qt::endl;
    for (const ReturnCase &r : std::as_const(*cases))
        out() << r.id << u'\t' << r.number << u'\t' << r.orderId << u'\t' << stateLabel(r.state) << u'\t'
              << QCoreApplication::translate("sd::cli", "%n unit(s)", nullptr, r.units()) << u'\t'
              << r.value().toDisplayString() << u'\t' << localTime(r.createdAt) << u'\t' << r.reason << Qt::endl;
    return kOk;
}

int show(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    Options o(words, {}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1)
        return usage(tr("returns show needs one return (its id or number)"));
    auto r = ReturnStore(db).resolve(o.positional.constFirst());
    if (!r)
        return fail(r.error());
    if (o.flags.contains(u"json"_qs)) {
        printJson(QJsonDocument(r->toJson()));
        return kOk;
    }
    printCase(*r);
    return kOk;
}

int advance(const std::shared_ptr<storage::Database> &db, const QStringList &words, const QString &profileDir)
{
    Options o(words, {u"warehouse"_qs}, {u"refund"_qs, u"correction"_qs, u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 2)
        return usage(tr("returns advance needs a return and a state"));
    const auto state = stateFromKey(o.positional.at(1));
    if (!state)
        return usage(tr("%1 is not a return state (registered, received, inspected, refunded, replaced, repaired, "
                        "rejected)")
                         .arg(o.positional.at(1)));
    storage::OrderStore store(db);
    ReturnStore cases(db);
    auto r = cases.resolve(o.positional.constFirst());
    if (!r)
        return fail(r.error());
    std::shared_ptr<automation::MarketplaceAccess> access;
    if (o.flags.contains(u"refund"_qs)) {
        Error error;
        access = marketplaceAccess(profileDir, &error);
        if (!access)
            return fail(error);
    }
    AdvanceRequest request;
    request.returnId = r->id;
    request.to = *state;
    request.warehouse = o.values.value(u"warehouse"_qs);
    request.refund = o.flags.contains(u"refund"_qs);
    request.correction = o.flags.contains(u"correction"_qs);
    auto moved = ReturnService(store, access).advance(request, context());
    if (!moved)
        return fail(moved.error());
    if (o.flags.contains(u"json"_qs)) {
        printJson(QJsonDocument(moved->toJson()));
        return kOk;
    }
    printCase(*moved);
    return kOk;
}

int attach(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    if (words.size() != 2)
        return usage(tr("returns attach needs a return and a file"));
    storage::OrderStore store(db);
    auto r = ReturnStore(db).resolve(words.at(0));
    if (!r)
        return fail(r.error());
    auto a = ReturnService(store).attach(r->id, words.at(1), context());
    if (!a)
        return fail(a.error());
    out() << tr("Attached %1 to return %2.").arg(a->name, r->number) << Qt::endl;
    return kOk;
}

int import(const std::shared_ptr<storage::Database> &db, const QStringList &words, const QString &profileDir)
{
    Options o(words, {u"account"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    Error error;
    auto access = marketplaceAccess(profileDir, &error);
    if (!access)
        return fail(error);
    QList<qint64> ids;
    if (o.values.contains(u"account"_qs)) {
        bool ok = false;
        ids.append(o.values.value(u"account"_qs).toLongLong(&ok));
        if (!ok)
            return usage(tr("--account is the account's number (allegro accounts)"));
    } else {
        auto accounts = marketplace::AccountStore(db).list();
        if (!accounts)
            return fail(accounts.error());
        for (const marketplace::MarketplaceAccount &a : std::as_const(*accounts))
            if (a.connected)
                ids.append(a.id);
    }
    if (ids.isEmpty())
        return fail(tr("No connected Allegro account."));
    storage::OrderStore store(db);
    ReturnService service(store, access);
    CustomerReturns importer(service);
    int status = kOk;
    for (qint64 id : std::as_const(ids)) {
        auto report = importer.downloadAccount(id, access);
        if (!report) {
            err() << tr("Account %1: %2").arg(id).arg(report.error().userMessage) << Qt::endl;
            status = kFailure;
            continue;
        }
        out() << tr("Account %1: %2 customer returns read, %3 new, %4 known.")
                     .arg(id)
                     .arg(report->read)
                     .arg(report->created)
                     .arg(report->known)
              << Qt::endl;
        for (const QString &s : std::as_const(report->skipped))
            out() << u"  "_qs << s << Qt::endl;
    }
    return status;
}

int settings(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    auto s = ReturnSettings::load(*db);
    if (!s)
        return fail(s.error());
    if (words.value(0) == u"set") {
        if (words.size() != 3)
            return usage(tr("returns settings set needs KEY VALUE"));
        if (auto r = s->set(words.at(1), words.at(2)); !r)
            return fail(r.error());
        if (auto r = s->save(*db); !r)
            return fail(r.error());
        out() << tr("Saved.") << Qt::endl;
        return kOk;
    }
    printJson(QJsonDocument(s->toJson()));
    return kOk;
}

} // namespace

QString returnsHelp()
{
    return tr("  returns add ORDER --item SKU:QTY [--item ...] --reason TEXT [--late-reason TEXT] [--attach FILE]...\n"
              "                                           register a return (RMA) of an order's items\n"
              "  returns list [--state S] [--order ORDER] [--open] [--json]\n"
              "                                           the returns, newest first\n"
              "  returns show ID|NUMBER [--json]          one return with its items and attachments\n"
              "  returns advance ID STATE [--warehouse W] [--refund] [--correction] [--json]\n"
              "                                           move a return on: received (stock back into W), inspected,\n"
              "                                           refunded (--refund: through Allegro; --correction: the\n"
              "                                           correction invoice), replaced, repaired, rejected\n"
              "  returns attach ID FILE                   add a photo or a file to a return\n"
              "  returns import [--account N]             Allegro customer returns become returns, once\n"
              "  returns settings [show | set KEY VALUE]  termDays 14, termFrom purchase|shipment, warehouse CODE,\n"
              "                                           informBuyer on|off\n");
}

int returnsCommand(const QStringList &words, const OpenDatabase &open, const QString &profileDir)
{
    auto db = open();
    if (!db)
        return fail(db.error());
    const QString sub = words.value(0);
    const QStringList rest = words.mid(1);
    if (sub == u"add")
        return add(*db, rest);
    if (sub == u"list")
        return list(*db, rest);
    if (sub == u"show")
        return show(*db, rest);
    if (sub == u"advance")
        return advance(*db, rest, profileDir);
    if (sub == u"attach")
        return attach(*db, rest);
    if (sub == u"import")
        return import(*db, rest, profileDir);
    if (sub == u"settings")
        return settings(*db, rest);
    return usage(tr("returns needs add, list, show, advance, attach, import or settings"));
}

} // namespace sd::cli
