#include "rulespage.h"

#include "automation/ruleinsights.h"
#include "automation/rulestore.h"
#include "executionlog.h"
#include "ruleeditor.h"
#include "rulelistmodel.h"
#include "ruletemplates.h"
#include "ruletestpanel.h"
#include "ruleversions.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace sd::ui {

namespace {

QString author()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? u"sellerdesk"_qs : user;
}

} // namespace

RulesPage::RulesPage(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QDialog(parent)
    , m_db(std::move(db))
{
    setWindowTitle(tr("Automation rules"));
    resize(1200, 680);
    m_model = new RuleListModel(m_db, this);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search rules by name, group, owner or event (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_view = new QTreeView(this);
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAllColumnsShowFocus(true);
    m_view->setAccessibleName(tr("Rules"));
    m_warnings = new QListWidget(this);
    m_warnings->setAccessibleName(tr("Warnings"));
    m_warnings->setMaximumHeight(120);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->hide();

    auto *buttons = new QVBoxLayout;
    auto button = [&](const QString &text, const QKeySequence &key, auto slot) {
        auto *b = new QPushButton(text, this);
        if (!key.isEmpty()) {
            auto *action = new QAction(text, this);
            action->setShortcut(key);
            addAction(action);
            connect(action, &QAction::triggered, this, slot);
            b->setToolTip(key.toString(QKeySequence::NativeText));
        }
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    button(tr("&New…"), QKeySequence::New, [this] {
        automation::Rule rule;
        rule.trigger = u"order.downloaded"_qs;
        runEditor(createEditor(rule));
    });
    button(tr("From a &template…"), QKeySequence(Qt::CTRL | Qt::Key_T), [this] { newFromTemplate(); });
    button(tr("&Edit…"), QKeySequence(Qt::Key_F4), [this] { editRule(currentRuleId()); });
    button(tr("&Duplicate"), QKeySequence(Qt::CTRL | Qt::Key_D), [this] { duplicateRule(currentRuleId()); });
    button(tr("De&lete…"), QKeySequence::Delete, [this] { deleteRule(currentRuleId()); });
    buttons->addSpacing(12);
    button(tr("&Import JSON…"), QKeySequence(Qt::CTRL | Qt::Key_I), [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import rules"), {}, tr("Rules (*.json)"));
        if (!path.isEmpty())
            importFile(path);
    });
    button(tr("E&xport JSON…"), QKeySequence(Qt::CTRL | Qt::Key_E), [this] {
        QList<qint64> ids;
        if (currentRuleId())
            ids.append(currentRuleId());
        else
            for (const automation::Rule &r : m_model->rules())
                ids.append(r.id);
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export rules"), u"rules.json"_qs, tr("Rules (*.json)"));
        if (!path.isEmpty())
            exportRules(ids, path);
    });
    buttons->addSpacing(12);
    button(tr("&Versions…"), QKeySequence(Qt::CTRL | Qt::Key_H), [this] { showVersions(currentRuleId()); });
    button(tr("Execution &log…"), QKeySequence(Qt::CTRL | Qt::Key_L), [this] { showExecutionLog(currentRuleId()); });
    buttons->addStretch();

    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    addAction(find);
    connect(find, &QAction::triggered, m_search, [this] { m_search->setFocus(); });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setFilter(text);
        m_view->expandAll();
    });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (m_model->ruleAt(index))
            editRule(currentRuleId());
    });
    connect(m_warnings, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { selectRule(item->data(Qt::UserRole).toLongLong()); });
    connect(m_model, &RuleListModel::failed, this, [this](const QString &message) { report(message, true); });
    // A switched rule changes the warnings of others: refresh the page once the click is handled.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        QTimer::singleShot(0, this, [this] {
            const qint64 keep = currentRuleId();
            reload();
            selectRule(keep);
        });
    });

    auto *warningsLabel = new QLabel(tr("Warnings:"), this);
    warningsLabel->setBuddy(m_warnings);
    auto *left = new QVBoxLayout;
    left->addWidget(m_search);
    left->addWidget(m_view, 1);
    left->addWidget(warningsLabel);
    left->addWidget(m_warnings);
    left->addWidget(m_message);
    auto *row = new QHBoxLayout;
    row->addLayout(left, 1);
    row->addLayout(buttons);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    layout->addWidget(close);
    reload();
    m_view->setFocus();
}

QString RulesPage::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void RulesPage::report(const QString &message, bool error)
{
    m_message->setStyleSheet(error ? u"QLabel { background: #fdecea; color: #611a15; padding: 6px; }"_qs
                                   : u"QLabel { color: #1b5e20; padding: 6px; }"_qs);
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void RulesPage::reload()
{
    if (auto r = m_model->reload(); !r)
        report(r.error().userMessage, true);
    m_view->expandAll();
    for (int column = 0; column < RuleListModel::ColumnCount; ++column)
        m_view->resizeColumnToContents(column);
    m_view->setColumnWidth(RuleListModel::Name, qMax(m_view->columnWidth(RuleListModel::Name), 260));
    m_warnings->clear();
    for (const automation::RuleWarning &w : m_model->warnings()) {
        if (w.kind == automation::RuleWarning::Kind::Conflict && w.ruleId > w.otherRuleId)
            continue; // each conflict once
        const QString kind = w.kind == automation::RuleWarning::Kind::Dead       ? tr("Dead rule")
                             : w.kind == automation::RuleWarning::Kind::Conflict ? tr("Conflict")
                                                                                 : tr("Can loop");
        auto *item = new QListWidgetItem(u"⚠ " + kind + u": " + w.message, m_warnings);
        item->setData(Qt::UserRole, w.ruleId);
    }
    if (m_warnings->count() == 0)
        new QListWidgetItem(tr("No warnings: every rule can act and none fights another."), m_warnings);
}

qint64 RulesPage::currentRuleId() const
{
    const automation::Rule *rule = m_model->ruleAt(m_view->currentIndex());
    return rule ? rule->id : 0;
}

void RulesPage::selectRule(qint64 id)
{
    const QModelIndex index = m_model->indexOf(id);
    if (index.isValid())
        m_view->setCurrentIndex(index);
}

qint64 RulesPage::duplicateRule(qint64 id)
{
    automation::RuleStore store(m_db);
    auto rule = store.get(id);
    if (!rule) {
        report(rule.error().userMessage, true);
        return 0;
    }
    rule->id = 0;
    rule->version = 0;
    rule->name = tr("%1 (copy)").arg(rule->name);
    rule->enabled = false; // a copy acting at once would double every action
    auto saved = store.save(*rule, author());
    if (!saved) {
        report(saved.error().userMessage, true);
        return 0;
    }
    reload();
    selectRule(saved->id);
    report(tr("Copied as \"%1\", disabled until you enable it.").arg(saved->name));
    return saved->id;
}

bool RulesPage::deleteRule(qint64 id, bool ask)
{
    automation::RuleStore store(m_db);
    auto rule = store.get(id);
    if (!rule)
        return false;
    if (ask && QMessageBox::question(this, tr("Delete rule"),
                                     tr("Delete the rule \"%1\" with all its versions? Its traces and the execution "
                                        "log stay.")
                                         .arg(rule->name),
                                     QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return false;
    if (auto r = automation::removeRule(*m_db, id); !r) {
        report(r.error().userMessage, true);
        return false;
    }
    reload();
    report(tr("Deleted \"%1\".").arg(rule->name));
    return true;
}

int RulesPage::importFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        report(tr("Cannot read %1: %2").arg(path, file.errorString()), true);
        return 0;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError) {
        report(tr("%1 is not JSON: %2").arg(path, error.errorString()), true);
        return 0;
    }
    const QJsonArray list = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
    QList<automation::Rule> rules;
    for (const QJsonValue &v : list) {
        auto rule = automation::Rule::fromJson(v.toObject());
        if (!rule) {
            report(rule.error().userMessage, true);
            return 0;
        }
        rule->id = 0; // an import always adds
        rule->version = 0;
        rules.append(*rule);
    }
    automation::RuleStore store(m_db);
    for (const automation::Rule &rule : std::as_const(rules))
        if (auto saved = store.save(rule, author()); !saved) {
            report(saved.error().userMessage, true);
            return 0;
        }
    reload();
    report(tr("%n rule(s) imported.", nullptr, int(rules.size())));
    return int(rules.size());
}

bool RulesPage::exportRules(const QList<qint64> &ids, const QString &path)
{
    automation::RuleStore store(m_db);
    QJsonArray list;
    for (qint64 id : ids) {
        auto rule = store.get(id);
        if (!rule) {
            report(rule.error().userMessage, true);
            return false;
        }
        list.append(rule->toJson());
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(list).toJson()) < 0 || !file.commit()) {
        report(tr("Cannot write %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    report(tr("%n rule(s) exported to %1.", nullptr, int(list.size())).arg(path));
    return true;
}

RuleEditor *RulesPage::createEditor(const automation::Rule &rule)
{
    auto *editor = new RuleEditor(m_db, rule, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &RuleEditor::saved, this, [this](qint64 id) {
        reload();
        selectRule(id);
    });
    return editor;
}

void RulesPage::runEditor(RuleEditor *editor)
{
    editor->exec();
}

void RulesPage::editRule(qint64 id)
{
    auto rule = automation::RuleStore(m_db).get(id);
    if (!rule) {
        if (id)
            report(rule.error().userMessage, true);
        return;
    }
    runEditor(createEditor(*rule));
}

void RulesPage::newFromTemplate()
{
    RuleTemplatesDialog gallery(this);
    if (gallery.exec() != QDialog::Accepted)
        return;
    auto rule = automation::Rule::fromJson(gallery.current().json);
    if (!rule) {
        report(rule.error().userMessage, true);
        return;
    }
    runEditor(createEditor(*rule));
}

void RulesPage::showVersions(qint64 id)
{
    if (!id)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Versions of rule %1").arg(id));
    dialog.resize(980, 560);
    auto *panel = new RuleVersionsPanel(m_db, &dialog);
    panel->setRuleId(id);
    connect(panel, &RuleVersionsPanel::rolledBack, this, [this, id] {
        reload();
        selectRule(id);
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::accept);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(panel, 1);
    layout->addWidget(buttons);
    dialog.exec();
}

void RulesPage::showExecutionLog(qint64 ruleId)
{
    ExecutionLogDialog log(m_db, this);
    if (ruleId)
        log.setRuleFilter(ruleId);
    log.exec();
    reload();
}

bool RulesPage::openPage(const QString &page, std::shared_ptr<storage::Database> db, QWidget *parent)
{
    static const QStringList pages = {u"rules"_qs,         u"rule-editor"_qs,    u"rule-test"_qs,
                                      u"rule-versions"_qs, u"rule-templates"_qs, u"execution-log"_qs};
    if (!pages.contains(page))
        return false;
    if (page == u"execution-log") {
        ExecutionLogDialog log(db, parent);
        log.exec();
        return true;
    }
    RulesPage rules(db, parent);
    if (page == u"rules") {
        rules.exec();
        return true;
    }
    if (page == u"rule-templates") {
        rules.newFromTemplate();
        return true;
    }
    // The editor on the rule with the most versions (the newest on a tie): the one with a history to show.
    qint64 id = 0;
    int most = 0;
    for (const automation::Rule &r : rules.model()->rules())
        if (r.version >= most) {
            most = r.version;
            id = r.id;
        }
    auto rule = automation::RuleStore(db).get(id);
    if (!rule)
        return true;
    RuleEditor *editor = rules.createEditor(*rule);
    if (page == u"rule-editor") {
        // Its last condition and action chosen, so their forms (value and duration pickers) show.
        if (!rule->conditions.children.isEmpty())
            editor->selectCondition({int(rule->conditions.children.size() - 1)});
        if (!rule->actions.isEmpty())
            editor->selectAction({int(rule->actions.size() - 1), -1});
    } else if (page == u"rule-test") {
        editor->tabs()->setCurrentWidget(editor->testPanel());
        editor->testPanel()->setPeriodDays(0);
        editor->testPanel()->run();
    } else if (page == u"rule-versions") {
        editor->tabs()->setCurrentWidget(editor->versionsPanel());
        if (editor->versionsPanel()->list()->rowCount() > 0)
            editor->versionsPanel()->list()->selectRow(0);
    }
    editor->exec();
    return true;
}

} // namespace sd::ui
