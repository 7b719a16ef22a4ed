#include "devices/fiscal/receiptexecutor.h"

#include "devices/fiscal/fiscalreceipts.h"
#include "devices/fiscal/fiscalsettings.h"

#include <QCoreApplication>

namespace sd::devices::fiscal {

namespace {

class IssueReceipt : public automation::ActionExecutor
{
public:
    bool internal() const override { return false; }
    bool repeatable() const override { return true; }
    automation::ActionOutcome run(const automation::ActionRun &run, automation::ExecutorEnv &env) override
    {
        using Outcome = automation::ActionOutcome;
        const QString address = configuredPrinter();
        if (address.isEmpty())
            return {Outcome::Kind::NotConfigured,
                    QCoreApplication::translate("sd::devices::fiscal",
                                                "No fiscal printer is set for this workstation; nothing was printed."),
                    {}};
        FiscalReceipts receipts(env.store.sharedDatabase());
        auto existing = receipts.forOrder(run.order.id);
        if (!existing)
            return {Outcome::Kind::Failed, existing.error().userMessage, {}, true};
        for (const ReceiptRecord &other : *existing)
            if (other.key != run.key && other.state == u"printed")
                return {Outcome::Kind::Done,
                        QCoreApplication::translate("sd::devices::fiscal",
                                                    "The order already has fiscal receipt no. %1; not printed again.")
                            .arg(other.journalNumber.value_or(0)),
                        {{u"number"_qs, other.journalNumber.value_or(0)}, {u"key"_qs, other.key}}};
        auto printer = openPrinter(address);
        if (!printer)
            return {Outcome::Kind::Failed, printer.error().userMessage, {}, false};
        auto issued = receipts.issue(run.order, run.key, **printer);
        if (!issued)
            // A refusal (no paper, cover open) or an unreachable printer may pass; a bad order will not.
            return {Outcome::Kind::Failed,
                    issued.error().userMessage,
                    {{u"printer"_qs, address}},
                    issued.error().code != Error::Code::Invalid};
        return {Outcome::Kind::Done,
                QCoreApplication::translate("sd::devices::fiscal", "Fiscal receipt no. %1 printed on %2.")
                    .arg(issued->journalNumber.value_or(0))
                    .arg(address),
                {{u"number"_qs, issued->journalNumber.value_or(0)}, {u"printer"_qs, address}}};
    }
};

} // namespace

std::shared_ptr<automation::ActionExecutor> makeIssueReceiptExecutor()
{
    return std::make_shared<IssueReceipt>();
}

} // namespace sd::devices::fiscal
