#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>

Q_DECLARE_LOGGING_CATEGORY(lcAutomation)

namespace sd::automation {

// What a condition field holds; it decides which operators apply.
enum class FieldType { Text, Enum, Number, Money, Bool, Tags };

// Every field a condition can test. Item fields are only valid inside an any/all/none group over line items.
enum class FieldId {
    Marketplace,
    Account,
    Status,
    MarketplaceStatus,
    FulfillmentStatus,
    PaymentStatus,
    PaymentMethod,
    InvoiceWanted,
    NipGiven,
    Country,
    Currency,
    BuyerComment,
    BuyerLogin,
    BuyerEmail,
    LineCount,
    Quantity,
    Total,
    DeliveryMethod,
    Tags,
    DaysSinceOrder,
    HoursSincePayment,
    DaysSinceStatusChange,
    HoursSinceStatusChange,
    DaysSinceShipment,
    HoursSinceShipment,
    ItemSku,
    ItemEan,
    ItemOfferId,
    ItemName,
    ItemQuantity,
    ItemUnitPrice,
    ItemStock,
};

enum class Op {
    Eq,
    Ne,
    In,
    NotIn,
    Contains,
    NotContains,
    StartsWith,
    Matches,
    IsEmpty,
    NotEmpty,
    Lt,
    Le,
    Gt,
    Ge,
    Between,
    IsTrue,
    IsFalse,
    Has,
    HasNot,
    HasAny,
    HasAll,
};

// How many values an operator takes: none (is empty), one, a list (in), or two (between).
enum class Arity { None, One, List, Range };

// How the editor offers the values of a text field beyond free text: a list from the profile (statuses, tags) or
// a fixed list (countries, currencies).
enum class Picker { Free, Status, Tag, Country, Currency };

// The type of a trigger or action parameter.
enum class ParamType { Text, Number, Bool, Choice, Status, Tag, Url, RuleId, Minutes };

struct ParamDef
{
    const char *key;
    const char *label; // QT_TRANSLATE_NOOP in context sd::automation::Catalog
    ParamType type;
    bool required;
    QJsonValue defaultValue;
    QStringList choices; // ParamType::Choice
    int min = 0;
    int max = 0; // Number / Minutes: 0 means no upper bound
};

struct FieldDef
{
    FieldId id;
    const char *key;
    const char *label;
    FieldType type;
    bool lineItem;
    QStringList choices; // FieldType::Enum
    Picker picker = Picker::Free;
};

struct OperatorDef
{
    Op op;
    const char *key;
    const char *label;
    Arity arity;
    QList<FieldType> types;
};

struct TriggerDef
{
    const char *key;
    const char *label;
    QList<ParamDef> params;
    QStringList eventTypes; // store events that fire it; a timed trigger schedules a timer from them
    bool timed = false;
    bool available = true; // false: declared, but the feature that emits its event has not landed yet
};

struct ActionDef
{
    const char *key;
    const char *label;
    QList<ParamDef> params;
    bool configured = true; // false: its executor says "not configured" until its feature lands
    bool touchesOrder = false;
};

// The one place that declares every trigger, condition field, operator and action. The JSON validator, the
// engine, the JSON schema, the CLI and (later) the visual editor read it: adding an action is one entry here
// plus, when it does something, its executor.
class Catalog
{
public:
    static const Catalog &instance();

    const QList<FieldDef> &fields() const { return m_fields; }
    const QList<OperatorDef> &operators() const { return m_operators; }
    const QList<TriggerDef> &triggers() const { return m_triggers; }
    const QList<ActionDef> &actions() const { return m_actions; }

    const FieldDef *field(QStringView key) const;
    const FieldDef &field(FieldId id) const;
    const OperatorDef *op(QStringView key) const;
    const OperatorDef &op(Op op) const;
    const TriggerDef *trigger(QStringView key) const;
    const ActionDef *action(QStringView key) const;
    bool allows(FieldType type, Op op) const;

    // The user-facing label of a catalog entry, in the current language.
    static QString label(const char *source);
    static QString typeName(FieldType type);

    // The placeholders a URL or a message text may hold ({orderId} ...), expanded per order by the engine.
    static QStringList placeholders();

    // JSON Schema (draft 2020-12) of a rule document, generated from the entries above.
    QJsonObject jsonSchema() const;
    // docs/rules.md: every trigger, field, operator and action with its parameters, in English (the source
    // labels), so the file does not depend on the language it was made in.
    QString referenceMarkdown() const;

private:
    Catalog();

    QList<FieldDef> m_fields;
    QList<OperatorDef> m_operators;
    QList<TriggerDef> m_triggers;
    QList<ActionDef> m_actions;
};

} // namespace sd::automation
