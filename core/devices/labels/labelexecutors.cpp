#include "devices/labels/labelexecutors.h"

#include "automation/catalog.h"
#include "devices/labels/couriersetup.h"
#include "devices/labels/labelservice.h"
#include "devices/printing/printerrouting.h"
#include "devices/printing/printqueue.h"
#include "devices/printing/printrequests.h"
#include "documents/documentpdf.h"
#include "documents/documentstore.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/selleractions.h"

#include <QCoreApplication>
#include <QGuiApplication>

namespace sd::devices::labels {

namespace {

using automation::ActionOutcome;

QJsonValue param(const automation::ActionRun &run, const char *key)
{
    return automation::Rule::param(run.action.params, automation::Catalog::instance().action(run.action.type)->params,
                                   key);
}

ActionOutcome failed(const Error &error)
{
    return {ActionOutcome::Kind::Failed, error.userMessage, {}, error.code == Error::Code::Io};
}

storage::ChangeContext contextFor(const automation::ActionRun &run)
{
    return {u"rule:"_qs + QString::number(run.rule.id), run.rule.name, run.depth};
}

} // namespace

ActionOutcome GenerateLabelExecutor::run(const automation::ActionRun &run, automation::ExecutorEnv &env)
{
    const auto secrets = ruleSecrets();
    if (!secrets)
        return {ActionOutcome::Kind::NotConfigured,
                QCoreApplication::translate("sd::labels",
                                            "No courier is set up on this workstation (the secret store is not open)."),
                {}};
    const QString courierName = param(run, "courier").toString(u"allegro"_qs);
    LabelDocument::Format format = LabelDocument::Format::Pdf;
    LabelDocument::parseFormat(param(run, "format").toString(u"PDF"_qs), &format);
    const auto db = env.store.sharedDatabase();
    auto setup = makeCourier(courierName, run.order, db, secrets);
    if (!setup)
        return failed(setup.error());
    storage::ActionLedger ledger(db);
    LabelService service(env.store, ledger, u"rule"_qs);
    // The scheduler holds run.key itself; the label and each later step have keys of their own below it.
    auto made = service.generate(run.order.id, *setup->courier, Parcel{}, format, run.key + u"/label", contextFor(run));
    if (!made)
        return failed(made.error());
    QJsonObject detail{{u"courier"_qs, courierName},
                       {u"waybill"_qs, made->label.trackingNumber},
                       {u"labelBarcode"_qs, made->label.labelBarcode},
                       {u"shipmentRow"_qs, made->label.shipmentRowId}};
    if (!m_markShipped)
        return {ActionOutcome::Kind::Done,
                QCoreApplication::translate("sd::labels", "Label made: %1 %2.")
                    .arg(made->label.carrierId, made->label.trackingNumber),
                detail};

    // D5: tell Allegro. A "Wysyłam z Allegro" shipment is on the order already; another courier's number is added.
    std::unique_ptr<marketplace::allegro::AllegroClient> own;
    marketplace::allegro::AllegroClient *client = setup->client.get();
    if (!client) {
        auto account = marketplace::AccountStore(db).get(run.order.account.toLongLong());
        if (!account)
            return failed(account.error());
        own = std::make_unique<marketplace::allegro::AllegroClient>(*account, db, secrets);
        client = own.get();
    }
    marketplace::allegro::AllegroRecords records(db);
    marketplace::allegro::SellerActions actions(*client, env.store, ledger, records, u"rule"_qs);
    if (courierName != u"allegro") {
        auto tracking = actions.addShipment(run.key + u"/tracking", run.order.id, made->label.carrierId,
                                            made->label.trackingNumber);
        if (!tracking)
            return failed(tracking.error());
    }
    auto sent = actions.setFulfillmentStatus(run.key + u"/sent", run.order.id, u"SENT"_qs);
    if (!sent)
        return failed(sent.error());
    return {ActionOutcome::Kind::Done,
            QCoreApplication::translate("sd::labels", "Label made and the order marked as sent on Allegro: %1 %2.")
                .arg(made->label.carrierId, made->label.trackingNumber),
            detail};
}

ActionOutcome PrintLabelExecutor::run(const automation::ActionRun &run, automation::ExecutorEnv &env)
{
    const auto printer = printing::PrinterRouting::printer(printing::PrinterRouting::Role::Label);
    if (!printer)
        return {ActionOutcome::Kind::NotConfigured,
                QCoreApplication::translate("sd::labels", "No label printer is set for this workstation."),
                {}};
    const auto db = env.store.sharedDatabase();
    storage::ActionLedger ledger(db);
    LabelService labels(env.store, ledger, u"rule"_qs);
    auto label = labels.latest(run.order.id);
    if (!label)
        return failed(label.error());
    if (!label->has_value())
        return {ActionOutcome::Kind::Failed,
                QCoreApplication::translate("sd::labels", "The order has no label to print yet."),
                {},
                false};
    printing::PrintQueue queue(db, ledger, printing::PrinterRouting::workstation());
    auto job = queue.submit(printing::labelPrintRequest(**label, printer->toString(), contextFor(run).actor));
    if (!job) {
        if (job.error().code == Error::Code::Conflict)
            return {ActionOutcome::Kind::Done, job.error().userMessage, {{u"duplicate"_qs, true}}};
        return failed(job.error());
    }
    auto state = queue.process(*job);
    if (!state)
        return failed(state.error());
    // A printer that is away keeps the job waiting in the queue: the rule's part is done.
    return {ActionOutcome::Kind::Done,
            QCoreApplication::translate("sd::labels", "Print job %1: %2.")
                .arg(*job)
                .arg(printing::PrintQueue::stateName(*state)),
            {{u"job"_qs, *job}, {u"state"_qs, printing::PrintQueue::stateKey(*state)}}};
}

ActionOutcome PrintDocumentExecutor::run(const automation::ActionRun &run, automation::ExecutorEnv &env)
{
    const auto printer = printing::PrinterRouting::printer(printing::PrinterRouting::Role::Document);
    if (!printer)
        return {ActionOutcome::Kind::NotConfigured,
                QCoreApplication::translate("sd::labels", "No document printer is set for this workstation."),
                {}};
    documents::DocumentStore store(env.store);
    documents::DocumentFilter filter;
    filter.orderId = run.order.id;
    auto list = store.list(filter);
    if (!list)
        return failed(list.error());
    // The newest sales document that stands (not a draft, not cancelled or replaced by a correction's twin).
    std::optional<documents::DocumentSummary> chosen;
    for (const documents::DocumentSummary &d : *list) {
        const bool stands = d.state != documents::DocumentState::Draft &&
                            d.state != documents::DocumentState::Cancelled &&
                            d.state != documents::DocumentState::Rejected;
        if (stands && !d.number.isEmpty() && (!chosen || d.id > chosen->id))
            chosen = d;
    }
    if (!chosen)
        return {ActionOutcome::Kind::Failed,
                QCoreApplication::translate("sd::labels", "The order has no issued document to print yet."),
                {},
                false};
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return {ActionOutcome::Kind::Failed,
                QCoreApplication::translate("sd::labels", "Printing a document needs the SellerDesk window on this "
                                                          "workstation: a headless node cannot draw the PDF."),
                {},
                false};
    auto doc = store.load(chosen->id);
    if (!doc)
        return failed(doc.error());
    auto pdf = documents::renderPdf(*doc);
    if (!pdf)
        return failed(pdf.error());
    const auto request = printing::documentPrintRequest(chosen->id, run.order.id, chosen->number, *pdf,
                                                        printer->toString(), contextFor(run).actor);
    const auto db = env.store.sharedDatabase();
    storage::ActionLedger ledger(db);
    printing::PrintQueue queue(db, ledger, printing::PrinterRouting::workstation());
    auto job = queue.submit(request);
    if (!job) {
        if (job.error().code == Error::Code::Conflict)
            return {ActionOutcome::Kind::Done, job.error().userMessage, {{u"duplicate"_qs, true}}};
        return failed(job.error());
    }
    auto state = queue.process(*job);
    if (!state)
        return failed(state.error());
    return {
        ActionOutcome::Kind::Done,
        QCoreApplication::translate("sd::labels", "%1: print job %2, %3.")
            .arg(chosen->number)
            .arg(*job)
            .arg(printing::PrintQueue::stateName(*state)),
        {{u"job"_qs, *job}, {u"document"_qs, chosen->number}, {u"state"_qs, printing::PrintQueue::stateKey(*state)}}};
}

} // namespace sd::devices::labels
