#include "filterpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
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

    m_delivery = new QComboBox(this);
    m_channel = new QComboBox(this);
    setChoices({}, {});

    m_invoice = new QComboBox(this);
    m_invoice->addItem(tr("Any"), QVariant());
    m_invoice->addItem(tr("Wants an invoice"), true);
    m_invoice->addItem(tr("No invoice"), false);

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
    grid->addWidget(label(tr("&Payment:"), m_paymentStatus), 0, 0);
    grid->addWidget(m_paymentStatus, 0, 1);
    grid->addWidget(label(tr("&Method:"), m_paymentMethod), 0, 2);
    grid->addWidget(m_paymentMethod, 0, 3);
    grid->addWidget(label(tr("&Delivery:"), m_delivery), 0, 4);
    grid->addWidget(m_delivery, 0, 5);
    grid->addWidget(label(tr("C&hannel:"), m_channel), 1, 0);
    grid->addWidget(m_channel, 1, 1);
    grid->addWidget(label(tr("In&voice:"), m_invoice), 1, 2);
    grid->addWidget(m_invoice, 1, 3);
    auto *dates = new QHBoxLayout;
    dates->addWidget(m_useFrom);
    dates->addWidget(m_from);
    dates->addWidget(m_useTo);
    dates->addWidget(m_to);
    grid->addLayout(dates, 1, 4, 1, 2);
    grid->addWidget(clearButton, 0, 6);
    grid->addWidget(saveButton, 1, 6);
    grid->setColumnStretch(5, 1);

    auto emitChanged = [this] {
        if (!m_quiet)
            Q_EMIT changed();
    };
    for (QComboBox *box : {m_paymentStatus, m_paymentMethod, m_delivery, m_channel, m_invoice})
        connect(box, &QComboBox::currentIndexChanged, this, emitChanged);
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

void FilterPanel::setChoices(const QStringList &deliveryMethods, const QStringList &channels)
{
    const bool quiet = std::exchange(m_quiet, true);
    auto fill = [this](QComboBox *box, const QStringList &values) {
        const QString current = box->currentData().toString();
        box->clear();
        box->addItem(tr("Any"), QString());
        for (const QString &value : values)
            box->addItem(value, value);
        select(box, current);
    };
    fill(m_delivery, deliveryMethods);
    fill(m_channel, channels);
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
