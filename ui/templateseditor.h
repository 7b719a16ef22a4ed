#pragma once

#include "storage/database.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTextBrowser;

namespace sd::ui {

// The message templates per language: subject, text and SMS, with a live preview filled from a real order of the
// profile and the SMS's length in parts. Save keeps the profile's own version; Reset goes back to the built-in one.
class TemplatesEditor : public QDialog
{
    Q_OBJECT

public:
    TemplatesEditor(std::shared_ptr<storage::Database> db, QWidget *parent = nullptr);

    bool save();
    bool reset();
    void updatePreview();
    QString previewText() const;
    QString smsInfo() const;
    void setTemplate(const QString &key, const QString &language);
    void setText(const QString &subject, const QString &text, const QString &sms);

private:
    void load();

    std::shared_ptr<storage::Database> m_db;
    QComboBox *m_key, *m_language;
    QLineEdit *m_subject;
    QPlainTextEdit *m_text, *m_sms;
    QSpinBox *m_order;
    QTextBrowser *m_preview;
    QLabel *m_smsInfo, *m_message;
};

} // namespace sd::ui
