#include "documentspage.h"

#include "documentlistmodel.h"
#include "documents/documentpdf.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPdfDocument>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryFile>
#include <QVBoxLayout>

namespace sd::ui {

using namespace sd::documents;

namespace {

storage::ChangeContext userContext()
{
    const QString user = qEnvironmentVariable("USER");
    return {user.isEmpty() ? u"user"_qs : u"user:"_qs + user, QObject::tr("documents"), 0};
}

} // namespace

DocumentsPage::DocumentsPage(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_orders(std::make_unique<storage::OrderStore>(m_db))
    , m_service(std::make_unique<DocumentService>(*m_orders))
    , m_model(new DocumentListModel(this))
    , m_view(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_state(new QComboBox(this))
    , m_preview(new QScrollArea(this))
    , m_page(new QLabel(this))
    , m_pdf(new QPdfDocument(this))
    , m_pdfFile(new QTemporaryFile(this))
    , m_message(new QLabel(this))
    , m_details(new QLabel(this))
    , m_correct(new QPushButton(tr("&Correct…"), this))
    , m_cancel(new QPushButton(tr("Ca&ncel document"), this))
{
    setWindowTitle(tr("Documents"));
    resize(1200, 760);
    m_search->setPlaceholderText(tr("Search by number, buyer or NIP (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_type->addItem(tr("All types"));
    for (DocumentType t : {DocumentType::Vat, DocumentType::Private, DocumentType::Simplified, DocumentType::Correction,
                           DocumentType::Proforma})
        m_type->addItem(DocumentListModel::typeLabel(t), typeKey(t));
    m_state->addItem(tr("All states"));
    for (int s = 0; s <= int(DocumentState::Corrected); ++s)
        m_state->addItem(stateLabel(DocumentState(s)), stateKey(DocumentState(s)));
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 1);
    filters->addWidget(m_type);
    filters->addWidget(m_state);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_page->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_preview->setWidget(m_page);
    m_preview->setWidgetResizable(true);
    m_preview->setBackgroundRole(QPalette::Dark);
    m_preview->viewport()->installEventFilter(this); // drawn again at the new width
    m_details->setWordWrap(true);
    m_message->setWordWrap(true);
    m_message->hide();

    auto *savePdf = new QPushButton(tr("Save &PDF…"), this);
    auto *saveXml = new QPushButton(tr("Save &XML…"), this);
    m_saveUpo = new QPushButton(tr("Save &UPO…"), this);
    m_saveUpo->setEnabled(false);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_correct);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    buttons->addWidget(savePdf);
    buttons->addWidget(saveXml);
    buttons->addWidget(m_saveUpo);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(filters);
    leftLayout->addWidget(m_view, 1);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_details);
    rightLayout->addWidget(m_preview, 1);
    rightLayout->addLayout(buttons);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);

    connect(m_search, &QLineEdit::textChanged, this, &DocumentsPage::refresh);
    connect(m_type, &QComboBox::currentIndexChanged, this, &DocumentsPage::refresh);
    connect(m_state, &QComboBox::currentIndexChanged, this, &DocumentsPage::refresh);
    connect(m_correct, &QPushButton::clicked, this, &DocumentsPage::correctCurrent);
    connect(m_cancel, &QPushButton::clicked, this, &DocumentsPage::cancelCurrent);
    connect(savePdf, &QPushButton::clicked, this, [this] { saveCurrent(false); });
    connect(saveXml, &QPushButton::clicked, this, [this] { saveCurrent(true); });
    connect(m_saveUpo, &QPushButton::clicked, this, &DocumentsPage::saveUpo);
    new QShortcut(QKeySequence::Find, this, [this] { m_search->setFocus(); });
    new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_K), this, [this] { correctCurrent(); });
    new QShortcut(QKeySequence::Delete, m_view, [this] { cancelCurrent(); });
    new QShortcut(QKeySequence::Save, this, [this] { saveCurrent(false); });
    new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this, [this] { saveCurrent(true); });
    refresh();
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DocumentsPage::showCurrent);
    if (m_model->rowCount() > 0)
        m_view->selectRow(0);
    m_view->setFocus();
}

DocumentsPage::~DocumentsPage() = default;

QString DocumentsPage::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void DocumentsPage::report(const QString &message, bool error)
{
    m_message->setText(message);
    m_message->setStyleSheet(error ? u"background:#fdecea;color:#8a1f11;padding:6px"_qs
                                   : u"background:#e8f5e9;color:#1b5e20;padding:6px"_qs);
    m_message->setVisible(!message.isEmpty());
}

qint64 DocumentsPage::currentId() const
{
    const DocumentSummary *d = m_model->at(m_view->currentIndex().row());
    return d ? d->id : 0;
}

void DocumentsPage::refresh()
{
    const qint64 keep = currentId();
    DocumentFilter filter;
    filter.search = m_search->text();
    if (m_type->currentIndex() > 0)
        filter.type = typeFromKey(m_type->currentData().toString());
    if (m_state->currentIndex() > 0)
        filter.state = stateFromKey(m_state->currentData().toString());
    auto list = m_service->store().list(filter);
    if (!list) {
        report(list.error().userMessage, true);
        return;
    }
    m_model->setDocuments(*list);
    m_view->resizeColumnsToContents();
    if (keep)
        selectDocument(keep);
}

void DocumentsPage::selectDocument(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_view->selectRow(row);
}

void DocumentsPage::showCurrent()
{
    m_pdf->close();
    m_page->clear();
    m_renderedWidth = 0;
    const qint64 id = currentId();
    m_correct->setEnabled(false);
    m_cancel->setEnabled(false);
    m_saveUpo->setEnabled(false);
    if (!id) {
        m_details->clear();
        return;
    }
    auto doc = m_service->store().load(id);
    if (!doc) {
        report(doc.error().userMessage, true);
        return;
    }
    m_correct->setEnabled(isSale(doc->type) && canMove(doc->state, DocumentState::Corrected));
    m_cancel->setEnabled(canMove(doc->state, DocumentState::Cancelled));
    QString details = u"<b>"_qs + typeTitle(doc->type, u"pl"_qs).toHtmlEscaped() + u' ' + doc->number.toHtmlEscaped() +
                      u"</b> — "_qs + stateLabel(doc->state).toHtmlEscaped();
    if (!doc->ksefNumber.isEmpty())
        details += u"<br/>"_qs + tr("KSeF number: %1").arg(doc->ksefNumber).toHtmlEscaped();
    if (doc->state == DocumentState::Rejected && !doc->rejectionReason.isEmpty())
        details += u"<br/><span style=\"color:#c0392b\">"_qs +
                   tr("Rejected by KSeF: %1").arg(doc->rejectionReason).toHtmlEscaped() + u"</span>"_qs;
    else if (!doc->rejectionReason.isEmpty())
        details += u"<br/><span style=\"color:#c0392b\">"_qs + doc->rejectionReason.toHtmlEscaped() + u"</span>"_qs;
    if (doc->offline && doc->ksefNumber.isEmpty())
        details += u"<br/>"_qs +
                   tr("Issued offline: KSeF could not be reached; it is sent when KSeF is back.").toHtmlEscaped();
    const QString upo = m_service->store().upo(id).value_or(QString());
    if (!upo.isEmpty()) {
        details += u"<br/>"_qs +
                   tr("UPO (official receipt confirmation) stored: %n byte(s).", nullptr, int(upo.toUtf8().size()))
                       .toHtmlEscaped();
        m_saveUpo->setEnabled(true);
    }
    m_details->setText(details);
    const QByteArray xml = isKsefDocument(doc->type) ? m_service->store().xml(id).value_or({}) : QByteArray();
    auto pdf = renderPdf(*doc, {xml});
    if (!pdf) {
        report(pdf.error().userMessage, true);
        return;
    }
    if (!m_pdfFile->isOpen() && !m_pdfFile->open()) {
        report(m_pdfFile->errorString(), true);
        return;
    }
    m_pdfFile->resize(0);
    m_pdfFile->seek(0);
    m_pdfFile->write(*pdf);
    m_pdfFile->flush();
    m_pdf->load(m_pdfFile->fileName()); // from a file: loaded at once
    m_renderedWidth = 0;
    renderPreview();
}

void DocumentsPage::renderPreview()
{
    const int width = qMax(200, m_preview->viewport()->width() - 16);
    if (m_pdf->status() != QPdfDocument::Status::Ready || m_pdf->pageCount() == 0) {
        m_page->clear();
        return;
    }
    if (width == m_renderedWidth)
        return;
    m_renderedWidth = width;
    constexpr int kGap = 8;
    QList<QImage> pages;
    int height = kGap;
    for (int i = 0; i < m_pdf->pageCount(); ++i) {
        const QSizeF points = m_pdf->pagePointSize(i);
        const QSize size(width, qRound(width * points.height() / qMax(1.0, points.width())));
        pages.append(m_pdf->render(i, size));
        height += size.height() + kGap;
    }
    QImage sheet(width + 2 * kGap, height, QImage::Format_RGB32);
    sheet.fill(palette().color(QPalette::Dark));
    QPainter painter(&sheet);
    int y = kGap;
    for (const QImage &page : std::as_const(pages)) {
        const QRect rect(kGap, y, page.width(), page.height());
        painter.fillRect(rect, Qt::white); // pdfium leaves the paper transparent
        painter.drawImage(rect.topLeft(), page);
        y += page.height() + kGap;
    }
    painter.end();
    m_page->setPixmap(QPixmap::fromImage(sheet));
}

QImage DocumentsPage::previewImage() const
{
    return m_page->pixmap().toImage();
}

bool DocumentsPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_preview->viewport() && event->type() == QEvent::Resize)
        renderPreview();
    return QDialog::eventFilter(watched, event);
}

void DocumentsPage::correctCurrent()
{
    const qint64 id = currentId();
    if (!id || !m_correct->isEnabled())
        return;
    auto doc = m_service->store().load(id);
    if (!doc)
        return report(doc.error().userMessage, true);
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Correct %1").arg(doc->number));
    auto *form = new QFormLayout(&dialog);
    auto *reason = new QLineEdit(&dialog);
    reason->setPlaceholderText(tr("e.g. return of goods"));
    form->addRow(tr("&Reason:"), reason);
    auto *all = new QCheckBox(tr("Everything returned"), &dialog);
    form->addRow(QString(), all);
    QList<QSpinBox *> quantities;
    for (const DocumentLine &line : doc->lines) {
        auto *spin = new QSpinBox(&dialog);
        spin->setRange(0, int(qMax<qint64>(line.quantity, 9999)));
        spin->setValue(int(line.quantity));
        form->addRow(line.name, spin);
        quantities.append(spin);
        connect(all, &QCheckBox::toggled, spin, [spin](bool on) { spin->setDisabled(on); });
    }
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    box->button(QDialogButtonBox::Ok)->setText(tr("Issue correction"));
    form->addRow(box);
    connect(box, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return;
    CorrectionRequest request;
    request.documentId = id;
    request.reason = reason->text();
    request.returnAll = all->isChecked();
    for (qsizetype i = 0; i < quantities.size(); ++i) {
        if (quantities.at(i)->value() != doc->lines.at(i).quantity)
            request.changes.append({int(i + 1), quantities.at(i)->value(), std::nullopt});
    }
    auto corrected = m_service->correct(request, userContext());
    if (!corrected)
        return report(corrected.error().userMessage, true);
    report(tr("%1 issued.").arg(corrected->number), false);
    refresh();
    selectDocument(corrected->id);
}

void DocumentsPage::cancelCurrent()
{
    const qint64 id = currentId();
    if (!id || !m_cancel->isEnabled())
        return;
    const DocumentSummary *d = m_model->at(m_view->currentIndex().row());
    if (QMessageBox::question(
            this, tr("Cancel document"),
            tr("Cancel %1? A cancelled document keeps its number and cannot be used again.").arg(d->number)) !=
        QMessageBox::Yes)
        return;
    auto cancelled = m_service->cancel(id, tr("cancelled by hand"), userContext());
    if (!cancelled)
        return report(cancelled.error().userMessage, true);
    report(tr("%1 cancelled.").arg(cancelled->number), false);
    refresh();
}

void DocumentsPage::saveCurrent(bool xml)
{
    const qint64 id = currentId();
    if (!id)
        return;
    auto doc = m_service->store().load(id);
    if (!doc)
        return report(doc.error().userMessage, true);
    QString name = doc->number;
    name.replace(u'/', u'_');
    const QString path = QFileDialog::getSaveFileName(this, xml ? tr("Save the KSeF XML") : tr("Save the PDF"),
                                                      name + (xml ? u".xml"_qs : u".pdf"_qs),
                                                      xml ? tr("XML files (*.xml)") : tr("PDF files (*.pdf)"));
    if (path.isEmpty())
        return;
    auto stored = m_service->store().xml(id);
    if (xml && !stored)
        return report(stored.error().userMessage, true);
    auto bytes = xml ? Result<QByteArray>(*stored) : renderPdf(*doc, {stored.value_or({})});
    if (!bytes)
        return report(bytes.error().userMessage, true);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*bytes) != bytes->size() || !file.commit())
        return report(tr("Cannot write %1: %2").arg(path, file.errorString()), true);
    report(tr("Saved %1.").arg(path), false);
}

void DocumentsPage::saveUpo()
{
    const qint64 id = currentId();
    if (!id)
        return;
    auto doc = m_service->store().load(id);
    auto upo = m_service->store().upo(id);
    if (!doc || !upo || upo->isEmpty())
        return report(tr("KSeF has not confirmed this document yet: there is no UPO."), true);
    QString name = doc->number;
    name.replace(u'/', u'_');
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save the UPO"), name + u"_UPO.xml"_qs, tr("XML files (*.xml)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    const QByteArray bytes = upo->toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return report(tr("Cannot write %1: %2").arg(path, file.errorString()), true);
    report(tr("Saved %1.").arg(path), false);
}

} // namespace sd::ui
