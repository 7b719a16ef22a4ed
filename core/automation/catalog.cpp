#include "automation/catalog.h"

#include <QCoreApplication>
#include <QJsonArray>

Q_LOGGING_CATEGORY(lcAutomation, "sd.automation")

namespace sd::automation {

namespace {

#define L(text) QT_TRANSLATE_NOOP("sd::automation::Catalog", text)

const QStringList kPaymentStatuses = {u"unpaid"_qs, u"paid"_qs, u"partially-paid"_qs, u"overpaid"_qs,
                                      u"refunded"_qs};
const QStringList kPaymentMethods = {u"ONLINE"_qs, u"CASH_ON_DELIVERY"_qs, u"WIRE_TRANSFER"_qs, u"SPLIT_PAYMENT"_qs,
                                     u"EXTENDED_TERM"_qs, u""_qs};
const QStringList kAnchors = {u"order-date"_qs, u"payment"_qs, u"status-change"_qs};

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
        {FieldId::Marketplace, "marketplace", L("Sales channel"), T::Text, false, {}},
        {FieldId::Account, "account", L("Marketplace account"), T::Text, false, {}},
        {FieldId::Status, "status", L("Order status"), T::Text, false, {}},
        {FieldId::MarketplaceStatus, "marketplaceStatus", L("Marketplace status"), T::Text, false, {}},
        {FieldId::FulfillmentStatus, "fulfillmentStatus", L("Shipment status"), T::Text, false, {}},
        {FieldId::PaymentStatus, "paymentStatus", L("Payment status"), T::Enum, false, kPaymentStatuses},
        {FieldId::PaymentMethod, "paymentMethod", L("Payment method"), T::Enum, false, kPaymentMethods},
        {FieldId::InvoiceWanted, "invoiceWanted", L("Wants an invoice"), T::Bool, false, {}},
        {FieldId::NipGiven, "nipGiven", L("NIP given"), T::Bool, false, {}},
        {FieldId::Country, "country", L("Delivery country"), T::Text, false, {}},
        {FieldId::Currency, "currency", L("Currency"), T::Text, false, {}},
        {FieldId::BuyerComment, "buyerComment", L("Buyer's comment"), T::Text, false, {}},
        {FieldId::BuyerLogin, "buyerLogin", L("Buyer's login"), T::Text, false, {}},
        {FieldId::BuyerEmail, "buyerEmail", L("Buyer's e-mail"), T::Text, false, {}},
        {FieldId::LineCount, "lineCount", L("Number of line items"), T::Number, false, {}},
        {FieldId::Quantity, "quantity", L("Number of pieces"), T::Number, false, {}},
        {FieldId::Total, "total", L("Order total"), T::Money, false, {}},
        {FieldId::DeliveryMethod, "deliveryMethod", L("Delivery method"), T::Text, false, {}},
        {FieldId::Tags, "tags", L("Tags"), T::Tags, false, {}},
        {FieldId::DaysSinceOrder, "daysSinceOrder", L("Days since the order"), T::Number, false, {}},
        {FieldId::HoursSincePayment, "hoursSincePayment", L("Hours since payment"), T::Number, false, {}},
        {FieldId::ItemSku, "item.sku", L("Line: SKU"), T::Text, true, {}},
        {FieldId::ItemEan, "item.ean", L("Line: EAN"), T::Text, true, {}},
        {FieldId::ItemOfferId, "item.offerId", L("Line: offer"), T::Text, true, {}},
        {FieldId::ItemName, "item.name", L("Line: product name"), T::Text, true, {}},
        {FieldId::ItemQuantity, "item.quantity", L("Line: quantity"), T::Number, true, {}},
        {FieldId::ItemUnitPrice, "item.unitPrice", L("Line: unit price"), T::Money, true, {}},
    };

    const QList<T> text = {T::Text, T::Enum};
    const QList<T> numbers = {T::Number, T::Money};
    m_operators = {
        {Op::Eq, "eq", L("is"), Arity::One, {T::Text, T::Enum, T::Number, T::Money}},
        {Op::Ne, "ne", L("is not"), Arity::One, {T::Text, T::Enum, T::Number, T::Money}},
        {Op::In, "in", L("is one of"), Arity::List, text},
        {Op::NotIn, "notIn", L("is none of"), Arity::List, text},
        {Op::Contains, "contains", L("contains"), Arity::One, {T::Text}},
        {Op::NotContains, "notContains", L("does not contain"), Arity::One, {T::Text}},
        {Op::StartsWith, "startsWith", L("starts with"), Arity::One, {T::Text}},
        {Op::Matches, "matches", L("matches the pattern"), Arity::One, {T::Text}},
        {Op::IsEmpty, "isEmpty", L("is empty"), Arity::None, {T::Text, T::Tags}},
        {Op::NotEmpty, "notEmpty", L("is not empty"), Arity::None, {T::Text, T::Tags}},
        {Op::Lt, "lt", L("is less than"), Arity::One, numbers},
        {Op::Le, "le", L("is at most"), Arity::One, numbers},
        {Op::Gt, "gt", L("is more than"), Arity::One, numbers},
        {Op::Ge, "ge", L("is at least"), Arity::One, numbers},
        {Op::Between, "between", L("is between"), Arity::Range, numbers},
        {Op::IsTrue, "isTrue", L("yes"), Arity::None, {T::Bool}},
        {Op::IsFalse, "isFalse", L("no"), Arity::None, {T::Bool}},
        {Op::Has, "has", L("has"), Arity::One, {T::Tags}},
        {Op::HasNot, "hasNot", L("does not have"), Arity::One, {T::Tags}},
        {Op::HasAny, "hasAny", L("has any of"), Arity::List, {T::Tags}},
        {Op::HasAll, "hasAll", L("has all of"), Arity::List, {T::Tags}},
    };

    const ParamDef optionalStatusFrom{"from", L("From status"), ParamType::Status, false, {}, {}};
    const ParamDef optionalStatusTo{"to", L("To status"), ParamType::Status, false, {}, {}};
    m_triggers = {
        {"order.downloaded", L("Order downloaded"), {}, {u"order.created"_qs}},
        {"status.changed", L("Status changed"), {optionalStatusFrom, optionalStatusTo}, {u"order.status_changed"_qs}},
        {"payment.changed",
         L("Payment status changed"),
         {{"to", L("New payment status"), ParamType::Choice, false, {}, kPaymentStatuses}},
         {u"order.payment_changed"_qs}},
        {"order.cancelled", L("Cancelled by the buyer"), {}, {u"order.cancelled"_qs}},
        {"delivery.changed", L("Delivery form changed"), {}, {u"order.delivery_changed"_qs}},
        {"manual", L("Run by hand (button or scanned barcode)"), {}, {u"rule.manual"_qs}},
        {"time.after",
         L("Time after an event"),
         {minutes("minutes", L("Minutes after")),
          {"anchor", L("Counted from"), ParamType::Choice, true, QJsonValue(u"order-date"_qs), kAnchors}},
         {u"order.created"_qs, u"order.payment_changed"_qs, u"order.status_changed"_qs},
         true},
        {"time.inStatus",
         L("In a status for a time"),
         {{"status", L("Status"), ParamType::Status, true, {}, {}}, minutes("minutes", L("Minutes in the status"))},
         {u"order.status_changed"_qs, u"order.created"_qs},
         true},
        {"document.issued", L("Document issued"), {}, {u"document.issued"_qs}, false, false},
        {"document.failed", L("Document failed"), {}, {u"document.failed"_qs}, false, false},
        {"ksef.accepted", L("KSeF accepted the invoice"), {}, {u"ksef.accepted"_qs}, false, false},
        {"ksef.rejected", L("KSeF rejected the invoice"), {}, {u"ksef.rejected"_qs}, false, false},
        {"label.generated", L("Label generated"), {}, {u"label.generated"_qs}, false, false},
        {"shipment.changed",
         L("Shipment status changed"),
         {{"to", L("New shipment status"), ParamType::Text, false, {}, {}}},
         {u"shipment.changed"_qs},
         false,
         false},
        {"message.received", L("Buyer message received"), {}, {u"message.received"_qs}, false, false},
        {"order.packed", L("Order packed"), {}, {u"order.packed"_qs}, false, false},
        {"stock.changed", L("Stock changed"), {}, {u"stock.changed"_qs}, false, false},
    };

    const ParamDef tag{"tag", L("Tag"), ParamType::Tag, true, {}, {}};
    m_actions = {
        {"setStatus",
         L("Set status"),
         {{"status", L("Status"), ParamType::Status, true, {}, {}},
          {"informCustomer", L("Inform the customer"), ParamType::Bool, false, QJsonValue(false), {}}},
         true,
         true},
        {"addTag", L("Add tag"), {tag}, true, true},
        {"removeTag", L("Remove tag"), {tag}, true, true},
        {"callUrl",
         L("Call a URL"),
         {{"url", L("Address (with placeholders)"), ParamType::Url, true, {}, {}},
          {"method", L("Method"), ParamType::Choice, false, QJsonValue(u"GET"_qs), {u"GET"_qs, u"POST"_qs}},
          {"timeoutSeconds", L("Timeout (seconds)"), ParamType::Number, false, QJsonValue(10), {}, 1, 120}}},
        {"runRule", L("Run another rule"), {{"rule", L("Rule"), ParamType::RuleId, true, {}, {}, 1, 0}}},
        {"notifyOperator", L("Notify the operator"), {{"message", L("Message"), ParamType::Text, true, {}, {}}}},
        {"issueInvoice",
         L("Issue an invoice"),
         {{"series", L("Numbering series"), ParamType::Text, false, {}, {}}},
         false},
        {"issueReceipt", L("Print a fiscal receipt"), {}, false},
        {"issueCorrection", L("Issue a correction"), {}, false},
        {"sendEmail", L("Send an e-mail"), {{"template", L("Template"), ParamType::Text, true, {}, {}}}, false},
        {"sendSms", L("Send an SMS"), {{"template", L("Template"), ParamType::Text, true, {}, {}}}, false},
        {"generateLabel", L("Generate a shipping label"), {}, false},
        {"printLabel", L("Print the shipping label"), {}, false},
        {"markShipped", L("Mark shipped and upload tracking"), {}, false},
        {"refundPayment", L("Refund the payment"), {}, false},
        {"commissionClaim", L("File a commission refund claim"), {}, false},
        {"returnStock", L("Return stock to the warehouse"), {}, false},
        {"autoresponder", L("Reply to the buyer's message"), {{"template", L("Template"), ParamType::Text, true, {}, {}}},
         false},
    };
}

#undef L

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
        actionVariants.append(QJsonObject{
            {u"type"_qs, u"object"_qs},
            {u"properties"_qs,
             QJsonObject{{u"type"_qs, QJsonObject{{u"const"_qs, QString::fromLatin1(a.key)}}},
                         {u"params"_qs, paramsSchema(a.params)},
                         {u"delayMinutes"_qs, QJsonObject{{u"type"_qs, u"integer"_qs}, {u"minimum"_qs, 0}}},
                         {u"stopOnFailure"_qs, QJsonObject{{u"type"_qs, u"boolean"_qs}}},
                         {u"onFailure"_qs, QJsonObject{{u"type"_qs, u"array"_qs},
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
                                                              {u"items"_qs, QJsonObject{{u"$ref"_qs, u"#/$defs/condition"_qs}}}}}}},
                         {u"required"_qs, QJsonArray{u"all"_qs}},
                         {u"additionalProperties"_qs, false}},
             QJsonObject{{u"type"_qs, u"object"_qs},
                         {u"properties"_qs,
                          QJsonObject{{u"any"_qs, QJsonObject{{u"type"_qs, u"array"_qs},
                                                              {u"items"_qs, QJsonObject{{u"$ref"_qs, u"#/$defs/condition"_qs}}}}}}},
                         {u"required"_qs, QJsonArray{u"any"_qs}},
                         {u"additionalProperties"_qs, false}},
             QJsonObject{{u"type"_qs, u"object"_qs},
                         {u"properties"_qs, QJsonObject{{u"not"_qs, QJsonObject{{u"$ref"_qs, u"#/$defs/condition"_qs}}}}},
                         {u"required"_qs, QJsonArray{u"not"_qs}},
                         {u"additionalProperties"_qs, false}},
             QJsonObject{{u"type"_qs, u"object"_qs},
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
        {u"$defs"_qs, QJsonObject{{u"condition"_qs, condition}, {u"action"_qs, QJsonObject{{u"oneOf"_qs, actionVariants}}}}},
    };
}

} // namespace sd::automation
