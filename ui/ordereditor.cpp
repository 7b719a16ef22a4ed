#include "ordereditor.h"

#include "money/profitservice.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

enum ItemColumn { ItemName, ItemSku, ItemEan, ItemQuantity, ItemPrice, ItemVat, ItemColumns };

const QString kCurrency = QStringLiteral("PLN");

} // namespace

OrderEditor::OrderEditor(storage::OrderStore &store, qint64 orderId, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_orderId(orderId)
{
    setWindowTitle(orderId ? tr("Edit order %1").arg(orderId) : tr("New order"));
    resize(900, 720);
    auto *layout = new QVBoxLayout(this);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(u"QLabel { background: #fdecea; color: #611a15; padding: 6px; }"_qs);
    m_message->hide();
    layout->addWidget(m_message);

    auto *columns = new QHBoxLayout;
    auto *buyerBox = new QGroupBox(tr("Buyer"), this);
    auto *buyer = new QFormLayout(buyerBox);
    addField(buyer, u"buyer.firstName"_qs, tr("First name"));
    addField(buyer, u"buyer.lastName"_qs, tr("Last name"));
    addField(buyer, u"buyer.companyName"_qs, tr("Company"));
    m_problems.insert(u"buyer.name"_qs, m_problems.value(u"buyer.companyName"_qs));
    addField(buyer, u"buyer.email"_qs, tr("E-mail"));
    addField(buyer, u"buyer.phone"_qs, tr("Phone"));
    addField(buyer, u"buyer.nip"_qs, tr("NIP"));
    addField(buyer, u"buyer.login"_qs, tr("Login"));

    auto *deliveryBox = new QGroupBox(tr("Delivery"), this);
    auto *delivery = new QFormLayout(deliveryBox);
    addField(delivery, u"delivery.methodName"_qs, tr("Method"));
    addField(delivery, u"delivery.address.street"_qs, tr("Street and number"));
    addField(delivery, u"delivery.address.postCode"_qs, tr("Post code"));
    addField(delivery, u"delivery.address.city"_qs, tr("City"));
    addField(delivery, u"delivery.address.countryCode"_qs, tr("Country"))->setText(u"PL"_qs);
    m_problems.insert(u"delivery.address"_qs, m_problems.value(u"delivery.address.street"_qs));
    addField(delivery, u"delivery.cost"_qs, tr("Delivery cost (PLN)"))->setText(u"0,00"_qs);
    // F3: the shipping formula of the money settings, from the items' weight, the quantity, country and payment.
    auto *shippingFormula = new QPushButton(tr("Calculate by the shipping formula"), this);
    shippingFormula->setObjectName(u"shippingFormula"_qs);
    connect(shippingFormula, &QPushButton::clicked, this, [this, shippingFormula] {
        QList<domain::FieldProblem> ignored;
        auto quote = money::ProfitService(m_store.sharedDatabase()).shippingQuote(collect(ignored));
        if (!quote) {
            shippingFormula->setToolTip(quote.error().userMessage);
            return;
        }
        m_fields.value(u"delivery.cost"_qs)->setText(domain::Money(quote->total, u"PLN"_qs).toDecimalString());
        shippingFormula->setToolTip(quote->explanation.join(u'\n'));
    });
    delivery->addRow(QString(), shippingFormula);
    m_paymentMethod = new QComboBox(this);
    m_paymentMethod->addItem(tr("Bank transfer"), u"WIRE_TRANSFER"_qs);
    m_paymentMethod->addItem(tr("Cash on delivery"), u"CASH_ON_DELIVERY"_qs);
    m_paymentMethod->addItem(tr("Online payment"), u"ONLINE"_qs);
    m_paymentMethod->addItem(tr("Cash"), u"CASH"_qs);
    m_paymentMethod->addItem(tr("Company purchase"), u"COMPANY_PURCHASE"_qs);
    delivery->addRow(tr("Payment"), m_paymentMethod);
    m_paid = new QCheckBox(tr("Paid in full"), this);
    delivery->addRow(QString(), m_paid);
    m_invoiceWanted = new QCheckBox(tr("Wants an invoice"), this);
    delivery->addRow(QString(), m_invoiceWanted);
    addField(delivery, u"invoice.companyName"_qs, tr("Invoice company"));
    addField(delivery, u"invoice.nip"_qs, tr("Invoice NIP"));
    // Where the order came from (a phone call, a fair, a partner's shop): shown in the list and filterable.
    addField(delivery, u"referrers"_qs, tr("Referrers"))->setPlaceholderText(tr("e.g. phone, fair (comma-separated)"));
    columns->addWidget(buyerBox);
    columns->addWidget(deliveryBox);
    layout->addLayout(columns);

    auto *itemsBox = new QGroupBox(tr("Items"), this);
    auto *itemsLayout = new QVBoxLayout(itemsBox);
    m_items = new QTableWidget(0, ItemColumns, itemsBox);
    m_items->setHorizontalHeaderLabels(
        {tr("Name"), tr("SKU"), tr("EAN"), tr("Qty"), tr("Unit price (PLN)"), tr("VAT")});
    m_items->horizontalHeader()->setSectionResizeMode(ItemName, QHeaderView::Stretch);
    m_items->verticalHeader()->hide();
    m_itemProblems = new QLabel(itemsBox);
    m_itemProblems->setStyleSheet(u"QLabel { color: #b00020; }"_qs);
    m_itemProblems->setWordWrap(true);
    m_itemProblems->hide();
    auto *addItem = new QPushButton(tr("Add item"), itemsBox);
    auto *removeItem = new QPushButton(tr("Remove item"), itemsBox);
    connect(addItem, &QPushButton::clicked, this, [this] { addItemRow(); });
    connect(removeItem, &QPushButton::clicked, this, [this] {
        if (m_items->currentRow() >= 0)
            m_items->removeRow(m_items->currentRow());
    });
    auto *itemButtons = new QHBoxLayout;
    itemButtons->addWidget(addItem);
    itemButtons->addWidget(removeItem);
    itemButtons->addStretch();
    itemsLayout->addWidget(m_items);
    itemsLayout->addWidget(m_itemProblems);
    itemsLayout->addLayout(itemButtons);
    layout->addWidget(itemsBox, 1);

    m_notes = new QPlainTextEdit(this);
    m_notes->setPlaceholderText(tr("Notes for the team (not shown to the buyer)"));
    m_notes->setMaximumHeight(70);
    layout->addWidget(m_notes);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    if (orderId) {
        auto order = m_store.load(orderId);
        if (order) {
            m_original = *order;
            load(*order);
        } else {
            m_message->setText(order.error().userMessage);
            m_message->show();
        }
    } else {
        addItemRow();
    }
}

QLineEdit *OrderEditor::addField(QFormLayout *form, const QString &path, const QString &label)
{
    auto *edit = new QLineEdit(this);
    edit->setObjectName(path);
    auto *problem = new QLabel(this);
    problem->setStyleSheet(u"QLabel { color: #b00020; }"_qs);
    problem->setWordWrap(true);
    problem->hide();
    auto *box = new QVBoxLayout;
    box->setSpacing(1);
    box->addWidget(edit);
    box->addWidget(problem);
    form->addRow(label, box);
    m_fields.insert(path, edit);
    m_problems.insert(path, problem);
    connect(edit, &QLineEdit::textEdited, problem, [edit, problem] {
        problem->hide();
        edit->setStyleSheet({});
    });
    return edit;
}

void OrderEditor::addItemRow(const domain::LineItem &item)
{
    const int row = m_items->rowCount();
    m_items->insertRow(row);
    m_items->setItem(row, ItemName, new QTableWidgetItem(item.name));
    m_items->setItem(row, ItemSku, new QTableWidgetItem(item.sku));
    m_items->setItem(row, ItemEan, new QTableWidgetItem(item.ean));
    m_items->setItem(row, ItemQuantity, new QTableWidgetItem(QString::number(qMax(1, item.quantity))));
    m_items->setItem(row, ItemPrice,
                     new QTableWidgetItem(item.unitPrice.isNull() ? QString() : item.unitPrice.toDecimalString()));
    auto *vat = new QComboBox(m_items);
    for (const char *code : {"23", "8", "5", "0", "zw", "np", "oo"})
        vat->addItem(QString::fromLatin1(code));
    vat->setCurrentText(item.vatRate.isValid() ? item.vatRate.code() : u"23"_qs);
    m_items->setCellWidget(row, ItemVat, vat);
}

void OrderEditor::load(const domain::Order &o)
{
    auto set = [this](const QString &path, const QString &value) { m_fields.value(path)->setText(value); };
    set(u"buyer.firstName"_qs, o.buyer.firstName);
    set(u"buyer.lastName"_qs, o.buyer.lastName);
    set(u"buyer.companyName"_qs, o.buyer.companyName);
    set(u"buyer.email"_qs, o.buyer.email);
    set(u"buyer.phone"_qs, o.buyer.phone);
    set(u"buyer.nip"_qs, o.buyer.nip);
    set(u"buyer.login"_qs, o.buyer.login);
    set(u"delivery.methodName"_qs, o.delivery.methodName);
    set(u"delivery.address.street"_qs, o.delivery.address.street);
    set(u"delivery.address.postCode"_qs, o.delivery.address.postCode);
    set(u"delivery.address.city"_qs, o.delivery.address.city);
    set(u"delivery.address.countryCode"_qs, o.delivery.address.countryCode);
    set(u"delivery.cost"_qs, o.delivery.cost.isNull() ? QString() : o.delivery.cost.toDecimalString());
    set(u"invoice.companyName"_qs, o.invoice.companyName);
    set(u"invoice.nip"_qs, o.invoice.nip);
    const int method = m_paymentMethod->findData(o.payment.method);
    if (method >= 0)
        m_paymentMethod->setCurrentIndex(method);
    m_paid->setChecked(o.payment.status == domain::PaymentStatus::Paid);
    m_invoiceWanted->setChecked(o.invoice.wanted);
    for (const domain::LineItem &item : o.items)
        addItemRow(item);
    set(u"referrers"_qs, o.referrers.join(u", "));
    m_notes->setPlainText(o.notes);
}

domain::Order OrderEditor::collect(QList<domain::FieldProblem> &problems) const
{
    domain::Order o = m_orderId ? m_original : domain::Order();
    auto text = [this](const QString &path) { return m_fields.value(path)->text().trimmed(); };
    if (!m_orderId) {
        o.marketplace = u"manual"_qs;
        o.createdAt = QDateTime::currentDateTimeUtc();
    }
    o.buyer.firstName = text(u"buyer.firstName"_qs);
    o.buyer.lastName = text(u"buyer.lastName"_qs);
    o.buyer.companyName = text(u"buyer.companyName"_qs);
    o.buyer.email = text(u"buyer.email"_qs);
    o.buyer.phone = text(u"buyer.phone"_qs);
    o.buyer.nip = text(u"buyer.nip"_qs);
    o.buyer.login = text(u"buyer.login"_qs);
    o.delivery.methodName = text(u"delivery.methodName"_qs);
    o.delivery.address.firstName = o.buyer.firstName;
    o.delivery.address.lastName = o.buyer.lastName;
    o.delivery.address.companyName = o.buyer.companyName;
    o.delivery.address.street = text(u"delivery.address.street"_qs);
    o.delivery.address.postCode = text(u"delivery.address.postCode"_qs);
    o.delivery.address.city = text(u"delivery.address.city"_qs);
    o.delivery.address.countryCode = text(u"delivery.address.countryCode"_qs).toUpper();
    o.delivery.address.phone = o.buyer.phone;
    const QString cost = text(u"delivery.cost"_qs);
    if (cost.isEmpty()) {
        o.delivery.cost = domain::Money(0, kCurrency);
    } else if (auto parsed = domain::Money::parse(cost, kCurrency)) {
        o.delivery.cost = *parsed;
    } else {
        problems.append({u"delivery.cost"_qs, parsed.error().userMessage});
    }
    o.payment.method = m_paymentMethod->currentData().toString();
    o.invoice.wanted = m_invoiceWanted->isChecked();
    o.invoice.companyName = text(u"invoice.companyName"_qs);
    o.invoice.nip = text(u"invoice.nip"_qs);
    o.notes = m_notes->toPlainText().trimmed();
    o.referrers.clear();
    for (const QString &referrer : text(u"referrers"_qs).split(u',', Qt::SkipEmptyParts))
        if (const QString r = referrer.trimmed(); !r.isEmpty() && !o.referrers.contains(r))
            o.referrers.append(r);
    if (o.referrers.size() > domain::Order::kMaxReferrers)
        problems.append({u"referrers"_qs, tr("At most %1 referrers, separated by commas; this order has %2.")
                                              .arg(domain::Order::kMaxReferrers)
                                              .arg(o.referrers.size())});

    o.items.clear();
    for (int row = 0; row < m_items->rowCount(); ++row) {
        auto cell = [this, row](int column) {
            const QTableWidgetItem *item = m_items->item(row, column);
            return item ? item->text().trimmed() : QString();
        };
        if (cell(ItemName).isEmpty() && cell(ItemSku).isEmpty() && cell(ItemPrice).isEmpty())
            continue; // an empty row is not an item
        domain::LineItem item;
        item.name = cell(ItemName);
        item.sku = cell(ItemSku);
        item.ean = cell(ItemEan);
        bool ok = false;
        item.quantity = cell(ItemQuantity).toInt(&ok);
        if (!ok)
            item.quantity = 0;
        const QString field = u"items[" + QString::number(o.items.size()) + u"].";
        if (auto price = domain::Money::parse(cell(ItemPrice), kCurrency))
            item.unitPrice = *price;
        else
            problems.append({field + u"unitPrice", price.error().userMessage});
        item.originalPrice = item.unitPrice;
        if (auto *vat = qobject_cast<QComboBox *>(m_items->cellWidget(row, ItemVat)))
            item.vatRate = domain::VatRate::parse(vat->currentText()).value_or({});
        o.items.append(item);
    }
    o.total = domain::Money(0, kCurrency);
    o.total = o.computedTotal();
    if (m_paid->isChecked()) {
        o.payment.status = domain::PaymentStatus::Paid;
        o.payment.paidAmount = o.total;
        if (!o.payment.finishedAt.isValid())
            o.payment.finishedAt = QDateTime::currentDateTimeUtc();
    } else {
        o.payment.status = domain::PaymentStatus::Unpaid;
        o.payment.paidAmount = {};
        o.payment.finishedAt = {};
    }
    return o;
}

void OrderEditor::showProblems(const QList<domain::FieldProblem> &problems)
{
    for (auto it = m_problems.cbegin(); it != m_problems.cend(); ++it) {
        it.value()->hide();
        if (QLineEdit *edit = m_fields.value(it.key()))
            edit->setStyleSheet({});
    }
    QStringList itemLines;
    for (const domain::FieldProblem &problem : problems) {
        if (problem.field.startsWith(u"items")) {
            const qsizetype open = problem.field.indexOf(u'[');
            const qsizetype close = problem.field.indexOf(u']');
            const int row = open > 0 && close > open ? problem.field.mid(open + 1, close - open - 1).toInt() + 1 : 0;
            itemLines << (row ? tr("Item %1: %2").arg(row).arg(problem.message) : problem.message);
            continue;
        }
        QLabel *label = m_problems.value(problem.field);
        if (!label)
            label = m_problems.value(problem.field.section(u'.', 0, -2));
        if (label) {
            label->setText(label->isHidden() ? problem.message : label->text() + u'\n' + problem.message);
            label->show();
        }
        if (QLineEdit *edit = m_fields.value(problem.field))
            edit->setStyleSheet(u"QLineEdit { border: 1px solid #b00020; }"_qs);
    }
    m_itemProblems->setText(itemLines.join(u'\n'));
    m_itemProblems->setVisible(!itemLines.isEmpty());
}

QString OrderEditor::problem(const QString &path) const
{
    if (path == u"items")
        return m_itemProblems->isHidden() ? QString() : m_itemProblems->text();
    const QLabel *label = m_problems.value(path);
    return label && !label->isHidden() ? label->text() : QString();
}

QString OrderEditor::generalMessage() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

bool OrderEditor::save()
{
    QList<domain::FieldProblem> problems;
    domain::Order order = collect(problems);
    problems += domain::checkManualOrder(order);
    showProblems(problems);
    if (!problems.isEmpty()) {
        m_message->setText(tr("Some fields need attention; nothing was saved yet."));
        m_message->show();
        return false;
    }
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    const storage::ChangeContext context{user.isEmpty() ? u"user"_qs : u"user:" + user,
                                         m_orderId ? tr("edited by hand") : tr("manual order"), 0};
    auto result = m_orderId ? m_store.apply(storage::OrderChange::update(
                                  m_orderId,
                                  [&order](domain::Order &stored) -> Result<void> {
                                      const QString status = stored.status;
                                      const QStringList tags = stored.tags;
                                      stored = order;
                                      stored.status = status; // status and tags have their own actions
                                      stored.tags = tags;
                                      return {};
                                  },
                                  context))
                            : m_store.apply(storage::OrderChange::create(order, context));
    if (!result) {
        // The form stays as it is: nothing typed is lost.
        m_message->setText(tr("The order could not be saved: %1").arg(result.error().userMessage));
        m_message->show();
        return false;
    }
    m_savedId = result->orderId;
    m_message->hide();
    return true;
}

} // namespace sd::ui
