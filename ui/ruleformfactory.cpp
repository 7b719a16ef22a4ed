#include "ruleformfactory.h"

#include "automation/engine.h"
#include "automation/rulestore.h"
#include "durationpicker.h"
#include "ruletext.h"
#include "storage/catalogstore.h"
#include "storage/orderstore.h"
#include "storage/sqlquery.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QSpinBox>
#include <QToolButton>

namespace sd::ui {

using automation::Catalog;
using automation::Condition;
using automation::Rule;

namespace {

const QStringList kCountries = {u"PL"_qs, u"DE"_qs, u"CZ"_qs, u"SK"_qs, u"LT"_qs, u"LV"_qs, u"EE"_qs,
                                u"HU"_qs, u"AT"_qs, u"FR"_qs, u"IT"_qs, u"ES"_qs, u"NL"_qs, u"BE"_qs,
                                u"SE"_qs, u"DK"_qs, u"IE"_qs, u"PT"_qs, u"RO"_qs, u"BG"_qs, u"HR"_qs,
                                u"SI"_qs, u"FI"_qs, u"GB"_qs, u"UA"_qs, u"US"_qs};
const QStringList kCurrencies = {u"PLN"_qs, u"EUR"_qs, u"CZK"_qs, u"HUF"_qs, u"GBP"_qs, u"USD"_qs, u"SEK"_qs};

// The largest sensible duration of a time trigger or a "since" field: a year.
constexpr int kYearMinutes = 365 * 1440;
constexpr char kRetired[] = "sdRetired";

QJsonValue defaultValue(const automation::FieldDef &field, const QStringList &statuses)
{
    switch (field.type) {
    case automation::FieldType::Enum:
        return field.choices.value(0);
    case automation::FieldType::Number:
    case automation::FieldType::Money:
        return 0;
    case automation::FieldType::Bool:
        return {};
    case automation::FieldType::Text:
    case automation::FieldType::Tags:
        break;
    }
    switch (field.picker) {
    case automation::Picker::Status:
        return statuses.value(0);
    case automation::Picker::Country:
        return u"PL"_qs;
    case automation::Picker::Currency:
        return u"PLN"_qs;
    case automation::Picker::Tag:
    case automation::Picker::Free:
        break;
    }
    return u""_qs;
}

QJsonArray defaultValuesFor(const automation::FieldDef &field, const automation::OperatorDef &op,
                            const QStringList &statuses)
{
    switch (op.arity) {
    case automation::Arity::None:
        return {};
    case automation::Arity::One:
    case automation::Arity::List:
        return {defaultValue(field, statuses)};
    case automation::Arity::Range:
        return {0, 100};
    }
    return {};
}

QString countryLabel(const QString &code)
{
    const QLocale::Territory t = QLocale::codeToTerritory(code);
    return t == QLocale::AnyTerritory ? code : code + u" — " + QLocale::territoryToString(t);
}

} // namespace

RuleFormFactory::RuleFormFactory(std::shared_ptr<storage::Database> db, qint64 ruleId, QObject *parent)
    : QObject(parent)
{
    if (auto statuses = storage::CatalogStore(db).statuses())
        for (const storage::Status &s : *statuses)
            m_statuses.append(s.name);
    if (auto tags = storage::CatalogStore(db).tags())
        for (const storage::Tag &t : *tags)
            m_tags.append(t.name);
    if (auto rules = automation::RuleStore(db).list())
        for (const Rule &r : *rules)
            if (r.id != ruleId)
                m_otherRules.append({r.id, r.name});
    // A sample order for the placeholder inserter: the newest one, or a made-up one in an empty profile.
    domain::Order sample;
    sample.id = 1024;
    sample.externalId = u"29a0b8e0-5d4c-11ef-8f6e-0a58a9feac02"_qs;
    sample.marketplace = u"allegro-pl"_qs;
    sample.status = m_statuses.value(0);
    sample.createdAt = QDateTime::currentDateTimeUtc();
    sample.payment.method = u"ONLINE"_qs;
    if (auto q = storage::prepare(db->connection(), u"SELECT MAX(id) FROM orders"_qs, "newest order")) {
        if (storage::exec(*q, "newest order") && q->next() && q->value(0).toLongLong() > 0) {
            storage::OrderStore store(db);
            if (auto order = store.load(q->value(0).toLongLong()))
                sample = *order;
        }
    }
    for (const QString &p : Catalog::placeholders())
        m_samples.append({p, automation::expandPlaceholders(p, sample)});
}

void RuleFormFactory::clear(QWidget *holder)
{
    QLayout *layout = holder->layout();
    while (QLayoutItem *item = layout->takeAt(0)) {
        if (QWidget *w = item->widget()) {
            w->hide();
            w->setProperty(kRetired, true);
            w->deleteLater();
        }
        delete item;
    }
}

bool RuleFormFactory::isRetired(const QWidget *widget)
{
    for (const QWidget *w = widget; w; w = w->parentWidget())
        if (w->property(kRetired).toBool())
            return true;
    return false;
}

QJsonArray RuleFormFactory::defaultValues(const automation::FieldDef &field, const automation::OperatorDef &op) const
{
    return defaultValuesFor(field, op, m_statuses);
}

int RuleFormFactory::durationUnit(const automation::FieldDef &field)
{
    switch (field.id) {
    case automation::FieldId::DaysSinceOrder:
        return 1440;
    case automation::FieldId::HoursSincePayment:
        return 60;
    default:
        return 0;
    }
}

DurationPicker *RuleFormFactory::durationPicker(int unitMinutes, int minimum, int maximum, int value,
                                                std::function<void(int)> set, QWidget *parent,
                                                const QString &place) const
{
    auto *picker = new DurationPicker(unitMinutes, minimum, maximum, parent);
    picker->setValue(value);
    picker->setPlace(place);
    connect(picker, &DurationPicker::valueChanged, picker, std::move(set));
    connect(picker, &DurationPicker::problemChanged, this, &RuleFormFactory::inputProblemsChanged);
    return picker;
}

QWidget *RuleFormFactory::valueEditor(const Condition &c, std::function<void(const QJsonArray &)> setValues,
                                      QWidget *parent, const QString &place) const
{
    const automation::FieldDef *field = Catalog::instance().field(c.field);
    const automation::OperatorDef *op = Catalog::instance().op(c.op);
    if (!field || !op || op->arity == automation::Arity::None)
        return nullptr;

    // The values a picker offers: (stored value, label).
    QList<QPair<QString, QString>> choices;
    bool editable = true;
    if (field->type == automation::FieldType::Enum) {
        editable = false;
        for (const QString &choice : field->choices)
            choices.append({choice, ruletext::choice(choice)});
    } else {
        switch (field->picker) {
        case automation::Picker::Status:
            for (const QString &s : m_statuses)
                choices.append({s, s});
            break;
        case automation::Picker::Tag:
            for (const QString &t : m_tags)
                choices.append({t, t});
            break;
        case automation::Picker::Country:
            for (const QString &code : kCountries)
                choices.append({code, countryLabel(code)});
            break;
        case automation::Picker::Currency:
            for (const QString &code : kCurrencies)
                choices.append({code, code});
            break;
        case automation::Picker::Free:
            break;
        }
    }
    const bool number = field->type == automation::FieldType::Number;
    const bool money = field->type == automation::FieldType::Money;

    const int unit = durationUnit(*field);
    auto numberEditor = [&](const QJsonValue &value, std::function<void(const QJsonValue &)> set) -> QWidget * {
        if (unit > 0)
            return durationPicker(
                unit, 0, kYearMinutes / unit, value.toInt(), [set](int v) { set(v); }, parent, place + u".value"_qs);
        if (money) {
            auto *spin = new QDoubleSpinBox(parent);
            spin->setRange(0, 10000000);
            spin->setDecimals(2);
            spin->setValue(value.isString() ? value.toString().toDouble() : value.toDouble());
            connect(spin, &QDoubleSpinBox::valueChanged, this, [set](double v) { set(v); });
            return spin;
        }
        auto *spin = new QSpinBox(parent);
        spin->setRange(0, 1000000);
        spin->setValue(value.toInt());
        connect(spin, &QSpinBox::valueChanged, this, [set](int v) { set(v); });
        return spin;
    };

    if (op->arity == automation::Arity::Range) {
        auto *box = new QWidget(parent);
        auto *layout = new QHBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        auto values = std::make_shared<QJsonArray>(c.values);
        while (values->size() < 2)
            values->append(0);
        QWidget *from = numberEditor(values->at(0), [values, setValues](const QJsonValue &v) {
            (*values)[0] = v;
            setValues(*values);
        });
        QWidget *to = numberEditor(values->at(1), [values, setValues](const QJsonValue &v) {
            (*values)[1] = v;
            setValues(*values);
        });
        from->setParent(box);
        to->setParent(box);
        from->setAccessibleName(tr("From"));
        to->setAccessibleName(tr("To"));
        layout->addWidget(from);
        layout->addWidget(new QLabel(tr("and"), box));
        layout->addWidget(to);
        box->setFocusProxy(from);
        return box;
    }
    if (op->arity == automation::Arity::List) {
        if (!choices.isEmpty()) {
            auto *list = new QListWidget(parent);
            list->setMaximumHeight(110);
            QStringList selected;
            for (const QJsonValue &v : c.values)
                selected.append(v.toString());
            for (const auto &[value, label] : std::as_const(choices)) {
                auto *item = new QListWidgetItem(label, list);
                item->setData(Qt::UserRole, value);
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                item->setCheckState(selected.contains(value) ? Qt::Checked : Qt::Unchecked);
            }
            connect(list, &QListWidget::itemChanged, this, [list, setValues] {
                QJsonArray values;
                for (int i = 0; i < list->count(); ++i)
                    if (list->item(i)->checkState() == Qt::Checked)
                        values.append(list->item(i)->data(Qt::UserRole).toString());
                setValues(values);
            });
            list->setAccessibleName(tr("Values"));
            return list;
        }
        auto *edit = new QLineEdit(parent);
        QStringList texts;
        for (const QJsonValue &v : c.values)
            texts.append(v.toString());
        edit->setText(texts.join(u", "));
        edit->setPlaceholderText(tr("values separated by commas"));
        connect(edit, &QLineEdit::textEdited, this, [setValues](const QString &text) {
            QJsonArray values;
            for (const QString &part : text.split(u',', Qt::SkipEmptyParts))
                if (!part.trimmed().isEmpty())
                    values.append(part.trimmed());
            setValues(values);
        });
        edit->setAccessibleName(tr("Values"));
        return edit;
    }
    const QJsonValue current = c.values.isEmpty() ? QJsonValue() : c.values.at(0);
    if (number || money) {
        QWidget *spin = numberEditor(current, [setValues](const QJsonValue &v) { setValues({v}); });
        spin->setAccessibleName(tr("Value"));
        return spin;
    }
    if (!choices.isEmpty()) {
        auto *combo = new QComboBox(parent);
        combo->setEditable(editable);
        for (const auto &[value, label] : std::as_const(choices))
            combo->addItem(label, value);
        const int index = combo->findData(current.toString());
        if (index >= 0)
            combo->setCurrentIndex(index);
        else
            combo->setEditText(current.toString());
        connect(combo, &QComboBox::activated, this,
                [combo, setValues](int index) { setValues({combo->itemData(index).toString()}); });
        if (editable)
            connect(combo->lineEdit(), &QLineEdit::textEdited, this,
                    [setValues](const QString &text) { setValues({text.section(u" — "_qs, 0, 0).trimmed()}); });
        combo->setAccessibleName(tr("Value"));
        return combo;
    }
    auto *edit = new QLineEdit(current.toString(), parent);
    connect(edit, &QLineEdit::textEdited, this, [setValues](const QString &text) { setValues({text}); });
    edit->setAccessibleName(tr("Value"));
    return edit;
}

QWidget *RuleFormFactory::paramEditor(const automation::ParamDef &def, const QJsonValue &value,
                                      std::function<void(const QJsonValue &)> set, QWidget *parent,
                                      const QString &place) const
{
    const QJsonValue shown = value.isUndefined() ? def.defaultValue : value;
    const QString anyText = tr("(any)");
    switch (def.type) {
    case automation::ParamType::Bool: {
        auto *box = new QCheckBox(parent);
        box->setChecked(shown.toBool());
        connect(box, &QCheckBox::toggled, this, [set](bool on) { set(on); });
        return box;
    }
    case automation::ParamType::Number: {
        auto *spin = new QSpinBox(parent);
        spin->setRange(def.min, def.max > 0 ? def.max : 1000000000);
        spin->setValue(shown.toInt(def.min));
        connect(spin, &QSpinBox::valueChanged, this, [set](int v) { set(v); });
        return spin;
    }
    case automation::ParamType::Minutes:
        return durationPicker(
            1, qMax(1, def.min), def.max > 0 ? def.max : kYearMinutes, shown.toInt(def.min), [set](int v) { set(v); },
            parent, place);
    case automation::ParamType::Choice: {
        auto *combo = new QComboBox(parent);
        if (!def.required && def.defaultValue.isUndefined())
            combo->addItem(anyText, QString());
        for (const QString &choice : def.choices)
            combo->addItem(ruletext::choice(choice), choice);
        combo->setCurrentIndex(qMax(0, combo->findData(shown.toString())));
        connect(combo, &QComboBox::activated, this, [combo, set](int index) {
            const QString key = combo->itemData(index).toString();
            set(key.isEmpty() && combo->itemText(index) != ruletext::choice(key) ? QJsonValue() : QJsonValue(key));
        });
        return combo;
    }
    case automation::ParamType::Status:
    case automation::ParamType::Tag: {
        auto *combo = new QComboBox(parent);
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        if (!def.required)
            combo->addItem(anyText, QString());
        for (const QString &name : def.type == automation::ParamType::Status ? m_statuses : m_tags)
            combo->addItem(name, name);
        const int index = combo->findData(shown.toString());
        if (index >= 0 && !shown.toString().isEmpty())
            combo->setCurrentIndex(index);
        else if (!shown.toString().isEmpty())
            combo->setEditText(shown.toString());
        else if (def.required)
            combo->setEditText({});
        auto emitText = [set](const QString &text) {
            set(text.trimmed().isEmpty() ? QJsonValue() : QJsonValue(text.trimmed()));
        };
        connect(combo, &QComboBox::activated, this,
                [combo, emitText](int index) { emitText(combo->itemData(index).toString()); });
        connect(combo->lineEdit(), &QLineEdit::textEdited, this,
                [anyText, emitText](const QString &text) { emitText(text == anyText ? QString() : text); });
        return combo;
    }
    case automation::ParamType::RuleId: {
        auto *combo = new QComboBox(parent);
        combo->addItem(tr("(choose a rule)"), 0);
        for (const auto &[id, name] : std::as_const(m_otherRules))
            combo->addItem(u"%1 · %2"_qs.arg(id).arg(name), id);
        combo->setCurrentIndex(qMax(0, combo->findData(shown.toInteger())));
        connect(combo, &QComboBox::activated, this, [combo, set](int index) {
            const qint64 id = combo->itemData(index).toLongLong();
            set(id ? QJsonValue(id) : QJsonValue());
        });
        return combo;
    }
    case automation::ParamType::Text:
    case automation::ParamType::Url:
        break;
    }
    auto *box = new QWidget(parent);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(shown.toString(), box);
    if (def.type == automation::ParamType::Url)
        edit->setPlaceholderText(u"https://"_qs);
    auto emitText = [set](const QString &text) { set(text.isEmpty() ? QJsonValue() : QJsonValue(text)); };
    connect(edit, &QLineEdit::textEdited, this, emitText);
    // The placeholder inserter: each placeholder with its value on a sample order.
    auto *insert = new QToolButton(box);
    insert->setText(tr("{…} Insert"));
    insert->setToolTip(tr("Insert a placeholder; the order's value replaces it when the action runs."));
    insert->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(insert);
    for (const auto &[name, sample] : std::as_const(m_samples)) {
        QAction *action = menu->addAction(tr("%1 — e.g. %2").arg(name, sample.left(40)));
        connect(action, &QAction::triggered, this, [edit, name = name, emitText] {
            edit->insert(name);
            emitText(edit->text());
        });
    }
    insert->setMenu(menu);
    layout->addWidget(edit, 1);
    layout->addWidget(insert);
    box->setFocusProxy(edit);
    return box;
}

} // namespace sd::ui
