#include "printersdialog.h"

#include "devices/fiscal/fiscalsettings.h"
#include "devices/fiscal/fiscaltransport.h"
#include "devices/printing/printqueue.h"
#include "devices/printing/printrequests.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

using devices::printing::PrinterRouting;

QString userActor()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? u"user"_qs : u"user:"_qs + user;
}

// The kinds a role offers, as (prefix, label); the prefix is what the address starts with.
QList<QPair<QString, QString>> kinds(PrintersDialog::Role role)
{
    QList<QPair<QString, QString>> out{{QString(), PrintersDialog::tr("None")}};
    if (role == PrintersDialog::Role::Fiscal) {
        out.append({u"tcp://"_qs, PrintersDialog::tr("Network (TCP host:port)")});
        out.append({u"serial:"_qs, PrintersDialog::tr("Serial or USB port")});
        return out;
    }
    out.append({u"cups:"_qs, PrintersDialog::tr("CUPS queue")});
    if (role == PrintersDialog::Role::Label)
        out.append({u"tcp://"_qs, PrintersDialog::tr("ZPL printer over TCP (host:port)")});
    out.append({u"pdf:"_qs, PrintersDialog::tr("PDF file")});
    return out;
}

} // namespace

PrintersDialog::PrintersDialog(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
{
    setWindowTitle(tr("Printers of this workstation (%1)").arg(PrinterRouting::workstation()));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Where this computer prints. Each workstation keeps its own choice; test pages go "
                                "through the print queue like every other print."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    const Role roles[] = {Role::Document, Role::Label, Role::Fiscal};
    const char *names[] = {"document", "label", "fiscal"};
    for (int i = 0; i < 3; ++i) {
        const Role role = roles[i];
        auto *group = new QGroupBox(PrinterRouting::roleName(role), this);
        auto *form = new QFormLayout(group);
        Row &r = row(role);
        r.kind = new QComboBox(group);
        r.kind->setObjectName(QString(QLatin1StringView(names[i]) + u"Kind"_qs));
        for (const auto &[prefix, label] : kinds(role))
            r.kind->addItem(label, prefix);
        r.target = new QLineEdit(group);
        r.target->setObjectName(QString(QLatin1StringView(names[i]) + u"Target"_qs));
        form->addRow(tr("&Connection:"), r.kind);
        form->addRow(tr("&Where:"), r.target);
        if (role == Role::Fiscal) {
            r.protocol = new QComboBox(group);
            r.protocol->setObjectName(u"fiscalProtocol"_qs);
            r.protocol->addItem(tr("Posnet (Thermal, Temo, Trio, Vero, Evo)"), u"posnet"_qs);
            r.protocol->addItem(tr("Novitus XML (Deon, Bono, HD II, POINT)"), u"novitus"_qs);
            form->addRow(tr("P&rotocol:"), r.protocol);
        }
        r.test = new QPushButton(role == Role::Fiscal ? tr("Check the printer") : tr("Print test page"), group);
        r.test->setObjectName(QString(QLatin1StringView(names[i]) + u"Test"_qs));
        form->addRow(QString(), r.test);
        connect(r.kind, &QComboBox::currentIndexChanged, this, [this, role] { updatePlaceholder(role); });
        connect(r.test, &QPushButton::clicked, this, [this, role] { printTestPage(role); });
        layout->addWidget(group);
        setAddress(role, role == Role::Fiscal ? devices::fiscal::configuredPrinter() : PrinterRouting::text(role));
    }
    m_message = new QLabel(this);
    m_message->setObjectName(u"message"_qs);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(620, sizeHint().height());
}

void PrintersDialog::updatePlaceholder(Role role)
{
    Row &r = row(role);
    const QString prefix = r.kind->currentData().toString();
    r.target->setEnabled(!prefix.isEmpty());
    r.test->setEnabled(!prefix.isEmpty());
    if (r.protocol)
        r.protocol->setEnabled(!prefix.isEmpty());
    if (prefix == u"cups:")
        r.target->setPlaceholderText(tr("queue name, e.g. Zebra_GK420d"));
    else if (prefix == u"tcp://")
        r.target->setPlaceholderText(role == Role::Fiscal ? tr("e.g. 192.168.1.50:6666")
                                                          : tr("e.g. 192.168.1.60:9100"));
    else if (prefix == u"pdf:")
        r.target->setPlaceholderText(tr("e.g. /home/anna/labels/label.pdf"));
    else if (prefix == u"serial:")
        r.target->setPlaceholderText(tr("e.g. /dev/ttyACM0"));
    else
        r.target->setPlaceholderText(QString());
}

QString PrintersDialog::address(Role role) const
{
    const Row &r = row(role);
    const QString prefix = r.kind->currentData().toString();
    const QString target = r.target->text().trimmed();
    if (prefix.isEmpty())
        return {};
    QString out = prefix + target;
    if (r.protocol && r.protocol->currentData().toString() == u"novitus")
        out += u"?protocol=novitus"_qs;
    return out;
}

void PrintersDialog::setAddress(Role role, const QString &address)
{
    Row &r = row(role);
    QString rest = address.trimmed();
    if (r.protocol) {
        const bool novitus = devices::fiscal::FiscalTransport::protocolOf(rest) == u"novitus";
        r.protocol->setCurrentIndex(novitus ? 1 : 0);
        rest.remove(u"?protocol=novitus"_qs).remove(u"&protocol=novitus"_qs).remove(u"?protocol=posnet"_qs);
    }
    int index = 0;
    for (int i = 1; i < r.kind->count(); ++i) {
        const QString prefix = r.kind->itemData(i).toString();
        if (rest.startsWith(prefix)) {
            index = i;
            rest = rest.mid(prefix.size());
            break;
        }
    }
    r.kind->setCurrentIndex(index);
    r.target->setText(index == 0 ? QString() : rest);
    updatePlaceholder(role);
}

QString PrintersDialog::check(Role role) const
{
    const QString text = address(role);
    if (text.isEmpty())
        return {};
    if (role == Role::Fiscal)
        return devices::fiscal::FiscalTransport::checkAddress(text);
    auto parsed = devices::printing::PrinterAddress::parse(text);
    return parsed ? QString() : parsed.error().userMessage;
}

bool PrintersDialog::save()
{
    for (const Role role : {Role::Document, Role::Label, Role::Fiscal}) {
        const QString problem = check(role);
        if (!problem.isEmpty()) {
            showMessage(PrinterRouting::roleName(role) + u": "_qs + problem, true);
            row(role).target->setFocus();
            return false;
        }
    }
    for (const Role role : {Role::Document, Role::Label}) {
        if (auto stored = PrinterRouting::setPrinter(role, address(role)); !stored) {
            showMessage(stored.error().userMessage, true);
            return false;
        }
    }
    devices::fiscal::setConfiguredPrinter(address(Role::Fiscal));
    showMessage(tr("Saved for this workstation."), false);
    return true;
}

void PrintersDialog::printTestPage(Role role)
{
    if (const QString problem = check(role); !problem.isEmpty()) {
        showMessage(problem, true);
        return;
    }
    if (role == Role::Fiscal) {
        auto printer = devices::fiscal::openPrinter(address(role));
        if (!printer) {
            showMessage(printer.error().userMessage, true);
            return;
        }
        auto status = (*printer)->status();
        auto vat = status ? (*printer)->vatTable() : Result<devices::fiscal::VatTable>(status.error());
        (*printer)->disconnect();
        if (!vat) {
            showMessage(vat.error().userMessage, true);
            return;
        }
        showMessage(tr("%1 VAT rates: %2.").arg(status->message, vat->describe()), !status->ok());
        return;
    }
    auto request = devices::printing::testPageRequest(address(role), role == Role::Document, userActor());
    if (!request) {
        showMessage(request.error().userMessage, true);
        return;
    }
    storage::ActionLedger ledger(m_db);
    devices::printing::PrintQueue queue(m_db, ledger, PrinterRouting::workstation());
    auto job = queue.submit(*request);
    if (!job) {
        showMessage(job.error().userMessage, true);
        return;
    }
    auto state = queue.process(*job);
    if (!state) {
        showMessage(state.error().userMessage, true);
        return;
    }
    const auto failed = devices::printing::PrintQueue::State::Failed;
    QString text = tr("Test page: print job %1, %2.").arg(*job).arg(devices::printing::PrintQueue::stateName(*state));
    if (*state == failed || *state == devices::printing::PrintQueue::State::Waiting)
        if (auto stored = queue.job(*job); stored && !stored->lastError.isEmpty())
            text += u' ' + stored->lastError;
    showMessage(text, *state == failed);
}

QString PrintersDialog::message() const
{
    return m_message->text();
}

void PrintersDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #b00020;"_qs : QString());
}

} // namespace sd::ui
