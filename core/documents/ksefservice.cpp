#include "documents/ksefservice.h"

#include "documents/ksef/ksefclient.h"
#include "documents/ksef/ksefsettings.h"
#include "documents/ksefdocuments.h"
#include "documents/settings.h"
#include "security/secretstore.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace sd::documents {

namespace {

const storage::ChangeContext kContext{u"ksef"_s, {}, 0};

bool sameSettings(const ksef::Settings &a, const ksef::Settings &b)
{
    return a.environment == b.environment && a.baseUrl == b.baseUrl && a.nip == b.nip && a.tokenRef == b.tokenRef;
}

} // namespace

KsefService::KsefService(storage::OrderStore &orders, QObject *parent)
    : QObject(parent)
    , m_orders(orders)
{
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (auto r = pass(); !r)
            qCWarning(lcKsef).noquote() << "KSeF pass:" << r.error().text();
    });
}

KsefService::~KsefService() = default;

void KsefService::setSecrets(std::shared_ptr<security::SecretStore> secrets)
{
    m_secrets = std::move(secrets);
    if (m_queue && !m_queue->busy())
        m_queue.reset(); // made again with the new store at the next pass
}

void KsefService::start(int intervalMs)
{
    m_timer.start(intervalMs);
    QTimer::singleShot(0, this, [this] {
        if (auto r = pass(); !r)
            qCWarning(lcKsef).noquote() << "KSeF pass:" << r.error().text();
    });
}

void KsefService::stop()
{
    m_timer.stop();
}

Result<ksef::KsefQueue *> KsefService::ensureQueue()
{
    auto settings = ksef::SettingsStore(m_orders.sharedDatabase()).load();
    if (!settings)
        return settings.error();
    if (settings->nip.isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "KSeF is on, but the seller's NIP for KSeF is "
                                                                      "not set (Document settings, KSeF)."));
    if (!m_secrets)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents",
                                                     "KSeF is on, but the secret store with its token is not open."));
    // Settings changed in the dialog (another environment or NIP): a queue of its own for them.
    if (m_queue && !m_queue->busy() && !sameSettings(*settings, m_queueSettings))
        m_queue.reset();
    if (!m_queue) {
        m_queue = std::make_unique<ksef::KsefQueue>(m_orders.sharedDatabase(), m_secrets, *settings, m_options);
        m_queue->setObserver(this);
        m_queueSettings = *settings;
        connect(m_queue.get(), &ksef::KsefQueue::idle, this, &KsefService::idle);
    }
    return m_queue.get();
}

Result<int> KsefService::pass()
{
    auto settings = SettingsStore(m_orders.sharedDatabase()).settings();
    if (!settings)
        return settings.error();
    if (!settings->ksefEnabled) {
        if (m_queue && !m_queue->busy())
            m_queue.reset(); // switched off: nothing new is sent (a request in flight finishes first)
        return 0;
    }
    auto queue = ensureQueue();
    if (!queue)
        return queue.error();
    DocumentStore store(m_orders);
    auto queued = KsefDocuments(store).enqueueWaiting(kContext);
    if (!queued)
        return queued.error();
    (*queue)->kick();
    return queued;
}

Result<void> KsefService::sendNow(qint64 documentId)
{
    auto queue = ensureQueue();
    if (!queue)
        return queue.error();
    DocumentStore store(m_orders);
    auto doc = KsefDocuments(store).enqueue(documentId, kContext);
    if (!doc)
        return doc.error();
    ksef::SubmissionStore submissions(m_orders.sharedDatabase());
    auto s = submissions.latest(KsefDocuments::submissionRef(doc->first));
    if (!s)
        return s.error();
    if (!*s)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "The document %1 does not go to KSeF (%2).")
                             .arg(doc->first.number, stateLabel(doc->first.state)));
    if ((*s)->open()) {
        // Asked for by name: now rather than at the next backoff time.
        ksef::Submission now = **s;
        now.nextAttemptAt = QDateTime::currentDateTimeUtc();
        if (auto r = submissions.update(now); !r)
            return r.error();
    }
    (*queue)->kick();
    return {};
}

void KsefService::follow(const ksef::Submission &s, DocumentState to)
{
    DocumentStore store(m_orders);
    KsefDocuments documents(store);
    auto doc = store.resolve(s.documentRef);
    if (!doc) {
        // A submission sent by hand from a file (not a stored document) has nothing to follow.
        if (doc.error().code != Error::Code::NotFound)
            qCWarning(lcKsef).noquote() << "KSeF document" << s.documentRef << ":" << doc.error().text();
        return;
    }
    const DocumentState from = doc->state;
    if (from == to)
        return;
    Result<Document> moved = *doc;
    switch (to) {
    case DocumentState::Queued:
        if (from == DocumentState::Issued)
            moved = documents.markQueued(doc->id, kContext);
        break;
    case DocumentState::OfflineIssued:
        if (from == DocumentState::Queued)
            moved = store.move(doc->id, DocumentState::OfflineIssued, kContext, s.lastError,
                               [](Document &d) { d.offline = true; });
        break;
    case DocumentState::Sent:
        if (canMove(from, DocumentState::Sent))
            moved = documents.markSent(doc->id, s.invoiceRef, kContext);
        break;
    case DocumentState::Accepted:
        if (from != DocumentState::Sent && canMove(from, DocumentState::Sent)) {
            // The "sent" step was not seen (the answer came to another process): it happened all the same.
            moved = documents.markSent(doc->id, s.invoiceRef, kContext);
            if (!moved)
                break;
        }
        moved = documents.markAccepted(doc->id, s.ksefNumber, QString::fromUtf8(s.upo), kContext);
        break;
    case DocumentState::Rejected:
        if (canMove(from, DocumentState::Rejected))
            moved = documents.markRejected(
                doc->id, s.statusCode ? u"%1 %2"_s.arg(s.statusCode).arg(s.reason) : s.reason, kContext);
        break;
    default:
        break;
    }
    if (!moved) {
        qCWarning(lcKsef).noquote() << "KSeF document" << s.documentRef << ":" << moved.error().text();
        return;
    }
    emit documentChanged(doc->id);
}

void KsefService::queued(const ksef::Submission &s)
{
    follow(s, DocumentState::Queued);
}

void KsefService::offlineIssued(const ksef::Submission &s)
{
    follow(s, DocumentState::OfflineIssued);
}

void KsefService::sent(const ksef::Submission &s)
{
    follow(s, DocumentState::Sent);
}

void KsefService::accepted(const ksef::Submission &s)
{
    follow(s, DocumentState::Accepted);
}

void KsefService::rejected(const ksef::Submission &s)
{
    follow(s, DocumentState::Rejected);
}

} // namespace sd::documents
