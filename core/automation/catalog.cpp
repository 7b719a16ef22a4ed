#include "automation/catalog.h"

#include "domain/order.h"
#include "service/servicecase.h"

#include <QCoreApplication>
#include <QJsonArray>

Q_LOGGING_CATEGORY(lcAutomation, "sd.automation")

namespace sd::automation {

namespace {

const QStringList kPaymentStatuses = {u"unpaid"_qs, u"paid"_qs, u"partially-paid"_qs, u"overpaid"_qs, u"refunded"_qs};
const QStringList kPaymentMethods = domain::paymentMethodKeys() + QStringList{u""_qs};
const QStringList kAnchors = {u"order-date"_qs, u"payment"_qs, u"status-change"_qs, u"shipment"_qs};

ParamDef minutes(const char *key, const char *label)
{
    return {key, label, ParamType::Minutes, true, QJsonValue(60), {}, 1, 525600};
}

QJsonObject paramSchema(const ParamDef &p)
{
    switch (p.type) {
    case ParamType::Number:
    case ParamType::Minutes:
    case ParamType::RuleId: {
        QJsonObject s{{u"type"_qs, u"integer"_qs}, {u"minimum"_qs, p.min}};
        if (p.max > 0)
            s.insert(u"maximum"_qs, p.max);
        return s;
    }
    case ParamType::Bool:
        return {{u"type"_qs, u"boolean"_qs}};
    case ParamType::Choice:
        return {{u"enum"_qs, QJsonArray::fromStringList(p.choices)}};
    case ParamType::Text:
    case ParamType::Status:
    case ParamType::Tag:
    case ParamType::Url:
        return {{u"type"_qs, u"string"_qs}};
    }
    return {};
}

QJsonObject paramsSchema(const QList<ParamDef> &params)
{
    QJsonObject properties;
    QJsonArray required;
    for (const ParamDef &p : params) {
        properties.insert(QString::fromLatin1(p.key), paramSchema(p));
        if (p.required && (p.defaultValue.isUndefined() || p.defaultValue.isNull()))
            required.append(QString::fromLatin1(p.key));
    }
    QJsonObject schema{{u"type"_qs, u"object"_qs}, {u"properties"_qs, properties}, {u"additionalProperties"_qs, false}};
    if (!required.isEmpty())
        schema.insert(u"required"_qs, required);
    return schema;
}

} // namespace

Catalog::Catalog()
{
    using T = FieldType;
    m_fields = {
        {FieldId::Marketplace,
         "marketplace",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Sales channel"),
         T::Text,
         false,
         {}},
        {FieldId::Account,
         "account",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Marketplace account"),
         T::Text,
         false,
         {}},
        {FieldId::Status, "status", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Order status"), T::Text, false, {}},
        {FieldId::MarketplaceStatus,
         "marketplaceStatus",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Marketplace status"),
         T::Text,
         false,
         {}},
        {FieldId::FulfillmentStatus,
         "fulfillmentStatus",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Shipment status"),
         T::Text,
         false,
         {}},
        {FieldId::PaymentStatus, "paymentStatus", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Payment status"),
         T::Enum, false, kPaymentStatuses},
        {FieldId::PaymentMethod, "paymentMethod", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Payment method"),
         T::Enum, false, kPaymentMethods},
        {FieldId::InvoiceWanted,
         "invoiceWanted",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Wants an invoice"),
         T::Bool,
         false,
         {}},
        {FieldId::NipGiven, "nipGiven", QT_TRANSLATE_NOOP("sd::automation::Catalog", "NIP given"), T::Bool, false, {}},
        {FieldId::Country,
         "country",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Delivery country"),
         T::Text,
         false,
         {}},
        {FieldId::Currency, "currency", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Currency"), T::Text, false, {}},
        {FieldId::BuyerComment,
         "buyerComment",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Buyer's comment"),
         T::Text,
         false,
         {}},
        {FieldId::BuyerLogin,
         "buyerLogin",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Buyer's login"),
         T::Text,
         false,
         {}},
        {FieldId::BuyerEmail,
         "buyerEmail",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Buyer's e-mail"),
         T::Text,
         false,
         {}},
        {FieldId::LineCount,
         "lineCount",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Number of line items"),
         T::Number,
         false,
         {}},
        {FieldId::Quantity,
         "quantity",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Number of pieces"),
         T::Number,
         false,
         {}},
        {FieldId::Total, "total", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Order total"), T::Money, false, {}},
        {FieldId::DeliveryMethod,
         "deliveryMethod",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Delivery method"),
         T::Text,
         false,
         {}},
        {FieldId::Tags, "tags", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Tags"), T::Tags, false, {}},
        {FieldId::DaysSinceOrder,
         "daysSinceOrder",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Days since the order"),
         T::Number,
         false,
         {}},
        {FieldId::HoursSincePayment,
         "hoursSincePayment",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Hours since payment"),
         T::Number,
         false,
         {}},
        {FieldId::DaysSinceStatusChange,
         "daysSinceStatusChange",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Days since the last status change"),
         T::Number,
         false,
         {}},
        {FieldId::HoursSinceStatusChange,
         "hoursSinceStatusChange",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Hours since the last status change"),
         T::Number,
         false,
         {}},
        {FieldId::DaysSinceShipment,
         "daysSinceShipment",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Days since shipment"),
         T::Number,
         false,
         {}},
        {FieldId::HoursSinceShipment,
         "hoursSinceShipment",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Hours since shipment"),
         T::Number,
         false,
         {}},
        {FieldId::ItemSku, "item.sku", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Line: SKU"), T::Text, true, {}},
        {FieldId::ItemEan, "item.ean", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Line: EAN"), T::Text, true, {}},
        {FieldId::ItemOfferId,
         "item.offerId",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Line: offer"),
         T::Text,
         true,
         {}},
        {FieldId::ItemName,
         "item.name",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Line: product name"),
         T::Text,
         true,
         {}},
        {FieldId::ItemQuantity,
         "item.quantity",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Line: quantity"),
         T::Number,
         true,
         {}},
        {FieldId::ItemUnitPrice,
         "item.unitPrice",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Line: unit price"),
         T::Money,
         true,
         {}},
        // On hand over all warehouses (-1: the line's SKU is no product); see automation/stocklevels.h.
        {FieldId::ItemStock,
         "item.stock",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Line: stock of the product"),
         T::Number,
         true,
         {}},
    };

    for (FieldDef &f : m_fields) {
        if (f.id == FieldId::Status)
            f.picker = Picker::Status;
        else if (f.id == FieldId::Tags)
            f.picker = Picker::Tag;
        else if (f.id == FieldId::Country)
            f.picker = Picker::Country;
        else if (f.id == FieldId::Currency)
            f.picker = Picker::Currency;
    }

    const QList<T> text = {T::Text, T::Enum};
    const QList<T> numbers = {T::Number, T::Money};
    m_operators = {
        {Op::Eq,
         "eq",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "is"),
         Arity::One,
         {T::Text, T::Enum, T::Number, T::Money}},
        {Op::Ne,
         "ne",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "is not"),
         Arity::One,
         {T::Text, T::Enum, T::Number, T::Money}},
        {Op::In, "in", QT_TRANSLATE_NOOP("sd::automation::Catalog", "is one of"), Arity::List, text},
        {Op::NotIn, "notIn", QT_TRANSLATE_NOOP("sd::automation::Catalog", "is none of"), Arity::List, text},
        {Op::Contains, "contains", QT_TRANSLATE_NOOP("sd::automation::Catalog", "contains"), Arity::One, {T::Text}},
        {Op::NotContains,
         "notContains",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "does not contain"),
         Arity::One,
         {T::Text}},
        {Op::StartsWith,
         "startsWith",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "starts with"),
         Arity::One,
         {T::Text}},
        {Op::Matches,
         "matches",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "matches the pattern"),
         Arity::One,
         {T::Text}},
        {Op::IsEmpty,
         "isEmpty",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "is empty"),
         Arity::None,
         {T::Text, T::Tags}},
        {Op::NotEmpty,
         "notEmpty",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "is not empty"),
         Arity::None,
         {T::Text, T::Tags}},
        {Op::Lt, "lt", QT_TRANSLATE_NOOP("sd::automation::Catalog", "is less than"), Arity::One, numbers},
        {Op::Le, "le", QT_TRANSLATE_NOOP("sd::automation::Catalog", "is at most"), Arity::One, numbers},
        {Op::Gt, "gt", QT_TRANSLATE_NOOP("sd::automation::Catalog", "is more than"), Arity::One, numbers},
        {Op::Ge, "ge", QT_TRANSLATE_NOOP("sd::automation::Catalog", "is at least"), Arity::One, numbers},
        {Op::Between, "between", QT_TRANSLATE_NOOP("sd::automation::Catalog", "is between"), Arity::Range, numbers},
        {Op::IsTrue, "isTrue", QT_TRANSLATE_NOOP("sd::automation::Catalog", "yes"), Arity::None, {T::Bool}},
        {Op::IsFalse, "isFalse", QT_TRANSLATE_NOOP("sd::automation::Catalog", "no"), Arity::None, {T::Bool}},
        {Op::Has, "has", QT_TRANSLATE_NOOP("sd::automation::Catalog", "has"), Arity::One, {T::Tags}},
        {Op::HasNot, "hasNot", QT_TRANSLATE_NOOP("sd::automation::Catalog", "does not have"), Arity::One, {T::Tags}},
        {Op::HasAny, "hasAny", QT_TRANSLATE_NOOP("sd::automation::Catalog", "has any of"), Arity::List, {T::Tags}},
        {Op::HasAll, "hasAll", QT_TRANSLATE_NOOP("sd::automation::Catalog", "has all of"), Arity::List, {T::Tags}},
    };

    const ParamDef optionalStatusFrom{
        "from", QT_TRANSLATE_NOOP("sd::automation::Catalog", "From status"), ParamType::Status, false, {}, {}};
    const ParamDef optionalStatusTo{
        "to", QT_TRANSLATE_NOOP("sd::automation::Catalog", "To status"), ParamType::Status, false, {}, {}};
    m_triggers = {
        {"order.downloaded",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Order downloaded"),
         {},
         {u"order.created"_qs}},
        {"status.changed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Status changed"),
         {optionalStatusFrom, optionalStatusTo},
         {u"order.status_changed"_qs}},
        {"payment.changed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Payment status changed"),
         {{"to",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "New payment status"),
           ParamType::Choice,
           false,
           {},
           kPaymentStatuses}},
         {u"order.payment_changed"_qs}},
        {"order.cancelled",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Cancelled by the buyer"),
         {},
         {u"order.cancelled"_qs}},
        {"delivery.changed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Delivery form changed"),
         {},
         {u"order.delivery_changed"_qs}},
        {"rule.failed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "A rule's action failed for good"),
         {},
         {u"rule.failed"_qs}},
        {"manual",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Run by hand (button or scanned barcode)"),
         {},
         {u"rule.manual"_qs}},
        {"time.after",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Time after an event"),
         {minutes("minutes", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Time after")),
          {"anchor", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Counted from"), ParamType::Choice, true,
           QJsonValue(u"order-date"_qs), kAnchors}},
         {u"order.created"_qs, u"order.payment_changed"_qs, u"order.status_changed"_qs, u"order.shipped"_qs},
         true},
        {"time.inStatus",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "In a status for a time"),
         {{"status", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Status"), ParamType::Status, true, {}, {}},
          minutes("minutes", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Time in the status"))},
         {u"order.status_changed"_qs, u"order.created"_qs},
         true},
        {"document.issued",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Document issued"),
         {},
         {u"document.issued"_qs},
         false,
         false},
        {"document.failed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Document failed"),
         {},
         {u"document.failed"_qs},
         false,
         false},
        {"ksef.accepted",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "KSeF accepted the invoice"),
         {},
         {u"ksef.accepted"_qs},
         false,
         false},
        {"ksef.rejected",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "KSeF rejected the invoice"),
         {},
         {u"ksef.rejected"_qs},
         false,
         false},
        {"document.offline",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Invoice issued offline (KSeF unreachable)"),
         {},
         {u"document.offline"_qs},
         false,
         false},
        {"label.generated",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Label generated"),
         {},
         {u"label.generated"_qs},
         false,
         false},
        {"shipment.changed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Shipment status changed"),
         {{"to", QT_TRANSLATE_NOOP("sd::automation::Catalog", "New shipment status"), ParamType::Text, false, {}, {}}},
         {u"shipment.changed"_qs},
         false,
         false},
        {"message.received",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Buyer message received"),
         {{"type",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "Message type"),
           ParamType::Choice,
           false,
           {},
           {u"messageCenter"_qs, u"discussion"_qs}},
          {"account",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "Marketplace account (empty: any)"),
           ParamType::Text,
           false,
           {},
           {}}},
         {u"message.received"_qs},
         false,
         true},
        {"order.packed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Order packed"),
         {},
         {u"order.packed"_qs},
         false,
         false},
        {"stock.changed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Stock changed"),
         {},
         {u"stock.changed"_qs},
         false,
         false},
        {"return.registered",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Return registered"),
         {},
         {u"return.registered"_qs},
         false,
         true},
        {"return.changed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Return state changed"),
         {{"to",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "New return state"),
           ParamType::Choice,
           false,
           {},
           {u"received"_qs, u"inspected"_qs, u"refunded"_qs, u"replaced"_qs, u"repaired"_qs, u"rejected"_qs}}},
         {u"return.changed"_qs},
         false,
         true},
        {"service.changed",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Service case changed (warranty repair)"),
         {{"to",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "New service state"),
           ParamType::Choice,
           false,
           {},
           service::stateKeys()}},
         {QString::fromLatin1(service::EventType::kRegistered), QString::fromLatin1(service::EventType::kStateChanged)},
         false,
         true},
    };

    const ParamDef tag{"tag", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Tag"), ParamType::Tag, true, {}, {}};
    const QList<ParamDef> labelParams{{"courier",
                                       QT_TRANSLATE_NOOP("sd::automation::Catalog", "Courier"),
                                       ParamType::Choice,
                                       false,
                                       QJsonValue(u"allegro"_qs),
                                       {u"allegro"_qs, u"inpost"_qs}},
                                      {"format",
                                       QT_TRANSLATE_NOOP("sd::automation::Catalog", "Label format"),
                                       ParamType::Choice,
                                       false,
                                       QJsonValue(u"PDF"_qs),
                                       {u"PDF"_qs, u"ZPL"_qs}}};
    m_actions = {
        {"setStatus",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Set status"),
         {{"status", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Status"), ParamType::Status, true, {}, {}},
          {"informCustomer",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "Inform the customer"),
           ParamType::Bool,
           false,
           QJsonValue(false),
           {}}},
         true,
         true},
        {"addTag", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Add tag"), {tag}, true, true},
        {"removeTag", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Remove tag"), {tag}, true, true},
        {"callUrl",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Call a URL"),
         {{"url",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "Address (with placeholders)"),
           ParamType::Url,
           true,
           {},
           {}},
          {"method",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "Method"),
           ParamType::Choice,
           false,
           QJsonValue(u"GET"_qs),
           {u"GET"_qs, u"POST"_qs}},
          {"timeoutSeconds",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "Timeout (seconds)"),
           ParamType::Number,
           false,
           QJsonValue(10),
           {},
           1,
           120}}},
        {"runRule",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Run another rule"),
         {{"rule", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Rule"), ParamType::RuleId, true, {}, {}, 1, 0}}},
        {"notifyOperator",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Notify the operator"),
         {{"message", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Message"), ParamType::Text, true, {}, {}}}},
        {"issueInvoice",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Issue an invoice"),
         {{"series", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Numbering series"), ParamType::Text, false, {}, {}}},
         true},
        {"issueReceipt", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Print a fiscal receipt"), {}},
        {"issueCorrection", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Issue a correction"), {}, true},
        {"completionDocuments",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Generate the transport slip and warranty card"),
         {},
         true},
        {"sendEmail",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Send an e-mail"),
         {{"template", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Template"), ParamType::Text, true, {}, {}}},
         true},
        {"sendSms",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Send an SMS"),
         {{"template", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Template"), ParamType::Text, true, {}, {}}},
         true},
        {"generateLabel", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Generate a shipping label"), labelParams},
        {"printLabel", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Print the shipping label"), {}},
        {"printDocument",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Print the invoice on the document printer"),
         {}},
        {"shipWithLabel",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Generate a label, mark shipped and upload tracking"),
         labelParams},
        {"markShipped", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Mark shipped and upload tracking"), {}},
        {"refundPayment", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Refund the payment"), {}},
        {"commissionClaim", QT_TRANSLATE_NOOP("sd::automation::Catalog", "File a commission refund claim"), {}},
        {"returnStock",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Return stock to the warehouse"),
         {{"warehouse",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "Warehouse code (empty: the default)"),
           ParamType::Text,
           false,
           {},
           {}}}},
        {"autoresponder",
         QT_TRANSLATE_NOOP("sd::automation::Catalog", "Reply to the buyer's message"),
         {{"template", QT_TRANSLATE_NOOP("sd::automation::Catalog", "Template"), ParamType::Text, true, {}, {}},
          {"hours",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "When"),
           ParamType::Choice,
           false,
           QJsonValue(u"always"_qs),
           {u"always"_qs, u"working"_qs, u"outside"_qs}},
          {"messages",
           QT_TRANSLATE_NOOP("sd::automation::Catalog", "Which messages"),
           ParamType::Choice,
           false,
           QJsonValue(u"every"_qs),
           {u"every"_qs, u"first"_qs}}}},
    };
}

const Catalog &Catalog::instance()
{
    static const Catalog catalog;
    return catalog;
}

const FieldDef *Catalog::field(QStringView key) const
{
    for (const FieldDef &f : m_fields)
        if (QLatin1StringView(f.key) == key)
            return &f;
    return nullptr;
}

const FieldDef &Catalog::field(FieldId id) const
{
    return m_fields.at(int(id));
}

const OperatorDef *Catalog::op(QStringView key) const
{
    for (const OperatorDef &o : m_operators)
        if (QLatin1StringView(o.key) == key)
            return &o;
    return nullptr;
}

const OperatorDef &Catalog::op(Op op) const
{
    return m_operators.at(int(op));
}

const TriggerDef *Catalog::trigger(QStringView key) const
{
    for (const TriggerDef &t : m_triggers)
        if (QLatin1StringView(t.key) == key)
            return &t;
    return nullptr;
}

const ActionDef *Catalog::action(QStringView key) const
{
    for (const ActionDef &a : m_actions)
        if (QLatin1StringView(a.key) == key)
            return &a;
    return nullptr;
}

bool Catalog::allows(FieldType type, Op o) const
{
    return op(o).types.contains(type);
}

QString Catalog::label(const char *source)
{
    return QCoreApplication::translate("sd::automation::Catalog", source);
}

QStringList Catalog::placeholders()
{
    return {u"{orderId}"_qs,     u"{orderIdExternal}"_qs, u"{orderDate}"_qs,    u"{salesChannel}"_qs,
            u"{orderStatus}"_qs, u"{paymentStatus}"_qs,   u"{paymentMethod}"_qs};
}

QString Catalog::typeName(FieldType type)
{
    switch (type) {
    case FieldType::Text:
        return QCoreApplication::translate("sd::automation::Catalog", "text");
    case FieldType::Enum:
        return QCoreApplication::translate("sd::automation::Catalog", "choice");
    case FieldType::Number:
        return QCoreApplication::translate("sd::automation::Catalog", "number");
    case FieldType::Money:
        return QCoreApplication::translate("sd::automation::Catalog", "amount");
    case FieldType::Bool:
        return QCoreApplication::translate("sd::automation::Catalog", "yes/no");
    case FieldType::Tags:
        return QCoreApplication::translate("sd::automation::Catalog", "tags");
    }
    return {};
}

QJsonObject Catalog::jsonSchema() const
{
    auto keys = [](const auto &list) {
        QJsonArray array;
        for (const auto &entry : list)
            array.append(QString::fromLatin1(entry.key));
        return array;
    };
    QJsonArray orderFields;
    QJsonArray itemFields;
    for (const FieldDef &f : m_fields)
        (f.lineItem ? itemFields : orderFields).append(QString::fromLatin1(f.key));

    QJsonArray triggerVariants;
    for (const TriggerDef &t : m_triggers)
        triggerVariants.append(QJsonObject{
            {u"type"_qs, u"object"_qs},
            {u"properties"_qs, QJsonObject{{u"type"_qs, QJsonObject{{u"const"_qs, QString::fromLatin1(t.key)}}},
                                           {u"params"_qs, paramsSchema(t.params)}}},
            {u"required"_qs, QJsonArray{u"type"_qs}},
            {u"additionalProperties"_qs, false}});
    QJsonArray actionVariants;
    for (const ActionDef &a : m_actions)
        actionVariants.append(
            QJsonObject{{u"type"_qs, u"object"_qs},
                        {u"properties"_qs,
                         QJsonObject{{u"type"_qs, QJsonObject{{u"const"_qs, QString::fromLatin1(a.key)}}},
                                     {u"params"_qs, paramsSchema(a.params)},
                                     {u"delayMinutes"_qs, QJsonObject{{u"type"_qs, u"integer"_qs}, {u"minimum"_qs, 0}}},
                                     {u"stopOnFailure"_qs, QJsonObject{{u"type"_qs, u"boolean"_qs}}},
                                     {u"onFailure"_qs,
                                      QJsonObject{{u"type"_qs, u"array"_qs},
                                                  {u"items"_qs, QJsonObject{{u"$ref"_qs, u"#/$defs/action"_qs}}}}}}},
                        {u"required"_qs, QJsonArray{u"type"_qs}},
                        {u"additionalProperties"_qs, false}});

    const QJsonValue anyValue = QJsonObject{{u"type"_qs, QJsonArray{u"string"_qs, u"number"_qs, u"boolean"_qs}}};
    QJsonObject condition{
        {u"oneOf"_qs,
         QJsonArray{
             QJsonObject{{u"type"_qs, u"object"_qs},
                         {u"properties"_qs,
                          QJsonObject{{u"all"_qs, QJsonObject{{u"type"_qs, u"array"_qs},
                                                              {u"items"_qs,
                                                               QJsonObject{{u"$ref"_qs, u"#/$defs/condition"_qs}}}}}}},
                         {u"required"_qs, QJsonArray{u"all"_qs}},
                         {u"additionalProperties"_qs, false}},
             QJsonObject{{u"type"_qs, u"object"_qs},
                         {u"properties"_qs,
                          QJsonObject{{u"any"_qs, QJsonObject{{u"type"_qs, u"array"_qs},
                                                              {u"items"_qs,
                                                               QJsonObject{{u"$ref"_qs, u"#/$defs/condition"_qs}}}}}}},
                         {u"required"_qs, QJsonArray{u"any"_qs}},
                         {u"additionalProperties"_qs, false}},
             QJsonObject{
                 {u"type"_qs, u"object"_qs},
                 {u"properties"_qs, QJsonObject{{u"not"_qs, QJsonObject{{u"$ref"_qs, u"#/$defs/condition"_qs}}}}},
                 {u"required"_qs, QJsonArray{u"not"_qs}},
                 {u"additionalProperties"_qs, false}},
             QJsonObject{
                 {u"type"_qs, u"object"_qs},
                 {u"properties"_qs,
                  QJsonObject{{u"items"_qs, QJsonObject{{u"enum"_qs, QJsonArray{u"any"_qs, u"all"_qs, u"none"_qs}}}},
                              {u"where"_qs, QJsonObject{{u"$ref"_qs, u"#/$defs/condition"_qs}}}}},
                 {u"required"_qs, QJsonArray{u"items"_qs, u"where"_qs}},
                 {u"additionalProperties"_qs, false}},
             QJsonObject{{u"type"_qs, u"object"_qs},
                         {u"properties"_qs,
                          QJsonObject{{u"field"_qs, QJsonObject{{u"enum"_qs, orderFields + itemFields}}},
                                      {u"op"_qs, QJsonObject{{u"enum"_qs, keys(m_operators)}}},
                                      {u"value"_qs, anyValue},
                                      {u"values"_qs, QJsonObject{{u"type"_qs, u"array"_qs}, {u"items"_qs, anyValue}}}}},
                         {u"required"_qs, QJsonArray{u"field"_qs, u"op"_qs}},
                         {u"additionalProperties"_qs, false}},
         }}};

    const QJsonObject stringList{{u"type"_qs, u"array"_qs}, {u"items"_qs, QJsonObject{{u"type"_qs, u"string"_qs}}}};
    return QJsonObject{
        {u"$schema"_qs, u"https://json-schema.org/draft/2020-12/schema"_qs},
        {u"$id"_qs, u"https://sellerdesk.example/schema/rule-1.json"_qs},
        {u"title"_qs, u"SellerDesk automation rule"_qs},
        {u"type"_qs, u"object"_qs},
        {u"required"_qs, QJsonArray{u"format"_qs, u"name"_qs, u"trigger"_qs, u"actions"_qs}},
        {u"additionalProperties"_qs, false},
        {u"properties"_qs,
         QJsonObject{
             {u"format"_qs, QJsonObject{{u"const"_qs, u"sellerdesk.rule/1"_qs}}},
             {u"id"_qs, QJsonObject{{u"type"_qs, u"integer"_qs}}},
             {u"version"_qs, QJsonObject{{u"type"_qs, u"integer"_qs}}},
             {u"name"_qs, QJsonObject{{u"type"_qs, u"string"_qs}, {u"minLength"_qs, 1}}},
             {u"group"_qs, QJsonObject{{u"type"_qs, u"string"_qs}}},
             {u"description"_qs, QJsonObject{{u"type"_qs, u"string"_qs}}},
             {u"owner"_qs, QJsonObject{{u"type"_qs, u"string"_qs}}},
             {u"enabled"_qs, QJsonObject{{u"type"_qs, u"boolean"_qs}}},
             {u"limitPerOrder"_qs, QJsonObject{{u"type"_qs, u"integer"_qs}, {u"minimum"_qs, 0}}},
             {u"scope"_qs,
              QJsonObject{{u"type"_qs, u"object"_qs},
                          {u"properties"_qs, QJsonObject{{u"accounts"_qs, stringList}, {u"couriers"_qs, stringList}}},
                          {u"additionalProperties"_qs, false}}},
             {u"trigger"_qs, QJsonObject{{u"oneOf"_qs, triggerVariants}}},
             {u"conditions"_qs, QJsonObject{{u"$ref"_qs, u"#/$defs/condition"_qs}}},
             {u"actions"_qs, QJsonObject{{u"type"_qs, u"array"_qs},
                                         {u"minItems"_qs, 1},
                                         {u"items"_qs, QJsonObject{{u"$ref"_qs, u"#/$defs/action"_qs}}}}},
         }},
        {u"$defs"_qs,
         QJsonObject{{u"condition"_qs, condition}, {u"action"_qs, QJsonObject{{u"oneOf"_qs, actionVariants}}}}},
    };
}

namespace {

QString paramTypeName(ParamType type)
{
    switch (type) {
    case ParamType::Text:
        return u"text"_qs;
    case ParamType::Number:
        return u"number"_qs;
    case ParamType::Bool:
        return u"yes/no"_qs;
    case ParamType::Choice:
        return u"choice"_qs;
    case ParamType::Status:
        return u"status"_qs;
    case ParamType::Tag:
        return u"tag"_qs;
    case ParamType::Url:
        return u"URL"_qs;
    case ParamType::RuleId:
        return u"rule number"_qs;
    case ParamType::Minutes:
        return u"minutes"_qs;
    }
    return {};
}

QString fieldTypeKey(FieldType type)
{
    switch (type) {
    case FieldType::Text:
        return u"text"_qs;
    case FieldType::Enum:
        return u"choice"_qs;
    case FieldType::Number:
        return u"number"_qs;
    case FieldType::Money:
        return u"money"_qs;
    case FieldType::Bool:
        return u"yes/no"_qs;
    case FieldType::Tags:
        return u"tags"_qs;
    }
    return {};
}

QString params(const QList<ParamDef> &list)
{
    if (list.isEmpty())
        return u"—"_qs;
    QStringList parts;
    for (const ParamDef &p : list) {
        QString text = u"`%1` (%2%3"_qs.arg(QLatin1StringView(p.key), paramTypeName(p.type),
                                            p.required ? u", required"_qs : QString());
        if (!p.choices.isEmpty())
            text += u": "_qs + p.choices.join(u", ");
        if (!p.defaultValue.isUndefined() && !p.defaultValue.isNull())
            text += u"; default "_qs + p.defaultValue.toVariant().toString();
        parts.append(text + u") "_qs + QLatin1StringView(p.label));
    }
    return parts.join(u"<br>");
}

} // namespace

QString Catalog::referenceMarkdown() const
{
    QString md = u"# Rule reference\n\n"
                 "Generated from the automation catalog (`core/automation/catalog.cpp`) by "
                 "`sellerdesk-cli rules reference > docs/rules.md`; a test keeps this file equal to the output. "
                 "A rule is JSON with `\"format\": \"sellerdesk.rule/1\"`: one trigger, a condition tree "
                 "(`all` / `any` / `not`, `items` with `any` / `all` / `none` over line items) and ordered actions "
                 "(`delayMinutes`, `stopOnFailure`, `onFailure`).\n\n"_qs;
    md += u"## Triggers\n\n| key | trigger | parameters | fired by | available |\n|---|---|---|---|---|\n"_qs;
    for (const TriggerDef &t : m_triggers)
        md += u"| `%1` | %2 | %3 | %4 | %5 |\n"_qs.arg(
            QLatin1StringView(t.key), QLatin1StringView(t.label), params(t.params),
            (t.timed ? u"timer set by "_qs : QString()) + t.eventTypes.join(u", "),
            t.available ? u"yes"_qs : u"not yet"_qs);
    md += u"\n## Condition fields\n\n| key | field | type | on a line item | values |\n|---|---|---|---|---|\n"_qs;
    for (const FieldDef &f : m_fields)
        md += u"| `%1` | %2 | %3 | %4 | %5 |\n"_qs.arg(QLatin1StringView(f.key), QLatin1StringView(f.label),
                                                       fieldTypeKey(f.type), f.lineItem ? u"yes"_qs : u"no"_qs,
                                                       f.choices.isEmpty() ? u"—"_qs : f.choices.join(u", "));
    md += u"\n## Operators\n\n| key | operator | operands | field types |\n|---|---|---|---|\n"_qs;
    for (const OperatorDef &o : m_operators) {
        QStringList types;
        for (FieldType t : o.types)
            types.append(fieldTypeKey(t));
        const QString arity = o.arity == Arity::None   ? u"none"_qs
                              : o.arity == Arity::One  ? u"one value"_qs
                              : o.arity == Arity::List ? u"a list"_qs
                                                       : u"two (a range)"_qs;
        md += u"| `%1` | %2 | %3 | %4 |\n"_qs.arg(QLatin1StringView(o.key), QLatin1StringView(o.label), arity,
                                                  types.join(u", "));
    }
    md += u"\n## Actions\n\n| key | action | parameters | configured |\n|---|---|---|---|\n"_qs;
    for (const ActionDef &a : m_actions)
        md +=
            u"| `%1` | %2 | %3 | %4 |\n"_qs.arg(QLatin1StringView(a.key), QLatin1StringView(a.label), params(a.params),
                                                a.configured ? u"yes"_qs : u"not yet (says so in traces)"_qs);
    md += u"\nA call-URL action sends its idempotency key in an `Idempotency-Key` header. A call cut by a crash "
          "after it reached the receiver but before SellerDesk recorded it is made again after the restart with the "
          "same key: at least once, so a receiver that remembers the keys it has seen acts exactly once.\n"_qs;
    return md;
}

} // namespace sd::automation
