#include "filterpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>

namespace sd::ui {

FilterPanel::FilterPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);

    m_paymentStatus = new QComboBox(this);
    m_paymentStatus->addItem(tr("Any"), QString());
    m_paymentStatus->addItem(tr("Paid"), u"paid"_qs);
    m_paymentStatus->addItem(tr("Unpaid"), u"unpaid"_qs);
    m_paymentStatus->addItem(tr("Partly paid"), u"partially-paid"_qs);
    m_paymentStatus->addItem(tr("Overpaid"), u"overpaid"_qs);
    m_paymentStatus->addItem(tr("Refunded"), u"refunded"_qs);

    m_paymentMethod = new QComboBox(this);
    m_paymentMethod->addItem(tr("Any"), QString());
    m_paymentMethod->addItem(tr("Online payment"), u"ONLINE"_qs);
    m_paymentMethod->addItem(tr("Cash on delivery"), u"CASH_ON_DELIVERY"_qs);
    m_paymentMethod->addItem(tr("Bank transfer"), u"WIRE_TRANSFER"_qs);
    m_paymentMethod->addItem(tr("Split payment"), u"SPLIT_PAYMENT"_qs);
    m_paymentMethod->addItem(tr("Deferred payment"), u"EXTENDED_TERM"_qs);
    m_paymentMethod->addItem(tr("Cash"), u"CASH"_qs);
    m_paymentMethod->addItem(tr("Company purchase"), u"COMPANY_PURCHASE"_qs);

    m_delivery = new QComboBox(this);
    m_channel = new QComboBox(this);
    m_account = new QComboBox(this);
    m_country = new QComboBox(this);
    m_tag = new QComboBox(this);
    m_referrer = new QComboBox(this);
    m_boxes = {{u"delivery_method"_qs, m_delivery},
               {u"marketplace"_qs, m_channel},
               {u"account"_qs, m_account},
               {u"delivery_country"_qs, m_country},
               {u"tags"_qs, m_tag},
               {u"referrers"_qs, m_referrer}};
    setChoices({});

    m_marketplaceStatus = new QComboBox(this);
    m_marketplaceStatus->addItem(tr("Any"), QString());
    m_marketplaceStatus->addItem(tr("Bought, form not filled in"), u"BOUGHT"_qs);
    m_marketplaceStatus->addItem(tr("Form filled in, not paid"), u"FILLED_IN"_qs);
    m_marketplaceStatus->addItem(tr("Ready for processing"), u"READY_FOR_PROCESSING"_qs);
    m_marketplaceStatus->addItem(tr("Cancelled by the buyer"), u"CANCELLED"_qs);
    m_boxes.insert(u"marketplace_status"_qs, m_marketplaceStatus);

    m_invoice = new QComboBox(this);
    m_invoice->addItem(tr("Any"), QVariant());
    m_invoice->addItem(tr("Wants an invoice"), true);
    m_invoice->addItem(tr("No invoice"), false);

    m_comment = new QComboBox(this);
    m_comment->addItem(tr("Any"), QVariant());
    m_comment->addItem(tr("With a message"), true);
    m_comment->addItem(tr("Without a message"), false);
    m_boxes.insert(u"buyer_comment"_qs, m_comment);

    // The amount in the main unit; 0 means no bound.
    auto amount = [this] {
        auto *spin = new QDoubleSpinBox(this);
        spin->setRange(0, 1e9);
        spin->setDecimals(2);
        spin->setSpecialValueText(tr("any"));
        spin->setGroupSeparatorShown(true);
        return spin;
    };
    m_totalFrom = amount();
    m_totalTo = amount();

    m_useFrom = new QCheckBox(tr("Bought from"), this);
    m_from = new QDateEdit(QDate::currentDate().addDays(-7), this);
    m_from->setCalendarPopup(true);
    m_useTo = new QCheckBox(tr("to"), this);
    m_to = new QDateEdit(QDate::currentDate(), this);
    m_to->setCalendarPopup(true);

    auto *clearButton = new QPushButton(tr("Clear filters"), this);
    auto *saveButton = new QPushButton(tr("Save as view…"), this);

    auto label = [this](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    // Three rows: payment and delivery; where the order comes from; the order itself.
    grid->addWidget(label(tr("&Payment:"), m_paymentStatus), 0, 0);
    grid->addWidget(m_paymentStatus, 0, 1);
    grid->addWidget(label(tr("&Method:"), m_paymentMethod), 0, 2);
    grid->addWidget(m_paymentMethod, 0, 3);
    grid->addWidget(label(tr("&Delivery:"), m_delivery), 0, 4);
    grid->addWidget(m_delivery, 0, 5);
    grid->addWidget(label(tr("Co&untry:"), m_country), 0, 6);
    grid->addWidget(m_country, 0, 7);
    grid->addWidget(label(tr("C&hannel:"), m_channel), 1, 0);
    grid->addWidget(m_channel, 1, 1);
    grid->addWidget(label(tr("Acc&ount:"), m_account), 1, 2);
    grid->addWidget(m_account, 1, 3);
    grid->addWidget(label(tr("Marketplace s&tate:"), m_marketplaceStatus), 1, 4);
    grid->addWidget(m_marketplaceStatus, 1, 5);
    grid->addWidget(label(tr("&Referrer:"), m_referrer), 1, 6);
    grid->addWidget(m_referrer, 1, 7);
    grid->addWidget(label(tr("T&ag:"), m_tag), 2, 0);
    grid->addWidget(m_tag, 2, 1);
    grid->addWidget(label(tr("In&voice:"), m_invoice), 2, 2);
    grid->addWidget(m_invoice, 2, 3);
    grid->addWidget(label(tr("Buyer's &message:"), m_comment), 2, 4);
    grid->addWidget(m_comment, 2, 5);
    auto *amounts = new QHBoxLayout;
    amounts->addWidget(m_totalFrom);
    amounts->addWidget(new QLabel(tr("to"), this));
    amounts->addWidget(m_totalTo);
    grid->addWidget(label(tr("Amo&unt:"), m_totalFrom), 2, 6);
    grid->addLayout(amounts, 2, 7);
    auto *dates = new QHBoxLayout;
    dates->addWidget(m_useFrom);
    dates->addWidget(m_from);
    dates->addWidget(m_useTo);
    dates->addWidget(m_to);
    dates->addStretch();
    grid->addLayout(dates, 3, 0, 1, 6);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(clearButton);
    buttons->addWidget(saveButton);
    grid->addLayout(buttons, 3, 6, 1, 2);
    for (int column : {1, 3, 5, 7})
        grid->setColumnStretch(column, 1);

    auto emitChanged = [this] {
        if (!m_quiet)
            Q_EMIT changed();
    };
    for (QComboBox *box : {m_paymentStatus, m_paymentMethod, m_delivery, m_channel, m_invoice, m_account,
                           m_marketplaceStatus, m_country, m_tag, m_referrer, m_comment})
        connect(box, &QComboBox::currentIndexChanged, this, emitChanged);
    for (QDoubleSpinBox *spin : {m_totalFrom, m_totalTo})
        connect(spin, &QDoubleSpinBox::valueChanged, this, emitChanged);
    for (QCheckBox *box : {m_useFrom, m_useTo})
        connect(box, &QCheckBox::toggled, this, emitChanged);
    for (QDateEdit *edit : {m_from, m_to})
        connect(edit, &QDateEdit::dateChanged, this, [this, emitChanged] {
            if (m_useFrom->isChecked() || m_useTo->isChecked())
                emitChanged();
        });
    connect(clearButton, &QPushButton::clicked, this, [this] {
        clear();
        Q_EMIT changed();
    });
    connect(saveButton, &QPushButton::clicked, this, &FilterPanel::saveViewRequested);
}

void FilterPanel::setChoices(const QHash<QString, QStringList> &choices, const QHash<QString, QString> &labels)
{
    const bool quiet = std::exchange(m_quiet, true);
    auto fill = [this, &labels](QComboBox *box, const QStringList &values) {
        const QString current = box->currentData().toString();
        box->clear();
        box->addItem(tr("Any"), QString());
        for (const QString &value : values)
            box->addItem(box == m_account ? labels.value(value, value) : value, value);
        select(box, current);
    };
    for (const QString &column :
         {u"delivery_method"_qs, u"marketplace"_qs, u"account"_qs, u"delivery_country"_qs, u"tags"_qs, u"referrers"_qs})
        fill(m_boxes.value(column), choices.value(column));
    m_quiet = quiet;
}

void FilterPanel::select(QComboBox *box, const QVariant &value)
{
    for (int i = 0; i < box->count(); ++i) {
        if (box->itemData(i) == value) {
            box->setCurrentIndex(i);
            return;
        }
    }
    if (value.typeId() == QMetaType::QString && !value.toString().isEmpty()) {
        box->addItem(value.toString(), value); // a saved view may name a value no order has today
        box->setCurrentIndex(box->count() - 1);
        return;
    }
    box->setCurrentIndex(0);
}

void FilterPanel::applyTo(storage::OrderQuery::Filter &filter) const
{
    filter.paymentStatus = m_paymentStatus->currentData().toString();
    filter.paymentMethod = m_paymentMethod->currentData().toString();
    filter.deliveryMethod = m_delivery->currentData().toString();
    filter.marketplace = m_channel->currentData().toString();
    const QVariant invoice = m_invoice->currentData();
    filter.invoiceWanted = invoice.isValid() ? std::optional<bool>(invoice.toBool()) : std::nullopt;
    filter.account = m_account->currentData().toString();
    filter.marketplaceStatus = m_marketplaceStatus->currentData().toString();
    filter.deliveryCountry = m_country->currentData().toString();
    filter.tag = m_tag->currentData().toString();
    filter.referrer = m_referrer->currentData().toString();
    const QVariant comment = m_comment->currentData();
    filter.buyerCommented = comment.isValid() ? std::optional<bool>(comment.toBool()) : std::nullopt;
    auto minor = [](const QDoubleSpinBox *spin) {
        return spin->value() > 0 ? std::optional<qint64>(qRound64(spin->value() * 100)) : std::nullopt;
    };
    filter.totalFrom = minor(m_totalFrom);
    filter.totalTo = minor(m_totalTo);
    filter.createdFrom = m_useFrom->isChecked() ? QDateTime(m_from->date(), QTime(0, 0)) : QDateTime();
    filter.createdTo = m_useTo->isChecked() ? QDateTime(m_to->date().addDays(1), QTime(0, 0)) : QDateTime();
}

void FilterPanel::showFilter(const storage::OrderQuery::Filter &filter)
{
    const bool quiet = std::exchange(m_quiet, true);
    select(m_paymentStatus, filter.paymentStatus);
    select(m_paymentMethod, filter.paymentMethod);
    select(m_delivery, filter.deliveryMethod);
    select(m_channel, filter.marketplace);
    select(m_invoice, filter.invoiceWanted ? QVariant(*filter.invoiceWanted) : QVariant());
    select(m_account, filter.account);
    select(m_marketplaceStatus, filter.marketplaceStatus);
    select(m_country, filter.deliveryCountry);
    select(m_tag, filter.tag);
    select(m_referrer, filter.referrer);
    select(m_comment, filter.buyerCommented ? QVariant(*filter.buyerCommented) : QVariant());
    m_totalFrom->setValue(filter.totalFrom ? *filter.totalFrom / 100.0 : 0);
    m_totalTo->setValue(filter.totalTo ? *filter.totalTo / 100.0 : 0);
    m_useFrom->setChecked(filter.createdFrom.isValid());
    if (filter.createdFrom.isValid())
        m_from->setDate(filter.createdFrom.toLocalTime().date());
    m_useTo->setChecked(filter.createdTo.isValid());
    if (filter.createdTo.isValid())
        m_to->setDate(filter.createdTo.toLocalTime().date().addDays(-1));
    m_quiet = quiet;
}

void FilterPanel::clear()
{
    showFilter({});
}

bool FilterPanel::isActive() const
{
    storage::OrderQuery::Filter filter;
    applyTo(filter);
    return filter != storage::OrderQuery::Filter();
}

} // namespace sd::ui
