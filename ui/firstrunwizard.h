#pragma once

#include "storage/database.h"

#include <QWizard>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace sd::ui {

// The first run of a new profile: language, company data, a training shop or a real Allegro account, printers,
// statuses and a starter set of rules. Each page checks its input and says what is wrong in one translated line;
// nothing is lost by a wrong field. Shown when the profile is new (isNewProfile) and from --open first-run.
class FirstRunWizard : public QWizard
{
    Q_OBJECT

public:
    enum Page { LanguagePage, CompanyPage, ShopPage, PrintersPage, RulesPage };
    // exec()'s result when another language was chosen: it is in effect now, and the caller opens the guide again
    // at the company page so every page speaks it (run() does).
    enum { LanguageChanged = 2 };

    struct Outcome
    {
        bool accepted = false;
        bool training = false;
        int trainingOrders = 0;
        QString languageChangedTo; // empty when the language stayed
    };
    // Shows the guide from startPage, again in the new language when one was chosen, until it is finished or
    // cancelled.
    static Outcome run(std::shared_ptr<storage::Database> db, const QString &profileDir, QWidget *parent,
                       const QString &startPage = {});

    FirstRunWizard(std::shared_ptr<storage::Database> db, const QString &profileDir, QWidget *parent = nullptr);

    // A new profile: no orders, no marketplace accounts and no company data yet.
    static bool isNewProfile(const std::shared_ptr<storage::Database> &db);

    // The keys of the rule templates a new shop starts with, and adding templates as enabled rules.
    static QStringList starterRules();
    static Result<int> addRules(const std::shared_ptr<storage::Database> &db, const QStringList &keys);

    bool trainingChosen() const;
    // The message of the page's last failed check (empty when it passed).
    QString problem(Page page) const;
    // The widgets, for tests and screenshots.
    QComboBox *language() const { return m_language; }
    QLineEdit *field(const QString &name) const;
    QListWidget *rules() const { return m_rules; }

    // What the training shop was filled with (after accept in training).
    int trainingOrders() const { return m_trainingOrders; }

    // The pages by name (language, company, shop, printers, rules), for --open first-run:PAGE.
    static QStringList pageNames();
    // Starts at the named page (the earlier pages keep what they hold); unknown or empty: the first page.
    void startAt(const QString &pageName);

    void accept() override;

private:
    bool checkLanguage();
    bool checkCompany();
    bool checkPrinters();
    Result<void> setUpTrainingShop();
    Result<void> saveRules();
    void fillSampleCompany();
    void showProblem(Page page, const QString &message);

    std::shared_ptr<storage::Database> m_db;
    QString m_profileDir;
    QComboBox *m_language = nullptr;
    QHash<QString, QLineEdit *> m_fields;
    QButtonGroup *m_shop = nullptr;
    QListWidget *m_rules = nullptr;
    QHash<int, QLabel *> m_problems;
    int m_trainingOrders = 0;
};

} // namespace sd::ui
