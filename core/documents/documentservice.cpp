#include "documents/documentservice.h"

#include "access/session.h"
#include "automation/rulestore.h"
#include "automation/sqlrun.h"
#include "documents/documentbuilder.h"
#include "documents/exchangerates.h"
#include "documents/ksef/ksefclient.h"
#include "documents/ksefdocuments.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSysInfo>

using namespace Qt::StringLiterals;

namespace sd::documents {

using automation::runSql;
using storage::ActionLedger;

namespace {

constexpr char kAutoInvoiceCursor[] = "documents.auto-invoice";
// The id of the next order.status_changed event D6 looks at; 0: not started (set to the newest event on the first
// pass after the setting is switched on, so earlier completions get nothing).
constexpr char kCompletionCursor[] = "documents.completion";

QString owner()
{
    return QSysInfo::machineHostName() + u':' + QString::number(QCoreApplication::applicationPid());
}

} // namespace

DocumentService::DocumentService(storage::OrderStore &orders)
    : m_orders(orders)
    , m_db(orders.sharedDatabase())
    , m_store(orders)
    , m_settings(m_db)
    , m_series(m_db)
    , m_ledger(m_db)
    , m_stock(std::make_shared<AllowAllStock>())
{}

Result<Series> DocumentService::seriesFor(const QString &name, DocumentType type)
{
    if (name.isEmpty())
        return m_series.defaultFor(type);
    auto series = m_series.find(name);
    if (!series)
        return series;
    if (series->type != type)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "The series \"%1\" numbers %2, not %3.")
                             .arg(name, typeTitle(series->type, u"pl"_s), typeTitle(type, u"pl"_s)));
    return series;
}

template<typename Issue>
Result<Document> DocumentService::underLedger(const QString &key, const QString &action, qint64 orderId,
                                              const Issue &issue)
{
    if (key.isEmpty())
        return issue();
    storage::Transaction transaction(*m_db, "issue under ledger");
    if (!transaction.started())
        return transaction.started().error();
    auto claim = m_ledger.claim(key, action, orderId, owner());
    if (claim && *claim == ActionLedger::Claim::FailedBefore)
        claim = m_ledger.claimRetry(key, owner());
    if (!claim)
        return claim.error();
    if (*claim == ActionLedger::Claim::AlreadyDone) {
        auto entry = m_ledger.find(key);
        if (!entry)
            return entry.error();
        const qint64 id = entry->has_value() ? (*entry)->result.value(u"documentId").toInteger() : 0;
        return m_store.load(id);
    }
    if (*claim == ActionLedger::Claim::InProgress)
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::documents", "Another workstation is issuing this document."));
    auto doc = issue();
    if (!doc)
        return doc;
    if (auto r = m_ledger.complete(key, {{u"documentId"_s, doc->id}, {u"number"_s, doc->number}}); !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return doc;
}

Result<DocumentService::Built> DocumentService::build(qint64 orderId, const BuildOptions &options)
{
    auto order = m_orders.load(orderId);
    if (!order)
        return order.error();
    auto company = m_settings.company();
    if (!company)
        return company.error();
    auto settings = m_settings.settings();
    if (!settings)
        return settings.error();
    auto doc = buildFromOrder(*order, *company, *settings, options);
    if (!doc)
        return doc.error();
    return Built{*order, *settings, *doc};
}

Result<Document> DocumentService::issueForOrder(const IssueRequest &request, const storage::ChangeContext &ctx)
{
    if (auto r = access::require(access::Permission::IssueDocuments, ctx.actor); !r)
        return r.error();
    auto attempt = [&]() -> Result<Document> {
        auto built = build(request.orderId, {request.type, request.issueDate});
        if (!built)
            return built.error();
        Document doc = built->doc;
        if (auto r = applyExchangeRate(doc); !r)
            return r.error();
        auto series = seriesFor(request.series, doc.type);
        if (!series)
            return series.error();
        return m_store.issue(doc, *series, ctx, request.source, request.offline);
    };
    auto doc = underLedger(request.ledgerKey, u"issueInvoice"_s, request.orderId, attempt);
    if (!doc && doc.error().code != Error::Code::Conflict && m_db->transactionDepth() == 0) {
        // Outside a caller's transaction the failure is an event of its own (the automation's "Document failed").
        if (auto r = m_store.recordFailure(request.orderId, doc.error().userMessage, ctx, request.source); !r)
            return r.error();
    }
    if (!doc)
        return doc;
    return queueForKsef(*doc, ctx);
}

Result<void> DocumentService::applyExchangeRate(Document &doc)
{
    if (!doc.foreignCurrency() || doc.type == DocumentType::Proforma)
        return {};
    // Art. 31a ust. 1: the tax point is the supply (sale date, P_6) or, without one, the issue date.
    auto rate = RateTable(m_db).rateBefore(doc.currency, doc.saleDate.isValid() ? doc.saleDate : doc.issueDate);
    if (!rate)
        return rate.error();
    doc.exchangeRate = rate->rate;
    doc.exchangeRateDate = rate->date;
    doc.exchangeRateTable = rate->table;
    return {};
}

Result<Document> DocumentService::queueForKsef(const Document &doc, const storage::ChangeContext &ctx)
{
    auto settings = m_settings.settings();
    if (!settings || !settings->ksefEnabled || !isKsefDocument(doc.type))
        return doc;
    auto queued = KsefDocuments(m_store).enqueue(doc.id, ctx);
    if (!queued) {
        // The document is issued all the same; the background pass queues it (or shows the reason it was rejected).
        qCWarning(lcKsef).noquote() << "queueing" << doc.number << "for KSeF:" << queued.error().text();
        return doc;
    }
    return queued->first;
}

Result<Document> DocumentService::correct(const CorrectionRequest &request, const storage::ChangeContext &ctx)
{
    if (auto r = access::require(access::Permission::IssueCorrections, ctx.actor); !r)
        return r.error();
    auto original = m_store.load(request.documentId);
    if (!original)
        return original.error();
    auto attempt = [&]() -> Result<Document> {
        if (!isSale(original->type))
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::documents", "Only an invoice can be corrected."));
        if (!canMove(original->state, DocumentState::Corrected))
            return makeError(
                Error::Code::Conflict,
                QCoreApplication::translate("sd::documents", "The invoice %1 is %2 and cannot be corrected now.")
                    .arg(original->number, stateLabel(original->state)));
        if (request.reason.trimmed().isEmpty())
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::documents", "A correction needs a reason."));
        // The state before: the last correction's lines, else the invoice's own.
        QList<DocumentLine> before = original->lines;
        auto last = runSql(*m_db,
                           u"SELECT id FROM documents WHERE corrects_id = ? AND state <> 'cancelled' ORDER BY id DESC "
                           "LIMIT 1"_s,
                           "last correction", {original->id});
        if (!last)
            return last.error();
        if (last->next()) {
            auto previous = m_store.load(last->value(0).toLongLong());
            if (!previous)
                return previous.error();
            before = previous->lines;
        }
        last->finish();
        QList<DocumentLine> after = before;
        for (const LineChange &change : request.changes) {
            if (change.line < 1 || change.line > after.size())
                return makeError(Error::Code::Invalid,
                                 QCoreApplication::translate("sd::documents", "The invoice has no line %1 (it has %2).")
                                     .arg(change.line)
                                     .arg(after.size()));
            DocumentLine &line = after[change.line - 1];
            if (change.quantity) {
                if (*change.quantity < 0)
                    return makeError(Error::Code::Invalid,
                                     QCoreApplication::translate("sd::documents", "A quantity cannot be negative."));
                // The line's discount shrinks with its quantity (rounded to the grosz).
                const qint64 oldQuantity = line.quantity;
                line.discount = oldQuantity
                                    ? domain::Money(mulDivRounded(line.discount.minor(), *change.quantity, oldQuantity),
                                                    line.discount.currency())
                                    : line.discount;
                line.quantity = *change.quantity;
            }
            if (change.unitGross) {
                if (change.unitGross->minor() < 0)
                    return makeError(Error::Code::Invalid,
                                     QCoreApplication::translate("sd::documents", "A price cannot be negative."));
                line.unitGross = *change.unitGross;
            }
        }
        if (request.returnAll) {
            for (DocumentLine &line : after) {
                line.quantity = 0;
                line.discount = domain::Money(0, original->currency);
            }
        }
        if (after == before)
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate("sd::documents", "The correction changes nothing."));
        auto settings = m_settings.settings();
        if (!settings)
            return settings.error();
        Document corr;
        corr.type = DocumentType::Correction;
        corr.orderId = original->orderId;
        corr.orderReference = original->orderReference;
        corr.issueDate = request.issueDate.isValid() ? request.issueDate : QDate::currentDate();
        corr.saleDate = original->saleDate;
        corr.placeOfIssue = original->placeOfIssue;
        corr.seller = original->seller;
        corr.buyer = original->buyer;
        corr.currency = original->currency;
        // The differences in PLN at the corrected invoice's rate (the tax point of the original supply).
        corr.exchangeRate = original->exchangeRate;
        corr.exchangeRateDate = original->exchangeRateDate;
        corr.exchangeRateTable = original->exchangeRateTable;
        corr.language = original->language;
        corr.paymentMethod = original->paymentMethod;
        corr.correctsId = original->id;
        corr.correctionReason = request.reason.trimmed();
        corr.correctedNumber = original->number;
        corr.correctedIssueDate = original->issueDate;
        corr.correctedKsefNumber = original->ksefNumber;
        corr.linesBefore = before;
        corr.lines = after;
        if (corr.totals().gross.minor() > 0)
            corr.dueDate = corr.issueDate.addDays(settings->paymentDays);
        auto series = seriesFor(request.series, DocumentType::Correction);
        if (!series)
            return series.error();
        storage::Transaction transaction(*m_db, "issue correction");
        if (!transaction.started())
            return transaction.started().error();
        auto issued = m_store.issue(corr, *series, ctx, u"manual"_s);
        if (!issued)
            return issued;
        if (auto moved = m_store.move(original->id, DocumentState::Corrected, ctx, issued->number); !moved)
            return moved.error();
        if (auto r = transaction.commit(); !r)
            return r.error();
        return issued;
    };
    auto issued = underLedger(request.ledgerKey, u"issueCorrection"_s, original->orderId, attempt);
    if (!issued)
        return issued;
    return queueForKsef(*issued, ctx);
}

Result<Series> DocumentService::completionSeries(DocumentType type)
{
    auto series = m_series.defaultFor(type);
    if (series || series.error().code != Error::Code::NotFound)
        return series;
    Series s;
    s.type = type;
    s.name = type == DocumentType::TransportSlip ? u"LP"_s : u"KG"_s;
    s.pattern = s.name + u"/{n}/{YYYY}"_s;
    s.reset = Series::Reset::Yearly;
    s.isDefault = true;
    if (auto id = m_series.add(s); !id && id.error().code != Error::Code::Conflict)
        return id.error();
    return m_series.defaultFor(type);
}

Result<QList<Document>> DocumentService::issueCompletionDocuments(qint64 orderId, const storage::ChangeContext &ctx,
                                                                  const QString &source)
{
    QList<Document> made;
    for (DocumentType type : {DocumentType::TransportSlip, DocumentType::WarrantyCard}) {
        auto attempt = [&]() -> Result<Document> {
            auto built = build(orderId, {type, {}});
            if (!built)
                return built.error();
            Document doc = built->doc;
            const domain::Address &to = built->order.delivery.address;
            doc.recipient.name = QString(to.firstName + u' ' + to.lastName).trimmed();
            if (!to.companyName.isEmpty())
                doc.recipient.name = doc.recipient.name.isEmpty()
                                         ? to.companyName
                                         : QString(to.companyName + u", "_s + doc.recipient.name);
            doc.recipient.street = to.street;
            doc.recipient.postcode = to.postCode;
            doc.recipient.city = to.city;
            doc.recipient.country = to.countryCode.isEmpty() ? u"PL"_s : to.countryCode;
            doc.recipient.phone = to.phone;
            doc.deliveryMethod = built->order.delivery.methodName;
            if (type == DocumentType::WarrantyCard)
                doc.warrantyMonths = built->settings.warrantyMonths;
            auto series = completionSeries(type);
            if (!series)
                return series.error();
            return m_store.issue(doc, *series, ctx, source);
        };
        auto doc = underLedger(u"completion/order:%1/%2"_s.arg(orderId).arg(typeKey(type)), u"issue-"_s + typeKey(type),
                               orderId, attempt);
        if (!doc)
            return doc.error();
        made.append(*doc);
    }
    return made;
}

Result<std::optional<Document>> DocumentService::completionInvoice(qint64 orderId, const storage::ChangeContext &ctx,
                                                                   const QString &source)
{
    auto settings = m_settings.settings();
    if (!settings)
        return settings.error();
    auto order = m_orders.load(orderId);
    if (!order)
        return order.error();
    const bool wanted = order->invoice.wanted || !order->invoice.nip.isEmpty() || !order->buyer.nip.isEmpty() ||
                        settings->invoicePrivatePersons;
    if (!wanted)
        return std::optional<Document>();
    IssueRequest request;
    request.orderId = orderId;
    request.ledgerKey = u"completion/order:%1/invoice"_s.arg(orderId);
    request.source = source;
    auto invoice = issueForOrder(request, ctx);
    if (!invoice && invoice.error().code == Error::Code::Conflict) // the order has its invoice already
        return std::optional<Document>();
    if (!invoice)
        return invoice.error();
    return std::optional<Document>(*invoice);
}

Result<QList<Document>> DocumentService::completeOrder(qint64 orderId, const storage::ChangeContext &ctx,
                                                       const QString &source)
{
    auto made = issueCompletionDocuments(orderId, ctx, source);
    if (!made)
        return made.error();
    auto invoice = completionInvoice(orderId, ctx, source);
    if (!invoice)
        return invoice.error();
    if (*invoice)
        made->insert(1, **invoice);
    return made;
}

Result<CompletionReport> DocumentService::completeClosedOrders(const storage::ChangeContext &ctx)
{
    auto settings = m_settings.settings();
    if (!settings)
        return settings.error();
    CompletionReport report;
    automation::RuleStore state(m_db);
    const QString cursorName = QString::fromLatin1(kCompletionCursor);
    auto cursor = state.cursor(cursorName);
    if (!cursor)
        return cursor.error();
    if (!settings->completionDocuments) {
        if (*cursor != 0)
            if (auto r = state.setCursor(cursorName, 0); !r)
                return r.error();
        return report;
    }
    if (*cursor == 0) {
        auto latest = runSql(*m_db, u"SELECT COALESCE(MAX(id), 0) FROM events"_s, "latest event");
        if (!latest)
            return latest.error();
        const qint64 next = (latest->next() ? latest->value(0).toLongLong() : 0) + 1;
        latest->finish();
        if (auto r = state.setCursor(cursorName, next); !r)
            return r.error();
        return report;
    }
    auto q = runSql(*m_db, u"SELECT id, order_id, payload FROM events WHERE id >= ? AND type = ? ORDER BY id"_s,
                    "status changes", {*cursor, QString::fromLatin1(storage::EventType::kStatusChanged)});
    if (!q)
        return q.error();
    struct Change
    {
        qint64 event;
        qint64 order;
        QString from;
        QString to;
    };
    QList<Change> changes;
    while (q->next()) {
        const QJsonObject payload = QJsonDocument::fromJson(q->value(2).toString().toUtf8()).object();
        changes.append({q->value(0).toLongLong(), q->value(1).toLongLong(), payload.value(u"from").toString(),
                        payload.value(u"to").toString()});
    }
    q->finish();
    if (changes.isEmpty())
        return report;
    const qint64 next = changes.constLast().event + 1;
    // A profile without the seller's data makes no documents at all: nothing to fail for every completed order.
    auto company = m_settings.company();
    if (!company || !SettingsStore::checkCompany(*company)) {
        report.messages.append(QCoreApplication::translate(
            "sd::documents", "No completion documents: the company data is not filled in (document settings)."));
        if (auto r = state.setCursor(cursorName, next); !r)
            return r.error();
        return report;
    }
    auto groups = runSql(*m_db, u"SELECT name FROM statuses WHERE group_key = 'closed'"_s, "closed statuses");
    if (!groups)
        return groups.error();
    QSet<QString> closed;
    while (groups->next())
        closed.insert(groups->value(0).toString());
    groups->finish();
    QList<qint64> done;
    for (const Change &c : std::as_const(changes)) {
        if (!c.order || !closed.contains(c.to) || closed.contains(c.from) || done.contains(c.order))
            continue;
        done.append(c.order);
        ++report.orders;
        auto fail = [&](const QString &reason) {
            ++report.failed;
            report.messages.append(
                QCoreApplication::translate("sd::documents", "Order %1: %2").arg(c.order).arg(reason));
        };
        auto made = issueCompletionDocuments(c.order, ctx, u"auto"_s);
        if (!made) {
            fail(made.error().userMessage);
            if (auto r = m_store.recordFailure(c.order, made.error().userMessage, ctx, u"auto"_s); !r)
                return r.error();
            continue;
        }
        auto invoice = completionInvoice(c.order, ctx, u"auto"_s); // a failure is a document.failed event already
        if (!invoice)
            fail(invoice.error().userMessage);
        else if (*invoice)
            made->insert(1, **invoice);
        report.documents += int(made->size());
        QStringList numbers;
        for (const Document &d : std::as_const(*made))
            numbers.append(d.number);
        report.messages.append(QCoreApplication::translate("sd::documents", "Order %1 completed: %2")
                                   .arg(c.order)
                                   .arg(numbers.join(u", "_s)));
    }
    if (auto r = state.setCursor(cursorName, next); !r)
        return r.error();
    return report;
}

Result<Document> DocumentService::cancel(qint64 id, const QString &reason, const storage::ChangeContext &ctx)
{
    if (auto r = access::require(access::Permission::IssueDocuments, ctx.actor); !r)
        return r.error();
    return m_store.move(id, DocumentState::Cancelled, ctx, reason);
}

Result<AutoInvoiceReport> DocumentService::autoInvoiceDownloaded(const storage::ChangeContext &ctx)
{
    auto settings = m_settings.settings();
    if (!settings)
        return settings.error();
    AutoInvoiceReport report;
    if (!settings->autoInvoice)
        return report;
    automation::RuleStore state(m_db);
    auto stored = state.storedCursor(QString::fromLatin1(kAutoInvoiceCursor));
    if (!stored)
        return stored.error();
    auto latest = runSql(*m_db, u"SELECT COALESCE(MAX(id), 0) FROM events"_s, "latest event");
    if (!latest)
        return latest.error();
    const qint64 last = latest->next() ? latest->value(0).toLongLong() : 0;
    latest->finish();
    if (!stored->has_value()) {
        // First run since auto-invoicing was switched on: orders downloaded from now on, not the whole history.
        if (auto r = state.setCursor(QString::fromLatin1(kAutoInvoiceCursor), last); !r)
            return r.error();
        return report;
    }
    auto q = runSql(*m_db,
                    u"SELECT DISTINCT order_id FROM events WHERE id > ? AND id <= ? AND order_id IS NOT NULL "
                    "AND type IN ('order.created', 'order.updated') AND actor LIKE 'marketplace:%' ORDER BY order_id"_s,
                    "downloaded orders", {**stored, last});
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    q->finish();
    auto done = autoInvoice(ids, ctx);
    if (!done)
        return done;
    if (auto r = state.setCursor(QString::fromLatin1(kAutoInvoiceCursor), last); !r)
        return r.error();
    return done;
}

Result<AutoInvoiceReport> DocumentService::autoInvoice(const QList<qint64> &orderIds, const storage::ChangeContext &ctx)
{
    auto settings = m_settings.settings();
    if (!settings)
        return settings.error();
    AutoInvoiceReport report;
    for (qint64 id : orderIds) {
        auto order = m_orders.load(id);
        if (!order)
            return order.error();
        const bool ready = order->marketplaceStatus.isEmpty() || order->marketplaceStatus == u"READY_FOR_PROCESSING";
        const bool wanted = order->invoice.wanted || !order->invoice.nip.isEmpty() || !order->buyer.nip.isEmpty() ||
                            settings->invoicePrivatePersons;
        if (!ready || !wanted) {
            ++report.skipped;
            continue;
        }
        const StockGate::Verdict verdict = m_stock->check(*order);
        if (!verdict.allowed) {
            ++report.flagged;
            const QString message =
                QCoreApplication::translate("sd::documents", "Order %1 is left for manual invoicing: %2")
                    .arg(id)
                    .arg(verdict.reason);
            report.messages.append(message);
            if (auto r = m_store.recordFailure(id, message, ctx, u"auto"_s); !r)
                return r.error();
            continue;
        }
        IssueRequest request;
        request.orderId = id;
        request.series = settings->autoInvoiceSeries;
        request.ledgerKey = u"auto-invoice/order:"_s + QString::number(id);
        request.source = u"auto"_s;
        auto existing = m_ledger.find(request.ledgerKey);
        if (existing && existing->has_value() && (*existing)->state == ActionLedger::State::Done) {
            ++report.skipped;
            continue;
        }
        auto doc = issueForOrder(request, ctx);
        if (doc) {
            ++report.issued;
            report.messages.append(
                QCoreApplication::translate("sd::documents", "Order %1: %2 issued.").arg(id).arg(doc->number));
        } else if (doc.error().code == Error::Code::Conflict) {
            ++report.skipped; // invoiced by hand or by a rule already
        } else {
            ++report.failed;
            report.messages.append(
                QCoreApplication::translate("sd::documents", "Order %1: %2").arg(id).arg(doc.error().userMessage));
        }
    }
    return report;
}

} // namespace sd::documents
