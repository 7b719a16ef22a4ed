#include "documents/documentstore.h"

#include "automation/sqlrun.h"
#include "documents/fa3xml.h"

#include <QCoreApplication>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sd::documents {

using automation::nullableId;
using automation::runSql;

namespace {

QString docText(const Document &doc)
{
    return QString::fromUtf8(QJsonDocument(doc.toJson()).toJson(QJsonDocument::Compact));
}

QString taxIdOf(const Party &p)
{
    return !p.nip.isEmpty() ? p.nip : (p.euVatId.isEmpty() ? QString() : p.country + p.euVatId);
}

} // namespace

bool canMove(DocumentState from, DocumentState to)
{
    using S = DocumentState;
    switch (from) {
    case S::Draft:
        return to == S::Issued || to == S::OfflineIssued || to == S::Cancelled;
    case S::Issued:
        return to == S::Queued || to == S::Cancelled || to == S::Corrected || to == S::Rejected;
    case S::OfflineIssued:
        return to == S::Queued || to == S::Sent || to == S::Corrected || to == S::Rejected;
    case S::Queued:
        return to == S::Sent || to == S::Rejected || to == S::OfflineIssued;
    case S::Sent:
        return to == S::Accepted || to == S::Rejected;
    case S::Rejected:
        return to == S::Queued || to == S::Cancelled;
    case S::Accepted:
    case S::Corrected:
        return to == S::Corrected;
    case S::Cancelled:
        return false;
    }
    return false;
}

const char *eventFor(DocumentState to)
{
    switch (to) {
    case DocumentState::Draft:
        return nullptr;
    case DocumentState::Issued:
    case DocumentState::OfflineIssued:
        return DocumentEvent::kIssued;
    case DocumentState::Queued:
        return DocumentEvent::kQueued;
    case DocumentState::Sent:
        return DocumentEvent::kSent;
    case DocumentState::Accepted:
        return DocumentEvent::kKsefAccepted;
    case DocumentState::Rejected:
        return DocumentEvent::kKsefRejected;
    case DocumentState::Cancelled:
        return DocumentEvent::kCancelled;
    case DocumentState::Corrected:
        return DocumentEvent::kCorrected;
    }
    return nullptr;
}

DocumentStore::DocumentStore(storage::OrderStore &orders)
    : m_orders(orders)
    , m_db(orders.sharedDatabase())
{}

Result<Document> DocumentStore::issue(Document doc, const Series &series, const storage::ChangeContext &ctx,
                                      const QString &source, bool offline)
{
    if (series.type != doc.type)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "The series \"%1\" numbers %2, not %3.")
                             .arg(series.name, typeTitle(series.type, u"pl"_s), typeTitle(doc.type, u"pl"_s)));
    storage::Transaction transaction(*m_db, "issue document");
    if (!transaction.started())
        return transaction.started().error();
    if (isSale(doc.type) && doc.orderId) {
        auto existing = runSql(*m_db,
                               u"SELECT number FROM documents WHERE order_id = ? AND family = 'sale' "
                               "AND state NOT IN ('cancelled', 'draft')"_s,
                               "find order invoice", {doc.orderId});
        if (!existing)
            return existing.error();
        if (existing->next())
            return makeError(Error::Code::Conflict,
                             QCoreApplication::translate("sd::documents", "Order %1 has the invoice %2 already.")
                                 .arg(doc.orderId)
                                 .arg(existing->value(0).toString()));
    }
    auto number = SeriesStore(m_db).allocate(series, doc.issueDate);
    if (!number)
        return number.error();
    doc.number = *number;
    doc.series = series.name;
    doc.offline = offline;
    const DocumentState from = doc.state;
    doc.state = offline ? DocumentState::OfflineIssued : DocumentState::Issued;
    QByteArray xml;
    if (isKsefDocument(doc.type)) {
        auto generated = validFa3Xml(doc, QDateTime::currentDateTimeUtc());
        if (!generated)
            return generated.error();
        xml = *generated;
    }
    if (doc.id) {
        auto q = runSql(*m_db,
                        u"UPDATE documents SET state = ?, number = ?, series_id = ?, issue_date = ?, doc = ?, xml = ?, "
                        "gross_minor = ?, updated_at = ? WHERE id = ? AND state = 'draft'"_s,
                        "issue draft",
                        {stateKey(doc.state), doc.number, series.id, doc.issueDate.toString(Qt::ISODate), docText(doc),
                         xml.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(QString::fromUtf8(xml)),
                         doc.totals().gross.minor(), QDateTime::currentMSecsSinceEpoch(), doc.id});
        if (!q)
            return q.error();
        if (q->numRowsAffected() != 1)
            return makeError(Error::Code::Conflict, QCoreApplication::translate(
                                                        "sd::documents", "The draft was issued or removed meanwhile."));
    } else {
        auto stored = store(doc, ctx, source, xml, series.id);
        if (!stored)
            return stored.error();
    }
    if (auto r = writeLog(doc.id, ctx, from, doc.state, {}); !r)
        return r.error();
    if (auto r = writeEvent(doc, doc.state, ctx, {}); !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return doc;
}

Result<Document> DocumentStore::store(Document &doc, const storage::ChangeContext &, const QString &source,
                                      const QByteArray &xml, qint64 seriesId)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto q =
        runSql(*m_db,
               u"INSERT INTO documents (doc_type, family, state, number, series_id, order_id, corrects_id, "
               "issue_date, buyer_name, buyer_tax_id, gross_minor, currency, source, doc, xml, created_at, "
               "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
               "insert document",
               {typeKey(doc.type), isSale(doc.type) ? u"sale"_s : typeKey(doc.type), stateKey(doc.state),
                doc.number.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(doc.number),
                nullableId(seriesId), nullableId(doc.orderId), nullableId(doc.correctsId),
                doc.issueDate.isValid() ? doc.issueDate.toString(Qt::ISODate) : QString(), doc.buyer.name,
                taxIdOf(doc.buyer), doc.totals().gross.minor(), doc.currency, source, u"{}"_s,
                xml.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(QString::fromUtf8(xml)), now, now});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::Storage,
                         QCoreApplication::translate("sd::documents", "The document could not be stored."));
    doc.id = q->value(0).toLongLong();
    q->finish();
    auto u = runSql(*m_db, u"UPDATE documents SET doc = ? WHERE id = ?"_s, "store document", {docText(doc), doc.id});
    if (!u)
        return u.error();
    return doc;
}

Result<Document> DocumentStore::saveDraft(Document doc, const storage::ChangeContext &ctx, const QString &source)
{
    storage::Transaction transaction(*m_db, "save draft");
    if (!transaction.started())
        return transaction.started().error();
    doc.state = DocumentState::Draft;
    doc.number.clear();
    auto stored = store(doc, ctx, source, {}, 0);
    if (!stored)
        return stored.error();
    if (auto r = writeLog(doc.id, ctx, DocumentState::Draft, DocumentState::Draft, u"draft"_s); !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return doc;
}

Result<Document> DocumentStore::issueDraft(qint64 id, const Series &series, const storage::ChangeContext &ctx,
                                           bool offline)
{
    auto doc = load(id);
    if (!doc)
        return doc.error();
    if (doc->state != DocumentState::Draft)
        return makeError(Error::Code::Conflict,
                         QCoreApplication::translate("sd::documents", "Only a draft can be issued; %1 is %2.")
                             .arg(doc->number, stateLabel(doc->state)));
    return issue(*doc, series, ctx, {}, offline);
}

Result<Document> DocumentStore::move(qint64 id, DocumentState to, const storage::ChangeContext &ctx,
                                     const QString &note, const std::function<void(Document &)> &edit,
                                     const QString &upo)
{
    storage::Transaction transaction(*m_db, "move document");
    if (!transaction.started())
        return transaction.started().error();
    if (m_db->isPostgres()) {
        // Two workstations moving one document: the second waits and then sees the first's state.
        if (auto r = runSql(*m_db, u"SELECT id FROM documents WHERE id = ? FOR UPDATE"_s, "lock document", {id}); !r)
            return r.error();
    }
    auto doc = load(id);
    if (!doc)
        return doc.error();
    const DocumentState from = doc->state;
    if (!canMove(from, to))
        return makeError(
            Error::Code::Conflict,
            QCoreApplication::translate("sd::documents", "The document %1 is %2 and cannot become %3.")
                .arg(doc->number.isEmpty() ? QString::number(id) : doc->number, stateLabel(from), stateLabel(to)));
    doc->state = to;
    if (edit)
        edit(*doc);
    const QString reason = to == DocumentState::Rejected || to == DocumentState::Cancelled ? note : QString();
    if (to == DocumentState::Rejected)
        doc->rejectionReason = note;
    auto q = runSql(*m_db,
                    u"UPDATE documents SET state = ?, doc = ?, ksef_number = ?, ksef_reference = ?, reason = ?, "
                    "upo = COALESCE(?, upo), updated_at = ? WHERE id = ?"_s,
                    "move document",
                    {stateKey(to), docText(*doc), doc->ksefNumber, doc->ksefReference, reason,
                     upo.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(upo),
                     QDateTime::currentMSecsSinceEpoch(), id});
    if (!q)
        return q.error();
    if (auto r = writeLog(id, ctx, from, to, note); !r)
        return r.error();
    // Offline-issued on the way to KSeF is an event of its own: "document.issued" was written at issue already.
    if (auto r = writeEvent(*doc, to, ctx, note, from == DocumentState::Queued ? DocumentEvent::kOffline : nullptr); !r)
        return r.error();
    if (auto r = transaction.commit(); !r)
        return r.error();
    return doc;
}

Result<void> DocumentStore::writeLog(qint64 id, const storage::ChangeContext &ctx, DocumentState from, DocumentState to,
                                     const QString &note)
{
    auto q = runSql(*m_db,
                    u"INSERT INTO document_log (document_id, at, actor, from_state, to_state, note) "
                    "VALUES (?, ?, ?, ?, ?, ?)"_s,
                    "document log",
                    {id, QDateTime::currentMSecsSinceEpoch(), ctx.actor, stateKey(from), stateKey(to), note});
    if (!q)
        return q.error();
    return {};
}

Result<void> DocumentStore::writeEvent(const Document &doc, DocumentState to, const storage::ChangeContext &ctx,
                                       const QString &note, const char *event)
{
    const char *type = to == DocumentState::OfflineIssued && event ? event : eventFor(to);
    // "document.issued" means an invoice (what is e-mailed to the buyer): completion documents have their own.
    if (isDeliveryDocument(doc.type) && to == DocumentState::Issued)
        type = DocumentEvent::kGenerated;
    if (!type || !doc.orderId)
        return {};
    QJsonObject payload{{u"documentId"_s, doc.id},
                        {u"number"_s, doc.number},
                        {u"documentType"_s, typeKey(doc.type)},
                        {u"state"_s, stateKey(to)},
                        {u"gross"_s, doc.totals().gross.toDecimalString()}};
    if (!doc.ksefNumber.isEmpty())
        payload.insert(u"ksefNumber"_s, doc.ksefNumber);
    if (!note.isEmpty())
        payload.insert(u"note"_s, note);
    if (doc.offline)
        payload.insert(u"offline"_s, true);
    auto id = m_orders.recordEvent(type, doc.orderId, payload, ctx);
    if (!id)
        return id.error();
    return {};
}

Result<void> DocumentStore::recordFailure(qint64 orderId, const QString &reason, const storage::ChangeContext &ctx,
                                          const QString &source)
{
    if (!orderId)
        return {};
    auto id = m_orders.recordEvent(DocumentEvent::kFailed, orderId,
                                   QJsonObject{{u"reason"_s, reason}, {u"source"_s, source}}, ctx);
    if (!id)
        return id.error();
    return {};
}

Result<Document> DocumentStore::load(qint64 id)
{
    auto q =
        runSql(*m_db, u"SELECT doc, state, number, ksef_number, ksef_reference, reason FROM documents WHERE id = ?"_s,
               "load document", {id});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::documents", "There is no document %1.").arg(id));
    auto doc = Document::fromJson(QJsonDocument::fromJson(q->value(0).toString().toUtf8()).object());
    if (!doc)
        return doc.error();
    doc->id = id;
    doc->state = stateFromKey(q->value(1).toString()).value_or(doc->state);
    doc->number = q->value(2).toString();
    doc->ksefNumber = q->value(3).toString();
    doc->ksefReference = q->value(4).toString();
    return doc;
}

Result<Document> DocumentStore::resolve(const QString &numberOrId)
{
    auto q = runSql(*m_db, u"SELECT id FROM documents WHERE number = ?"_s, "find document", {numberOrId.trimmed()});
    if (!q)
        return q.error();
    if (q->next())
        return load(q->value(0).toLongLong());
    bool isId = false;
    const qint64 id = numberOrId.toLongLong(&isId);
    if (isId)
        return load(id);
    return makeError(Error::Code::NotFound,
                     QCoreApplication::translate("sd::documents", "There is no document \"%1\".").arg(numberOrId));
}

Result<QList<DocumentSummary>> DocumentStore::list(const DocumentFilter &filter)
{
    QString sql = u"SELECT id, doc_type, state, number, order_id, issue_date, buyer_name, buyer_tax_id, gross_minor, "
                  "currency, ksef_number, reason FROM documents WHERE 1 = 1"_s;
    QVariantList values;
    if (filter.type) {
        sql += u" AND doc_type = ?"_s;
        values.append(typeKey(*filter.type));
    }
    if (filter.state) {
        sql += u" AND state = ?"_s;
        values.append(stateKey(*filter.state));
    }
    if (filter.orderId) {
        sql += u" AND order_id = ?"_s;
        values.append(filter.orderId);
    }
    if (!filter.search.trimmed().isEmpty()) {
        sql += u" AND (LOWER(number) LIKE ? OR LOWER(buyer_name) LIKE ? OR LOWER(buyer_tax_id) LIKE ?)"_s;
        const QString like = u'%' + filter.search.trimmed().toLower() + u'%';
        values << like << like << like;
    }
    sql += u" ORDER BY id DESC LIMIT "_s + QString::number(qMax(1, filter.limit));
    auto q = storage::prepare(m_db->connection(), sql, "list documents");
    if (!q)
        return q.error();
    for (const QVariant &v : values)
        q->addBindValue(v);
    if (auto r = storage::exec(*q, "list documents"); !r)
        return r.error();
    QList<DocumentSummary> out;
    while (q->next()) {
        DocumentSummary s;
        s.id = q->value(0).toLongLong();
        s.type = typeFromKey(q->value(1).toString()).value_or(DocumentType::Vat);
        s.state = stateFromKey(q->value(2).toString()).value_or(DocumentState::Draft);
        s.number = q->value(3).toString();
        s.orderId = q->value(4).toLongLong();
        s.issueDate = q->value(5).toString();
        s.buyerName = q->value(6).toString();
        s.buyerTaxId = q->value(7).toString();
        s.gross = domain::Money(q->value(8).toLongLong(), q->value(9).toString());
        s.ksefNumber = q->value(10).toString();
        s.reason = q->value(11).toString();
        out.append(s);
    }
    return out;
}

Result<QList<DocumentLogEntry>> DocumentStore::log(qint64 id)
{
    auto q = runSql(
        *m_db, u"SELECT at, actor, from_state, to_state, note FROM document_log WHERE document_id = ? ORDER BY id"_s,
        "document log", {id});
    if (!q)
        return q.error();
    QList<DocumentLogEntry> out;
    while (q->next())
        out.append({QDateTime::fromMSecsSinceEpoch(q->value(0).toLongLong(), Qt::UTC), q->value(1).toString(),
                    q->value(2).toString(), q->value(3).toString(), q->value(4).toString()});
    return out;
}

Result<QByteArray> DocumentStore::xml(qint64 id)
{
    auto q = runSql(*m_db, u"SELECT xml FROM documents WHERE id = ?"_s, "document xml", {id});
    if (!q)
        return q.error();
    if (!q->next() || q->value(0).isNull())
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::documents", "The document %1 has no KSeF XML.").arg(id));
    return q->value(0).toString().toUtf8();
}

Result<QString> DocumentStore::upo(qint64 id)
{
    auto q = runSql(*m_db, u"SELECT upo FROM documents WHERE id = ?"_s, "document upo", {id});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toString() : QString();
}

} // namespace sd::documents
