#pragma once

#include <QDialog>

class QTextBrowser;

namespace sd::ui {

// The user guide (docs/guide/<pl|en>/*.md) in a window of its own. F1 anywhere opens the chapter about the window
// that has the focus (topics() maps window classes to chapters); the guide comes from the installed documentation
// (/usr/share/doc/sellerdesk/guide) or, in a build tree, from the source tree.
class HelpBrowser : public QDialog
{
    Q_OBJECT

public:
    struct Topic
    {
        const char *windowClass; // the class name of a window or page, e.g. "sd::ui::RulesPage"
        const char *chapter;     // the file name in guide/<language>/, e.g. "rules.md"
    };
    static const QList<Topic> &topics();
    // The guide's folder for a language ("pl" or "en"): the installed one, else the source tree's.
    static QString guideDir(const QString &language);
    // The chapter about the widget's window (walking up its parents), or the guide's index.
    static QString chapterFor(const QWidget *widget);
    // Opens (or raises) the guide at the chapter about `widget`'s window.
    static void showFor(QWidget *widget);
    // F1 anywhere in the application opens the guide at the chapter about the focused window.
    static void installF1(QObject *application);

    explicit HelpBrowser(QWidget *parent = nullptr);
    void openChapter(const QString &chapter);
    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser = nullptr;
};

} // namespace sd::ui
