#include "documents/ksefdocuments.h"

#include "documents/ksef/ksefnumber.h"

#include "automation/sqlrun.h"
#include "documents/fa3xml.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace sd::documents {

KsefDocuments::KsefDocuments(DocumentStore &store)
    : m_store(store)
{}

Result<QByteArray> KsefDocuments::xmlToSend(qint64 documentId)
{
    auto xml = m_store.xml(documentId);
    if (!xml)
        return xml;
    if (auto r = validateFa3(*xml); !r) {
        if (auto moved = m_store.move(documentId, DocumentState::Rejected, {u"ksef"_s, u"validation"_s, 0},
                                      r.error().userMessage);
            !moved)
            return moved.error();
        return r.error();
    }
    return xml;
}

Result<QList<qint64>> KsefDocuments::waiting()
{
    auto q = automation::runSql(m_store.orders().database(),
                                u"SELECT id FROM documents WHERE state IN ('issued', 'offline', 'queued') "
                                "AND xml IS NOT NULL ORDER BY id"_s,
                                "documents waiting for KSeF");
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    return ids;
}

Result<Document> KsefDocuments::markQueued(qint64 documentId, const storage::ChangeContext &ctx)
{
    return m_store.move(documentId, DocumentState::Queued, ctx, {});
}

Result<Document> KsefDocuments::markSent(qint64 documentId, const QString &referenceNumber,
                                         const storage::ChangeContext &ctx)
{
    return m_store.move(documentId, DocumentState::Sent, ctx, referenceNumber,
                        [&](Document &doc) { doc.ksefReference = referenceNumber; });
}

Result<Document> KsefDocuments::markAccepted(qint64 documentId, const QString &ksefNumber, const QString &upoXml,
                                             const storage::ChangeContext &ctx)
{
    if (!ksef::ksefnumber::isValid(ksefNumber)) // the format and its CRC-8
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "\"%1\" is not a KSeF number.").arg(ksefNumber));
    return m_store.move(
        documentId, DocumentState::Accepted, ctx, ksefNumber, [&](Document &doc) { doc.ksefNumber = ksefNumber; },
        upoXml);
}

Result<Document> KsefDocuments::markRejected(qint64 documentId, const QString &reason,
                                             const storage::ChangeContext &ctx)
{
    return m_store.move(documentId, DocumentState::Rejected, ctx, reason);
}

} // namespace sd::documents
