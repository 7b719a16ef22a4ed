#include "templateseditor.h"

#include "automation/sqlrun.h"
#include "messaging/messagetemplates.h"
#include "messaging/smsgateway.h"
#include "storage/orderstore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sd::ui {

using namespace sd::messaging;

TemplatesEditor::TemplatesEditor(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Message templates"));
    m_key = new QComboBox(this);
    for (const QString &key : MessageTemplates::keys())
        m_key->addItem(MessageTemplates::displayName(key), key);
    m_language = new QComboBox(this);
    m_language->addItem(tr("Polish"), u"pl"_qs);
    m_language->addItem(tr("English"), u"en"_qs);
    m_subject = new QLineEdit(this);
    m_text = new QPlainTextEdit(this);
    m_text->setTabChangesFocus(true);
    m_sms = new QPlainTextEdit(this);
    m_sms->setTabChangesFocus(true);
    m_sms->setMaximumHeight(70);
    m_order = new QSpinBox(this);
    m_order->setRange(0, std::numeric_limits<int>::max());
    m_order->setSpecialValueText(tr("none"));
    m_preview = new QTextBrowser(this);
    m_smsInfo = new QLabel(this);
    QStringList names;
    for (const auto &[placeholder, meaning] : MessageTemplates::placeholders())
        names.append(placeholder);
    auto *help = new QLabel(tr("Placeholders: %1").arg(names.join(u' ')), this);
    help->setWordWrap(true);

    auto *editor = new QWidget(this);
    auto *form = new QFormLayout(editor);
    auto *which = new QHBoxLayout;
    which->addWidget(m_key, 1);
    which->addWidget(m_language);
    auto *whichLabel = new QLabel(tr("&Template:"), editor);
    whichLabel->setBuddy(m_key); // a layout is no buddy: without one the label would show the "&"
    form->addRow(whichLabel, which);
    form->addRow(tr("&Subject:"), m_subject);
    form->addRow(tr("Te&xt:"), m_text);
    form->addRow(tr("S&MS:"), m_sms);
    form->addRow(QString(), m_smsInfo);
    form->addRow(help);
    auto *previewSide = new QWidget(this);
    auto *previewForm = new QFormLayout(previewSide);
    previewForm->addRow(tr("Preview with &order:"), m_order);
    previewForm->addRow(m_preview);
    auto *split = new QSplitter(this);
    split->addWidget(editor);
    split->addWidget(previewSide);

    m_message->setWordWrap(true);
    m_message->hide();
    auto *buttons =
        new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Reset | QDialogButtonBox::Close, this);
    connect(buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this, &TemplatesEditor::save);
    connect(buttons->button(QDialogButtonBox::Reset), &QPushButton::clicked, this, &TemplatesEditor::reset);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(1000, 600);

    // A real order for the preview: the newest one.
    if (auto newest = automation::runSql(*m_db, u"SELECT MAX(id) FROM orders"_qs, "newest order");
        newest && newest->next())
        m_order->setValue(newest->value(0).toInt());
    connect(m_key, &QComboBox::currentIndexChanged, this, &TemplatesEditor::load);
    connect(m_language, &QComboBox::currentIndexChanged, this, &TemplatesEditor::load);
    connect(m_subject, &QLineEdit::textChanged, this, &TemplatesEditor::updatePreview);
    connect(m_text, &QPlainTextEdit::textChanged, this, &TemplatesEditor::updatePreview);
    connect(m_sms, &QPlainTextEdit::textChanged, this, &TemplatesEditor::updatePreview);
    connect(m_order, &QSpinBox::valueChanged, this, &TemplatesEditor::updatePreview);
    load();
}

void TemplatesEditor::setTemplate(const QString &key, const QString &language)
{
    m_language->setCurrentIndex(qMax(0, m_language->findData(language)));
    m_key->setCurrentIndex(qMax(0, m_key->findData(key)));
    load();
}

void TemplatesEditor::setText(const QString &subject, const QString &text, const QString &sms)
{
    m_subject->setText(subject);
    m_text->setPlainText(text);
    m_sms->setPlainText(sms);
}

void TemplatesEditor::load()
{
    auto tpl = MessageTemplates(m_db).get(m_key->currentData().toString(), m_language->currentData().toString());
    if (!tpl) {
        m_message->setText(tpl.error().userMessage);
        m_message->show();
        return;
    }
    const QSignalBlocker a(m_subject), b(m_text), c(m_sms);
    m_subject->setText(tpl->subject);
    m_text->setPlainText(tpl->text);
    m_sms->setPlainText(tpl->sms);
    updatePreview();
}

void TemplatesEditor::updatePreview()
{
    MessageTemplate tpl;
    tpl.key = m_key->currentData().toString();
    tpl.language = m_language->currentData().toString();
    tpl.subject = m_subject->text();
    tpl.text = m_text->toPlainText();
    tpl.sms = m_sms->toPlainText();
    QHash<QString, QString> values;
    QString itemsHtml;
    if (m_order->value() > 0) {
        storage::OrderStore store(m_db);
        if (auto order = store.load(m_order->value())) {
            if (auto v = MessageTemplates(m_db).values(*order, tpl.language, &itemsHtml))
                values = *v;
        } else {
            m_preview->setPlainText(tr("Order %1: %2").arg(m_order->value()).arg(order.error().userMessage));
            m_smsInfo->clear();
            return;
        }
    }
    const RenderedMessage r = MessageTemplates::renderWith(tpl, values, itemsHtml);
    m_preview->setHtml(u"<p><b>%1</b></p>%2"_qs.arg(r.subject.toHtmlEscaped(), r.html));
    const SmsLength sms = SmsLength::of(r.sms);
    m_smsInfo->setText(r.sms.isEmpty() ? tr("No SMS text.")
                                       : tr("SMS: %n character(s)", nullptr, sms.characters) + u", "_qs +
                                             tr("%n part(s)", nullptr, sms.parts) +
                                             (sms.unicode ? tr(" (Polish letters: 70 characters a part)") : QString()));
}

QString TemplatesEditor::previewText() const
{
    return m_preview->toPlainText();
}

QString TemplatesEditor::smsInfo() const
{
    return m_smsInfo->text();
}

bool TemplatesEditor::save()
{
    MessageTemplate tpl;
    tpl.key = m_key->currentData().toString();
    tpl.language = m_language->currentData().toString();
    tpl.subject = m_subject->text();
    tpl.text = m_text->toPlainText();
    tpl.sms = m_sms->toPlainText();
    if (tpl.text.trimmed().isEmpty()) {
        m_message->setText(tr("The template needs a text."));
        m_message->show();
        return false;
    }
    if (auto r = MessageTemplates(m_db).save(tpl); !r) {
        m_message->setText(r.error().userMessage);
        m_message->show();
        return false;
    }
    m_message->setText(tr("Saved."));
    m_message->show();
    return true;
}

bool TemplatesEditor::reset()
{
    if (auto r = MessageTemplates(m_db).reset(m_key->currentData().toString(), m_language->currentData().toString());
        !r) {
        m_message->setText(r.error().userMessage);
        m_message->show();
        return false;
    }
    load();
    m_message->setText(tr("Back to the built-in template."));
    m_message->show();
    return true;
}

} // namespace sd::ui
