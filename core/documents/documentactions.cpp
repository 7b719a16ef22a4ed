#include "documents/documentactions.h"

#include "automation/catalog.h"
#include "automation/sqlrun.h"
#include "documents/documentservice.h"
#include "inventory/invoicestockgate.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace sd::documents {

namespace {

using automation::ActionOutcome;
using automation::ActionRun;
using automation::ExecutorEnv;

storage::ChangeContext contextFor(const ActionRun &run)
{
    return {u"rule:"_s + QString::number(run.rule.id), run.rule.name, run.depth};
}

QString ruleKey(const ActionRun &run, const QString &action)
{
    return u"rule:%1/%2/order:%3"_s.arg(run.rule.id).arg(action).arg(run.order.id);
}

ActionOutcome outcomeOf(const Result<Document> &doc)
{
    if (!doc)
        return {ActionOutcome::Kind::Failed, doc.error().userMessage, {}, false};
    return {
        ActionOutcome::Kind::Done,
        QCoreApplication::translate("sd::documents", "%1 %2 issued.").arg(typeTitle(doc->type, u"pl"_s), doc->number),
        {{u"documentId"_s, doc->id}, {u"number"_s, doc->number}},
        false};
}

class IssueInvoice : public automation::ActionExecutor
{
public:
    bool internal() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &env) override
    {
        const QString series =
            automation::Rule::param(run.action.params, automation::Catalog::instance().action(run.action.type)->params,
                                    "series")
                .toString();
        // C7: an order with a product at zero stock is left (and tagged) for invoicing by hand.
        const StockGate::Verdict stock = inventory::InvoiceStockGate(env.store).check(run.order);
        if (!stock.allowed)
            return {ActionOutcome::Kind::Failed,
                    QCoreApplication::translate("sd::documents", "Not issued: %1").arg(stock.reason),
                    {{u"stockGate"_s, stock.reason}},
                    false};
        DocumentService service(env.store);
        IssueRequest request;
        request.orderId = run.order.id;
        request.series = series.trimmed();
        request.ledgerKey = ruleKey(run, u"issueInvoice"_s);
        request.source = u"rule:"_s + QString::number(run.rule.id);
        return outcomeOf(service.issueForOrder(request, contextFor(run)));
    }
};

class IssueCorrection : public automation::ActionExecutor
{
public:
    bool internal() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &env) override
    {
        DocumentService service(env.store);
        auto live = service.store().list({std::nullopt, std::nullopt, run.order.id, {}, 50});
        if (!live)
            return {ActionOutcome::Kind::Failed, live.error().userMessage, {}, false};
        qint64 invoiceId = 0;
        for (const DocumentSummary &s : *live) {
            if (isSale(s.type) && canMove(s.state, DocumentState::Corrected)) {
                invoiceId = s.id;
                break;
            }
        }
        if (!invoiceId)
            return {ActionOutcome::Kind::Failed,
                    QCoreApplication::translate("sd::documents", "The order has no invoice to correct."),
                    {},
                    false};
        CorrectionRequest request;
        request.documentId = invoiceId;
        request.reason =
            QCoreApplication::translate("sd::documents", "Return of goods (rule \"%1\")").arg(run.rule.name);
        request.returnAll = true;
        request.ledgerKey = ruleKey(run, u"issueCorrection"_s);
        return outcomeOf(service.correct(request, contextFor(run)));
    }
};

class CompletionDocuments : public automation::ActionExecutor
{
public:
    bool internal() const override { return true; }
    ActionOutcome run(const ActionRun &run, ExecutorEnv &env) override
    {
        DocumentService service(env.store);
        auto made =
            service.issueCompletionDocuments(run.order.id, contextFor(run), u"rule:"_s + QString::number(run.rule.id));
        if (!made)
            return {ActionOutcome::Kind::Failed, made.error().userMessage, {}, false};
        QStringList numbers;
        for (const Document &d : std::as_const(*made))
            numbers.append(d.number);
        return {ActionOutcome::Kind::Done,
                QCoreApplication::translate("sd::documents", "Documents %1 made.").arg(numbers.join(u", "_s)),
                {{u"numbers"_s, numbers.join(u',')}},
                false};
    }
};

} // namespace

std::shared_ptr<automation::ActionExecutor> completionDocumentsExecutor()
{
    return std::make_shared<CompletionDocuments>();
}

std::shared_ptr<automation::ActionExecutor> issueInvoiceExecutor()
{
    return std::make_shared<IssueInvoice>();
}

std::shared_ptr<automation::ActionExecutor> issueCorrectionExecutor()
{
    return std::make_shared<IssueCorrection>();
}

} // namespace sd::documents
