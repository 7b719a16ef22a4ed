#pragma once

#include "automation/rule.h"

#include <QDialog>

class QLabel;
class QListWidget;
class QTextBrowser;

namespace sd::ui {

// A ready-made rule from the seed examples (B5, B6, B7), explained in one sentence.
struct RuleTemplate
{
    QString key;
    QString group;       // translated
    QString title;       // translated
    QString explanation; // translated, one sentence
    QJsonObject json;    // the rule document; status names in the interface language (as new profiles have them)
};

QList<RuleTemplate> ruleTemplates();

// The templates gallery: pick an example, read what it does, open it pre-filled in the editor.
class RuleTemplatesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RuleTemplatesDialog(QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    // The chosen template (after Accepted), or the current one.
    RuleTemplate current() const;

private:
    void showCurrent();

    QList<RuleTemplate> m_templates;
    QListWidget *m_list = nullptr;
    QLabel *m_explanation = nullptr;
    QTextBrowser *m_preview = nullptr;
};

} // namespace sd::ui
