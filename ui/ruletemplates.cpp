#include "ruletemplates.h"

#include "ruletext.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

struct Source
{
    const char *key;
    const char *group;
    const char *title;
    const char *explanation;
    const char *json; // {TO_SHIP}, {SHIPPED}, {NEW}, {CANCELLED} stand for the profile's status names
};

// The examples of the seed documents. Raw strings stay outside class bodies (moc 6.4 misreads them).
const Source kSources[] = {
    {"paid-to-ship", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Payments"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Paid → \"To ship\""),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "When the payment of an order arrives, the order moves to the \"To ship\" tab."),
     R"({"name":"Paid → To ship","trigger":{"type":"payment.changed","params":{"to":"paid"}},
        "conditions":{"all":[]},"actions":[{"type":"setStatus","params":{"status":"{TO_SHIP}"}}]})"},
    {"cod-to-ship", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Payments"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Cash on delivery → same tab as paid"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "A new cash-on-delivery order goes straight to \"To ship\", beside the paid ones."),
     R"({"name":"Cash on delivery → To ship","trigger":{"type":"order.downloaded"},
        "conditions":{"all":[{"field":"paymentMethod","op":"eq","value":"CASH_ON_DELIVERY"}]},
        "actions":[{"type":"setStatus","params":{"status":"{TO_SHIP}"}}]})"},
    {"invoice-nip", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Documents"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Wants an invoice with NIP → invoice in series B"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "A paid order whose buyer wants an invoice and gave a NIP gets an invoice in series B, sent by "
                       "e-mail."),
     R"({"name":"Invoice with NIP → series B",
        "trigger":{"type":"payment.changed","params":{"to":"paid"}},
        "conditions":{"all":[{"field":"invoiceWanted","op":"isTrue"},{"field":"nipGiven","op":"isTrue"}]},
        "actions":[{"type":"issueInvoice","params":{"series":"B"},"stopOnFailure":true},
                   {"type":"sendEmail","params":{"template":"invoice"}}]})"},
    {"invoice-no-nip", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Documents"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Wants an invoice without NIP → status"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "An order that asks for an invoice but has no NIP waits in \"New\" with a tag, so someone "
                       "checks the data."),
     R"({"name":"Invoice without NIP → check","trigger":{"type":"order.downloaded"},
        "conditions":{"all":[{"field":"invoiceWanted","op":"isTrue"},{"field":"nipGiven","op":"isFalse"}]},
        "actions":[{"type":"setStatus","params":{"status":"{NEW}"}},{"type":"addTag","params":{"tag":"check NIP"}}]})"},
    {"receipt", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Documents"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "No invoice → fiscal receipt"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "A paid order without an invoice request gets a fiscal receipt."),
     R"({"name":"No invoice → receipt",
        "trigger":{"type":"payment.changed","params":{"to":"paid"}},
        "conditions":{"all":[{"field":"invoiceWanted","op":"isFalse"}]},"actions":[{"type":"issueReceipt"}]})"},
    {"cod-invoice-picked-up", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Documents"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Cash on delivery: invoice when the parcel is picked up"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "For cash-on-delivery orders the invoice is issued only when the buyer picks up the parcel."),
     R"({"name":"COD invoice when picked up",
        "trigger":{"type":"shipment.changed","params":{"to":"picked-up"}},
        "conditions":{"all":[{"field":"paymentMethod","op":"eq","value":"CASH_ON_DELIVERY"},
                             {"field":"invoiceWanted","op":"isTrue"}]},
        "actions":[{"type":"issueInvoice"}]})"},
    {"label-shipped", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Shipping"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Label generated → mark shipped"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "Once the shipping label exists, the marketplace learns the tracking number and the order "
                       "becomes \"Shipped\"."),
     R"({"name":"Label → shipped","trigger":{"type":"label.generated"},"conditions":{"all":[]},
        "actions":[{"type":"markShipped","stopOnFailure":true},{"type":"setStatus","params":{"status":"{SHIPPED}"}}]})"},
    {"unpaid-reminder", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Payments"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Unpaid for 3 days → reminder"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "Three days after an order that is still unpaid (and not cash on delivery), the buyer gets a "
                       "reminder e-mail."),
     R"({"name":"Unpaid 3 days → reminder",
        "trigger":{"type":"time.after","params":{"minutes":4320,"anchor":"order-date"}},
        "conditions":{"all":[{"field":"paymentStatus","op":"eq","value":"unpaid"},
                             {"field":"paymentMethod","op":"ne","value":"CASH_ON_DELIVERY"}]},
        "actions":[{"type":"sendEmail","params":{"template":"payment-reminder"}}]})"},
    {"unpaid-cancel", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Payments"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Unpaid for 7 days → claim, status, stock back"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "A week without payment: the commission refund is claimed, the order is cancelled and its "
                       "stock returns to the warehouse."),
     R"({"name":"Unpaid 7 days → cancel",
        "trigger":{"type":"time.after","params":{"minutes":10080,"anchor":"order-date"}},
        "conditions":{"all":[{"field":"paymentStatus","op":"eq","value":"unpaid"},
                             {"field":"paymentMethod","op":"ne","value":"CASH_ON_DELIVERY"}]},
        "actions":[{"type":"commissionClaim"},{"type":"setStatus","params":{"status":"{CANCELLED}"}},
                   {"type":"returnStock"}]})"},
    {"cancelled-refund", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "After-sales"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Cancelled → commission claim and refund"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "When the buyer cancels, the payment is refunded and the marketplace commission claimed back."),
     R"({"name":"Cancelled → refund and claim","trigger":{"type":"order.cancelled"},
        "conditions":{"all":[]},
        "actions":[{"type":"refundPayment","onFailure":[{"type":"notifyOperator","params":{"message":"Refund failed"}}]},
                   {"type":"commissionClaim"}]})"},
    {"review-request", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "After-sales"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Shipped + 10 days → ask for a review"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Ten days after shipping the buyer is asked for feedback."),
     R"({"name":"Ask for a review",
        "trigger":{"type":"time.inStatus","params":{"status":"{SHIPPED}","minutes":14400}},
        "conditions":{"all":[]},"actions":[{"type":"sendEmail","params":{"template":"review-request"}}]})"},
    {"foreign-vat", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Documents"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Foreign country → document with its VAT"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "An order delivered abroad gets an invoice in the OSS series, with the buyer country's VAT."),
     R"({"name":"Abroad → OSS invoice",
        "trigger":{"type":"payment.changed","params":{"to":"paid"}},
        "conditions":{"all":[{"field":"country","op":"ne","value":"PL"}]},
        "actions":[{"type":"issueInvoice","params":{"series":"OSS"}}]})"},
    {"channel-tag", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Team"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Channel → tag with the employee's name"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "Orders from one marketplace account get the tag of the person who handles that account."),
     R"({"name":"Allegro account → Anna","owner":"Anna","trigger":{"type":"order.downloaded"},
        "conditions":{"all":[{"field":"marketplace","op":"startsWith","value":"allegro"}]},
        "actions":[{"type":"addTag","params":{"tag":"Anna"}}]})"},
    {"call-url", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Integrations"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Paid → call a URL"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "When an order is paid, your own server is told at an address with the order's data."),
     R"({"name":"Paid → notify my server",
        "trigger":{"type":"payment.changed","params":{"to":"paid"}},"conditions":{"all":[]},
        "actions":[{"type":"callUrl","params":{"url":"https://example.com/hook?order={orderId}&status={paymentStatus}","method":"GET"}}]})"},
    {"autoresponder-outside", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Messages"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Autoresponder outside working hours, first message, after 15 min"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "A buyer who writes after hours gets one reply 15 minutes later saying when you will answer."),
     R"({"name":"After-hours reply","trigger":{"type":"message.received"},"conditions":{"all":[]},
        "actions":[{"type":"autoresponder","params":{"template":"after-hours","hours":"outside","messages":"first"},
                    "delayMinutes":15}]})"},
    {"autoresponder-working", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Messages"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Autoresponder in working hours, every message, after 60 min"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "During working hours every message not answered within an hour gets a short reply."),
     R"({"name":"Working-hours reply","trigger":{"type":"message.received"},
        "conditions":{"all":[]},
        "actions":[{"type":"autoresponder","params":{"template":"busy","hours":"working","messages":"every"},
                    "delayMinutes":60}]})"},
    {"unhandled", QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Team"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Unhandled for 24 hours → status and alert"),
     QT_TRANSLATE_NOOP("sd::ui::RuleTemplates",
                       "A paid order left in \"New\" for a day moves to \"To ship\" and the operator is told."),
     R"({"name":"Unhandled 24 h","trigger":{"type":"time.inStatus","params":{"status":"{NEW}","minutes":1440}},
        "conditions":{"any":[{"field":"paymentStatus","op":"eq","value":"paid"},
                             {"not":{"field":"paymentMethod","op":"ne","value":"CASH_ON_DELIVERY"}}]},
        "actions":[{"type":"setStatus","params":{"status":"{TO_SHIP}"}},
                   {"type":"notifyOperator","params":{"message":"Order {orderId} waited 24 h"}}]})"},
};

QString statusName(const char *name)
{
    return QCoreApplication::translate("sd::storage::Status", name);
}

// Texts inside the templates' actions (a tag, an operator's message): the rule gets them in the interface language.
const char *const kTexts[] = {
    QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "check NIP"),
    QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Refund failed"),
    QT_TRANSLATE_NOOP("sd::ui::RuleTemplates", "Order {orderId} waited 24 h"),
};

QJsonValue translateTexts(const QJsonValue &value)
{
    if (value.isString()) {
        for (const char *text : kTexts)
            if (value.toString() == QLatin1String(text))
                return QCoreApplication::translate("sd::ui::RuleTemplates", text);
        return value;
    }
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &v : value.toArray())
            array.append(translateTexts(v));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = translateTexts(it.value());
        return object;
    }
    return value;
}

} // namespace

QList<RuleTemplate> ruleTemplates()
{
    QList<RuleTemplate> list;
    for (const Source &s : kSources) {
        QString text = QString::fromUtf8(s.json);
        text.replace(u"{TO_SHIP}"_qs, statusName("To ship"))
            .replace(u"{SHIPPED}"_qs, statusName("Shipped"))
            .replace(u"{NEW}"_qs, statusName("New"))
            .replace(u"{CANCELLED}"_qs, statusName("Cancelled"));
        QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
        json.insert(u"actions"_qs, translateTexts(json.value(u"actions")));
        json.insert(u"format"_qs, QString::fromLatin1(automation::Rule::kFormat));
        json.insert(u"group"_qs, QCoreApplication::translate("sd::ui::RuleTemplates", s.group));
        json.insert(u"name"_qs, QCoreApplication::translate("sd::ui::RuleTemplates", s.title));
        json.insert(u"description"_qs, QCoreApplication::translate("sd::ui::RuleTemplates", s.explanation));
        list.append({QString::fromLatin1(s.key), QCoreApplication::translate("sd::ui::RuleTemplates", s.group),
                     QCoreApplication::translate("sd::ui::RuleTemplates", s.title),
                     QCoreApplication::translate("sd::ui::RuleTemplates", s.explanation), json});
    }
    return list;
}

RuleTemplatesDialog::RuleTemplatesDialog(QWidget *parent)
    : QDialog(parent)
    , m_templates(ruleTemplates())
{
    setWindowTitle(tr("Rule templates"));
    resize(900, 560);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Ready-made rules from everyday selling. Pick one, read what it does, and open it in "
                                "the editor to adjust it before saving. Actions marked \"not configured\" start "
                                "working when their feature is set up."),
                             this);
    intro->setWordWrap(true);
    m_list = new QListWidget(this);
    for (const RuleTemplate &t : m_templates)
        m_list->addItem(t.title);
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_explanation->setStyleSheet(u"QLabel { font-weight: bold; padding: 4px 0; }"_qs);
    m_preview = new QTextBrowser(this);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_explanation);
    rightLayout->addWidget(m_preview, 1);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_list);
    splitter->addWidget(right);
    splitter->setSizes({380, 520});
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *open = buttons->addButton(tr("&Open in the editor"), QDialogButtonBox::AcceptRole);
    open->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, &RuleTemplatesDialog::showCurrent);
    connect(m_list, &QListWidget::itemActivated, this, &QDialog::accept);
    layout->addWidget(intro);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    m_list->setCurrentRow(0);
    m_list->setFocus();
}

RuleTemplate RuleTemplatesDialog::current() const
{
    return m_templates.value(qMax(0, m_list->currentRow()));
}

void RuleTemplatesDialog::showCurrent()
{
    const RuleTemplate t = current();
    m_explanation->setText(tr("%1 · %2").arg(t.group, t.explanation));
    auto rule = automation::Rule::fromJson(t.json);
    m_preview->setPlainText(rule ? ruletext::describe(*rule).join(u'\n') : rule.error().userMessage);
}

} // namespace sd::ui
