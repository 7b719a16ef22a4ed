#include "money.h"

#include "access/session.h"
#include "cliutil.h"
#include "money/lossguard.h"
#include "money/profitservice.h"
#include "money/salesreport.h"
#include "storage/orderstore.h"

#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

namespace sd::cli {

namespace {

using namespace sd::money;

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

void printProfit(const Profit &p)
{
    auto line = [&](const QString &label, qint64 amount) {
        out() << label.leftJustified(34) << domain::Money(amount, p.currency).toDisplayString() << Qt::endl;
    };
    out() << tr("Order %1").arg(p.orderId) << Qt::endl;
    line(tr("Revenue (gross)"), p.revenueGross);
    line(tr("VAT"), -p.vat());
    line(tr("Revenue (net)"), p.revenueNet);
    line(tr("Purchase cost"), -p.purchaseCost);
    line(p.feesFromBilling ? tr("Marketplace fees (billing)") : tr("Marketplace fees (commission table)"),
         -p.marketplaceFees);
    line(tr("Courier"), -p.shippingCost);
    line(tr("Payment fees"), -p.paymentFees);
    line(tr("Packaging"), -p.packaging);
    line(tr("Profit"), p.profit);
    for (const QString &problem : p.problems)
        out() << tr("Problem: %1").arg(problem) << Qt::endl;
    for (const QString &warning : p.warnings)
        out() << tr("Note: %1").arg(warning) << Qt::endl;
}

int profitShow(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    Options o(words, {}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1)
        return usage(tr("profit needs one order (its number or marketplace id)"));
    auto id = storage::OrderStore(db).resolve(o.positional.constFirst());
    if (!id)
        return fail(id.error());
    auto p = ProfitService(db).profit(*id);
    if (!p)
        return fail(p.error());
    auto holds = LossGuard(db).holds(*id);
    if (!holds)
        return fail(holds.error());
    if (o.flags.contains(u"json"_qs)) {
        QJsonObject json = p->toJson();
        QJsonArray h;
        for (const LossHold &hold : std::as_const(*holds))
            h.append(hold.toJson());
        json.insert(u"lossHolds"_qs, h);
        printJson(QJsonDocument(json));
        return kOk;
    }
    printProfit(*p);
    for (const LossHold &hold : std::as_const(*holds)) {
        if (hold.isOpen())
            out() << tr("Held by the loss guard since %1: %2").arg(localTime(hold.createdAt), hold.reasons.join(u' '))
                  << Qt::endl;
        else
            out() << tr("Loss guard released %1 by %2: %3")
                         .arg(localTime(hold.releasedAt), hold.releasedBy, hold.releaseReason)
                  << Qt::endl;
    }
    return kOk;
}

int profitRelease(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    Options o(words, {u"reason"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1 || !o.values.contains(u"reason"_qs))
        return usage(tr("profit release needs one order and --reason TEXT"));
    auto id = storage::OrderStore(db).resolve(o.positional.constFirst());
    if (!id)
        return fail(id.error());
    auto hold = LossGuard(db).release(*id, actor(), o.values.value(u"reason"_qs));
    if (!hold)
        return fail(hold.error());
    out() << tr("Order %1 may be completed now (released by %2).").arg(*id).arg(hold->releasedBy) << Qt::endl;
    return kOk;
}

int profitHolds(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    Options o(words, {}, {u"all"_qs, u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    auto holds = LossGuard(db).holds(0, !o.flags.contains(u"all"_qs));
    if (!holds)
        return fail(holds.error());
    if (o.flags.contains(u"json"_qs)) {
        QJsonArray a;
        for (const LossHold &h : std::as_const(*holds))
            a.append(h.toJson());
        printJson(QJsonDocument(a));
        return kOk;
    }
    if (holds->isEmpty())
        out() << tr("No order is held by the loss guard.") << Qt::endl;
    for (const LossHold &h : std::as_const(*holds))
        out() << h.orderId << u'\t' << localTime(h.createdAt) << u'\t'
              << domain::Money(h.profit, h.currency).toDisplayString() << u'\t'
              << (h.isOpen() ? tr("held") : tr("released: %1").arg(h.releaseReason)) << u'\t' << h.reasons.join(u' ')
              << Qt::endl;
    return kOk;
}

int report(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    if (words.value(0) != u"sales")
        return usage(tr("report needs sales"));
    Options o(words.mid(1), {u"from"_qs, u"to"_qs, u"by"_qs, u"currency"_qs, u"csv"_qs}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    const QDate from = QDate::fromString(o.values.value(u"from"_qs), Qt::ISODate);
    const QDate to = QDate::fromString(o.values.value(u"to"_qs), Qt::ISODate);
    if (!from.isValid() || !to.isValid())
        return usage(tr("report sales needs --from and --to as YYYY-MM-DD"));
    const auto period = SalesReport::periodFromKey(o.values.value(u"by"_qs, u"day"_qs));
    if (!period)
        return usage(tr("--by is day, week or month"));
    auto r = SalesReport::build(db, from, to, *period, o.values.value(u"currency"_qs, u"PLN"_qs));
    if (!r)
        return fail(r.error());
    if (o.values.contains(u"csv"_qs)) {
        QSaveFile file(o.values.value(u"csv"_qs));
        if (!file.open(QIODevice::WriteOnly) || file.write(r->toCsv()) < 0 || !file.commit())
            return fail(tr("cannot write %1: %2").arg(o.values.value(u"csv"_qs), file.errorString()));
    }
    if (o.flags.contains(u"json"_qs)) {
        printJson(QJsonDocument(r->toJson()));
        return kOk;
    }
    auto money = [&](qint64 v) { return domain::Money(v, r->currency).toDisplayString(); };
    auto rows = [&](const QString &title, const QList<ReportRow> &list, bool units) {
        out() << title << Qt::endl;
        for (const ReportRow &row : list)
            out() << u"  "_qs << row.label.left(40).leftJustified(42)
                  << (units ? tr("%1 pcs").arg(row.units) : tr("%1 orders").arg(row.orders)).leftJustified(12)
                  << money(row.revenueGross).rightJustified(16)
                  << (r->profitHidden ? QString() : money(row.profit).rightJustified(16)) << Qt::endl;
    };
    out() << (r->profitHidden ? tr("Sales %1 – %2 (%3): gross") : tr("Sales %1 – %2 (%3): gross, profit"))
                 .arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate), r->currency)
          << Qt::endl;
    rows(tr("Per period"), r->byPeriod, false);
    rows(tr("Per channel"), r->byChannel, false);
    rows(tr("Per product"), r->byProduct, true);
    rows(tr("Total"), {r->total}, false);
    if (r->skippedOrders)
        out() << tr("%1 orders in other currencies are not included (use --currency).").arg(r->skippedOrders)
              << Qt::endl;
    if (r->profitHidden)
        out() << tr("Profit is not shown: your role may not see profit.") << Qt::endl;
    return kOk;
}

int moneySettings(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    auto s = MoneySettings::load(*db);
    if (!s)
        return fail(s.error());
    const QString sub = words.value(0);
    if (sub == u"show") {
        printJson(QJsonDocument(s->toJson()));
        return kOk;
    }
    if (sub == u"set") {
        if (words.size() != 3)
            return usage(tr("money set needs KEY VALUE"));
        if (auto r = s->set(words.at(1), words.at(2)); !r)
            return fail(r.error());
        if (auto r = s->save(*db); !r)
            return fail(r.error());
        out() << tr("Saved; profits are recomputed as they are read.") << Qt::endl;
        return kOk;
    }
    if (sub == u"recompute") {
        if (auto allowed = access::require(access::Permission::SeeProfit); !allowed)
            return fail(allowed.error());
        auto n = ProfitService(db).recomputeAll();
        if (!n)
            return fail(n.error());
        out() << tr("Recomputed the profit of %1 orders.").arg(*n) << Qt::endl;
        return kOk;
    }
    if (sub == u"shipping-quote") {
        Options o(words.mid(1), {u"weight"_qs, u"quantity"_qs, u"country"_qs, u"payment"_qs, u"value"_qs, u"method"_qs},
                  {u"json"_qs});
        if (!o.problem.isEmpty())
            return usage(o.problem);
        ShippingFormula::Input in;
        bool ok = true;
        in.weightGrams = o.values.value(u"weight"_qs, u"0"_qs).toInt(&ok);
        bool okQuantity = true;
        in.quantity = o.values.value(u"quantity"_qs, u"1"_qs).toInt(&okQuantity);
        if (!ok || !okQuantity)
            return usage(tr("--weight (grams) and --quantity are whole numbers"));
        in.country = o.values.value(u"country"_qs, u"PL"_qs);
        in.paymentMethod = o.values.value(u"payment"_qs);
        in.deliveryMethod = o.values.value(u"method"_qs);
        auto value = domain::Money::parse(o.values.value(u"value"_qs, u"0"_qs), u"PLN"_qs);
        if (!value)
            return fail(value.error());
        in.goodsValue = value->minor();
        auto q = s->shipping.quote(in);
        if (!q)
            return fail(q.error());
        if (o.flags.contains(u"json"_qs)) {
            printJson(QJsonDocument(
                QJsonObject{{u"transport"_qs, domain::Money(q->transport, u"PLN"_qs).toDecimalString()},
                            {u"codSurcharge"_qs, domain::Money(q->codSurcharge, u"PLN"_qs).toDecimalString()},
                            {u"total"_qs, domain::Money(q->total, u"PLN"_qs).toDecimalString()},
                            {u"pickup"_qs, q->pickup},
                            {u"freeShipping"_qs, q->freeShipping},
                            {u"explanation"_qs, QJsonArray::fromStringList(q->explanation)}}));
            return kOk;
        }
        for (const QString &l : q->explanation)
            out() << l << Qt::endl;
        return kOk;
    }
    return usage(tr("money needs show, set, recompute or shipping-quote"));
}

} // namespace

QString moneyHelp()
{
    return tr("  profit ORDER [--json]                    profit of an order: revenue net of VAT less costs\n"
              "  profit release ORDER --reason TEXT       let an order the loss guard held be completed\n"
              "  profit holds [--all] [--json]            orders held by the loss guard\n"
              "  report sales --from D --to D [--by day|week|month] [--currency C] [--csv FILE] [--json]\n"
              "                                           sales and profit per period, channel and product\n"
              "  money show                               the money settings (JSON)\n"
              "  money set KEY VALUE                      commission.default 12.5, commission.allegro-pl 9,\n"
              "                                           packaging 1.50, payment.CASH_ON_DELIVERY 3+1.5%,\n"
              "                                           courier.default 12, courier.NAME 10, lossGuard on|off,\n"
              "                                           minProfit 0, adminEmail A, shipping.base|perKg|\n"
              "                                           perExtraItem|cod|freeAbove AMOUNT, shipping.zone.CC AMOUNT,\n"
              "                                           shipping.pickup \"Method, ...\"\n"
              "  money recompute                          recompute every order's profit (after price changes)\n"
              "  money shipping-quote [--weight G] [--quantity N] [--country CC] [--payment METHOD] [--value V]\n"
              "       [--method DELIVERY] [--json]        what the shipping formula charges\n");
}

int moneyCommand(const QString &command, const QStringList &words, const OpenDatabase &open)
{
    auto db = open();
    if (!db)
        return fail(db.error());
    if (command == u"profit") {
        if (words.value(0) == u"release")
            return profitRelease(*db, words.mid(1));
        if (words.value(0) == u"holds")
            return profitHolds(*db, words.mid(1));
        return profitShow(*db, words);
    }
    if (command == u"report")
        return report(*db, words);
    return moneySettings(*db, words);
}

} // namespace sd::cli
