#include "service.h"

#include "cliutil.h"
#include "service/servicestore.h"

#include <QJsonArray>
#include <QJsonObject>

namespace sd::cli {

using namespace sd::service;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

QString day(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}

QJsonObject caseJson(const ServiceCase &c)
{
    QJsonArray steps;
    for (const ServiceStep &s : c.steps)
        steps.append(QJsonObject{{u"seq"_qs, s.seq},
                                 {u"from"_qs, s.from},
                                 {u"to"_qs, s.to},
                                 {u"note"_qs, s.note},
                                 {u"actor"_qs, s.actor},
                                 {u"user"_qs, s.user},
                                 {u"at"_qs, s.at.toString(Qt::ISODateWithMs)}});
    QJsonObject o{{u"id"_qs, c.id},
                  {u"order"_qs, c.orderId ? QJsonValue(c.orderId) : QJsonValue()},
                  {u"product"_qs, c.productName},
                  {u"sku"_qs, c.productSku},
                  {u"serial"_qs, c.serial},
                  {u"buyer"_qs, c.buyerName},
                  {u"email"_qs, c.buyerEmail},
                  {u"phone"_qs, c.buyerPhone},
                  {u"language"_qs, c.language},
                  {u"problem"_qs, c.problem},
                  {u"service"_qs, c.serviceName},
                  {u"state"_qs, stateKey(c.state)},
                  {u"stateSince"_qs, c.stateSince.toString(Qt::ISODateWithMs)},
                  {u"expectedReturn"_qs, day(c.expectedReturn)},
                  {u"warrantyEnd"_qs, day(c.warrantyEnd)},
                  {u"overdue"_qs, c.isOverdue(QDate::currentDate())}};
    if (c.itemPosition >= 0)
        o.insert(u"line"_qs, c.itemPosition + 1);
    if (!c.steps.isEmpty())
        o.insert(u"steps"_qs, steps);
    return o;
}

std::optional<QDate> parseDay(const Options &o, const QString &name, QString *problem)
{
    if (!o.values.contains(name))
        return std::nullopt;
    const QString text = o.values.value(name).trimmed();
    if (text.isEmpty() || text == u"-")
        return QDate();
    const QDate d = QDate::fromString(text, Qt::ISODate);
    if (!d.isValid())
        *problem = tr("--%1 needs a date as YYYY-MM-DD, not \"%2\"").arg(name, text);
    return d;
}

int add(ServiceStore &store, const QStringList &words)
{
    Options o(words,
              {u"order"_qs, u"line"_qs, u"product"_qs, u"sku"_qs, u"serial"_qs, u"buyer"_qs, u"email"_qs, u"phone"_qs,
               u"language"_qs, u"problem"_qs, u"service"_qs, u"expected"_qs, u"warranty-end"_qs},
              {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (!o.positional.isEmpty())
        return usage(tr("service add takes options only (--order ID or --product NAME --buyer NAME ...)"));
    NewServiceCase n;
    if (o.values.contains(u"order"_qs)) {
        auto id = store.orders().resolve(o.values.value(u"order"_qs));
        if (!id)
            return fail(id.error());
        n.orderId = *id;
    }
    if (o.values.contains(u"line"_qs)) {
        bool ok = false;
        n.itemPosition = o.values.value(u"line"_qs).toInt(&ok) - 1;
        if (!ok || n.itemPosition < 0)
            return usage(tr("--line needs the line's number (1, 2, ...)"));
    }
    n.productName = o.values.value(u"product"_qs);
    n.productSku = o.values.value(u"sku"_qs);
    n.serial = o.values.value(u"serial"_qs);
    n.buyerName = o.values.value(u"buyer"_qs);
    n.buyerEmail = o.values.value(u"email"_qs);
    n.buyerPhone = o.values.value(u"phone"_qs);
    n.language = o.values.value(u"language"_qs);
    n.problem = o.values.value(u"problem"_qs);
    n.serviceName = o.values.value(u"service"_qs);
    QString problem;
    n.expectedReturn = parseDay(o, u"expected"_qs, &problem).value_or(QDate());
    n.warrantyEnd = parseDay(o, u"warranty-end"_qs, &problem).value_or(QDate());
    if (!problem.isEmpty())
        return usage(problem);
    auto c = store.add(n, actor());
    if (!c)
        return fail(c.error());
    if (o.flags.contains(u"json"_qs)) {
        printJson(QJsonDocument(caseJson(*c)));
        return kOk;
    }
    out() << tr("Service case %1 registered: %2").arg(c->id).arg(c->productName) << Qt::endl;
    return kOk;
}

int list(ServiceStore &store, const QStringList &words)
{
    Options o(words, {u"state"_qs, u"order"_qs, u"search"_qs}, {u"open"_qs, u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    ServiceFilter f;
    f.state = o.values.value(u"state"_qs);
    f.openOnly = o.flags.contains(u"open"_qs);
    f.search = o.values.value(u"search"_qs);
    if (o.values.contains(u"order"_qs)) {
        auto id = store.orders().resolve(o.values.value(u"order"_qs));
        if (!id)
            return fail(id.error());
        f.orderId = *id;
    }
    auto cases = store.list(f);
    if (!cases)
        return fail(cases.error());
    if (o.flags.contains(u"json"_qs)) {
        QJsonArray a;
        for (const ServiceCase &c : std::as_const(*cases))
            a.append(caseJson(c));
        printJson(QJsonDocument(a));
        return kOk;
    }
    if (cases->isEmpty())
        out() << tr("No service cases.") << Qt::endl;
    const QDate today = QDate::currentDate();
    for (const ServiceCase &c : std::as_const(*cases))
        out() << c.id << u'\t' << stateKey(c.state) << u'\t' << (c.orderId ? QString::number(c.orderId) : u"-"_qs)
              << u'\t' << c.productName << u'\t' << c.buyerName << u'\t' << day(c.expectedReturn)
              << (c.isOverdue(today) ? u"\t"_qs + tr("overdue") : QString()) << Qt::endl;
    return kOk;
}

Result<qint64> caseId(const QString &text)
{
    bool ok = false;
    const qint64 id = QString(text).remove(u'#').toLongLong(&ok);
    if (!ok || id <= 0)
        return makeError(Error::Code::Invalid, tr("\"%1\" is not a service case number.").arg(text));
    return id;
}

int show(ServiceStore &store, const QStringList &words)
{
    Options o(words, {}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1)
        return usage(tr("service show needs one case number"));
    auto id = caseId(o.positional.at(0));
    if (!id)
        return fail(id.error());
    auto c = store.get(*id);
    if (!c)
        return fail(c.error());
    if (o.flags.contains(u"json"_qs)) {
        printJson(QJsonDocument(caseJson(*c)));
        return kOk;
    }
    auto field = [](const QString &name, const QString &value) {
        if (!value.isEmpty())
            out() << QString(name + u':').leftJustified(22) << value << Qt::endl;
    };
    field(tr("Service case"), QString::number(c->id));
    field(tr("State"), stateName(c->state));
    field(tr("Order"), c->orderId ? QString::number(c->orderId) : QString());
    field(tr("Product"), c->productName);
    field(tr("Serial number"), c->serial);
    field(tr("Buyer"), QStringList{c->buyerName, c->buyerEmail, c->buyerPhone}.join(u' ').simplified());
    field(tr("Problem"), c->problem);
    field(tr("Service"), c->serviceName);
    field(tr("Expected back"),
          day(c->expectedReturn) + (c->isOverdue(QDate::currentDate()) ? u" ("_qs + tr("overdue") + u')' : QString()));
    field(tr("Warranty until"), day(c->warrantyEnd));
    QStringList next;
    for (ServiceState s : nextStates(c->state))
        next << stateKey(s);
    field(tr("Next"), next.join(u", "_qs));
    out() << tr("Timeline:") << Qt::endl;
    for (const ServiceStep &s : std::as_const(c->steps))
        out() << u"  "_qs << localTime(s.at) << u"  "_qs
              << stateName(stateFromKey(s.to).value_or(ServiceState::Registered)) << u"  "_qs << s.actor
              << (s.note.isEmpty() ? QString() : u"  "_qs + s.note) << Qt::endl;
    return kOk;
}

int advance(ServiceStore &store, const QStringList &words)
{
    Options o(words, {u"note"_qs, u"expected"_qs}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 2)
        return usage(tr("service advance needs a case number and a state (%1)").arg(stateKeys().join(u", "_qs)));
    auto id = caseId(o.positional.at(0));
    if (!id)
        return fail(id.error());
    const auto to = stateFromKey(o.positional.at(1));
    if (!to)
        return usage(
            tr("unknown service state \"%1\" (known: %2)").arg(o.positional.at(1), stateKeys().join(u", "_qs)));
    QString problem;
    const auto expected = parseDay(o, u"expected"_qs, &problem);
    if (!problem.isEmpty())
        return usage(problem);
    auto c = store.advance(*id, *to, actor(), o.values.value(u"note"_qs), expected);
    if (!c)
        return fail(c.error());
    if (o.flags.contains(u"json"_qs)) {
        printJson(QJsonDocument(caseJson(*c)));
        return kOk;
    }
    out() << tr("Service case %1: %2").arg(c->id).arg(stateName(c->state)) << Qt::endl;
    return kOk;
}

} // namespace

QString serviceHelp()
{
    return tr("  service add --order ID [--line N] | --product NAME --buyer NAME [--email E] [--phone P]\n"
              "       [--serial S] [--problem TEXT] [--service NAME] [--expected YYYY-MM-DD]\n"
              "       [--warranty-end YYYY-MM-DD] [--language pl|en] [--json]\n"
              "                                           register a warranty / service case\n"
              "  service list [--state S] [--open] [--order ID] [--search TEXT] [--json]\n"
              "  service show CASE [--json]               the case with its timeline\n"
              "  service advance CASE STATE [--note TEXT] [--expected YYYY-MM-DD]\n"
              "                                           states: registered, sent, at-service, returned,\n"
              "                                           handed-back, replaced, rejected (the buyer is told)\n");
}

int serviceCommand(const QStringList &words, const OpenDatabase &open)
{
    auto db = open();
    if (!db)
        return fail(db.error());
    storage::OrderStore orders(*db);
    ServiceStore store(orders);
    const QString sub = words.value(0);
    if (sub == u"add")
        return add(store, words.mid(1));
    if (sub == u"list")
        return list(store, words.mid(1));
    if (sub == u"show")
        return show(store, words.mid(1));
    if (sub == u"advance")
        return advance(store, words.mid(1));
    return usage(tr("service needs a subcommand: add, list, show, advance"));
}

} // namespace sd::cli
