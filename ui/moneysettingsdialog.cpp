#include "moneysettingsdialog.h"

#include "domain/order.h"
#include "money/lossguard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

QString amountText(qint64 grosze)
{
    return domain::Money(grosze, u"PLN"_qs).toDecimalString();
}

QTableWidget *pairTable(const QString &key, const QString &value, QWidget *parent)
{
    auto *table = new QTableWidget(0, 2, parent);
    table->setHorizontalHeaderLabels({key, value});
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setMinimumHeight(110);
    return table;
}

void setRows(QTableWidget *table, const QList<QPair<QString, QString>> &rows)
{
    table->setRowCount(0);
    for (const auto &[key, value] : rows) {
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(key));
        table->setItem(row, 1, new QTableWidgetItem(value));
    }
    // One empty row to type a new entry into.
    table->insertRow(table->rowCount());
}

// Buttons under a table: add a row, remove the current one.
QWidget *withButtons(QTableWidget *table, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(MoneySettingsDialog::tr("Add row"), box);
    auto *remove = new QPushButton(MoneySettingsDialog::tr("Remove row"), box);
    QObject::connect(add, &QPushButton::clicked, table, [table] { table->insertRow(table->rowCount()); });
    QObject::connect(remove, &QPushButton::clicked, table, [table] {
        if (table->currentRow() >= 0)
            table->removeRow(table->currentRow());
    });
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    layout->addLayout(buttons);
    return box;
}

QString cell(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

} // namespace

MoneySettingsDialog::MoneySettingsDialog(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_tabs(new QTabWidget(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Profit, shipping and loss guard"));

    // Costs
    auto *costs = new QWidget(m_tabs);
    auto *costsForm = new QFormLayout(costs);
    m_defaultCommission = new QLineEdit(costs);
    costsForm->addRow(tr("Default marketplace commission (%)"), m_defaultCommission);
    m_commissions = pairTable(tr("Channel"), tr("Commission (%)"), costs);
    costsForm->addRow(tr("Commission per channel\n(when the marketplace's billing\ngives none)"),
                      withButtons(m_commissions, costs));
    m_packaging = new QLineEdit(costs);
    costsForm->addRow(tr("Packaging per order (PLN net)"), m_packaging);
    m_defaultCourier = new QLineEdit(costs);
    costsForm->addRow(tr("Courier cost, default (PLN net)"), m_defaultCourier);
    m_couriers = pairTable(tr("Delivery method"), tr("Courier cost (PLN net)"), costs);
    costsForm->addRow(tr("Courier cost per method"), withButtons(m_couriers, costs));
    m_paymentFees = pairTable(tr("Payment method"), tr("Fee (e.g. 0.30+1.9%)"), costs);
    costsForm->addRow(tr("Payment fees"), withButtons(m_paymentFees, costs));
    m_tabs->addTab(costs, tr("Costs"));

    // Shipping formula with preview
    auto *shipping = new QWidget(m_tabs);
    auto *shippingLayout = new QHBoxLayout(shipping);
    auto *formulaForm = new QFormLayout;
    const QList<QPair<QString, QString>> fields = {
        {u"base"_qs, tr("Base (PLN)")},
        {u"perKg"_qs, tr("Per started kg (PLN)")},
        {u"perExtraItem"_qs, tr("Per item after the first (PLN)")},
        {u"cod"_qs, tr("Cash on delivery surcharge (PLN)")},
        {u"freeAbove"_qs, tr("Free shipping from (PLN, 0: never)")},
        {u"pickup"_qs, tr("Pick-up methods (free; comma-separated)")},
    };
    for (const auto &[key, label] : fields) {
        auto *edit = new QLineEdit(shipping);
        m_shipping.insert(key, edit);
        formulaForm->addRow(label, edit);
        connect(edit, &QLineEdit::textChanged, this, &MoneySettingsDialog::updatePreview);
    }
    m_zones = pairTable(tr("Country (* = others)"), tr("Zone surcharge (PLN)"), shipping);
    connect(m_zones, &QTableWidget::itemChanged, this, &MoneySettingsDialog::updatePreview);
    formulaForm->addRow(tr("Zones"), withButtons(m_zones, shipping));
    shippingLayout->addLayout(formulaForm, 3);
    auto *previewBox = new QWidget(shipping);
    auto *previewForm = new QFormLayout(previewBox);
    previewForm->addRow(new QLabel(u"<b>"_qs + tr("Preview") + u"</b>"_qs, previewBox));
    m_previewWeight = new QLineEdit(u"1500"_qs, previewBox);
    previewForm->addRow(tr("Weight (g)"), m_previewWeight);
    m_previewQuantity = new QSpinBox(previewBox);
    m_previewQuantity->setRange(1, 9999);
    m_previewQuantity->setValue(2);
    previewForm->addRow(tr("Quantity"), m_previewQuantity);
    m_previewCountry = new QLineEdit(u"PL"_qs, previewBox);
    previewForm->addRow(tr("Country"), m_previewCountry);
    m_previewPayment = new QComboBox(previewBox);
    m_previewPayment->addItem(tr("Online payment"), QString::fromLatin1(domain::PaymentMethodKey::kOnline));
    m_previewPayment->addItem(tr("Bank transfer"), QString::fromLatin1(domain::PaymentMethodKey::kTransfer));
    m_previewPayment->addItem(tr("Cash"), QString::fromLatin1(domain::PaymentMethodKey::kCash));
    m_previewPayment->addItem(tr("Cash on delivery"), QString::fromLatin1(domain::PaymentMethodKey::kCashOnDelivery));
    m_previewPayment->addItem(tr("Company purchase"), QString::fromLatin1(domain::PaymentMethodKey::kCompanyPurchase));
    previewForm->addRow(tr("Payment"), m_previewPayment);
    m_previewMethod = new QLineEdit(previewBox);
    m_previewMethod->setPlaceholderText(tr("Courier"));
    previewForm->addRow(tr("Delivery method"), m_previewMethod);
    m_previewValue = new QLineEdit(u"120.00"_qs, previewBox);
    previewForm->addRow(tr("Goods value (PLN)"), m_previewValue);
    m_preview = new QLabel(previewBox);
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setMinimumWidth(260);
    previewForm->addRow(m_preview);
    for (QLineEdit *e : {m_previewWeight, m_previewCountry, m_previewValue, m_previewMethod})
        connect(e, &QLineEdit::textChanged, this, &MoneySettingsDialog::updatePreview);
    connect(m_previewQuantity, &QSpinBox::valueChanged, this, &MoneySettingsDialog::updatePreview);
    connect(m_previewPayment, &QComboBox::currentIndexChanged, this, &MoneySettingsDialog::updatePreview);
    shippingLayout->addWidget(previewBox, 2);
    m_tabs->addTab(shipping, tr("Shipping formula"));

    // Loss guard
    auto *guard = new QWidget(m_tabs);
    auto *guardLayout = new QVBoxLayout(guard);
    auto *guardForm = new QFormLayout;
    m_lossGuard =
        new QCheckBox(tr("Keep orders that would be completed at a loss out of the completed statuses"), guard);
    guardForm->addRow(m_lossGuard);
    m_minProfit = new QLineEdit(guard);
    guardForm->addRow(tr("Lowest acceptable profit (PLN)"), m_minProfit);
    m_adminEmail = new QLineEdit(guard);
    m_adminEmail->setPlaceholderText(tr("optional: also e-mail the administrator"));
    guardForm->addRow(tr("Administrator's e-mail"), m_adminEmail);
    guardLayout->addLayout(guardForm);
    guardLayout->addWidget(new QLabel(tr("Orders held by the loss guard:"), guard));
    m_holds = new QTableWidget(0, 5, guard);
    m_holds->setHorizontalHeaderLabels({tr("Order"), tr("Since"), tr("Profit"), tr("State"), tr("Reasons")});
    m_holds->horizontalHeader()->setStretchLastSection(true);
    m_holds->verticalHeader()->hide();
    m_holds->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_holds->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_holds->setSelectionMode(QAbstractItemView::SingleSelection);
    guardLayout->addWidget(m_holds);
    auto *releaseRow = new QHBoxLayout;
    m_releaseReason = new QLineEdit(guard);
    m_releaseReason->setPlaceholderText(tr("Why the order may be completed anyway"));
    auto *release = new QPushButton(tr("&Release"), guard);
    connect(release, &QPushButton::clicked, this, &MoneySettingsDialog::releaseSelected);
    releaseRow->addWidget(m_releaseReason, 1);
    releaseRow->addWidget(release);
    guardLayout->addLayout(releaseRow);
    m_tabs->addTab(guard, tr("Loss guard"));

    auto *box = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    connect(box, &QDialogButtonBox::accepted, this, &MoneySettingsDialog::save);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_message->setWordWrap(true);
    m_message->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(m_message);
    layout->addWidget(box);
    resize(900, 620);
    load();
}

void MoneySettingsDialog::load()
{
    auto s = money::MoneySettings::load(*m_db);
    if (!s) {
        report(s.error().userMessage, true);
        return;
    }
    m_loaded = *s;
    m_defaultCommission->setText(money::percentText(s->defaultCommissionBp));
    QList<QPair<QString, QString>> rows;
    for (auto it = s->commissionBp.cbegin(); it != s->commissionBp.cend(); ++it)
        rows.append({it.key(), money::percentText(it.value())});
    setRows(m_commissions, rows);
    m_packaging->setText(amountText(s->packagingPerOrder));
    m_defaultCourier->setText(amountText(s->defaultCourierCost));
    rows.clear();
    for (auto it = s->courierCosts.cbegin(); it != s->courierCosts.cend(); ++it)
        rows.append({it.key(), amountText(it.value())});
    setRows(m_couriers, rows);
    rows.clear();
    for (auto it = s->paymentFees.cbegin(); it != s->paymentFees.cend(); ++it)
        rows.append({it.key(), money::feeText(it.value())});
    setRows(m_paymentFees, rows);
    const money::ShippingFormula &f = s->shipping;
    m_shipping.value(u"base"_qs)->setText(amountText(f.base));
    m_shipping.value(u"perKg"_qs)->setText(amountText(f.perKg));
    m_shipping.value(u"perExtraItem"_qs)->setText(amountText(f.perExtraItem));
    m_shipping.value(u"cod"_qs)->setText(amountText(f.codSurcharge));
    m_shipping.value(u"freeAbove"_qs)->setText(amountText(f.freeAbove));
    m_shipping.value(u"pickup"_qs)->setText(f.pickupMethods.join(u", "));
    rows.clear();
    for (auto it = f.zoneSurcharge.cbegin(); it != f.zoneSurcharge.cend(); ++it)
        rows.append({it.key(), amountText(it.value())});
    setRows(m_zones, rows);
    m_lossGuard->setChecked(s->lossGuard);
    m_minProfit->setText(amountText(s->minProfit));
    m_adminEmail->setText(s->adminEmail);
    loadHolds();
    updatePreview();
}

void MoneySettingsDialog::loadHolds()
{
    auto holds = money::LossGuard(m_db).holds(0, false);
    if (!holds) {
        report(holds.error().userMessage, true);
        return;
    }
    m_holds->setRowCount(0);
    for (const money::LossHold &h : std::as_const(*holds)) {
        const int row = m_holds->rowCount();
        m_holds->insertRow(row);
        const QStringList cells = {
            QString::number(h.orderId), QLocale().toString(h.createdAt.toLocalTime(), QLocale::ShortFormat),
            domain::Money(h.profit, h.currency).toDisplayString(),
            h.isOpen() ? tr("held") : tr("released by %1: %2").arg(h.releasedBy, h.releaseReason),
            h.reasons.join(u' ')};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            item->setData(Qt::UserRole, h.orderId);
            item->setData(Qt::UserRole + 1, h.isOpen());
            item->setToolTip(cells.at(c));
            m_holds->setItem(row, c, item);
        }
    }
    m_holds->resizeColumnsToContents();
}

Result<money::MoneySettings> MoneySettingsDialog::collect() const
{
    money::MoneySettings s = m_loaded;
    s.commissionBp.clear();
    s.courierCosts.clear();
    s.paymentFees.clear();
    s.shipping.zoneSurcharge.clear();
    auto named = [](const QString &field, const Error &error) {
        return makeError(error.code, tr("%1: %2").arg(field, error.userMessage));
    };
    auto setOne = [&](const QString &field, const QString &key, const QString &value) -> Result<void> {
        if (auto r = s.set(key, value); !r)
            return named(field, r.error());
        return {};
    };
    if (auto r = setOne(tr("Default commission"), u"commission.default"_qs, m_defaultCommission->text()); !r)
        return r.error();
    auto table = [&](const QTableWidget *t, const QString &field, const QString &prefix) -> Result<void> {
        for (int row = 0; row < t->rowCount(); ++row) {
            const QString key = cell(t, row, 0);
            const QString value = cell(t, row, 1);
            if (key.isEmpty() && value.isEmpty())
                continue;
            if (key.isEmpty())
                return makeError(Error::Code::Invalid,
                                 tr("%1, row %2: the first column is empty.").arg(field).arg(row + 1));
            if (auto r = setOne(tr("%1, row %2").arg(field).arg(row + 1), prefix + key, value); !r)
                return r;
        }
        return {};
    };
    if (auto r = table(m_commissions, tr("Commission per channel"), u"commission."_qs); !r)
        return r.error();
    if (auto r = setOne(tr("Packaging"), u"packaging"_qs, m_packaging->text()); !r)
        return r.error();
    if (auto r = setOne(tr("Courier cost"), u"courier.default"_qs, m_defaultCourier->text()); !r)
        return r.error();
    if (auto r = table(m_couriers, tr("Courier cost per method"), u"courier."_qs); !r)
        return r.error();
    if (auto r = table(m_paymentFees, tr("Payment fees"), u"payment."_qs); !r)
        return r.error();
    static const QHash<QString, const char *> shippingLabels = {
        {u"base"_qs, QT_TR_NOOP("Base")},
        {u"perKg"_qs, QT_TR_NOOP("Per started kg")},
        {u"perExtraItem"_qs, QT_TR_NOOP("Per item after the first")},
        {u"cod"_qs, QT_TR_NOOP("Cash on delivery surcharge")},
        {u"freeAbove"_qs, QT_TR_NOOP("Free shipping from")},
        {u"pickup"_qs, QT_TR_NOOP("Pick-up methods")},
    };
    for (auto it = m_shipping.cbegin(); it != m_shipping.cend(); ++it)
        if (auto r = setOne(tr(shippingLabels.value(it.key())), u"shipping."_qs + it.key(), it.value()->text()); !r)
            return r.error();
    if (auto r = table(m_zones, tr("Zones"), u"shipping.zone."_qs); !r)
        return r.error();
    s.lossGuard = m_lossGuard->isChecked();
    if (auto r = setOne(tr("Lowest acceptable profit"), u"minProfit"_qs, m_minProfit->text()); !r)
        return r.error();
    s.adminEmail = m_adminEmail->text().trimmed();
    return s;
}

void MoneySettingsDialog::updatePreview()
{
    auto s = collect();
    if (!s) {
        m_preview->setText(s.error().userMessage);
        return;
    }
    money::ShippingFormula::Input in;
    bool ok = false;
    in.weightGrams = m_previewWeight->text().trimmed().toInt(&ok);
    if (!ok) {
        m_preview->setText(tr("The weight is a whole number of grams."));
        return;
    }
    in.quantity = m_previewQuantity->value();
    in.country = m_previewCountry->text();
    in.paymentMethod = m_previewPayment->currentData().toString();
    in.deliveryMethod = m_previewMethod->text();
    auto value = domain::Money::parse(m_previewValue->text().trimmed(), u"PLN"_qs);
    if (!value) {
        m_preview->setText(value.error().userMessage);
        return;
    }
    in.goodsValue = value->minor();
    auto quote = s->shipping.quote(in);
    m_preview->setText(quote ? quote->explanation.join(u'\n') : quote.error().userMessage);
}

QString MoneySettingsDialog::previewText() const
{
    return m_preview->text();
}

bool MoneySettingsDialog::save()
{
    auto s = collect();
    if (!s) {
        report(s.error().userMessage, true);
        return false;
    }
    if (auto r = s->save(*m_db); !r) {
        report(r.error().userMessage, true);
        return false;
    }
    m_loaded = *s;
    report(tr("Saved. Profits are recomputed with these settings as they are shown."), false);
    return true;
}

bool MoneySettingsDialog::releaseSelected()
{
    const int row = m_holds->currentRow();
    const QTableWidgetItem *item = row >= 0 ? m_holds->item(row, 0) : nullptr;
    if (!item || !item->data(Qt::UserRole + 1).toBool()) {
        report(tr("Choose an order that is held in the list first."), true);
        return false;
    }
    const QString user = qEnvironmentVariable("USER");
    auto released =
        money::LossGuard(m_db).release(item->data(Qt::UserRole).toLongLong(),
                                       user.isEmpty() ? u"user"_qs : u"user:"_qs + user, m_releaseReason->text());
    if (!released) {
        report(released.error().userMessage, true);
        return false;
    }
    m_releaseReason->clear();
    report(tr("Order %1 may be completed now.").arg(released->orderId), false);
    loadHolds();
    return true;
}

QString MoneySettingsDialog::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void MoneySettingsDialog::report(const QString &message, bool error)
{
    m_message->setText(message);
    m_message->setStyleSheet(error ? u"background:#fdecea;color:#8a1f11;padding:6px"_qs
                                   : u"background:#e8f5e9;color:#1b5e20;padding:6px"_qs);
    m_message->setVisible(!message.isEmpty());
}

} // namespace sd::ui
