#include "exchangelogmodel.h"

#include <QBrush>
#include <QColor>
#include <QJsonDocument>
#include <QLocale>

namespace sd::ui {

namespace {

QString bodyText(const QByteArray &body, const QByteArray &contentType)
{
    if (body.isEmpty())
        return ExchangeLogModel::tr("(no body)");
    if (contentType.contains("json") || body.startsWith('{') || body.startsWith('[')) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (error.error == QJsonParseError::NoError)
            return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
        return ExchangeLogModel::tr("(not valid JSON: %1)\n%2")
            .arg(error.errorString(), QString::fromUtf8(body.left(4000)));
    }
    if (contentType.startsWith("text/") || contentType.contains("x-www-form-urlencoded"))
        return QString::fromUtf8(body.left(4000));
    return ExchangeLogModel::tr("(%n byte(s) of %1)", nullptr, int(body.size()))
        .arg(contentType.isEmpty() ? ExchangeLogModel::tr("binary data") : QString::fromLatin1(contentType));
}

QString headersText(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QString text;
    for (const auto &[name, value] : headers)
        text += QString::fromLatin1(name) + u": " + QString::fromLatin1(value) + u'\n';
    return text;
}

} // namespace

ExchangeLogModel::ExchangeLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax(1, capacity))
{}

int ExchangeLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ExchangeLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExchangeLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry &entry = m_entries.at(index.row());
    if (role == FailedRole)
        return entry.failed();
    if (role == Qt::ForegroundRole && entry.failed())
        return QBrush(QColor(0xb0, 0x00, 0x20));
    if (role == Qt::TextAlignmentRole && (index.column() == Status || index.column() == Duration))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const marketplace::HttpExchange &ex = entry.exchange;
    switch (index.column()) {
    case Time:
        return QLocale().toString(entry.at.toLocalTime(), u"HH:mm:ss.zzz"_qs);
    case Account:
        return entry.account;
    case Method:
        return QString::fromLatin1(ex.method);
    case Path:
        return ex.url.hasQuery() ? QString(ex.url.path() + u'?' + ex.url.query()) : ex.url.path();
    case Status:
        return ex.status == 0 ? tr("no answer") : QString::number(ex.status);
    case Duration:
        return tr("%1 ms").arg(ex.elapsedMs);
    default:
        return {};
    }
}

QVariant ExchangeLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Account:
        return tr("Account");
    case Method:
        return tr("Method");
    case Path:
        return tr("Address");
    case Status:
        return tr("Answer");
    case Duration:
        return tr("Duration");
    default:
        return {};
    }
}

void ExchangeLogModel::append(const QString &account, const marketplace::HttpExchange &exchange)
{
    if (m_entries.size() >= m_capacity) {
        const int drop = int(m_entries.size()) - m_capacity + 1;
        beginRemoveRows({}, 0, drop - 1);
        m_entries.remove(0, drop);
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append({QDateTime::currentDateTimeUtc(), account, exchange});
    endInsertRows();
}

void ExchangeLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int ExchangeLogModel::failures() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(), [](const Entry &e) { return e.failed(); }));
}

QString ExchangeLogModel::describe(const Entry &entry)
{
    const marketplace::HttpExchange &ex = entry.exchange;
    QString text = QString::fromLatin1(ex.method) + u' ' + ex.url.toString() + u'\n';
    text += headersText(ex.requestHeaders);
    if (!ex.requestBody.isEmpty())
        text += u'\n' + bodyText(ex.requestBody, ex.requestHeader("Content-Type")) + u'\n';
    text += u"\n— "_qs;
    text += ex.status == 0 ? tr("no answer") : tr("answer %1").arg(ex.status);
    text += u" (" + tr("%1 ms").arg(ex.elapsedMs) + u")\n";
    text += headersText(ex.responseHeaders);
    text += u'\n' + bodyText(ex.responseBody, ex.responseHeader("Content-Type"));
    return text;
}

} // namespace sd::ui
