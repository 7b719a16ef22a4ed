#include "orderdevicestab.h"

#include "devices/fiscal/fiscalreceipts.h"
#include "devices/fiscal/fiscalsettings.h"
#include "devices/labels/couriersetup.h"
#include "devices/labels/labelservice.h"
#include "devices/printing/printerrouting.h"
#include "devices/printing/printqueue.h"
#include "devices/printing/printrequests.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHostInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include <limits>

namespace sd::ui {

namespace {

using devices::fiscal::FiscalReceipts;
using devices::fiscal::ReceiptRecord;
using devices::printing::PrinterRouting;
using devices::printing::PrintQueue;

QString userActor()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? u"user"_qs : u"user:"_qs + user;
}

} // namespace

OrderDevicesTab::OrderDevicesTab(storage::OrderStore &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
{
    auto *layout = new QVBoxLayout(this);
    auto *receiptBox = new QGroupBox(tr("Fiscal receipt"), this);
    auto *receiptLayout = new QVBoxLayout(receiptBox);
    m_receipt = new QLabel(receiptBox);
    m_receipt->setObjectName(u"receiptState"_qs);
    m_receipt->setWordWrap(true);
    m_receipt->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *receiptButtons = new QHBoxLayout;
    m_issue = new QPushButton(tr("&Issue receipt"), receiptBox);
    m_issue->setObjectName(u"issueReceipt"_qs);
    m_resolve = new QPushButton(tr("&Resolve unknown receipt…"), receiptBox);
    m_resolve->setObjectName(u"resolveReceipt"_qs);
    receiptButtons->addWidget(m_issue);
    receiptButtons->addWidget(m_resolve);
    receiptButtons->addStretch();
    receiptLayout->addWidget(m_receipt);
    receiptLayout->addLayout(receiptButtons);

    auto *labelBox = new QGroupBox(tr("Shipping label"), this);
    auto *labelLayout = new QVBoxLayout(labelBox);
    m_label = new QLabel(labelBox);
    m_label->setObjectName(u"labelState"_qs);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *labelButtons = new QHBoxLayout;
    auto *courierLabel = new QLabel(tr("C&ourier:"), labelBox);
    m_courier = new QComboBox(labelBox);
    m_courier->setObjectName(u"courier"_qs);
    m_courier->addItem(tr("Wysyłam z Allegro"), u"allegro"_qs);
    m_courier->addItem(tr("InPost (ShipX)"), u"inpost"_qs);
    courierLabel->setBuddy(m_courier);
    m_create = new QPushButton(tr("&Create label"), labelBox);
    m_create->setObjectName(u"createLabel"_qs);
    m_print = new QPushButton(tr("&Print label"), labelBox);
    m_print->setObjectName(u"printLabel"_qs);
    labelButtons->addWidget(courierLabel);
    labelButtons->addWidget(m_courier);
    labelButtons->addWidget(m_create);
    labelButtons->addWidget(m_print);
    labelButtons->addStretch();
    labelLayout->addWidget(m_label);
    labelLayout->addLayout(labelButtons);

    m_message = new QLabel(this);
    m_message->setObjectName(u"message"_qs);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(receiptBox);
    layout->addWidget(labelBox);
    layout->addWidget(m_message);
    layout->addStretch();

    connect(m_issue, &QPushButton::clicked, this, [this] { issueReceipt(); });
    connect(m_resolve, &QPushButton::clicked, this, [this] {
        QMessageBox ask(QMessageBox::Question, tr("Unknown receipt"),
                        tr("Whether this receipt was printed is unknown. Look at the printer's journal (or its last "
                           "receipts): is there a receipt for this order?"),
                        QMessageBox::Cancel, this);
        QPushButton *yes = ask.addButton(tr("It was printed"), QMessageBox::YesRole);
        QPushButton *no = ask.addButton(tr("It was not printed"), QMessageBox::NoRole);
        ask.exec();
        if (ask.clickedButton() == no) {
            resolveReceipt(false, std::nullopt);
        } else if (ask.clickedButton() == yes) {
            bool ok = false;
            const int number = QInputDialog::getInt(this, tr("Receipt number"),
                                                    tr("The number printed on the receipt (0 if unreadable):"), 0, 0,
                                                    std::numeric_limits<int>::max(), 1, &ok);
            if (ok)
                resolveReceipt(true, number > 0 ? std::optional<qint64>(number) : std::nullopt);
        }
    });
    connect(m_create, &QPushButton::clicked, this, [this] { createLabel(m_courier->currentData().toString()); });
    connect(m_print, &QPushButton::clicked, this, [this] {
        if (printLabel() || !m_needsReason)
            return;
        // Printed before: a reprint, with the reason the queue keeps.
        bool ok = false;
        const QString reason = QInputDialog::getText(this, tr("Reprint the label"),
                                                     tr("Why is the label printed again?"), QLineEdit::Normal, {}, &ok);
        if (ok)
            printLabel(reason);
    });
    showOrder(0);
}

QString OrderDevicesTab::owner() const
{
    return u"gui:%1:%2"_qs.arg(QHostInfo::localHostName()).arg(QCoreApplication::applicationPid());
}

void OrderDevicesTab::showOrder(qint64 orderId)
{
    m_orderId = orderId;
    m_message->clear();
    refresh();
}

void OrderDevicesTab::refresh()
{
    const bool any = m_orderId != 0;
    m_issue->setEnabled(any);
    m_create->setEnabled(any);
    m_print->setEnabled(false);
    m_resolve->setVisible(false);
    if (!any) {
        m_receipt->setText(tr("No order selected."));
        m_label->clear();
        return;
    }
    auto receipts = FiscalReceipts(m_store.sharedDatabase()).forOrder(m_orderId);
    if (!receipts) {
        m_receipt->setText(receipts.error().userMessage);
    } else if (receipts->isEmpty()) {
        const QString printer = devices::fiscal::configuredPrinter();
        m_receipt->setText(printer.isEmpty() ? tr("No receipt yet. No fiscal printer is set for this workstation "
                                                  "(Settings → Printers).")
                                             : tr("No receipt yet. Fiscal printer: %1").arg(printer));
    } else {
        const ReceiptRecord &r = receipts->constLast();
        QString text = tr("Receipt: %1").arg(ReceiptRecord::stateLabel(r.state));
        if (r.journalNumber)
            text += u", "_qs + tr("no. %1").arg(*r.journalNumber);
        if (!r.printer.isEmpty())
            text += u" · "_qs + r.printer;
        if (!r.error.isEmpty())
            text += u"\n"_qs + r.error;
        m_receipt->setText(text);
        const bool open = r.state == u"unknown" || r.state == u"sending";
        m_resolve->setVisible(open);
        m_issue->setEnabled(r.state == u"failed" || r.state == u"pending");
    }
    storage::ActionLedger ledger(m_store.sharedDatabase());
    auto latest = devices::labels::LabelService(m_store, ledger, userActor()).latest(m_orderId);
    if (!latest) {
        m_label->setText(latest.error().userMessage);
    } else if (!latest->has_value()) {
        m_label->setText(tr("No label yet."));
    } else {
        const devices::labels::StoredLabel &label = **latest;
        m_label->setText(tr("Label: %1 · tracking number %2").arg(label.carrierId, label.trackingNumber));
        m_print->setEnabled(true);
    }
}

bool OrderDevicesTab::issueReceipt()
{
    if (!m_orderId)
        return false;
    const QString address = devices::fiscal::configuredPrinter();
    if (address.isEmpty()) {
        showMessage(tr("No fiscal printer is set for this workstation (Settings → Printers)."), true);
        return false;
    }
    auto order = m_store.load(m_orderId);
    if (!order) {
        showMessage(order.error().userMessage, true);
        return false;
    }
    auto printer = devices::fiscal::openPrinter(address);
    if (!printer) {
        showMessage(printer.error().userMessage, true);
        return false;
    }
    auto issued = FiscalReceipts(m_store.sharedDatabase()).issueOnce(*order, **printer, owner());
    (*printer)->disconnect();
    refresh();
    if (!issued) {
        showMessage(issued.error().userMessage, true);
        return false;
    }
    showMessage(tr("Receipt %1.").arg(ReceiptRecord::stateLabel(issued->state)), false);
    return true;
}

bool OrderDevicesTab::resolveReceipt(bool printed, std::optional<qint64> number)
{
    auto resolved =
        FiscalReceipts(m_store.sharedDatabase()).resolve(FiscalReceipts::ledgerKey(m_orderId), printed, number);
    refresh();
    if (!resolved) {
        showMessage(resolved.error().userMessage, true);
        return false;
    }
    showMessage(printed ? tr("Recorded: the receipt was printed.")
                        : tr("Recorded: the receipt was not printed; it can be issued again."),
                false);
    return true;
}

bool OrderDevicesTab::createLabel(const QString &courier)
{
    if (!m_orderId)
        return false;
    auto order = m_store.load(m_orderId);
    if (!order) {
        showMessage(order.error().userMessage, true);
        return false;
    }
    const auto db = m_store.sharedDatabase();
    auto setup = devices::labels::makeCourier(courier, *order, db, devices::labels::ruleSecrets());
    if (!setup) {
        showMessage(setup.error().userMessage, true);
        return false;
    }
    storage::ActionLedger ledger(db);
    devices::labels::LabelService service(m_store, ledger, owner());
    auto made = service.generate(
        m_orderId, *setup->courier, devices::labels::Parcel{}, devices::labels::LabelDocument::Format::Pdf,
        devices::labels::LabelService::operatorKey(m_orderId, courier), {userActor(), tr("label"), 0});
    refresh();
    if (!made) {
        showMessage(made.error().userMessage, true);
        return false;
    }
    showMessage(made->alreadyDone
                    ? tr("The order has this courier's label already: %1.").arg(made->label.trackingNumber)
                    : tr("Label made: %1 %2.").arg(made->label.carrierId, made->label.trackingNumber),
                false);
    return true;
}

bool OrderDevicesTab::printLabel(const QString &reprintReason)
{
    m_needsReason = false;
    const auto printer = PrinterRouting::printer(PrinterRouting::Role::Label);
    if (!printer) {
        showMessage(tr("No label printer is set for this workstation (Settings → Printers)."), true);
        return false;
    }
    const auto db = m_store.sharedDatabase();
    storage::ActionLedger ledger(db);
    auto label = devices::labels::LabelService(m_store, ledger, userActor()).latest(m_orderId);
    if (!label || !label->has_value()) {
        showMessage(label ? tr("The order has no label to print yet.") : label.error().userMessage, true);
        return false;
    }
    PrintQueue queue(db, ledger, PrinterRouting::workstation());
    const PrintQueue::Request request = devices::printing::labelPrintRequest(**label, printer->toString(), userActor());
    Result<qint64> job = Error{};
    if (reprintReason.trimmed().isEmpty()) {
        job = queue.submit(request);
        if (!job && job.error().code == Error::Code::Conflict) {
            m_needsReason = true;
            showMessage(tr("This label was printed before; a reprint needs a reason."), true);
            return false;
        }
    } else {
        auto original = queue.originalOf(request.documentKey);
        if (!original || !original->has_value()) {
            showMessage(original ? tr("This label was never printed; print it first.") : original.error().userMessage,
                        true);
            return false;
        }
        job = queue.reprint(**original, reprintReason.trimmed(), userActor(), printer->toString());
    }
    if (!job) {
        showMessage(job.error().userMessage, true);
        return false;
    }
    auto state = queue.process(*job);
    if (!state) {
        showMessage(state.error().userMessage, true);
        return false;
    }
    showMessage(tr("Print job %1: %2.").arg(*job).arg(PrintQueue::stateName(*state)),
                *state == PrintQueue::State::Failed);
    return *state != PrintQueue::State::Failed;
}

QString OrderDevicesTab::receiptText() const
{
    return m_receipt->text();
}

QString OrderDevicesTab::labelText() const
{
    return m_label->text();
}

QString OrderDevicesTab::message() const
{
    return m_message->text();
}

void OrderDevicesTab::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #b00020;"_qs : QString());
}

} // namespace sd::ui
