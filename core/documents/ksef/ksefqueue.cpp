#include "documents/ksef/ksefqueue.h"

#include "documents/ksef/submissionobserver.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QJsonObject>
#include <QRandomGenerator>

namespace sd::documents::ksef {

KsefQueue::KsefQueue(std::shared_ptr<storage::Database> db, std::shared_ptr<security::SecretStore> secrets,
                     Settings settings, Options options, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_secrets(std::move(secrets))
    , m_settings(std::move(settings))
    , m_options(options)
    , m_store(db)
    , m_ledger(db)
    , m_client(new KsefClient(m_settings.baseUrl, this))
{
    m_client->setTimeoutMs(m_options.timeoutMs);
    m_client->setAuthPollIntervalMs(m_options.authPollMs);
    m_wake.setSingleShot(true);
    m_wake.setTimerType(Qt::PreciseTimer);
    connect(&m_wake, &QTimer::timeout, this, &KsefQueue::kick);
}

KsefQueue::~KsefQueue() = default;

void KsefQueue::setExchangeObserver(marketplace::HttpExchangeObserver observer)
{
    m_client->setExchangeObserver(std::move(observer));
}

QString KsefQueue::ledgerKey(const QString &documentRef, const QString &contentHash)
{
    return u"ksef/send/doc:"_qs + documentRef + u"/sha256:"_qs + contentHash;
}

QString KsefQueue::owner() const
{
    return u"ksef:"_qs + QHostInfo::localHostName() + u':' + QString::number(QCoreApplication::applicationPid());
}

Result<Submission> KsefQueue::submit(const QString &documentRef, const QByteArray &xml)
{
    if (documentRef.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, tr("A document sent to KSeF needs a reference."));
    if (xml.isEmpty())
        return makeError(Error::Code::Invalid, tr("The invoice XML for %1 is empty.").arg(documentRef));
    auto existing = m_store.latest(documentRef);
    if (!existing)
        return existing.error();
    auto s = m_store.enqueue(documentRef, xml);
    if (!s)
        return s.error();
    const bool fresh = !*existing || (*existing)->id != s->id;
    if (fresh && m_observer)
        m_observer->queued(*s);
    kick();
    return s;
}

void KsefQueue::kick()
{
    if (m_busy) {
        m_kickAgain = true;
        return;
    }
    m_busy = true;
    m_kickAgain = false;
    QTimer::singleShot(0, this, &KsefQueue::next);
}

void KsefQueue::next()
{
    auto due = m_store.due(QDateTime::currentDateTimeUtc(), 1);
    if (!due) {
        qCWarning(lcKsef).noquote() << "reading the KSeF queue failed:" << due.error().text();
        return goIdle();
    }
    if (due->isEmpty())
        return goIdle();
    handle(due->constFirst());
}

void KsefQueue::goIdle()
{
    auto finish = [this] {
        m_busy = false;
        if (m_kickAgain)
            return kick();
        if (auto nextDue = m_store.nextDue(); nextDue && *nextDue) {
            const qint64 wait = QDateTime::currentDateTimeUtc().msecsTo(**nextDue);
            m_wake.start(int(qBound(qint64(0), wait, qint64(3600000))));
        }
        emit idle();
    };
    // Nothing left to send now: the session is closed (KSeF then prepares its collective UPO); invoices already
    // sent keep being polled by their own session reference.
    if (!m_client->sessionRef().isEmpty()) {
        m_client->closeSession([finish](Result<void> closed) {
            if (!closed)
                qCInfo(lcKsef).noquote() << "closing the KSeF session failed:" << closed.error().text();
            finish();
        });
        return;
    }
    finish();
}

void KsefQueue::stepDone()
{
    QTimer::singleShot(0, this, &KsefQueue::next);
}

void KsefQueue::save(const Submission &s)
{
    if (auto r = m_store.update(s); !r)
        qCWarning(lcKsef).noquote() << "storing KSeF submission" << s.id << "failed:" << r.error().text();
    emit submissionChanged(s.id);
}

void KsefQueue::ensureAuthenticated(std::function<void(Result<void>)> done)
{
    if (m_client->authenticated())
        return done({});
    if (m_settings.nip.isEmpty())
        return done(makeError(Error::Code::Invalid,
                              tr("The seller's NIP for KSeF is not set (sellerdesk-cli ksef settings --nip NIP).")));
    auto token = m_secrets ? m_secrets->read(m_settings.tokenRef)
                           : Result<std::optional<QByteArray>>(makeError(Error::Code::Invalid, QString()));
    if (!token || !*token || (*token)->isEmpty())
        return done(makeError(Error::Code::Invalid,
                              tr("No KSeF token is stored (sellerdesk-cli ksef settings --token-stdin)."),
                              token ? QString() : token.error().text()));
    m_client->authenticate(**token, m_settings.nip, std::move(done));
}

void KsefQueue::handle(Submission s)
{
    ensureAuthenticated([this, s](Result<void> ready) {
        if (!ready)
            return postpone(s, ready.error(), s.state);
        // Polling needs no open session; sending does.
        if (s.state == Submission::State::Sent)
            return poll(s);
        if (!m_client->sessionRef().isEmpty())
            return deliver(s);
        m_client->openSession([this, s](Result<QString> ref) {
            if (!ref)
                return postpone(s, ref.error(), s.state);
            deliver(s);
        });
    });
}

void KsefQueue::deliver(Submission s)
{
    if (s.state != Submission::State::Sending || s.sessionRef.isEmpty())
        return claimAndSend(s);
    // It may have left before: look for its hash in the session it went into.
    const QByteArray hash = QByteArray::fromHex(s.contentHash.toLatin1()).toBase64();
    m_client->sessionInvoices(s.sessionRef, [this, s, hash](Result<QList<InvoiceStatus>> list) mutable {
        if (!list)
            return postpone(s, list.error(), s.state);
        for (const InvoiceStatus &seen : *list) {
            if (seen.invoiceHash != hash)
                continue;
            qCInfo(lcKsef).noquote() << "document" << s.documentRef << "was already received as"
                                     << seen.referenceNumber;
            if (auto r = m_ledger.complete(
                    ledgerKey(s.documentRef, s.contentHash),
                    QJsonObject{{u"sessionRef"_qs, s.sessionRef}, {u"invoiceRef"_qs, seen.referenceNumber}});
                !r)
                return postpone(s, r.error(), s.state);
            s.invoiceRef = seen.referenceNumber;
            s.state = Submission::State::Sent;
            s.sentAt = QDateTime::currentDateTimeUtc();
            save(s);
            if (m_observer)
                m_observer->sent(s);
            return poll(s);
        }
        claimAndSend(s);
    });
}

void KsefQueue::claimAndSend(Submission s)
{
    const QString key = ledgerKey(s.documentRef, s.contentHash);
    auto claim = m_ledger.claim(key, u"ksef.send"_qs, 0, owner());
    if (!claim)
        return postpone(s, claim.error(), s.state);
    switch (*claim) {
    case storage::ActionLedger::Claim::Claimed:
        return send(s, key);
    case storage::ActionLedger::Claim::AlreadyDone: {
        auto entry = m_ledger.find(key);
        if (!entry || !*entry)
            return postpone(
                s, entry ? makeError(Error::Code::Internal, tr("The KSeF send record is missing.")) : entry.error(),
                s.state);
        s.sessionRef = (*entry)->result.value(u"sessionRef").toString();
        s.invoiceRef = (*entry)->result.value(u"invoiceRef").toString();
        s.state = Submission::State::Sent;
        save(s);
        return poll(s);
    }
    case storage::ActionLedger::Claim::InProgress: {
        auto entry = m_ledger.find(key);
        const bool abandoned =
            entry && *entry &&
            (*entry)->updatedAt.secsTo(QDateTime::currentDateTimeUtc()) >= m_options.abandonedAfterSeconds;
        if (!abandoned)
            return postpone(
                s,
                makeError(Error::Code::Conflict, tr("Another SellerDesk is sending this document to KSeF right now.")),
                s.state);
        // Its sender is gone, and the session it used (if any) does not hold the invoice: take it over.
        if (auto r = m_ledger.fail(key, u"abandoned"_qs); !r)
            return postpone(s, r.error(), s.state);
        [[fallthrough]];
    }
    case storage::ActionLedger::Claim::FailedBefore: {
        auto retry = m_ledger.claimRetry(key, owner());
        if (!retry)
            return postpone(s, retry.error(), s.state);
        if (*retry != storage::ActionLedger::Claim::Claimed)
            return postpone(
                s,
                makeError(Error::Code::Conflict, tr("Another SellerDesk is sending this document to KSeF right now.")),
                s.state);
        return send(s, key);
    }
    }
}

void KsefQueue::send(Submission s, const QString &key)
{
    // Stored before the request leaves: after a crash, this is where the invoice is looked for.
    s.state = Submission::State::Sending;
    s.sessionRef = m_client->sessionRef();
    save(s);
    m_client->sendInvoice(s.xml, [this, s, key](Result<QString> ref) mutable {
        if (!ref) {
            if (auto r = m_ledger.fail(key, ref.error().text()); !r)
                qCWarning(lcKsef).noquote() << "ledger:" << r.error().text();
            // KSeF refused this request (4xx other than authorisation): the invoice is not sent; say why.
            if (ref.error().code == Error::Code::Conflict) {
                s.sessionRef.clear();
                return reject(s, 0, ref.error().userMessage);
            }
            if (ref.error().code != Error::Code::Io) {
                s.sessionRef.clear();
                return postpone(s, ref.error(), Submission::State::Queued);
            }
            // Refused: nothing left. Timeout or 5xx: it may have arrived; the next attempt looks first.
            if (!KsefClient::deliveryUnknown(ref.error())) {
                s.sessionRef.clear();
                return postpone(s, ref.error(), Submission::State::Queued);
            }
            return postpone(s, ref.error(), Submission::State::Sending);
        }
        if (auto r = m_ledger.complete(key, QJsonObject{{u"sessionRef"_qs, s.sessionRef}, {u"invoiceRef"_qs, *ref}});
            !r)
            qCWarning(lcKsef).noquote() << "ledger:" << r.error().text();
        s.invoiceRef = *ref;
        s.state = Submission::State::Sent;
        s.sentAt = QDateTime::currentDateTimeUtc();
        s.lastError.clear();
        s.nextAttemptAt = QDateTime::currentDateTimeUtc().addMSecs(m_options.statusPollMs);
        save(s);
        if (m_observer)
            m_observer->sent(s);
        stepDone();
    });
}

void KsefQueue::poll(Submission s)
{
    m_client->invoiceStatus(s.sessionRef, s.invoiceRef, [this, s](Result<InvoiceStatus> status) mutable {
        if (!status)
            return postpone(s, status.error(), s.state);
        if (status->pending()) {
            s.nextAttemptAt = QDateTime::currentDateTimeUtc().addMSecs(m_options.statusPollMs);
            save(s);
            return stepDone();
        }
        if (!status->succeeded()) {
            QString reason = status->description;
            for (const QString &d : std::as_const(status->details))
                reason += u"; "_qs + d;
            return reject(s, status->code, reason);
        }
        downloadUpo(s, status->ksefNumber);
    });
}

void KsefQueue::downloadUpo(Submission s, const QString &ksefNumber)
{
    m_client->downloadUpo(s.sessionRef, s.invoiceRef, [this, s, ksefNumber](Result<QByteArray> upo) mutable {
        if (!upo)
            return postpone(s, upo.error(), s.state);
        s.state = Submission::State::Accepted;
        s.ksefNumber = ksefNumber;
        s.upo = *upo;
        s.statusCode = 200;
        s.lastError.clear();
        s.acceptedAt = QDateTime::currentDateTimeUtc();
        save(s);
        qCInfo(lcKsef).noquote() << "document" << s.documentRef << "accepted as" << ksefNumber;
        if (m_observer)
            m_observer->accepted(s);
        stepDone();
    });
}

void KsefQueue::reject(Submission s, int code, const QString &reason)
{
    s.state = Submission::State::Rejected;
    s.statusCode = code;
    s.reason = reason;
    save(s);
    qCInfo(lcKsef).noquote() << "document" << s.documentRef << "rejected:" << code << reason;
    if (m_observer)
        m_observer->rejected(s);
    stepDone();
}

void KsefQueue::postpone(Submission s, const Error &error, Submission::State state)
{
    s.state = state;
    s.attempts += 1;
    s.lastError = error.userMessage;
    // Exponential from the base, capped, with 50-150 % jitter so workstations do not retry in step.
    const qint64 exponential = m_options.retryBaseMs << qMin(s.attempts - 1, 20);
    const qint64 wait =
        qint64(double(qMin(exponential, m_options.retryMaxMs)) * (0.5 + QRandomGenerator::global()->generateDouble()));
    s.nextAttemptAt = QDateTime::currentDateTimeUtc().addMSecs(wait);
    const bool nowOffline = error.code == Error::Code::Io && !s.offline;
    if (nowOffline)
        s.offline = true;
    if (error.code != Error::Code::Io)
        m_client->forgetAuthentication();
    qCInfo(lcKsef).noquote() << "document" << s.documentRef << "waits" << wait << "ms:" << error.text();
    save(s);
    if (nowOffline && m_observer)
        m_observer->offlineIssued(s);
    // One outage is enough to know: the rest of the queue waits for the wake-up timer too.
    if (error.code == Error::Code::Io)
        return goIdle();
    stepDone();
}

} // namespace sd::documents::ksef
