#include "ksef.h"

#include "allegro.h"
#include "args.h"
#include "cli.h"
#include "console.h"
#include "documents/ksef/ksefqueue.h"
#include "documents/ksef/ksefsettings.h"
#include "documents/ksef/ksefsubmissionstore.h"
#include "documents/ksefdocuments.h"
#include "documents/ksefservice.h"
#include "documents/settings.h"
#include "storage/orderstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace sd::cli {

namespace {

using documents::ksef::Settings;
using documents::ksef::SettingsStore;
using documents::ksef::Submission;
using documents::ksef::SubmissionStore;

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

QString submissionText(const Submission &s)
{
    switch (s.state) {
    case Submission::State::Queued:
        return s.offline ? tr("queued (offline-issued; sent when KSeF is back)") : tr("queued");
    case Submission::State::Sending:
        return tr("sending");
    case Submission::State::Sent:
        return tr("sent, waiting for KSeF");
    case Submission::State::Accepted:
        return tr("accepted");
    case Submission::State::Rejected:
        return tr("rejected");
    }
    return {};
}

void printStatus(const documents::Document &doc, const std::optional<Submission> &s, const QString &upo)
{
    out() << tr("Document:") << u' ' << doc.number << u'\n';
    out() << tr("State:") << u' ' << documents::stateLabel(doc.state) << u'\n';
    if (s)
        out() << tr("KSeF queue:") << u' ' << submissionText(*s) << u'\n';
    if (!doc.ksefNumber.isEmpty())
        out() << tr("KSeF number:") << u' ' << doc.ksefNumber << u'\n';
    if (!upo.isEmpty())
        out() << tr("UPO:") << u' '
              << QCoreApplication::translate("sd::cli", "stored (%n byte(s))", nullptr, int(upo.toUtf8().size()))
              << u'\n';
    if (doc.state == documents::DocumentState::Rejected)
        out() << tr("Reason:") << u' ' << doc.rejectionReason << u'\n';
    if (s && s->open() && !s->lastError.isEmpty())
        out() << tr("Last error:") << u' ' << s->lastError << u'\n';
    if (s && s->open() && s->attempts > 0)
        out() << tr("Next attempt:") << u' ' << s->nextAttemptAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_qs)
              << u'\n';
    out().flush();
}

QJsonObject statusJson(const documents::Document &doc, const std::optional<Submission> &s, const QString &upo)
{
    QJsonObject json{{u"document"_qs, doc.number},
                     {u"documentId"_qs, doc.id},
                     {u"state"_qs, documents::stateKey(doc.state)},
                     {u"offlineIssued"_qs, doc.offline},
                     {u"ksefNumber"_qs, doc.ksefNumber},
                     {u"reason"_qs, doc.rejectionReason},
                     {u"upo"_qs, upo}};
    if (s) {
        json.insert(u"queue"_qs, QJsonObject{{u"state"_qs, Submission::stateKey(s->state)},
                                             {u"sessionReference"_qs, s->sessionRef},
                                             {u"invoiceReference"_qs, s->invoiceRef},
                                             {u"statusCode"_qs, s->statusCode},
                                             {u"attempts"_qs, s->attempts},
                                             {u"lastError"_qs, s->lastError},
                                             {u"contentSha256"_qs, s->contentHash}});
    }
    return json;
}

// The document (by number or id), its newest submission and its UPO.
struct DocumentStatus
{
    documents::Document doc;
    std::optional<Submission> submission;
    QString upo;
};

Result<DocumentStatus> loadStatus(documents::DocumentStore &store, const QString &ref)
{
    auto doc = store.resolve(ref);
    if (!doc)
        return doc.error();
    auto s = SubmissionStore(store.orders().sharedDatabase()).latest(documents::KsefDocuments::submissionRef(*doc));
    if (!s)
        return s.error();
    auto upo = store.upo(doc->id);
    return DocumentStatus{*doc, *s, upo ? *upo : QString()};
}

int settingsCommand(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const Args args = Args::parse(words, {u"environment"_qs, u"nip"_qs}, {u"token-stdin"_qs, u"on"_qs, u"off"_qs});
    if (!args.problem.isEmpty())
        return usage(args.problem);
    if (!args.positional.isEmpty())
        return usage(tr("unexpected word %1").arg(args.positional.constFirst()));
    SettingsStore store(db);
    auto settings = store.load();
    if (!settings)
        return fail(settings.error());
    if (args.values.contains(u"environment"_qs)) {
        auto changed = Settings::fromEnvironmentArgument(args.values.value(u"environment"_qs), *settings);
        if (!changed)
            return usage(changed.error().userMessage);
        *settings = *changed;
    }
    if (args.values.contains(u"nip"_qs)) {
        QString nip = args.values.value(u"nip"_qs);
        nip.remove(u'-').remove(u' ');
        if (nip.size() != 10 || !std::all_of(nip.cbegin(), nip.cend(), [](QChar c) { return c.isDigit(); }))
            return usage(tr("--nip must be the seller's 10-digit NIP"));
        settings->nip = nip;
    }
    if (args.flags.contains(u"token-stdin"_qs)) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return fail(makeError(Error::Code::Io, tr("The KSeF token cannot be read from standard input.")));
        const QByteArray token = in.readAll().trimmed();
        if (token.isEmpty())
            return usage(tr("no KSeF token on standard input"));
        auto secrets = openSecrets(profileDir);
        if (!secrets)
            return fail(secrets.error());
        if (auto r = (*secrets)->write(settings->tokenRef, token); !r)
            return fail(r.error());
    }
    if (auto r = store.save(*settings); !r)
        return fail(r.error());
    documents::SettingsStore documentSettings(db);
    auto docs = documentSettings.settings();
    if (!docs)
        return fail(docs.error());
    if (args.flags.contains(u"on"_qs) || args.flags.contains(u"off"_qs)) {
        if (args.flags.contains(u"on"_qs) && args.flags.contains(u"off"_qs))
            return usage(tr("--on and --off together"));
        docs->ksefEnabled = args.flags.contains(u"on"_qs);
        if (auto r = documentSettings.setSettings(*docs); !r)
            return fail(r.error());
    }
    out() << tr("KSeF: %1").arg(docs->ksefEnabled ? tr("on (issued invoices are sent)") : tr("off")) << u'\n';
    out() << tr("KSeF environment:") << u' ' << Settings::environmentKey(settings->environment) << u'\n'
          << tr("API address:") << u' ' << settings->baseUrl.toDisplayString() << u'\n' << tr("Seller's NIP:") << u' '
          << (settings->nip.isEmpty() ? tr("not set") : settings->nip) << u'\n';
    auto secrets = openSecrets(profileDir);
    const bool hasToken = secrets && [&] {
        auto token = (*secrets)->read(settings->tokenRef);
        return token && *token && !(*token)->isEmpty();
    }();
    out() << tr("KSeF token:") << u' '
          << (hasToken ? tr("stored in the secret store") : tr("not stored (use --token-stdin)")) << Qt::endl;
    return kOk;
}

int statusCommand(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    const Args args = Args::parse(words, {}, {u"json"_qs});
    if (!args.problem.isEmpty())
        return usage(args.problem);
    if (args.positional.size() != 1)
        return usage(tr("ksef status needs one document (its number or id)"));
    storage::OrderStore orders(db);
    documents::DocumentStore store(orders);
    auto status = loadStatus(store, args.positional.constFirst());
    if (!status)
        return fail(status.error());
    if (args.flags.contains(u"json"_qs)) {
        out() << QString::fromUtf8(
            QJsonDocument(statusJson(status->doc, status->submission, status->upo)).toJson(QJsonDocument::Indented));
        out().flush();
    } else {
        printStatus(status->doc, status->submission, status->upo);
    }
    return kOk;
}

int sendCommand(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const Args args = Args::parse(words, {u"wait"_qs}, {});
    if (!args.problem.isEmpty())
        return usage(args.problem);
    if (args.positional.size() != 1)
        return usage(tr("ksef send needs one document (its number or id)"));
    int waitSeconds = 120;
    QString problem;
    if (!args.intValue(u"wait"_qs, 120, 1, 3600, &waitSeconds, &problem))
        return usage(problem);
    storage::OrderStore orders(db);
    documents::DocumentStore store(orders);
    auto before = loadStatus(store, args.positional.constFirst());
    if (!before)
        return fail(before.error());
    const qint64 id = before->doc.id;
    const int startAttempts = before->submission ? before->submission->attempts : 0;
    auto secrets = openSecrets(profileDir);
    if (!secrets)
        return fail(secrets.error());
    documents::KsefService service(orders);
    service.setSecrets(*secrets);
    if (auto r = service.sendNow(id); !r)
        return fail(r.error());
    // Until the document is accepted or rejected, or an attempt of this run failed (it waits in the queue).
    QEventLoop loop;
    QDeadlineTimer deadline(qint64(waitSeconds) * 1000);
    QObject::connect(&service, &documents::KsefService::idle, &loop, [&] {
        auto now = loadStatus(store, QString::number(id));
        if (!now || !now->submission || !now->submission->open() || now->submission->attempts > startAttempts ||
            deadline.hasExpired())
            loop.quit();
    });
    loop.exec();
    auto after = loadStatus(store, QString::number(id));
    if (!after)
        return fail(after.error());
    printStatus(after->doc, after->submission, after->upo);
    return after->doc.state == documents::DocumentState::Rejected ? kFailure : kOk;
}

} // namespace

int ksef(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const QString sub = words.value(0);
    if (sub == u"send")
        return sendCommand(db, profileDir, words.mid(1));
    if (sub == u"status")
        return statusCommand(db, words.mid(1));
    if (sub == u"settings")
        return settingsCommand(db, profileDir, words.mid(1));
    return usage(tr("ksef needs a subcommand: send, status or settings"));
}

} // namespace sd::cli
