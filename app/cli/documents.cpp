#include "documents.h"

#include "cliutil.h"
#include "documents/documentpdf.h"
#include "documents/documentservice.h"
#include "documents/exchangerates.h"
#include "documents/fa3xml.h"
#include "documents/ksefdocuments.h"
#include "domain/nip.h"
#include "inventory/invoicestockgate.h"
#include "storage/orderstore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

namespace sd::cli {

namespace {

using namespace sd::documents;

storage::ChangeContext context()
{
    return {actor(), u"command line"_qs, 0};
}

Result<void> writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::cli", "Cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

// --pdf FILE and --xml FILE of a stored document.
int writeOutputs(DocumentStore &store, const Document &doc, const Options &o)
{
    QByteArray xml;
    if (isKsefDocument(doc.type)) {
        auto stored = store.xml(doc.id);
        if (stored)
            xml = *stored;
    }
    if (o.values.contains(u"xml"_qs)) {
        if (xml.isEmpty())
            return fail(QCoreApplication::translate("sd::cli", "%1 has no KSeF XML (a pro-forma is not sent to KSeF).")
                            .arg(doc.number));
        if (auto r = writeFile(o.values.value(u"xml"_qs), xml); !r)
            return fail(r.error().userMessage);
    }
    if (o.values.contains(u"pdf"_qs)) {
        auto pdf = renderPdf(doc, {xml});
        if (!pdf)
            return fail(pdf.error().userMessage);
        if (auto r = writeFile(o.values.value(u"pdf"_qs), *pdf); !r)
            return fail(r.error().userMessage);
    }
    return 0;
}

int printDocument(DocumentStore &store, const Document &doc, bool json)
{
    if (json) {
        QJsonObject object = doc.toJson();
        QJsonArray log;
        if (auto entries = store.log(doc.id)) {
            for (const DocumentLogEntry &e : *entries)
                log.append(QJsonObject{{u"at"_qs, e.at.toString(Qt::ISODateWithMs)},
                                       {u"actor"_qs, e.actor},
                                       {u"from"_qs, e.from},
                                       {u"to"_qs, e.to},
                                       {u"note"_qs, e.note}});
        }
        object.insert(u"log"_qs, log);
        printJson(QJsonDocument(object));
        return 0;
    }
    const Totals t = doc.totals();
    out() << typeTitle(doc.type, u"pl"_qs) << u' ' << (doc.number.isEmpty() ? u"-"_qs : doc.number) << u"  ("_qs
          << stateLabel(doc.state) << u")\n"_qs;
    out() << QCoreApplication::translate("sd::cli", "Issued:  %1 in %2")
                 .arg(doc.issueDate.toString(Qt::ISODate), doc.placeOfIssue)
          << u'\n';
    out() << QCoreApplication::translate("sd::cli", "Buyer:   %1 %2")
                 .arg(doc.buyer.name, doc.buyer.nip.isEmpty() ? doc.buyer.euVatId : doc.buyer.nip)
          << u'\n';
    if (doc.orderId)
        out() << QCoreApplication::translate("sd::cli", "Order:   %1 (%2)").arg(doc.orderId).arg(doc.orderReference)
              << u'\n';
    if (doc.type == DocumentType::Correction)
        out() << QCoreApplication::translate("sd::cli", "Corrects: %1 (%2)")
                     .arg(doc.correctedNumber, doc.correctionReason)
              << u'\n';
    int n = 0;
    for (const DocumentLine &l : doc.lines)
        out() << u"  "_qs << ++n << u". "_qs << l.name << u"  "_qs << l.quantity << u" x "_qs
              << l.unitGross.toDecimalString()
              << (l.discount.isZero() ? QString() : u" - "_qs + l.discount.toDecimalString()) << u" = "_qs
              << l.gross().toDecimalString() << u"  "_qs << l.rateLabel() << u'\n';
    for (const RateTotal &r : t.perRate)
        out() << QCoreApplication::translate("sd::cli", "  rate %1: net %2, VAT %3, gross %4")
                     .arg(r.key, r.net.toDecimalString(), r.vat.toDecimalString(), r.gross.toDecimalString())
              << u'\n';
    out() << QCoreApplication::translate("sd::cli", "Total:   %1 %2").arg(t.gross.toDecimalString(), doc.currency)
          << u'\n';
    if (!doc.ksefNumber.isEmpty())
        out() << QCoreApplication::translate("sd::cli", "KSeF:    %1").arg(doc.ksefNumber) << u'\n';
    if (!doc.rejectionReason.isEmpty())
        out() << QCoreApplication::translate("sd::cli", "Reason:  %1").arg(doc.rejectionReason) << u'\n';
    out().flush();
    return 0;
}

int company(DocumentService &service, const QStringList &words)
{
    const QString sub = words.value(0);
    Options o(words.mid(1),
              {u"name"_qs, u"nip"_qs, u"street"_qs, u"postcode"_qs, u"city"_qs, u"country"_qs, u"bank-account"_qs,
               u"bank-name"_qs, u"email"_qs, u"phone"_qs, u"logo"_qs},
              {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    auto current = service.settings().company();
    if (!current)
        return fail(current.error().userMessage);
    if (sub == u"show") {
        if (o.flags.contains(u"json"_qs)) {
            printJson(QJsonDocument(current->toJson()));
            return 0;
        }
        out() << current->name << u'\n' << current->street << u'\n' << current->addressLine2() << u'\n' << u"NIP: "_qs
              << current->nip << u'\n';
        if (!current->bankAccount.isEmpty())
            out() << current->bankAccount << u'\n';
        out().flush();
        return 0;
    }
    if (sub != u"set")
        return usage(QCoreApplication::translate("sd::cli", "company needs a subcommand: set or show"));
    Party p = *current;
    auto take = [&o](const char *key, QString &field) {
        if (o.values.contains(QString::fromLatin1(key)))
            field = o.values.value(QString::fromLatin1(key)).trimmed();
    };
    take("name", p.name);
    take("nip", p.nip);
    take("street", p.street);
    take("postcode", p.postcode);
    take("city", p.city);
    take("country", p.country);
    take("bank-account", p.bankAccount);
    take("bank-name", p.bankName);
    take("email", p.email);
    take("phone", p.phone);
    take("logo", p.logoPath);
    if (auto nip = domain::Nip::parse(p.nip))
        p.nip = nip->digits();
    if (!p.logoPath.isEmpty() && !QFile::exists(p.logoPath))
        return fail(QCoreApplication::translate("sd::cli", "The logo file %1 does not exist.").arg(p.logoPath));
    if (auto r = service.settings().setCompany(p); !r)
        return fail(r.error().userMessage);
    out() << QCoreApplication::translate("sd::cli", "Company data saved: %1, NIP %2").arg(p.name, p.nip) << u'\n';
    out().flush();
    return 0;
}

int series(DocumentService &service, const QStringList &words)
{
    const QString sub = words.value(0);
    Options o(words.mid(1), {u"type"_qs, u"pattern"_qs, u"reset"_qs}, {u"default"_qs, u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (sub == u"list") {
        auto list = service.series().list();
        if (!list)
            return fail(list.error().userMessage);
        if (o.flags.contains(u"json"_qs)) {
            QJsonArray array;
            for (const Series &s : *list)
                array.append(QJsonObject{{u"name"_qs, s.name},
                                         {u"type"_qs, typeKey(s.type)},
                                         {u"pattern"_qs, s.pattern},
                                         {u"reset"_qs, resetKey(s.reset)},
                                         {u"default"_qs, s.isDefault}});
            printJson(QJsonDocument(array));
            return 0;
        }
        out() << QCoreApplication::translate("sd::cli", "NAME  TYPE  PATTERN  RESET  DEFAULT") << u'\n';
        for (const Series &s : *list)
            out() << s.name << u"  "_qs << typeKey(s.type) << u"  "_qs << s.pattern << u"  "_qs << resetKey(s.reset)
                  << u"  "_qs << (s.isDefault ? QCoreApplication::translate("sd::cli", "yes") : QString()) << u'\n';
        out().flush();
        return 0;
    }
    if (sub != u"add")
        return usage(QCoreApplication::translate("sd::cli", "series needs a subcommand: add or list"));
    if (o.positional.size() != 1 || !o.values.contains(u"pattern"_qs))
        return usage(QCoreApplication::translate("sd::cli", "series add needs NAME and --pattern"));
    Series s;
    s.name = o.positional.at(0);
    s.pattern = o.values.value(u"pattern"_qs);
    auto type = typeFromKey(o.values.value(u"type"_qs, u"vat"_qs));
    auto reset = resetFromKey(o.values.value(u"reset"_qs, u"monthly"_qs));
    if (!type)
        return usage(QCoreApplication::translate(
            "sd::cli", "--type is one of vat, private, receipt-invoice, correction, proforma"));
    if (!reset)
        return usage(QCoreApplication::translate("sd::cli", "--reset is one of never, yearly, monthly"));
    s.type = *type;
    s.reset = *reset;
    s.isDefault = o.flags.contains(u"default"_qs);
    auto id = service.series().add(s);
    if (!id)
        return fail(id.error().userMessage);
    out()
        << QCoreApplication::translate("sd::cli", "Series %1 added: %2").arg(s.name, s.format(1, QDate::currentDate()))
        << u'\n';
    out().flush();
    return 0;
}

// rates list|add|fetch: the NBP mid rates foreign-currency invoices take their PLN VAT from (art. 31a).
int rates(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    const QString sub = words.value(0);
    Options o(words.mid(1), {u"date"_qs, u"table"_qs, u"source"_qs}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    RateTable table(db);
    auto printRate = [](const ExchangeRate &r) {
        out() << r.currency << u"  "_qs << r.date.toString(Qt::ISODate) << u"  "_qs << r.rate << u"  "_qs << r.table
              << u'\n';
    };
    if (sub == u"list") {
        auto list = table.list();
        if (!list)
            return fail(list.error().userMessage);
        if (o.flags.contains(u"json"_qs)) {
            QJsonArray array;
            for (const ExchangeRate &r : *list)
                array.append(QJsonObject{{u"currency"_qs, r.currency},
                                         {u"date"_qs, r.date.toString(Qt::ISODate)},
                                         {u"rate"_qs, r.rate},
                                         {u"table"_qs, r.table}});
            printJson(QJsonDocument(array));
            return 0;
        }
        for (const ExchangeRate &r : *list)
            printRate(r);
        out().flush();
        return 0;
    }
    if (sub == u"add") {
        if (o.positional.size() != 3)
            return usage(QCoreApplication::translate("sd::cli", "rates add needs CURRENCY YYYY-MM-DD RATE"));
        const QDate date = QDate::fromString(o.positional.at(1), Qt::ISODate);
        ExchangeRate r{o.positional.at(0), date, o.positional.at(2), o.values.value(u"table"_qs)};
        if (auto stored = table.put(r); !stored)
            return fail(stored.error().userMessage);
        out() << QCoreApplication::translate("sd::cli", "Rate stored.") << u'\n';
        out().flush();
        return 0;
    }
    if (sub == u"fetch") {
        if (o.positional.size() != 1)
            return usage(QCoreApplication::translate("sd::cli", "rates fetch needs CURRENCY"));
        const QDate day = o.values.contains(u"date"_qs) ? QDate::fromString(o.values.value(u"date"_qs), Qt::ISODate)
                                                        : QDate::currentDate();
        if (!day.isValid())
            return usage(QCoreApplication::translate("sd::cli", "--date is YYYY-MM-DD"));
        // The NBP address of the document settings (`documents settings --nbp-url`), unless --source names another.
        auto settings = SettingsStore(db).settings();
        if (!settings)
            return fail(settings.error().userMessage);
        const QUrl source(o.values.value(u"source"_qs, settings->nbpUrl));
        if (!source.isValid() || (source.scheme() != u"http" && source.scheme() != u"https"))
            return usage(QCoreApplication::translate("sd::cli", "--source is an http(s) address"));
        auto rate = NbpRates(source).rateBefore(o.positional.at(0).toUpper(), day);
        if (!rate)
            return fail(rate.error().userMessage);
        if (auto stored = table.put(*rate); !stored)
            return fail(stored.error().userMessage);
        printRate(*rate);
        out().flush();
        return 0;
    }
    return usage(QCoreApplication::translate("sd::cli", "rates needs a subcommand: list, add or fetch"));
}

// "1=2,3=0" -> {line: value}
Result<QList<QPair<int, QString>>> pairs(const QString &text)
{
    QList<QPair<int, QString>> out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const int at = part.indexOf(u'=');
        bool ok = false;
        const int line = at > 0 ? part.left(at).trimmed().toInt(&ok) : 0;
        if (!ok || line < 1)
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::cli", "\"%1\" is not LINE=VALUE").arg(part));
        out.append({line, part.mid(at + 1).trimmed()});
    }
    return out;
}

int invoice(DocumentService &service, const QStringList &words)
{
    const QString sub = words.value(0);
    Options o(words.mid(1),
              {u"series"_qs, u"type"_qs, u"pdf"_qs, u"xml"_qs, u"reason"_qs, u"quantity"_qs, u"price"_qs, u"date"_qs},
              {u"offline"_qs, u"all"_qs, u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    QDate date;
    if (o.values.contains(u"date"_qs)) {
        date = QDate::fromString(o.values.value(u"date"_qs), Qt::ISODate);
        if (!date.isValid())
            return usage(QCoreApplication::translate("sd::cli", "--date is YYYY-MM-DD"));
    }
    if (sub == u"auto") {
        auto settings = service.settings().settings();
        if (!settings)
            return fail(settings.error().userMessage);
        if (!settings->autoInvoice)
            return fail(QCoreApplication::translate(
                "sd::cli", "Automatic invoicing is off; turn it on with \"documents settings --auto-invoice on\"."));
        auto report = service.autoInvoiceDownloaded(context());
        if (!report)
            return fail(report.error().userMessage);
        for (const QString &m : report->messages)
            out() << m << u'\n';
        out() << QCoreApplication::translate("sd::cli",
                                             "%1 issued, %2 skipped, %3 left for manual invoicing, %4 failed")
                     .arg(report->issued)
                     .arg(report->skipped)
                     .arg(report->flagged)
                     .arg(report->failed)
              << u'\n';
        out().flush();
        return report->failed ? 1 : 0;
    }
    if (o.positional.size() != 1)
        return usage(QCoreApplication::translate("sd::cli", "invoice %1 needs one ORDER or DOCUMENT").arg(sub));
    if (sub == u"issue") {
        auto orderId = service.store().orders().resolve(o.positional.at(0));
        if (!orderId)
            return fail(orderId.error().userMessage);
        IssueRequest request;
        request.orderId = *orderId;
        request.series = o.values.value(u"series"_qs);
        request.offline = o.flags.contains(u"offline"_qs);
        request.issueDate = date;
        if (o.values.contains(u"type"_qs)) {
            auto type = typeFromKey(o.values.value(u"type"_qs));
            if (!type || *type == DocumentType::Correction)
                return usage(
                    QCoreApplication::translate("sd::cli", "--type is one of vat, private, receipt-invoice, proforma"));
            request.type = type;
        }
        auto doc = service.issueForOrder(request, context());
        if (!doc)
            return fail(doc.error().userMessage);
        out() << QCoreApplication::translate("sd::cli", "%1 %2 issued for order %3: %4")
                     .arg(typeTitle(doc->type, u"pl"_qs), doc->number)
                     .arg(doc->orderId)
                     .arg(doc->totals().gross.toDisplayString())
              << u'\n';
        out().flush();
        return writeOutputs(service.store(), *doc, o);
    }
    auto original = service.store().resolve(o.positional.at(0));
    if (!original)
        return fail(original.error().userMessage);
    if (sub == u"cancel") {
        auto doc = service.cancel(original->id, o.values.value(u"reason"_qs), context());
        if (!doc)
            return fail(doc.error().userMessage);
        out() << QCoreApplication::translate("sd::cli", "%1 cancelled.").arg(doc->number) << u'\n';
        out().flush();
        return 0;
    }
    if (sub != u"correct")
        return usage(
            QCoreApplication::translate("sd::cli", "invoice needs a subcommand: issue, correct, cancel or auto"));
    CorrectionRequest request;
    request.documentId = original->id;
    request.reason = o.values.value(u"reason"_qs);
    request.returnAll = o.flags.contains(u"all"_qs);
    request.series = o.values.value(u"series"_qs);
    request.issueDate = date;
    auto quantities = pairs(o.values.value(u"quantity"_qs));
    auto prices = pairs(o.values.value(u"price"_qs));
    if (!quantities)
        return usage(quantities.error().userMessage);
    if (!prices)
        return usage(prices.error().userMessage);
    for (const auto &[line, value] : *quantities) {
        bool ok = false;
        const qint64 q = value.toLongLong(&ok);
        if (!ok)
            return usage(QCoreApplication::translate("sd::cli", "\"%1\" is not a quantity").arg(value));
        request.changes.append({line, q, std::nullopt});
    }
    for (const auto &[line, value] : *prices) {
        auto price = domain::Money::parse(value, original->currency);
        if (!price)
            return usage(price.error().userMessage);
        request.changes.append({line, std::nullopt, *price});
    }
    auto doc = service.correct(request, context());
    if (!doc)
        return fail(doc.error().userMessage);
    out() << QCoreApplication::translate("sd::cli", "%1 issued, correcting %2 by %3")
                 .arg(doc->number, original->number, doc->totals().gross.toDisplayString())
          << u'\n';
    out().flush();
    return writeOutputs(service.store(), *doc, o);
}

int documentsSettings(DocumentService &service, const Options &o)
{
    auto settings = service.settings().settings();
    if (!settings)
        return fail(settings.error().userMessage);
    auto onOff = [&o](const char *key, bool &field) -> bool {
        const QString name = QString::fromLatin1(key);
        if (!o.values.contains(name))
            return true;
        const QString v = o.values.value(name);
        if (v != u"on" && v != u"off")
            return false;
        field = v == u"on";
        return true;
    };
    if (!onOff("private-persons", settings->invoicePrivatePersons) || !onOff("auto-invoice", settings->autoInvoice) ||
        !onOff("oss", settings->ossEnabled) || !onOff("completion", settings->completionDocuments))
        return usage(QCoreApplication::translate("sd::cli", "the value is on or off"));
    if (o.values.contains(u"shipping-vat"_qs))
        settings->shippingVat = o.values.value(u"shipping-vat"_qs);
    if (o.values.contains(u"payment-days"_qs))
        settings->paymentDays = o.values.value(u"payment-days"_qs).toInt();
    if (o.values.contains(u"auto-series"_qs))
        settings->autoInvoiceSeries = o.values.value(u"auto-series"_qs);
    if (o.values.contains(u"nbp-url"_qs))
        settings->nbpUrl = o.values.value(u"nbp-url"_qs);
    if (o.values.contains(u"oss-rate"_qs)) {
        for (const QString &part : o.values.value(u"oss-rate"_qs).split(u',', Qt::SkipEmptyParts)) {
            const QString country = part.section(u'=', 0, 0).trimmed().toUpper();
            bool ok = false;
            const int rate = part.section(u'=', 1).trimmed().toInt(&ok);
            if (country.size() != 2 || !ok)
                return usage(QCoreApplication::translate("sd::cli", "\"%1\" is not COUNTRY=RATE").arg(part));
            settings->ossRates.insert(country, rate);
        }
    }
    if (auto r = service.settings().setSettings(*settings); !r)
        return fail(r.error().userMessage);
    printJson(QJsonDocument(settings->toJson()));
    return 0;
}

int documentsList(DocumentService &service, const QStringList &words)
{
    const QString sub = words.value(0);
    Options o(words.mid(1),
              {u"state"_qs, u"type"_qs, u"order"_qs, u"search"_qs, u"limit"_qs, u"pdf"_qs, u"xml"_qs,
               u"private-persons"_qs, u"auto-invoice"_qs, u"oss"_qs, u"shipping-vat"_qs, u"payment-days"_qs,
               u"auto-series"_qs, u"oss-rate"_qs, u"completion"_qs, u"nbp-url"_qs},
              {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (sub == u"settings")
        return documentsSettings(service, o);
    if (sub == u"complete") {
        // D6: the transport slip, the invoice (when wanted) and the warranty card of a completed order (once).
        bool ok = false;
        const qint64 orderId = o.positional.value(0).toLongLong(&ok);
        if (o.positional.size() != 1 || !ok)
            return usage(QCoreApplication::translate("sd::cli", "documents complete needs one ORDER id"));
        auto made = service.completeOrder(orderId, context(), u"cli"_qs);
        if (!made)
            return fail(made.error().userMessage);
        for (const Document &d : std::as_const(*made)) {
            out() << typeTitle(d.type, u"pl"_qs) << u' ' << d.number << u'\n';
            if (o.values.contains(u"pdf"_qs)) {
                QString name = d.number;
                name.replace(u'/', u'_');
                auto pdf = renderPdf(d, {});
                if (!pdf)
                    return fail(pdf.error().userMessage);
                if (auto r = writeFile(QDir(o.values.value(u"pdf"_qs)).filePath(name + u".pdf"_qs), *pdf); !r)
                    return fail(r.error().userMessage);
            }
        }
        out().flush();
        return 0;
    }
    if (sub == u"show") {
        if (o.positional.size() != 1)
            return usage(QCoreApplication::translate("sd::cli", "documents show needs one DOCUMENT"));
        auto doc = service.store().resolve(o.positional.at(0));
        if (!doc)
            return fail(doc.error().userMessage);
        if (int rc = printDocument(service.store(), *doc, o.flags.contains(u"json"_qs)); rc)
            return rc;
        return writeOutputs(service.store(), *doc, o);
    }
    if (sub != u"list")
        return usage(QCoreApplication::translate("sd::cli", "documents needs a subcommand: list, show or settings"));
    DocumentFilter filter;
    if (o.values.contains(u"state"_qs)) {
        filter.state = stateFromKey(o.values.value(u"state"_qs));
        if (!filter.state)
            return usage(QCoreApplication::translate(
                "sd::cli",
                "--state is one of draft, issued, offline, queued, sent, accepted, rejected, cancelled, corrected"));
    }
    if (o.values.contains(u"type"_qs)) {
        filter.type = typeFromKey(o.values.value(u"type"_qs));
        if (!filter.type)
            return usage(QCoreApplication::translate(
                "sd::cli", "--type is one of vat, private, receipt-invoice, correction, proforma"));
    }
    if (o.values.contains(u"order"_qs)) {
        auto id = service.store().orders().resolve(o.values.value(u"order"_qs));
        if (!id)
            return fail(id.error().userMessage);
        filter.orderId = *id;
    }
    filter.search = o.values.value(u"search"_qs);
    filter.limit = o.values.value(u"limit"_qs, u"200"_qs).toInt();
    auto list = service.store().list(filter);
    if (!list)
        return fail(list.error().userMessage);
    if (o.flags.contains(u"json"_qs)) {
        QJsonArray array;
        for (const DocumentSummary &s : *list)
            array.append(QJsonObject{{u"id"_qs, s.id},
                                     {u"type"_qs, typeKey(s.type)},
                                     {u"state"_qs, stateKey(s.state)},
                                     {u"number"_qs, s.number},
                                     {u"orderId"_qs, s.orderId},
                                     {u"issueDate"_qs, s.issueDate},
                                     {u"buyer"_qs, s.buyerName},
                                     {u"buyerTaxId"_qs, s.buyerTaxId},
                                     {u"gross"_qs, s.gross.toDecimalString()},
                                     {u"currency"_qs, s.gross.currency()},
                                     {u"ksefNumber"_qs, s.ksefNumber},
                                     {u"reason"_qs, s.reason}});
        printJson(QJsonDocument(array));
        return 0;
    }
    out() << QCoreApplication::translate("sd::cli", "ID  NUMBER  TYPE  STATE  DATE  ORDER  BUYER  GROSS") << u'\n';
    for (const DocumentSummary &s : *list)
        out() << s.id << u"  "_qs << s.number << u"  "_qs << typeKey(s.type) << u"  "_qs << stateKey(s.state)
              << u"  "_qs << s.issueDate << u"  "_qs << s.orderId << u"  "_qs << s.buyerName << u"  "_qs
              << s.gross.toDecimalString() << u'\n';
    out().flush();
    return 0;
}

} // namespace

bool documentsNeedGui(const QStringList &arguments)
{
    return arguments.contains(u"--pdf"_qs);
}

QString documentsHelp()
{
    return QCoreApplication::translate(
        "sd::cli",
        "  company set --name N --nip NIP --street S --postcode P --city C [--bank-account IBAN] [--email E]\n"
        "              [--phone P] [--logo FILE]   the seller on every document; company show [--json]\n"
        "  series list [--json]                    numbering series\n"
        "  series add NAME --pattern P [--type vat|private|receipt-invoice|correction|proforma]\n"
        "             [--reset never|yearly|monthly] [--default]   P: e.g. FV/{n}/{MM}/{YYYY}\n"
        "  invoice issue ORDER [--series S] [--type vat|private|receipt-invoice|proforma] [--offline] [--date D]\n"
        "                [--pdf FILE] [--xml FILE]\n"
        "  invoice correct DOC --reason R [--quantity LINE=Q,...] [--price LINE=P,...] [--all] [--pdf F] [--xml F]\n"
        "  invoice cancel DOC [--reason R]        a draft or an invoice KSeF has not seen\n"
        "  invoice auto                            invoice the orders downloaded since the last run (D1)\n"
        "  documents list [--state S] [--type T] [--order ID] [--search TEXT] [--limit N] [--json]\n"
        "  documents show DOC [--json] [--pdf FILE] [--xml FILE]\n"
        "  documents complete ORDER [--pdf DIR]    transport slip, invoice (when wanted), warranty card (D6)\n"
        "  documents settings [--auto-invoice on|off] [--private-persons on|off] [--shipping-vat highest|23|8|5|0]\n"
        "                     [--oss on|off] [--oss-rate DE=19,...] [--payment-days N] [--auto-series S]\n"
        "                     [--completion on|off] [--nbp-url URL]   D6 on completion; where rates fetch asks NBP\n");
}

int documentsCommand(const QString &command, const QStringList &words, const OpenDatabase &open)
{
    auto db = open();
    if (!db)
        return fail(db.error().userMessage);
    storage::OrderStore orders(*db);
    DocumentService service(orders);
    service.setStockGate(inventory::invoiceStockGate(orders)); // C7 for `invoice --auto`
    if (command == u"company")
        return company(service, words);
    if (command == u"series")
        return series(service, words);
    if (command == u"invoice")
        return invoice(service, words);
    if (command == u"rates")
        return rates(*db, words);
    return documentsList(service, words);
}

} // namespace sd::cli
