#pragma once

#include "documents/documentservice.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPdfDocument;
class QScrollArea;
class QTemporaryFile;
class QPushButton;
class QTableView;

namespace sd::ui {

class DocumentListModel;

// Documents: the list (search, type and state filters, KSeF number), the selected one as its PDF, and correct /
// cancel / save. Keyboard: Ctrl+F search, Ctrl+K correct, Del cancel, Ctrl+S save PDF, Ctrl+Shift+S save XML.
class DocumentsPage : public QDialog
{
    Q_OBJECT

public:
    DocumentsPage(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);
    ~DocumentsPage() override;

    void refresh();
    void selectDocument(qint64 id);
    DocumentListModel *model() const { return m_model; }
    // The message bar's text (tests).
    QString message() const;
    // The selected document's details line (tests) and its "Save UPO" button.
    QLabel *detailsLabel() const { return m_details; }
    QPushButton *saveUpoButton() const { return m_saveUpo; }
    // The preview as drawn: the selected document's pages on white (tests count its ink).
    QImage previewImage() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void renderPreview();
    void showCurrent();
    void correctCurrent();
    void cancelCurrent();
    void saveCurrent(bool xml);
    void saveUpo();
    void report(const QString &message, bool error);
    qint64 currentId() const;

    std::shared_ptr<storage::Database> m_db;
    std::unique_ptr<storage::OrderStore> m_orders;
    std::unique_ptr<documents::DocumentService> m_service;
    DocumentListModel *m_model;
    QTableView *m_view;
    QLineEdit *m_search;
    QComboBox *m_type;
    QComboBox *m_state;
    // The preview: the pages drawn by QPdfDocument::render into a label. QPdfView (Qt 6.4) left the page of some
    // documents blank (an invoice accepted by KSeF) while the same PDF renders fine.
    QScrollArea *m_preview;
    QLabel *m_page;
    QPdfDocument *m_pdf;
    QTemporaryFile *m_pdfFile;
    int m_renderedWidth = 0;
    QLabel *m_message;
    QLabel *m_details;
    QPushButton *m_correct;
    QPushButton *m_cancel;
    QPushButton *m_saveUpo;
};

} // namespace sd::ui
