#include "packingstation.h"

#include "automation/dispatcher.h"
#include "automation/rulestore.h"
#include "inventory/inventorystore.h"
#include "scannerfilter.h"
#include "storage/catalogstore.h"

#include <QApplication>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sd::ui {

using Kind = scanning::PackingSession::ScanOutcome::Kind;

PackingStation::PackingStation(std::shared_ptr<storage::Database> db, storage::ChangeContext who, QWidget *parent)
    : QDialog(parent)
    , m_db(db)
    , m_store(db)
    , m_who(std::move(who))
    , m_classifier(db)
    , m_settings(scanning::ScannerSettings::load())
{
    setWindowTitle(tr("Packing station"));
    setObjectName(u"packingStation"_qs);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(12);
    m_banner = new QLabel(this);
    m_banner->setAlignment(Qt::AlignCenter);
    m_banner->setMinimumHeight(110);
    m_order = new QLabel(this);
    m_order->setStyleSheet(u"font-size: 22pt;"_qs);
    m_order->setWordWrap(true);
    m_lines = new QTableWidget(0, 5, this);
    m_lines->setHorizontalHeaderLabels({tr("Product"), tr("Code"), tr("Location"), tr("Packed"), tr("Serial numbers")});
    m_lines->setStyleSheet(u"QTableWidget { font-size: 20pt; } QHeaderView::section { font-size: 14pt; }"_qs);
    m_lines->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 5; ++c)
        m_lines->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_lines->verticalHeader()->setVisible(false);
    m_lines->verticalHeader()->setDefaultSectionSize(56);
    m_lines->setIconSize(QSize(40, 40));
    m_lines->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_lines->setFocusPolicy(Qt::NoFocus);
    m_lines->setSelectionMode(QAbstractItemView::NoSelection);
    m_message = new QLabel(this);
    m_message->setStyleSheet(u"font-size: 24pt;"_qs);
    m_message->setWordWrap(true);
    m_entry = new QLineEdit(this);
    m_entry->setPlaceholderText(tr("Scan, or type a code and press Enter"));
    m_entry->setStyleSheet(u"font-size: 18pt;"_qs);
    m_help = new QLabel(this);
    m_help->setStyleSheet(u"font-size: 14pt; color: palette(mid);"_qs);
    layout->addWidget(m_banner);
    layout->addWidget(m_order);
    layout->addWidget(m_lines, 1);
    layout->addWidget(m_message);
    layout->addWidget(m_entry);
    layout->addWidget(m_help);
    connect(m_entry, &QLineEdit::returnPressed, this, [this] {
        const QString code = m_entry->text();
        m_entry->clear();
        if (!code.trimmed().isEmpty())
            handleScan(code);
    });
    if (ScannerFilter *filter = ScannerFilter::active())
        filter->addConsumer(this, [this](const QString &code) { handleScan(code); });
    showState(View::Waiting, tr("Scan an order, its tracking number or its courier label."));
    m_entry->setFocus();
}

PackingStation::~PackingStation() = default;

QString PackingStation::message() const
{
    return m_message->text();
}

void PackingStation::showState(View view, const QString &message)
{
    m_view = view;
    QString text;
    QString colours;
    switch (view) {
    case View::Waiting:
        text = tr("Waiting for an order");
        colours = u"background: #2b4a6f; color: white;"_qs;
        break;
    case View::InProgress:
        text = tr("Packing: %1 of %2").arg(m_session->unitsPacked()).arg(m_session->unitsTotal());
        colours = u"background: #b07d12; color: white;"_qs;
        break;
    case View::Wrong:
        text = tr("Refused");
        colours = u"background: #c0392b; color: white;"_qs;
        break;
    case View::Complete:
        text = tr("Packed");
        colours = u"background: #2e9d5b; color: white;"_qs;
        break;
    }
    m_banner->setText(text);
    m_banner->setStyleSheet(u"font-size: 40pt; font-weight: bold; border-radius: 8px; "_qs + colours);
    m_message->setText(message);
    if (view == View::Wrong && m_settings.sounds)
        QApplication::beep();
    if (m_session) {
        m_order->setText(tr("Order %1 · %2 · %3 · %4")
                             .arg(m_session->orderId())
                             .arg(m_session->externalId(), m_session->buyer(), m_session->deliveryMethod()));
    } else {
        m_order->clear();
    }
    m_help->setText(
        tr("F5 pause · F8 missing item · F9 sounds %1 · Esc leave").arg(m_settings.sounds ? tr("on") : tr("off")));
}

void PackingStation::fillLines(int highlight)
{
    m_lines->setRowCount(0);
    if (!m_session)
        return;
    const auto &lines = m_session->lines();
    m_lines->setRowCount(int(lines.size()));
    const QIcon placeholder = style()->standardIcon(QStyle::SP_FileIcon);
    for (int row = 0; row < lines.size(); ++row) {
        const scanning::PackingLine &line = lines.at(row);
        auto *name = new QTableWidgetItem(placeholder, line.name);
        auto *code = new QTableWidgetItem(line.ean.isEmpty() ? line.sku : line.sku + u" / "_qs + line.ean);
        auto *location = new QTableWidgetItem(line.location);
        auto *packed = new QTableWidgetItem(tr("%1 / %2").arg(line.packed).arg(line.quantity));
        auto *serials = new QTableWidgetItem(
            line.requiresSerial && line.serials.isEmpty() ? tr("required") : line.serials.join(u", "_qs));
        const QColor background = row == highlight && m_view == View::Wrong ? QColor(u"#f5b7b1"_qs)
                                  : line.done()                             ? QColor(u"#c8ecd4"_qs)
                                  : row == m_session->awaitingSerial()      ? QColor(u"#fde9b6"_qs)
                                                                            : QColor();
        int column = 0;
        for (QTableWidgetItem *item : {name, code, location, packed, serials}) {
            if (background.isValid()) {
                item->setBackground(background);
                item->setForeground(QColor(u"#1b1b1b"_qs));
            }
            m_lines->setItem(row, column++, item);
        }
    }
}

void PackingStation::openOrder(qint64 orderId, const QString &how)
{
    if (m_session && m_session->state() == scanning::PackingSession::State::Open && m_session->orderId() != orderId)
        (void)m_session->pause();
    auto session = scanning::PackingSession::open(m_store, orderId, m_who);
    if (!session) {
        showState(View::Wrong, session.error().userMessage);
        return;
    }
    m_session = std::move(*session);
    fillLines();
    if (m_session->state() == scanning::PackingSession::State::Completed) {
        showState(View::Complete, tr("Order %1 was packed before.").arg(orderId));
        return;
    }
    showState(View::InProgress, m_session->unitsPacked() ? tr("Resumed (found by %1): scan the next item.").arg(how)
                                                         : tr("Found by %1: scan the items.").arg(how));
}

void PackingStation::handleScan(const QString &code)
{
    // An open order takes item scans; anything else is looked up.
    if (m_session && m_session->state() == scanning::PackingSession::State::Open) {
        auto outcome = m_session->scan(code);
        if (!outcome) {
            showState(View::Wrong, outcome.error().userMessage);
            return;
        }
        if (outcome->kind == Kind::WrongItem) {
            // The packer may have moved on to another order's label without pausing: say so, do not switch.
            auto target = m_classifier.classify(code);
            if (target && target->kind == scanning::ScanTarget::Kind::Order && target->orderId != m_session->orderId())
                outcome->message =
                    tr("That is order %1. Finish this one, or pause it with F5 first.").arg(target->orderId);
        }
        if (outcome->kind == Kind::Completed) {
            fillLines();
            showState(View::Complete,
                      tr("Order %1 is packed. The label and the rest follow by themselves; scan the next "
                         "order.")
                          .arg(m_session->orderId()));
            return;
        }
        if (outcome->refused()) {
            m_view = View::Wrong;
            fillLines(outcome->line);
            showState(View::Wrong, outcome->message);
            return;
        }
        m_view = View::InProgress;
        fillLines(outcome->line);
        showState(View::InProgress, outcome->message);
        return;
    }
    auto target = m_classifier.classify(code);
    if (!target) {
        showState(View::Wrong, target.error().userMessage);
        return;
    }
    switch (target->kind) {
    case scanning::ScanTarget::Kind::Order:
        openOrder(target->orderId, target->describe());
        return;
    case scanning::ScanTarget::Kind::Command: {
        if (!m_session) {
            showState(View::Wrong, tr("Scan an order before a command barcode."));
            return;
        }
        automation::RuleStore rules(m_db);
        automation::Dispatcher dispatcher(m_store, rules);
        auto run = dispatcher.requestManualRun(target->ruleId, m_session->orderId(), m_who);
        if (!run)
            showState(View::Wrong, run.error().userMessage);
        else
            showState(m_view == View::Wrong ? View::InProgress : m_view,
                      tr("Rule started for order %1.").arg(m_session->orderId()));
        return;
    }
    case scanning::ScanTarget::Kind::Product: {
        inventory::InventoryStore inventory(m_store);
        auto stock = inventory.stock(target->productId);
        showState(View::Wrong, stock ? tr("%1 (%2): %n in stock. Scan an order first.", nullptr, stock->total)
                                           .arg(stock->product.name, stock->product.sku)
                                     : stock.error().userMessage);
        return;
    }
    case scanning::ScanTarget::Kind::Unknown:
        break;
    }
    showState(View::Wrong, tr("Nothing is known by the code %1.").arg(code));
}

void PackingStation::pause()
{
    if (!m_session || m_session->state() != scanning::PackingSession::State::Open)
        return;
    if (auto r = m_session->pause(); !r) {
        showState(View::Wrong, r.error().userMessage);
        return;
    }
    const qint64 id = m_session->orderId();
    m_session.reset();
    fillLines();
    showState(View::Waiting, tr("Order %1 is paused; scan it again to go on.").arg(id));
}

void PackingStation::reportMissing(const QString &status)
{
    if (!m_session)
        return;
    if (auto r = m_session->reportMissing(status); !r) {
        showState(View::Wrong, r.error().userMessage);
        return;
    }
    const qint64 id = m_session->orderId();
    m_session.reset();
    fillLines();
    showState(View::Waiting, tr("Order %1 is set aside as \"%2\" for the missing items.").arg(id).arg(status));
}

void PackingStation::askMissing()
{
    if (!m_session || m_session->state() != scanning::PackingSession::State::Open)
        return;
    storage::CatalogStore catalog(m_db);
    auto statuses = catalog.statuses();
    if (!statuses) {
        showState(View::Wrong, statuses.error().userMessage);
        return;
    }
    QStringList names;
    for (const storage::Status &s : *statuses)
        names.append(s.name);
    bool ok = false;
    const QString status =
        QInputDialog::getItem(this, tr("Missing item"), tr("Move the order to:"), names, 0, false, &ok);
    if (ok)
        reportMissing(status);
}

void PackingStation::setSounds(bool on)
{
    m_settings.sounds = on;
    scanning::ScannerSettings saved = scanning::ScannerSettings::load();
    saved.sounds = on;
    saved.save();
    showState(m_view, m_message->text());
}

void PackingStation::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_F5:
        pause();
        return;
    case Qt::Key_F8:
        askMissing();
        return;
    case Qt::Key_F9:
        setSounds(!m_settings.sounds);
        return;
    default:
        break;
    }
    QDialog::keyPressEvent(event);
}

void PackingStation::reject()
{
    if (m_session && m_session->state() == scanning::PackingSession::State::Open)
        (void)m_session->pause();
    QDialog::reject();
}

} // namespace sd::ui
