#include "documents/ksef/ksefsubmissionstore.h"

#include "storage/sqlbinder.h"
#include "storage/sqlquery.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QSqlRecord>

namespace sd::documents::ksef {

namespace {

constexpr auto kColumns = "id, document_ref, content_hash, xml, state, offline, session_ref, invoice_ref, ksef_number, "
                          "upo, status_code, reason, attempts, last_error, next_attempt_at, created_at, updated_at, "
                          "sent_at, accepted_at";

QDateTime fromMs(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant msOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

} // namespace

QString Submission::stateKey(State state)
{
    switch (state) {
    case State::Queued:
        return QStringLiteral("queued");
    case State::Sending:
        return QStringLiteral("sending");
    case State::Sent:
        return QStringLiteral("sent");
    case State::Accepted:
        return QStringLiteral("accepted");
    case State::Rejected:
        return QStringLiteral("rejected");
    }
    return {};
}

std::optional<Submission::State> Submission::stateFromKey(const QString &key)
{
    for (State s : {State::Queued, State::Sending, State::Sent, State::Accepted, State::Rejected}) {
        if (stateKey(s) == key)
            return s;
    }
    return std::nullopt;
}

SubmissionStore::SubmissionStore(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

QString SubmissionStore::contentHash(const QByteArray &xml)
{
    return QString::fromLatin1(QCryptographicHash::hash(xml, QCryptographicHash::Sha256).toHex());
}

Result<Submission> SubmissionStore::enqueue(const QString &documentRef, const QByteArray &xml)
{
    const QString hash = contentHash(xml);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto insert = storage::prepare(
        m_db->connection(),
        QStringLiteral("INSERT INTO ksef_submissions (document_ref, content_hash, xml, state, next_attempt_at, "
                       "created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?, ?) "
                       "ON CONFLICT (document_ref, content_hash) DO NOTHING"),
        "ksef enqueue");
    if (!insert)
        return insert.error();
    insert->addBindValue(storage::notNullText(documentRef));
    insert->addBindValue(hash);
    insert->addBindValue(QString::fromUtf8(xml));
    insert->addBindValue(now);
    insert->addBindValue(now);
    insert->addBindValue(now);
    if (auto r = storage::exec(*insert, "ksef enqueue"); !r)
        return r.error();
    auto rows = select(QStringLiteral("document_ref = ? AND content_hash = ?"), {documentRef, hash});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return makeError(Error::Code::Storage,
                         QCoreApplication::translate("sd::ksef", "The KSeF submission was not stored."),
                         QStringLiteral("row missing after insert"));
    return rows->constFirst();
}

Result<std::optional<Submission>> SubmissionStore::find(qint64 id)
{
    auto rows = select(QStringLiteral("id = ?"), {id});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<Submission>();
    return std::optional<Submission>(rows->constFirst());
}

Result<std::optional<Submission>> SubmissionStore::latest(const QString &documentRef)
{
    auto rows = select(QStringLiteral("document_ref = ? ORDER BY id DESC LIMIT 1"), {documentRef});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return std::optional<Submission>();
    return std::optional<Submission>(rows->constFirst());
}

Result<QList<Submission>> SubmissionStore::due(const QDateTime &now, int limit)
{
    return select(QStringLiteral("state IN ('queued', 'sending', 'sent') AND next_attempt_at <= ? "
                                 "ORDER BY next_attempt_at, id LIMIT %1")
                      .arg(limit),
                  {now.toMSecsSinceEpoch()});
}

Result<std::optional<QDateTime>> SubmissionStore::nextDue()
{
    auto query = storage::prepare(
        m_db->connection(),
        QStringLiteral(
            "SELECT MIN(next_attempt_at) FROM ksef_submissions WHERE state IN ('queued', 'sending', 'sent')"),
        "ksef next due");
    if (!query)
        return query.error();
    if (auto r = storage::exec(*query, "ksef next due"); !r)
        return r.error();
    if (!query->next() || query->value(0).isNull())
        return std::optional<QDateTime>();
    return std::optional<QDateTime>(fromMs(query->value(0)));
}

Result<void> SubmissionStore::update(const Submission &s)
{
    auto query = storage::prepare(
        m_db->connection(),
        QStringLiteral("UPDATE ksef_submissions SET state = ?, offline = ?, session_ref = ?, invoice_ref = ?, "
                       "ksef_number = ?, upo = ?, status_code = ?, reason = ?, attempts = ?, last_error = ?, "
                       "next_attempt_at = ?, updated_at = ?, sent_at = ?, accepted_at = ? WHERE id = ?"),
        "ksef update");
    if (!query)
        return query.error();
    query->addBindValue(Submission::stateKey(s.state));
    query->addBindValue(s.offline ? 1 : 0);
    query->addBindValue(storage::notNullText(s.sessionRef));
    query->addBindValue(storage::notNullText(s.invoiceRef));
    query->addBindValue(storage::notNullText(s.ksefNumber));
    query->addBindValue(storage::notNullText(QString::fromUtf8(s.upo)));
    query->addBindValue(s.statusCode);
    query->addBindValue(storage::notNullText(s.reason));
    query->addBindValue(s.attempts);
    query->addBindValue(storage::notNullText(s.lastError));
    query->addBindValue(s.nextAttemptAt.isValid() ? s.nextAttemptAt.toMSecsSinceEpoch()
                                                  : QDateTime::currentMSecsSinceEpoch());
    query->addBindValue(QDateTime::currentMSecsSinceEpoch());
    query->addBindValue(msOrNull(s.sentAt));
    query->addBindValue(msOrNull(s.acceptedAt));
    query->addBindValue(s.id);
    return storage::exec(*query, "ksef update");
}

Result<QList<Submission>> SubmissionStore::select(const QString &where, const QVariantList &values)
{
    auto query = storage::prepare(m_db->connection(),
                                  u"SELECT "_qs + QLatin1String(kColumns) + u" FROM ksef_submissions WHERE "_qs + where,
                                  "ksef select");
    if (!query)
        return query.error();
    for (const QVariant &v : values)
        query->addBindValue(v);
    if (auto r = storage::exec(*query, "ksef select"); !r)
        return r.error();
    QList<Submission> out;
    while (query->next()) {
        Submission s;
        s.id = query->value(0).toLongLong();
        s.documentRef = query->value(1).toString();
        s.contentHash = query->value(2).toString();
        s.xml = query->value(3).toString().toUtf8();
        s.state = Submission::stateFromKey(query->value(4).toString()).value_or(Submission::State::Queued);
        s.offline = query->value(5).toInt() != 0;
        s.sessionRef = query->value(6).toString();
        s.invoiceRef = query->value(7).toString();
        s.ksefNumber = query->value(8).toString();
        s.upo = query->value(9).toString().toUtf8();
        s.statusCode = query->value(10).toInt();
        s.reason = query->value(11).toString();
        s.attempts = query->value(12).toInt();
        s.lastError = query->value(13).toString();
        s.nextAttemptAt = fromMs(query->value(14));
        s.createdAt = fromMs(query->value(15));
        s.updatedAt = fromMs(query->value(16));
        s.sentAt = fromMs(query->value(17));
        s.acceptedAt = fromMs(query->value(18));
        out.append(s);
    }
    return out;
}

} // namespace sd::documents::ksef
