#include "returnspage.h"

#include "access/session.h"
#include "inventory/inventorystore.h"
#include "marketplace/accountstore.h"
#include "messaging/outbox.h"
#include "registerreturndialog.h"
#include "returns/customerreturns.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace sd::ui {

using returns::ReturnCase;
using returns::ReturnState;

namespace {

QTableWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setWordWrap(false);
    return t;
}

void setRow(QTableWidget *t, int row, const QStringList &cells, const QVariant &data = {})
{
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells.at(c));
        if (c == 0 && data.isValid())
            item->setData(Qt::UserRole, data);
        t->setItem(row, c, item);
    }
}

// The window's secret store, else the one the program opened at start (the order view has none of its own).
std::shared_ptr<automation::MarketplaceAccess> accessFor(const std::shared_ptr<security::SecretStore> &secrets)
{
    auto access = std::make_shared<automation::MarketplaceAccess>();
    access->secrets = secrets ? secrets : messaging::Outbox::defaultSecrets();
    return access->secrets ? access : nullptr;
}

} // namespace

ReturnsPage::ReturnsPage(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                         QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_secrets(std::move(secrets))
    , m_store(std::make_unique<storage::OrderStore>(m_db))
{
    setWindowTitle(tr("Returns"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_filter = new QComboBox(this);
    m_filter->addItem(tr("Open returns"), u"open"_qs);
    m_filter->addItem(tr("All returns"), QString());
    for (ReturnState s : returns::allStates())
        m_filter->addItem(returns::stateLabel(s), returns::stateKey(s));
    auto *filterLabel = new QLabel(tr("&Show:"), this);
    filterLabel->setBuddy(m_filter);
    auto *registerButton = new QPushButton(tr("&Register return…"), this);
    registerButton->setEnabled(false);
    connect(registerButton, &QPushButton::clicked, this, [this] { registerReturn(); });
    registerButton->setObjectName(u"registerButton"_qs);
    auto *download = new QPushButton(tr("&Download Allegro returns"), this);
    download->setToolTip(tr("Allegro's customer returns of every connected account become returns here, each once."));
    connect(download, &QPushButton::clicked, this, &ReturnsPage::downloadCustomerReturns);
    top->addWidget(filterLabel);
    top->addWidget(m_filter);
    top->addStretch();
    top->addWidget(download);
    top->addWidget(registerButton);
    layout->addLayout(top);

    auto *splitter = new QSplitter(this);
    m_list = table({tr("Number"), tr("Order"), tr("State"), tr("Units"), tr("Value"), tr("Registered"), tr("Reason")},
                   splitter);
    splitter->addWidget(m_list);
    auto *view = new QWidget(splitter);
    auto *v = new QVBoxLayout(view);
    v->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(view);
    QFont font = m_title->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.2);
    m_title->setFont(font);
    m_details = new QLabel(view);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_title);
    v->addWidget(m_details);
    m_items = table({tr("SKU"), tr("Item"), tr("Quantity"), tr("Price")}, view);
    m_items->setMaximumHeight(130);
    v->addWidget(new QLabel(tr("Items:"), view));
    v->addWidget(m_items);
    auto *files = new QHBoxLayout;
    m_attachments = new QListWidget(view);
    m_attachments->setMaximumHeight(70);
    auto *fileButtons = new QVBoxLayout;
    auto *addFile = new QPushButton(tr("Add &photo…"), view);
    connect(addFile, &QPushButton::clicked, this, &ReturnsPage::addAttachment);
    auto *saveFile = new QPushButton(tr("&Save as…"), view);
    connect(saveFile, &QPushButton::clicked, this, &ReturnsPage::saveAttachment);
    fileButtons->addWidget(addFile);
    fileButtons->addWidget(saveFile);
    fileButtons->addStretch();
    files->addWidget(m_attachments);
    files->addLayout(fileButtons);
    v->addWidget(new QLabel(tr("Attachments:"), view));
    v->addLayout(files);
    m_timeline = table({tr("When"), tr("Who"), tr("Step")}, view);
    v->addWidget(new QLabel(tr("Timeline:"), view));
    v->addWidget(m_timeline);
    auto *step = new QGroupBox(tr("Next step"), view);
    auto *stepLayout = new QVBoxLayout(step);
    auto *options = new QHBoxLayout;
    m_warehouse = new QComboBox(step);
    auto *warehouseLabel = new QLabel(tr("&Warehouse:"), step);
    warehouseLabel->setBuddy(m_warehouse);
    m_refund = new QCheckBox(tr("Refund through &Allegro"), step);
    m_correction = new QCheckBox(tr("&Correction invoice"), step);
    m_refund->setChecked(true);
    m_correction->setChecked(true);
    options->addWidget(warehouseLabel);
    options->addWidget(m_warehouse);
    options->addWidget(m_refund);
    options->addWidget(m_correction);
    options->addStretch();
    m_actions = new QHBoxLayout;
    stepLayout->addLayout(options);
    stepLayout->addLayout(m_actions);
    v->addWidget(step);
    splitter->addWidget(view);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({540, 640});
    layout->addWidget(splitter, 1);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    auto *close = new QPushButton(tr("Close"), this);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    layout->addWidget(close, 0, Qt::AlignRight);

    inventory::InventoryStore inventory(*m_store);
    auto warehouses = inventory.warehouses();
    auto settings = returns::ReturnSettings::load(*m_db);
    if (warehouses)
        for (const inventory::Warehouse &w : std::as_const(*warehouses)) {
            m_warehouse->addItem(u"%1 – %2"_qs.arg(w.code, w.name), w.code);
            if ((settings && settings->warehouse == w.code) ||
                (w.isDefault && settings && settings->warehouse.isEmpty()))
                m_warehouse->setCurrentIndex(m_warehouse->count() - 1);
        }
    connect(m_filter, &QComboBox::currentIndexChanged, this, [this] { reload(); });
    connect(m_list, &QTableWidget::itemSelectionChanged, this, [this] {
        const int row = m_list->currentRow();
        showReturn(row >= 0 && m_list->item(row, 0) ? m_list->item(row, 0)->data(Qt::UserRole).toLongLong() : 0);
    });
    resize(1180, 720);
    reload();
}

storage::ChangeContext ReturnsPage::context() const
{
    return {u"user:"_qs + access::Session::currentUserName(), tr("returns"), 0};
}

void ReturnsPage::setOrder(qint64 orderId)
{
    m_orderId = orderId;
    if (auto *b = findChild<QPushButton *>(u"registerButton"_qs))
        b->setEnabled(orderId != 0);
    if (orderId)
        m_filter->setCurrentIndex(1);
    setWindowTitle(orderId ? tr("Returns of order %1").arg(orderId) : tr("Returns"));
    reload();
}

bool ReturnsPage::reload()
{
    returns::ReturnFilter filter;
    filter.orderId = m_orderId;
    const QString key = m_filter->currentData().toString();
    filter.openOnly = key == u"open";
    if (!key.isEmpty() && key != u"open")
        filter.state = returns::stateFromKey(key);
    auto cases = returns::ReturnStore(m_db).list(filter);
    if (!cases) {
        showMessage(cases.error().userMessage, true);
        return false;
    }
    const qint64 keep = m_current;
    m_list->setRowCount(int(cases->size()));
    for (int row = 0; row < cases->size(); ++row) {
        const ReturnCase &r = cases->at(row);
        setRow(m_list, row,
               {r.number, QString::number(r.orderId), returns::stateLabel(r.state), QString::number(r.units()),
                r.value().toDisplayString(), QLocale().toString(r.createdAt.toLocalTime(), QLocale::ShortFormat),
                r.reason},
               r.id);
    }
    m_list->resizeColumnsToContents();
    if (!select(keep) && !cases->isEmpty())
        m_list->selectRow(0);
    if (cases->isEmpty())
        showReturn(0);
    return true;
}

bool ReturnsPage::select(qint64 returnId)
{
    for (int row = 0; returnId && row < m_list->rowCount(); ++row)
        if (m_list->item(row, 0)->data(Qt::UserRole).toLongLong() == returnId) {
            m_list->selectRow(row);
            showReturn(returnId);
            return true;
        }
    return false;
}

void ReturnsPage::showReturn(qint64 returnId)
{
    m_current = returnId;
    while (QLayoutItem *item = m_actions->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_items->setRowCount(0);
    m_attachments->clear();
    m_timeline->setRowCount(0);
    if (!returnId) {
        m_title->setText(tr("No return chosen"));
        m_details->clear();
        return;
    }
    auto r = returns::ReturnStore(m_db).load(returnId);
    if (!r) {
        showMessage(r.error().userMessage, true);
        return;
    }
    m_title->setText(tr("Return %1 – order %2 – %3").arg(r->number).arg(r->orderId).arg(returns::stateLabel(r->state)));
    QStringList details{tr("Reason: %1").arg(r->reason)};
    if (!r->lateOverride.isEmpty())
        details.append(tr("Accepted after the term: %1").arg(r->lateOverride));
    if (r->source != u"manual")
        details.append(tr("Customer return on Allegro: %1").arg(r->externalId));
    if (!r->warehouse.isEmpty())
        details.append(tr("Received into %1 %2").arg(r->warehouse, r->stockDocument));
    if (!r->refund.isEmpty())
        details.append(r->refund == u"manual" ? tr("Refunded by the seller")
                                              : tr("Refund on Allegro: %1").arg(r->refund));
    if (!r->correction.isEmpty())
        details.append(tr("Correction invoice: %1").arg(r->correction));
    m_details->setText(details.join(u'\n'));
    m_items->setRowCount(int(r->items.size()));
    for (int row = 0; row < r->items.size(); ++row) {
        const returns::ReturnItem &i = r->items.at(row);
        setRow(m_items, row, {i.sku, i.name, QString::number(i.quantity), i.unitPrice.toDisplayString()});
    }
    m_items->resizeColumnsToContents();
    for (const returns::ReturnAttachment &a : std::as_const(r->attachments)) {
        auto *item = new QListWidgetItem(tr("%1 (%2 kB)").arg(a.name).arg((a.size + 1023) / 1024), m_attachments);
        item->setData(Qt::UserRole, a.id);
        item->setData(Qt::UserRole + 1, a.name);
    }
    auto history = m_store->history(r->orderId);
    if (history) {
        int row = 0;
        for (const storage::HistoryEntry &h : std::as_const(*history)) {
            if (h.field != u"return "_qs + r->number)
                continue;
            m_timeline->insertRow(row);
            const auto from = returns::stateFromKey(h.oldValue);
            const auto to = returns::stateFromKey(h.newValue);
            const QString change =
                from ? tr("%1 → %2").arg(returns::stateLabel(*from), to ? returns::stateLabel(*to) : h.newValue)
                     : (to ? returns::stateLabel(*to) : h.newValue);
            setRow(m_timeline, row,
                   {QLocale().toString(h.at.toLocalTime(), QLocale::ShortFormat), h.user.isEmpty() ? h.actor : h.user,
                    change});
            ++row;
        }
        m_timeline->resizeColumnsToContents();
    }
    const QList<ReturnState> next = returns::nextStates(r->state);
    m_warehouse->setEnabled(next.contains(ReturnState::Received));
    m_refund->setEnabled(next.contains(ReturnState::Refunded));
    m_correction->setEnabled(next.contains(ReturnState::Refunded));
    for (ReturnState s : next) {
        auto *button = new QPushButton(tr("Mark %1").arg(returns::stateLabel(s)), this);
        connect(button, &QPushButton::clicked, this, [this, s] { advanceTo(s); });
        m_actions->addWidget(button);
    }
    if (next.isEmpty())
        m_actions->addWidget(new QLabel(tr("This return is closed."), this));
    m_actions->addStretch();
}

bool ReturnsPage::advanceTo(ReturnState state)
{
    if (!m_current)
        return false;
    returns::AdvanceRequest request;
    request.returnId = m_current;
    request.to = state;
    if (state == ReturnState::Received)
        request.warehouse = m_warehouse->currentData().toString();
    if (state == ReturnState::Refunded) {
        request.refund = m_refund->isChecked();
        request.correction = m_correction->isChecked();
    }
    auto moved = returns::ReturnService(*m_store, accessFor(m_secrets)).advance(request, context());
    if (!moved) {
        showMessage(moved.error().userMessage, true);
        return false;
    }
    showMessage(tr("Return %1 is %2 now.").arg(moved->number, returns::stateLabel(moved->state)), false);
    reload();
    select(moved->id);
    return true;
}

bool ReturnsPage::registerReturn(qint64 orderId)
{
    const qint64 order = orderId ? orderId : m_orderId;
    if (!order)
        return false;
    returns::ReturnService service(*m_store);
    RegisterReturnDialog dialog(service, order, context(), this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    showMessage(tr("Return %1 registered.").arg(dialog.registered().number), false);
    m_filter->setCurrentIndex(1);
    reload();
    select(dialog.registered().id);
    return true;
}

bool ReturnsPage::downloadCustomerReturns()
{
    auto access = accessFor(m_secrets);
    if (!access) {
        showMessage(tr("The secret store with the marketplace tokens is not open; no return was downloaded."), true);
        return false;
    }
    auto accounts = marketplace::AccountStore(m_db).list();
    if (!accounts) {
        showMessage(accounts.error().userMessage, true);
        return false;
    }
    returns::ReturnService service(*m_store, access);
    returns::CustomerReturns importer(service);
    int created = 0;
    QStringList notes;
    for (const marketplace::MarketplaceAccount &account : std::as_const(*accounts)) {
        if (!account.connected)
            continue;
        auto report = importer.downloadAccount(account.id, access);
        if (!report) {
            showMessage(report.error().userMessage, true);
            return false;
        }
        created += report->created;
        notes += report->skipped;
    }
    showMessage(tr("%n new return(s) from Allegro.", nullptr, created) +
                    (notes.isEmpty() ? QString() : u' ' + notes.join(u' ')),
                false);
    reload();
    return true;
}

QStringList ReturnsPage::actionLabels() const
{
    QStringList labels;
    for (int i = 0; i < m_actions->count(); ++i)
        if (auto *b = qobject_cast<QPushButton *>(m_actions->itemAt(i)->widget()))
            labels.append(b->text());
    return labels;
}

QString ReturnsPage::message() const
{
    return m_message->text();
}

void ReturnsPage::showMessage(const QString &text, bool error)
{
    m_message->setStyleSheet(error ? u"color:#c0392b"_qs : u"color:#2e7d32"_qs);
    m_message->setText(text);
}

void ReturnsPage::addAttachment()
{
    if (!m_current)
        return;
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Photos and files of the return"));
    for (const QString &file : files) {
        auto added = returns::ReturnService(*m_store).attach(m_current, file, context());
        if (!added) {
            showMessage(added.error().userMessage, true);
            return;
        }
    }
    showReturn(m_current);
}

void ReturnsPage::saveAttachment()
{
    QListWidgetItem *item = m_attachments->currentItem();
    if (!item)
        return;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save the attachment"), item->data(Qt::UserRole + 1).toString());
    if (path.isEmpty())
        return;
    auto data = returns::ReturnStore(m_db).attachmentData(item->data(Qt::UserRole).toLongLong());
    if (!data) {
        showMessage(data.error().userMessage, true);
        return;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*data) != data->size())
        showMessage(tr("Cannot write %1: %2").arg(path, file.errorString()), true);
}

QString ReturnsPage::orderSectionHtml(const std::shared_ptr<storage::Database> &db, const domain::Order &order)
{
    QString html = u"<h3>"_qs + tr("Returns").toHtmlEscaped() + u"</h3>"_qs;
    auto cases = returns::ReturnStore(db).list({std::nullopt, order.id, false, 50});
    if (cases)
        for (const ReturnCase &r : std::as_const(*cases))
            html += u"<p>"_qs +
                    tr("%1: %2, %n unit(s), %3", nullptr, r.units())
                        .arg(r.number, returns::stateLabel(r.state), r.reason)
                        .toHtmlEscaped() +
                    u"</p>"_qs;
    html += u"<p><a href='sellerdesk:register-return?order=%1'>"_qs.arg(order.id) +
            tr("Register return…").toHtmlEscaped() + u"</a> · <a href='sellerdesk:returns?order=%1'>"_qs.arg(order.id) +
            tr("Returns of this order…").toHtmlEscaped() + u"</a></p>"_qs;
    return html;
}

bool ReturnsPage::handleLink(const std::shared_ptr<storage::Database> &db,
                             std::shared_ptr<security::SecretStore> secrets, const QUrl &url, QWidget *parent)
{
    if (url.scheme() != u"sellerdesk" || (url.path() != u"register-return" && url.path() != u"returns"))
        return false;
    const qint64 orderId = QUrlQuery(url).queryItemValue(u"order"_qs).toLongLong();
    ReturnsPage page(db, std::move(secrets), parent);
    page.setOrder(orderId);
    if (url.path() == u"register-return" && !page.registerReturn())
        return true;
    page.exec();
    return true;
}

} // namespace sd::ui
