#include "ruleversions.h"

#include "marketplace/accountstore.h"
#include "ruletext.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace sd::ui {

RuleVersionsPanel::RuleVersionsPanel(std::shared_ptr<storage::Database> db, QWidget *parent)
    : QWidget(parent)
    , m_db(db)
    , m_store(std::move(db))
{
    auto *layout = new QVBoxLayout(this);
    m_list = new QTableWidget(0, 3, this);
    m_list->setHorizontalHeaderLabels({tr("Version"), tr("Saved"), tr("By")});
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setAccessibleName(tr("Versions"));
    m_diff = new QTextBrowser(this);
    m_diff->setAccessibleName(tr("Changes"));
    m_rollBack = new QPushButton(tr("Roll &back to this version"), this);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    auto *split = new QSplitter(this);
    split->addWidget(m_list);
    split->addWidget(m_diff);
    split->setSizes({300, 700});
    auto *row = new QHBoxLayout;
    row->addWidget(m_message, 1);
    row->addWidget(m_rollBack);
    layout->addWidget(new QLabel(tr("Every save keeps a version. Choose one to see what it changed against the one "
                                    "before; rolling back saves a new version equal to it."),
                                 this));
    layout->addWidget(split, 1);
    layout->addLayout(row);
    connect(m_list, &QTableWidget::currentCellChanged, this, &RuleVersionsPanel::showDiff);
    connect(m_rollBack, &QPushButton::clicked, this, [this] { rollBack(selectedVersion()); });
    m_rollBack->setEnabled(false);
}

void RuleVersionsPanel::setRuleId(qint64 id)
{
    m_ruleId = id;
    reload();
}

void RuleVersionsPanel::reload()
{
    m_versions.clear();
    m_list->setRowCount(0);
    if (m_ruleId == 0) {
        m_diff->setPlainText(tr("The rule has no versions before it is saved."));
        return;
    }
    m_accountNames = marketplace::AccountStore(m_db).namesByOrderKey().value_or({});
    auto versions = m_store.versions(m_ruleId);
    if (!versions) {
        m_message->setText(versions.error().userMessage);
        return;
    }
    m_versions = *versions;
    // Newest first.
    m_list->setRowCount(int(m_versions.size()));
    for (int i = 0; i < m_versions.size(); ++i) {
        const automation::RuleVersion &v = m_versions.at(m_versions.size() - 1 - i);
        const QStringList cells = {QString::number(v.version),
                                   QLocale().toString(v.at.toLocalTime(), QLocale::ShortFormat), v.author};
        for (int column = 0; column < cells.size(); ++column)
            m_list->setItem(i, column, new QTableWidgetItem(cells.at(column)));
    }
    m_list->resizeColumnsToContents();
    m_list->selectRow(0);
}

void RuleVersionsPanel::selectVersion(int version)
{
    for (int row = 0; row < m_list->rowCount(); ++row)
        if (m_list->item(row, 0)->text().toInt() == version)
            m_list->selectRow(row);
}

int RuleVersionsPanel::selectedVersion() const
{
    const int row = m_list->currentRow();
    return row >= 0 && m_list->item(row, 0) ? m_list->item(row, 0)->text().toInt() : 0;
}

QString RuleVersionsPanel::diffText() const
{
    return m_diffText;
}

void RuleVersionsPanel::showDiff()
{
    const int version = selectedVersion();
    m_rollBack->setEnabled(version > 0 && !m_versions.isEmpty() && version != m_versions.constLast().version);
    m_diffText.clear();
    QString html;
    for (qsizetype i = 0; i < m_versions.size(); ++i) {
        if (m_versions.at(i).version != version)
            continue;
        const QStringList after = ruletext::describe(m_versions.at(i).rule, m_accountNames);
        const QStringList before =
            i > 0 ? ruletext::describe(m_versions.at(i - 1).rule, m_accountNames) : QStringList();
        html = u"<p><b>" +
               (i > 0 ? tr("Version %1 against version %2").arg(version).arg(m_versions.at(i - 1).version)
                      : tr("Version %1: the rule as first saved").arg(version))
                   .toHtmlEscaped() +
               u"</b></p>";
        QStringList plain;
        const QStringList lines = ruletext::diff(before, after);
        const auto added =
            std::count_if(lines.cbegin(), lines.cend(), [](const QString &l) { return l.startsWith(u"+ "); });
        const auto removed =
            std::count_if(lines.cbegin(), lines.cend(), [](const QString &l) { return l.startsWith(u"- "); });
        html += u"<p>" + tr("%n line(s) added", nullptr, int(added)).toHtmlEscaped() + u", " +
                tr("%n line(s) removed", nullptr, int(removed)).toHtmlEscaped() +
                u"</p><pre style='font-family:monospace'>";
        for (const QString &line : lines) {
            plain.append(line);
            const QString escaped = line.toHtmlEscaped();
            if (line.startsWith(u"+ "))
                html += u"<span style='background:#d8f3dc;color:#1b5e20'>" + escaped + u"</span>\n";
            else if (line.startsWith(u"- "))
                html += u"<span style='background:#fadbd8;color:#8e1b10'>" + escaped + u"</span>\n";
            else
                html += u"<span style='color:#555'>" + escaped + u"</span>\n";
        }
        html += u"</pre>";
        m_diffText = plain.join(u'\n');
    }
    m_diff->setHtml(html);
}

bool RuleVersionsPanel::rollBack(int version)
{
    auto old = m_store.version(m_ruleId, version);
    if (!old) {
        m_message->setText(old.error().userMessage);
        return false;
    }
    const QString user = qEnvironmentVariable("USER");
    auto saved = m_store.save(*old, user.isEmpty() ? u"sellerdesk"_qs : user);
    if (!saved) {
        m_message->setText(saved.error().userMessage);
        return false;
    }
    m_message->setText(tr("Version %1 is now the rule again, saved as version %2.").arg(version).arg(saved->version));
    reload();
    Q_EMIT rolledBack(*saved);
    return true;
}

} // namespace sd::ui
