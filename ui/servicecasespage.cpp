#include "servicecasespage.h"

#include "service/servicestore.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sd::ui {

using namespace sd::service;

namespace {

enum Column { Id, State, Product, Buyer, Order, Expected, ColumnCount };

const QColor kDue(0xfd, 0xeb, 0xc8);
const QColor kOverdue(0xf8, 0xd0, 0xcc);

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString day(const QDate &d)
{
    return d.isValid() ? QLocale().toString(d, QLocale::ShortFormat) : QString();
}

} // namespace

ServiceCasesPage::ServiceCasesPage(std::shared_ptr<storage::Database> db, const QString &actor, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_orders(std::make_unique<storage::OrderStore>(m_db))
    , m_actor(actor)
    , m_state(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_view(new QTextBrowser(this))
    , m_note(new QLineEdit(this))
    , m_buttons(new QHBoxLayout)
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Service cases"));
    m_state->addItem(tr("Open cases"), u"open"_qs);
    m_state->addItem(tr("All cases"), QString());
    for (const QString &key : stateKeys())
        m_state->addItem(stateName(*stateFromKey(key)), key);
    m_search->setPlaceholderText(tr("Product, serial number, buyer or case number"));
    m_search->setClearButtonEnabled(true);
    auto *stateLabel = new QLabel(tr("&Show"), this);
    stateLabel->setBuddy(m_state);
    auto *searchLabel = new QLabel(tr("S&earch"), this);
    searchLabel->setBuddy(m_search);
    auto *add = new QPushButton(tr("&New case…"), this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(stateLabel);
    bar->addWidget(m_state);
    bar->addWidget(searchLabel);
    bar->addWidget(m_search, 1);
    bar->addWidget(add);
    connect(m_state, &QComboBox::currentIndexChanged, this, &ServiceCasesPage::refresh);
    connect(m_search, &QLineEdit::returnPressed, this, &ServiceCasesPage::refresh);
    connect(add, &QPushButton::clicked, this, &ServiceCasesPage::addCase);

    m_table->setHorizontalHeaderLabels(
        {tr("No."), tr("State"), tr("Product"), tr("Buyer"), tr("Order"), tr("Expected back")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ServiceCasesPage::showCase);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_view, 1);
    auto *noteLabel = new QLabel(tr("N&ote to the next step (the buyer reads it)"), right);
    noteLabel->setBuddy(m_note);
    rightLayout->addWidget(noteLabel);
    rightLayout->addWidget(m_note);
    rightLayout->addLayout(m_buttons);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({700, 380});

    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_message->setWordWrap(true);
    m_message->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_message);
    layout->addWidget(box);
    resize(1100, 640);
    refresh();
    m_table->setFocus();
}

ServiceCasesPage::~ServiceCasesPage() = default;

QList<QWidget *> ServiceCasesPage::nextButtons() const
{
    return m_nextButtons;
}

QString ServiceCasesPage::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ServiceCasesPage::report(const QString &message, bool error)
{
    m_message->setText(message);
    m_message->setStyleSheet(error ? u"color:#c0392b"_qs : QString());
    m_message->setVisible(!message.isEmpty());
}

bool ServiceCasesPage::refresh()
{
    const qint64 selected = m_table->currentRow() >= 0 && m_table->item(m_table->currentRow(), Id)
                                ? m_table->item(m_table->currentRow(), Id)->data(Qt::UserRole).toLongLong()
                                : 0;
    ServiceFilter filter;
    const QString state = m_state->currentData().toString();
    filter.openOnly = state == u"open";
    filter.state = state == u"open" ? QString() : state;
    filter.search = m_search->text();
    auto cases = ServiceStore(*m_orders).list(filter);
    if (!cases) {
        report(cases.error().userMessage, true);
        return false;
    }
    const QSignalBlocker block(m_table);
    m_table->setRowCount(int(cases->size()));
    const QDate today = QDate::currentDate();
    for (int r = 0; r < cases->size(); ++r) {
        const ServiceCase &c = cases->at(r);
        const QStringList cells = {QString::number(c.id),
                                   stateName(c.state),
                                   c.serial.isEmpty() ? c.productName : u"%1 (%2)"_qs.arg(c.productName, c.serial),
                                   c.buyerName.isEmpty() ? c.buyerEmail : c.buyerName,
                                   c.orderId ? QString::number(c.orderId) : QString(),
                                   day(c.expectedReturn)};
        for (int col = 0; col < ColumnCount; ++col) {
            auto *item = new QTableWidgetItem(cells.at(col));
            item->setToolTip(cells.at(col));
            if (col == Id) {
                item->setData(Qt::UserRole, c.id);
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            }
            if (c.isOverdue(today)) {
                item->setBackground(kOverdue);
                item->setToolTip(tr("Overdue: expected back on %1").arg(day(c.expectedReturn)));
            } else if (c.isDue(today)) {
                item->setBackground(kDue);
                item->setToolTip(tr("Expected back today"));
            }
            m_table->setItem(r, col, item);
        }
    }
    m_table->resizeColumnsToContents();
    // Long product names are cut (the tooltip and the case view have them whole), so every column stays in view.
    for (int col = 0; col < ColumnCount; ++col)
        m_table->setColumnWidth(col, std::min(m_table->columnWidth(col), 200));
    if (!selected || !selectCase(selected)) {
        if (m_table->rowCount() > 0)
            m_table->selectRow(0);
    }
    showCase();
    report(cases->isEmpty() ? tr("No service cases here.") : QString(), false);
    return true;
}

bool ServiceCasesPage::selectCase(qint64 id)
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, Id)->data(Qt::UserRole).toLongLong() == id) {
            m_table->selectRow(r);
            return true;
        }
    return false;
}

void ServiceCasesPage::showCase()
{
    // Later, not now: the button that was clicked may be the one asking for this.
    for (QWidget *old : std::as_const(m_nextButtons)) {
        old->hide();
        old->deleteLater();
    }
    m_nextButtons.clear();
    const int row = m_table->currentRow();
    if (row < 0 || !m_table->item(row, Id)) {
        m_view->setHtml(u"<p>"_qs + esc(tr("Choose a case on the left.")) + u"</p>"_qs);
        return;
    }
    auto c = ServiceStore(*m_orders).get(m_table->item(row, Id)->data(Qt::UserRole).toLongLong());
    if (!c) {
        m_view->setHtml(u"<p>"_qs + esc(c.error().userMessage) + u"</p>"_qs);
        return;
    }
    const QDate today = QDate::currentDate();
    QString html = u"<h3>"_qs + esc(tr("Service case %1: %2").arg(c->id).arg(c->productName)) + u"</h3><table>"_qs;
    auto field = [&](const QString &label, const QString &value, const QString &style = {}) {
        if (!value.isEmpty())
            html += u"<tr><td style='color:#666;padding-right:12px'>"_qs + esc(label) + u"</td><td style='"_qs + style +
                    u"'>"_qs + esc(value) + u"</td></tr>"_qs;
    };
    field(tr("State"), stateName(c->state), u"font-weight:bold"_qs);
    field(tr("Order"), c->orderId ? QString::number(c->orderId) : QString());
    field(tr("Serial number"), c->serial);
    field(tr("Buyer"), QStringList{c->buyerName, c->buyerEmail, c->buyerPhone}.join(u' ').simplified());
    field(tr("Problem"), c->problem);
    field(tr("Service"), c->serviceName);
    field(tr("Expected back"),
          c->isOverdue(today) ? tr("%1 (overdue)").arg(day(c->expectedReturn)) : day(c->expectedReturn),
          c->isOverdue(today) ? u"color:#c0392b;font-weight:bold"_qs
                              : (c->isDue(today) ? u"color:#b9770e;font-weight:bold"_qs : QString()));
    field(tr("Warranty until"), day(c->warrantyEnd));
    html += u"</table><h4>"_qs + esc(tr("Timeline")) + u"</h4><table>"_qs;
    for (const ServiceStep &s : std::as_const(c->steps)) {
        const auto to = stateFromKey(s.to);
        html += u"<tr><td style='color:#666;padding-right:12px'>"_qs +
                esc(QLocale().toString(s.at.toLocalTime(), QLocale::ShortFormat)) + u"</td><td><b>"_qs +
                esc(to ? stateName(*to) : s.to) + u"</b>"_qs +
                (s.note.isEmpty() ? QString() : u" — "_qs + esc(s.note)) + u"<br><span style='color:#888'>"_qs +
                esc(s.user.isEmpty() ? s.actor : s.user) + u"</span></td></tr>"_qs;
    }
    html += u"</table>"_qs;
    m_view->setHtml(html);

    int shortcut = 1;
    for (ServiceState next : nextStates(c->state)) {
        // Alt+1, Alt+2, ...: the next states from the keyboard.
        auto *button = new QPushButton(u"&%1 "_qs.arg(shortcut++) + tr("→ %1").arg(stateName(next)), this);
        connect(button, &QPushButton::clicked, this, [this, next] { advanceSelected(next); });
        m_buttons->addWidget(button);
        m_nextButtons.append(button);
    }
    if (m_nextButtons.isEmpty()) {
        auto *closed = new QLabel(tr("The case is closed."), this);
        m_buttons->addWidget(closed);
        m_nextButtons.append(closed);
    }
}

bool ServiceCasesPage::advanceSelected(ServiceState to)
{
    const int row = m_table->currentRow();
    if (row < 0)
        return false;
    const qint64 id = m_table->item(row, Id)->data(Qt::UserRole).toLongLong();
    auto moved = ServiceStore(*m_orders).advance(id, to, m_actor, m_note->text().trimmed());
    if (!moved) {
        report(moved.error().userMessage, true);
        return false;
    }
    m_note->clear();
    refresh();
    selectCase(id);
    report(tr("Case %1: %2. The buyer is informed by e-mail when an address is known.")
               .arg(id)
               .arg(stateName(moved->state)),
           false);
    return true;
}

void ServiceCasesPage::addCase()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("New service case"));
    auto *order = new QLineEdit(&dialog);
    order->setPlaceholderText(tr("SellerDesk or marketplace number (optional)"));
    auto *line = new QLineEdit(&dialog);
    line->setPlaceholderText(tr("1, 2, ... (an order with several lines)"));
    auto *product = new QLineEdit(&dialog);
    auto *serial = new QLineEdit(&dialog);
    auto *buyer = new QLineEdit(&dialog);
    auto *email = new QLineEdit(&dialog);
    auto *phone = new QLineEdit(&dialog);
    auto *problem = new QLineEdit(&dialog);
    auto *serviceName = new QLineEdit(&dialog);
    auto *expected = new QDateEdit(QDate::currentDate().addDays(14), &dialog);
    expected->setCalendarPopup(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Order"), order);
    form->addRow(tr("&Line"), line);
    form->addRow(tr("&Product"), product);
    form->addRow(tr("&Serial number"), serial);
    form->addRow(tr("&Buyer"), buyer);
    form->addRow(tr("&E-mail"), email);
    form->addRow(tr("P&hone"), phone);
    form->addRow(tr("P&roblem"), problem);
    form->addRow(tr("Ser&vice"), serviceName);
    form->addRow(tr("E&xpected back"), expected);
    auto *error = new QLabel(&dialog);
    error->setStyleSheet(u"color:#c0392b"_qs);
    error->setWordWrap(true);
    error->hide();
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(error);
    layout->addWidget(box);
    connect(box, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    qint64 created = 0;
    connect(box, &QDialogButtonBox::accepted, &dialog, [&] {
        NewServiceCase n;
        if (!order->text().trimmed().isEmpty()) {
            auto id = m_orders->resolve(order->text().trimmed());
            if (!id) {
                error->setText(id.error().userMessage);
                error->show();
                return;
            }
            n.orderId = *id;
        }
        if (!line->text().trimmed().isEmpty()) {
            bool ok = false;
            n.itemPosition = line->text().trimmed().toInt(&ok) - 1;
            if (!ok || n.itemPosition < 0) {
                error->setText(tr("The line is its number: 1, 2, ..."));
                error->show();
                return;
            }
        }
        n.productName = product->text();
        n.serial = serial->text();
        n.buyerName = buyer->text();
        n.buyerEmail = email->text();
        n.buyerPhone = phone->text();
        n.problem = problem->text();
        n.serviceName = serviceName->text();
        n.expectedReturn = expected->date();
        auto c = ServiceStore(*m_orders).add(n, m_actor);
        if (!c) {
            error->setText(c.error().userMessage);
            error->show();
            return;
        }
        created = c->id;
        dialog.accept();
    });
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_state->setCurrentIndex(0);
    refresh();
    selectCase(created);
    report(tr("Service case %1 registered.").arg(created), false);
}

} // namespace sd::ui
