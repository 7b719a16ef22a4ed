#include "helpbrowser.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

// Catches F1 in windows that have no F1 of their own (the main window's Help menu has one).
class F1Filter : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent *>(event)->key() == Qt::Key_F1 &&
            static_cast<QKeyEvent *>(event)->modifiers() == Qt::KeyboardModifiers() && watched->isWidgetType()) {
            HelpBrowser::showFor(static_cast<QWidget *>(watched));
            return true;
        }
        return false;
    }
};

QString guideLanguage()
{
    return QLocale().language() == QLocale::Polish ? u"pl"_qs : u"en"_qs;
}

} // namespace

const QList<HelpBrowser::Topic> &HelpBrowser::topics()
{
    static const QList<Topic> kTopics = {
        {"sd::ui::FirstRunWizard", "first-run.md"},
        {"sd::ui::MainWindow", "statuses-and-views.md"},
        {"sd::ui::OrderWindow", "statuses-and-views.md"},
        {"sd::ui::OrderEditor", "statuses-and-views.md"},
        {"sd::ui::ChangeStatusDialog", "statuses-and-views.md"},
        {"sd::ui::StatusSettings", "statuses-and-views.md"},
        {"sd::ui::RulesPage", "rules.md"},
        {"sd::ui::RuleEditor", "rules.md"},
        {"sd::ui::RuleTemplatesDialog", "rules.md"},
        {"sd::ui::RunRuleDialog", "rules.md"},
        {"sd::ui::ExecutionLogDialog", "rules.md"},
        {"sd::ui::DocumentsPage", "documents-and-ksef.md"},
        {"sd::ui::DocumentSettingsDialog", "documents-and-ksef.md"},
        {"sd::ui::InventoryDialog", "stock.md"},
        {"sd::ui::ServiceCasesPage", "service.md"},
        {"sd::ui::AccountsDialog", "accounts.md"},
        {"sd::ui::AddAccountDialog", "accounts.md"},
        {"sd::ui::ConnectorLog", "accounts.md"},
        {"sd::ui::MessagingSettingsDialog", "messaging.md"},
        {"sd::ui::TemplatesEditor", "messaging.md"},
        {"sd::ui::MessagesDialog", "messaging.md"},
        {"sd::ui::HelpBrowser", "index.md"},
    };
    return kTopics;
}

QString HelpBrowser::guideDir(const QString &language)
{
    const QStringList places = {
        QCoreApplication::applicationDirPath() + u"/../share/doc/sellerdesk/guide/"_qs + language,
        QStringLiteral(SD_GUIDE_SOURCE_DIR "/") + language,
    };
    for (const QString &place : places)
        if (QFileInfo::exists(place + u"/index.md"_qs))
            return QDir::cleanPath(place);
    return QDir::cleanPath(places.constLast());
}

QString HelpBrowser::chapterFor(const QWidget *widget)
{
    for (const QObject *object = widget; object; object = object->parent())
        for (const Topic &topic : topics())
            if (qstrcmp(object->metaObject()->className(), topic.windowClass) == 0)
                return QString::fromLatin1(topic.chapter);
    return u"index.md"_qs;
}

void HelpBrowser::showFor(QWidget *widget)
{
    static QPointer<HelpBrowser> s_browser;
    const QString chapter = chapterFor(widget);
    if (!s_browser) {
        s_browser = new HelpBrowser(widget ? widget->window() : nullptr);
        s_browser->setAttribute(Qt::WA_DeleteOnClose);
    }
    s_browser->openChapter(chapter);
    s_browser->show();
    s_browser->raise();
    s_browser->activateWindow();
}

void HelpBrowser::installF1(QObject *application)
{
    application->installEventFilter(new F1Filter(application));
}

HelpBrowser::HelpBrowser(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("SellerDesk user guide"));
    resize(900, 700);
    auto *layout = new QVBoxLayout(this);
    m_browser = new QTextBrowser(this);
    m_browser->setOpenExternalLinks(true);
    m_browser->setOpenLinks(true);
    layout->addWidget(m_browser);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *contents = buttons->addButton(tr("Contents"), QDialogButtonBox::ActionRole);
    contents->setToolTip(tr("The list of the guide's chapters"));
    connect(contents, &QPushButton::clicked, this, [this] { openChapter(u"index.md"_qs); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

void HelpBrowser::openChapter(const QString &chapter)
{
    const QString dir = guideDir(guideLanguage());
    m_browser->setSearchPaths({dir, dir + u"/.."_qs});
    m_browser->setSource(QUrl::fromLocalFile(dir + u'/' + chapter), QTextDocument::MarkdownResource);
}

} // namespace sd::ui
