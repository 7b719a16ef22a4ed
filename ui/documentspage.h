#pragma once

#include "documents/documentservice.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPdfDocument;
class QPdfView;
class QPushButton;
class QTableView;
class QBuffer;

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

private:
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
    QPdfView *m_preview;
    QPdfDocument *m_pdf;
    QBuffer *m_pdfBuffer;
    QLabel *m_message;
    QLabel *m_details;
    QPushButton *m_correct;
    QPushButton *m_cancel;
    QPushButton *m_saveUpo;
};

} // namespace sd::ui
