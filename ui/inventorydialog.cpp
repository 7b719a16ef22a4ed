#include "inventorydialog.h"

#include "inventory/inventorysettings.h"
#include "inventory/inventorystore.h"
#include "inventory/offercatalog.h"
#include "inventory/stocksync.h"
#include "storage/orderstore.h"

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

using namespace sd::inventory;

namespace {

QTableWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

void setRow(QTableWidget *t, int row, const QStringList &cells)
{
    for (int c = 0; c < cells.size(); ++c)
        t->setItem(row, c, new QTableWidgetItem(cells.at(c)));
}

QString publication(const QString &status)
{
    if (status == u"ACTIVE")
        return InventoryDialog::tr("Active");
    if (status == u"ENDED")
        return InventoryDialog::tr("Ended");
    if (status == u"INACTIVE")
        return InventoryDialog::tr("Inactive");
    if (status == u"ACTIVATING")
        return InventoryDialog::tr("Activating");
    return status;
}

QString operatorName()
{
    return u"user:"_qs + qEnvironmentVariable("USER", u"operator"_qs);
}

QComboBox *choice(const QList<QPair<QString, QString>> &items, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    for (const auto &[label, value] : items)
        box->addItem(label, value);
    return box;
}

} // namespace

InventoryDialog::InventoryDialog(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_orders(std::make_unique<storage::OrderStore>(m_db))
    , m_inventory(std::make_unique<InventoryStore>(*m_orders))
    , m_catalog(std::make_unique<OfferCatalog>(*m_inventory))
{
    setWindowTitle(tr("Stock and offers"));
    resize(1180, 640);
    auto *layout = new QVBoxLayout(this);
    m_message = new QLabel(this);
    m_message->setObjectName(u"message"_qs);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(productsTab(), tr("&Products"));
    m_tabs->addTab(warehousesTab(), tr("&Warehouses"));
    m_tabs->addTab(documentsTab(), tr("Stock &documents"));
    m_tabs->addTab(offersTab(), tr("&Offers"));
    m_tabs->addTab(syncTab(), tr("Stock s&ync"));
    layout->addWidget(m_tabs);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    reload();
}

InventoryDialog::~InventoryDialog() = default;

QWidget *InventoryDialog::productsTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    m_products = table(
        {tr("SKU"), tr("EAN"), tr("Name"), tr("VAT"), tr("Purchase price"), tr("Stock"), tr("Reserved"), tr("Free")},
        page);
    layout->addWidget(m_products);
    auto *form = new QHBoxLayout;
    m_sku = new QLineEdit(page);
    m_sku->setObjectName(u"productSku"_qs);
    m_sku->setPlaceholderText(tr("SKU"));
    m_name = new QLineEdit(page);
    m_name->setObjectName(u"productName"_qs);
    m_name->setPlaceholderText(tr("Name"));
    m_ean = new QLineEdit(page);
    m_ean->setObjectName(u"productEan"_qs);
    m_ean->setPlaceholderText(tr("EAN (optional)"));
    auto *add = new QPushButton(tr("&Add product"), page);
    connect(add, &QPushButton::clicked, this, &InventoryDialog::addProduct);
    connect(m_ean, &QLineEdit::returnPressed, this, &InventoryDialog::addProduct);
    form->addWidget(m_sku);
    form->addWidget(m_name, 2);
    form->addWidget(m_ean);
    form->addWidget(add);
    layout->addLayout(form);
    return page;
}

QWidget *InventoryDialog::warehousesTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    m_warehouses = table({tr("Code"), tr("Name"), tr("Default")}, page);
    layout->addWidget(m_warehouses);
    auto *form = new QHBoxLayout;
    m_warehouseCode = new QLineEdit(page);
    m_warehouseCode->setPlaceholderText(tr("Code"));
    m_warehouseName = new QLineEdit(page);
    m_warehouseName->setPlaceholderText(tr("Name"));
    auto *add = new QPushButton(tr("Add &warehouse"), page);
    connect(add, &QPushButton::clicked, this, &InventoryDialog::addWarehouse);
    connect(m_warehouseName, &QLineEdit::returnPressed, this, &InventoryDialog::addWarehouse);
    form->addWidget(m_warehouseCode);
    form->addWidget(m_warehouseName, 2);
    form->addWidget(add);
    layout->addLayout(form);
    return page;
}

QWidget *InventoryDialog::documentsTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    m_documents = table({tr("Number"), tr("Date"), tr("Author"), tr("Lines"), tr("Note")}, page);
    layout->addWidget(m_documents);
    auto *form = new QHBoxLayout;
    m_kind = choice({{tr("Receipt (PZ)"), u"PZ"_qs},
                     {tr("Issue (WZ)"), u"WZ"_qs},
                     {tr("Transfer (MM)"), u"MM"_qs},
                     {tr("Stock-taking (INW)"), u"INW"_qs}},
                    page);
    m_docSku = new QLineEdit(page);
    m_docSku->setPlaceholderText(tr("SKU"));
    m_docQuantity = new QSpinBox(page);
    m_docQuantity->setRange(0, 1000000);
    m_docQuantity->setValue(1);
    m_docWarehouse = new QComboBox(page);
    m_docTarget = new QComboBox(page);
    m_docTarget->setToolTip(tr("Transfer to"));
    auto *post = new QPushButton(tr("&Post document"), page);
    connect(post, &QPushButton::clicked, this, &InventoryDialog::postDocument);
    form->addWidget(m_kind);
    form->addWidget(m_docSku);
    form->addWidget(m_docQuantity);
    form->addWidget(m_docWarehouse);
    form->addWidget(new QLabel(tr("to"), page));
    form->addWidget(m_docTarget);
    form->addWidget(post);
    layout->addLayout(form);
    return page;
}

QWidget *InventoryDialog::offersTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    auto *filters = new QHBoxLayout;
    const QList<QPair<QString, QString>> yesNo{{tr("All"), {}}, {tr("Yes"), u"yes"_qs}, {tr("No"), u"no"_qs}};
    m_linked = choice(yesNo, page);
    m_sync = choice(yesNo, page);
    m_format = choice({{tr("All"), {}}, {tr("Buy now"), u"BUY_NOW"_qs}, {tr("Auction"), u"AUCTION"_qs}}, page);
    m_status = choice({{tr("All"), {}},
                       {tr("Active"), u"ACTIVE"_qs},
                       {tr("Ended"), u"ENDED"_qs},
                       {tr("Inactive"), u"INACTIVE"_qs},
                       {tr("Archived"), u"ARCHIVED"_qs}},
                      page);
    for (QComboBox *box : {m_linked, m_sync, m_format, m_status})
        connect(box, &QComboBox::currentIndexChanged, this, &InventoryDialog::reload);
    filters->addWidget(new QLabel(tr("Linked:"), page));
    filters->addWidget(m_linked);
    filters->addWidget(new QLabel(tr("Sync:"), page));
    filters->addWidget(m_sync);
    filters->addWidget(new QLabel(tr("Format:"), page));
    filters->addWidget(m_format);
    filters->addWidget(new QLabel(tr("Publication:"), page));
    filters->addWidget(m_status);
    filters->addStretch();
    layout->addLayout(filters);
    m_offers = table({tr("Offer"), tr("Account"), tr("Name"), tr("Format"), tr("Publication"), tr("Quantity"),
                      tr("Product"), tr("Local stock"), tr("Sync"), tr("Auto end/resume"), tr("Sync state")},
                     page);
    m_offers->setSelectionMode(QAbstractItemView::ExtendedSelection);
    layout->addWidget(m_offers);
    auto *actions = new QHBoxLayout;
    auto *enable = new QPushButton(tr("&Enable stock sync"), page);
    auto *disable = new QPushButton(tr("D&isable stock sync"), page);
    connect(enable, &QPushButton::clicked, this, [this] { setSync(true); });
    connect(disable, &QPushButton::clicked, this, [this] { setSync(false); });
    actions->addWidget(enable);
    actions->addWidget(disable);
    actions->addStretch();
    layout->addLayout(actions);
    return page;
}

QWidget *InventoryDialog::syncTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    m_syncWarning = new QLabel(page);
    m_syncWarning->setObjectName(u"syncWarning"_qs);
    m_syncWarning->setWordWrap(true);
    m_syncWarning->setStyleSheet(u"QLabel { background: #fff4d6; color: #5c4400; padding: 6px; }"_qs);
    m_syncWarning->hide();
    layout->addWidget(m_syncWarning);

    auto *heldTitle = new QLabel(tr("<b>Held by the anomaly guard</b>"), page);
    layout->addWidget(heldTitle);
    m_heldReason = new QLabel(page);
    m_heldReason->setWordWrap(true);
    layout->addWidget(m_heldReason);
    m_held = table({tr("Account"), tr("Offer"), tr("SKU"), tr("Marketplace now"), tr("Would become")}, page);
    m_held->setObjectName(u"held"_qs);
    layout->addWidget(m_held, 1);
    auto *heldActions = new QHBoxLayout;
    auto *release = new QPushButton(tr("&Release the held list"), page);
    release->setToolTip(tr("The stock sync sends this list once, without the guard"));
    auto *dismiss = new QPushButton(tr("Dis&miss the held list"), page);
    dismiss->setToolTip(tr("Nothing is sent; the next stock change plans again"));
    connect(release, &QPushButton::clicked, this, &InventoryDialog::releaseHeld);
    connect(dismiss, &QPushButton::clicked, this, &InventoryDialog::dismissHeld);
    heldActions->addWidget(release);
    heldActions->addWidget(dismiss);
    heldActions->addStretch();
    layout->addLayout(heldActions);

    layout->addWidget(new QLabel(tr("<b>Conflicts: local stock and the marketplace differ</b>"), page));
    m_conflicts = table(
        {tr("Offer"), tr("Account"), tr("SKU"), tr("Name"), tr("Local"), tr("Marketplace"), tr("Sync state")}, page);
    m_conflicts->setObjectName(u"conflicts"_qs);
    m_conflicts->setSelectionMode(QAbstractItemView::ExtendedSelection);
    layout->addWidget(m_conflicts, 1);
    auto *conflictActions = new QHBoxLayout;
    auto *local = new QPushButton(tr("Take &local"), page);
    local->setToolTip(tr("The stock sync sets the offer to the local stock"));
    auto *market = new QPushButton(tr("Take mar&ketplace"), page);
    market->setToolTip(tr("A stock-taking document in the default warehouse makes the stock what the marketplace "
                          "shows"));
    connect(local, &QPushButton::clicked, this, &InventoryDialog::takeLocal);
    connect(market, &QPushButton::clicked, this, &InventoryDialog::takeMarketplace);
    conflictActions->addWidget(local);
    conflictActions->addWidget(market);
    conflictActions->addStretch();
    layout->addLayout(conflictActions);
    return page;
}

void InventoryDialog::reloadSync()
{
    auto settings = InventorySettings::load(*m_db);
    const QString paused = settings && !settings->syncAllowed() ? settings->pausedReason() : QString();
    m_syncWarning->setText(paused);
    m_syncWarning->setVisible(!paused.isEmpty());

    auto held = StockSync::heldRuns(*m_db);
    m_held->setRowCount(0);
    QStringList reasons;
    if (held) {
        for (const HeldSync &h : std::as_const(*held)) {
            reasons.append(u"%1: %2"_qs.arg(h.account, h.message));
            for (const SyncChange &c : h.plan.changes) {
                const int row = m_held->rowCount();
                m_held->insertRow(row);
                setRow(m_held, row,
                       {h.account, c.offerId, c.sku, c.from < 0 ? QString() : QString::number(c.from),
                        c.action == SyncChange::Action::End ? tr("ended (0)") : QString::number(c.to)});
                m_held->item(row, 0)->setData(Qt::UserRole, h.accountId);
            }
        }
    }
    m_heldReason->setText(held ? (reasons.isEmpty() ? tr("Nothing is held.") : reasons.join(u'\n'))
                               : held.error().userMessage);

    auto conflicts = StockSync::conflicts(*m_catalog, 0);
    m_conflicts->setRowCount(0);
    if (conflicts) {
        m_conflicts->setRowCount(int(conflicts->size()));
        for (int i = 0; i < conflicts->size(); ++i) {
            const SyncConflict &c = conflicts->at(i);
            setRow(m_conflicts, i,
                   {c.offer.offerId, c.offer.account, c.offer.sku, c.offer.name, QString::number(c.local),
                    QString::number(c.marketplace),
                    c.offer.syncError.isEmpty() ? c.offer.syncState : c.offer.syncError});
            m_conflicts->item(i, 0)->setData(Qt::UserRole, c.offer.accountId);
        }
    }
    m_held->resizeColumnsToContents();
    m_conflicts->resizeColumnsToContents();
}

qint64 InventoryDialog::heldAccount() const
{
    const int row = m_held->currentRow() >= 0 ? m_held->currentRow() : 0;
    return row < m_held->rowCount() ? m_held->item(row, 0)->data(Qt::UserRole).toLongLong() : 0;
}

void InventoryDialog::releaseHeld()
{
    const qint64 account = heldAccount();
    if (!account) {
        say(tr("No stock sync is waiting for the operator."), true);
        return;
    }
    if (auto r = StockSync::approve(m_db, account, operatorName()); !r) {
        say(r.error().userMessage, true);
        return;
    }
    reload();
    say(tr("Released: the stock sync sends the held list in a moment."), false);
}

void InventoryDialog::dismissHeld()
{
    const qint64 account = heldAccount();
    if (!account) {
        say(tr("No stock sync is waiting for the operator."), true);
        return;
    }
    if (auto r = StockSync::dismiss(*m_db, account, operatorName()); !r) {
        say(r.error().userMessage, true);
        return;
    }
    reload();
    say(tr("Dismissed: nothing was sent."), false);
}

void InventoryDialog::takeLocal()
{
    const QList<QModelIndex> rows = m_conflicts->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        say(tr("Select the conflicts first."), true);
        return;
    }
    QStringList lines;
    bool failed = false;
    for (const QModelIndex &index : rows) {
        const QTableWidgetItem *item = m_conflicts->item(index.row(), 0);
        auto r = StockSync::queueTakeLocal(*m_catalog, item->text(), item->data(Qt::UserRole).toLongLong());
        failed = failed || !r;
        lines.append(item->text() + u": " +
                     (r ? tr("the stock sync sends the local quantity in a moment") : r.error().userMessage));
    }
    reload();
    say(lines.join(u'\n'), failed);
}

void InventoryDialog::takeMarketplace()
{
    const QList<QModelIndex> rows = m_conflicts->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        say(tr("Select the conflicts first."), true);
        return;
    }
    QStringList lines;
    bool failed = false;
    for (const QModelIndex &index : rows) {
        const QTableWidgetItem *item = m_conflicts->item(index.row(), 0);
        auto d =
            StockSync::takeMarketplace(*m_catalog, item->text(), item->data(Qt::UserRole).toLongLong(), operatorName());
        failed = failed || !d;
        lines.append(item->text() + u": " + (d ? tr("%1 posted.").arg(d->number) : d.error().userMessage));
    }
    reload();
    say(lines.join(u'\n'), failed);
}

void InventoryDialog::say(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"QLabel { background: #fdecea; color: #8a1c12; padding: 6px; }"_qs
                                   : u"QLabel { background: #fff4d6; color: #5c4400; padding: 6px; }"_qs);
    m_message->setVisible(!text.isEmpty());
}

void InventoryDialog::reload()
{
    auto products = m_inventory->products();
    if (!products) {
        say(products.error().userMessage, true);
        return;
    }
    m_products->setRowCount(int(products->size()));
    for (int i = 0; i < products->size(); ++i) {
        const Product &p = products->at(i);
        auto stock = m_inventory->stock(p.id);
        const int total = stock ? stock->total : 0;
        const int reserved = stock ? stock->reserved : 0;
        setRow(m_products, i,
               {p.sku, p.ean, p.name, p.vatRate.code(), p.purchasePrice.toDisplayString(), QString::number(total),
                QString::number(reserved), QString::number(total - reserved)});
    }
    auto warehouses = m_inventory->warehouses();
    if (warehouses) {
        m_warehouses->setRowCount(int(warehouses->size()));
        const QString from = m_docWarehouse->currentData().toString();
        m_docWarehouse->clear();
        m_docTarget->clear();
        for (int i = 0; i < warehouses->size(); ++i) {
            const Warehouse &w = warehouses->at(i);
            setRow(m_warehouses, i, {w.code, w.name, w.isDefault ? tr("yes") : QString()});
            m_docWarehouse->addItem(w.code, w.code);
            m_docTarget->addItem(w.code, w.code);
        }
        if (const int at = m_docWarehouse->findData(from); at >= 0)
            m_docWarehouse->setCurrentIndex(at);
    }
    auto documents = m_inventory->documents();
    if (documents) {
        m_documents->setRowCount(int(documents->size()));
        for (int i = 0; i < documents->size(); ++i) {
            const StockDocument &d = documents->at(i);
            QStringList lines;
            for (const StockDocument::Line &l : d.lines)
                lines.append(
                    u"%1 %2 %3%4"_qs.arg(l.sku, l.warehouse, l.quantity > 0 ? u"+"_qs : QString()).arg(l.quantity));
            setRow(m_documents, i,
                   {d.number, QLocale().toString(d.date, QLocale::ShortFormat), d.author, lines.join(u", "), d.note});
        }
    }
    OfferFilter filter;
    if (!m_linked->currentData().toString().isEmpty())
        filter.linked = m_linked->currentData().toString() == u"yes";
    if (!m_sync->currentData().toString().isEmpty())
        filter.sync = m_sync->currentData().toString() == u"yes";
    filter.format = m_format->currentData().toString();
    filter.status = m_status->currentData().toString();
    auto offers = m_catalog->list(filter);
    if (offers) {
        m_offers->setRowCount(int(offers->size()));
        for (int i = 0; i < offers->size(); ++i) {
            const OfferView &v = offers->at(i);
            setRow(m_offers, i,
                   {v.offerId, v.account, v.name, v.format == u"AUCTION" ? tr("Auction") : tr("Buy now"),
                    v.archived ? tr("Archived") : publication(v.status),
                    v.available < 0 ? QString() : QString::number(v.available), v.sku,
                    v.localQuantity < 0 ? QString() : QString::number(v.localQuantity),
                    v.syncEnabled ? tr("on") : tr("off"), v.autoEndResume ? tr("on") : tr("off (stock sync)"),
                    v.syncError.isEmpty() ? v.syncState : v.syncError});
        }
    }
    auto settings = InventorySettings::load(*m_db);
    if (settings && !settings->syncAllowed())
        say(settings->pausedReason(), false);
    reloadSync();
    m_products->resizeColumnsToContents();
    m_offers->resizeColumnsToContents();
    m_documents->resizeColumnsToContents();
}

void InventoryDialog::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

void InventoryDialog::addProduct()
{
    Product p;
    p.sku = m_sku->text();
    p.name = m_name->text();
    p.ean = m_ean->text();
    auto added = m_inventory->addProduct(p);
    if (!added) {
        say(added.error().userMessage, true); // what was typed stays
        return;
    }
    m_sku->clear();
    m_name->clear();
    m_ean->clear();
    m_sku->setFocus();
    say({}, false);
    reload();
}

void InventoryDialog::addWarehouse()
{
    auto added = m_inventory->addWarehouse(m_warehouseCode->text(), m_warehouseName->text());
    if (!added) {
        say(added.error().userMessage, true);
        return;
    }
    m_warehouseCode->clear();
    m_warehouseName->clear();
    say({}, false);
    reload();
}

void InventoryDialog::postDocument()
{
    const QString kind = m_kind->currentData().toString();
    const QString sku = m_docSku->text();
    const int qty = m_docQuantity->value();
    const QString from = m_docWarehouse->currentData().toString();
    const QString user = operatorName();
    Result<StockDocument> d = kind == u"PZ"   ? m_inventory->receive(sku, qty, from, user)
                              : kind == u"WZ" ? m_inventory->issue(sku, qty, from, user)
                              : kind == u"MM"
                                  ? m_inventory->transfer(sku, qty, from, m_docTarget->currentData().toString(), user)
                                  : m_inventory->countStock(sku, qty, from, user);
    if (!d) {
        say(d.error().userMessage, true);
        return;
    }
    say(tr("%1 posted.").arg(d->number), false);
    reload();
}

void InventoryDialog::setSync(bool enable)
{
    QStringList ids;
    for (const QModelIndex &index : m_offers->selectionModel()->selectedRows())
        ids.append(m_offers->item(index.row(), 0)->text());
    if (ids.isEmpty()) {
        say(tr("Select the offers first."), true);
        return;
    }
    auto outcomes = enable ? m_catalog->enableSync(ids) : m_catalog->disableSync(ids);
    if (!outcomes) {
        say(outcomes.error().userMessage, true);
        return;
    }
    QStringList lines;
    bool refused = false;
    for (const OfferOutcome &o : *outcomes) {
        lines.append(o.offerId + u": " + o.message);
        refused = refused || !o.ok;
    }
    reload();
    say(lines.join(u'\n'), refused);
}

bool InventoryDialog::openPage(const QString &page, std::shared_ptr<storage::Database> db, QWidget *parent)
{
    static const QStringList pages = {u"products"_qs, u"warehouses"_qs, u"stock-documents"_qs, u"offers"_qs,
                                      u"stock-sync"_qs};
    const int tab = int(pages.indexOf(page));
    if (tab < 0)
        return false;
    InventoryDialog dialog(std::move(db), parent);
    dialog.showTab(Tab(tab));
    dialog.exec();
    return true;
}

} // namespace sd::ui
