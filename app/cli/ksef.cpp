#include "ksef.h"

#include "allegro.h"
#include "args.h"
#include "cli.h"
#include "console.h"
#include "documents/ksef/ksefqueue.h"
#include "documents/ksef/ksefsettings.h"
#include "documents/ksef/ksefsubmissionstore.h"

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

using documents::ksef::KsefQueue;
using documents::ksef::Settings;
using documents::ksef::SettingsStore;
using documents::ksef::Submission;
using documents::ksef::SubmissionStore;

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

QString stateText(const Submission &s)
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

void printSubmission(const Submission &s)
{
    out() << tr("Document:") << u' ' << s.documentRef << u'\n';
    out() << tr("State:") << u' ' << stateText(s) << u'\n';
    if (!s.ksefNumber.isEmpty())
        out() << tr("KSeF number:") << u' ' << s.ksefNumber << u'\n';
    if (!s.upo.isEmpty())
        out() << tr("UPO:") << u' '
              << QCoreApplication::translate("sd::cli", "stored (%n byte(s))", nullptr, int(s.upo.size())) << u'\n';
    if (s.state == Submission::State::Rejected)
        out() << tr("Reason:") << u' ' << s.statusCode << u' ' << s.reason << u'\n';
    if (s.open() && !s.lastError.isEmpty())
        out() << tr("Last error:") << u' ' << s.lastError << u'\n';
    if (s.open() && s.attempts > 0)
        out() << tr("Next attempt:") << u' ' << s.nextAttemptAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_qs)
              << u'\n';
    out().flush();
}

QJsonObject submissionJson(const Submission &s)
{
    return QJsonObject{
        {u"document"_qs, s.documentRef},        {u"state"_qs, Submission::stateKey(s.state)},
        {u"offlineIssued"_qs, s.offline},       {u"ksefNumber"_qs, s.ksefNumber},
        {u"sessionReference"_qs, s.sessionRef}, {u"invoiceReference"_qs, s.invoiceRef},
        {u"statusCode"_qs, s.statusCode},       {u"reason"_qs, s.reason},
        {u"attempts"_qs, s.attempts},           {u"lastError"_qs, s.lastError},
        {u"contentSha256"_qs, s.contentHash},   {u"upo"_qs, QString::fromUtf8(s.upo)},
    };
}

int settingsCommand(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const Args args = Args::parse(words, {u"environment"_qs, u"nip"_qs}, {u"token-stdin"_qs});
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
        return usage(tr("ksef status needs one document reference"));
    auto s = SubmissionStore(db).latest(args.positional.constFirst());
    if (!s)
        return fail(s.error());
    if (!*s)
        return fail(makeError(Error::Code::NotFound,
                              tr("Document %1 has not been sent to KSeF.").arg(args.positional.constFirst())));
    if (args.flags.contains(u"json"_qs)) {
        out() << QString::fromUtf8(QJsonDocument(submissionJson(**s)).toJson(QJsonDocument::Indented));
        out().flush();
    } else {
        printSubmission(**s);
    }
    return kOk;
}

int sendCommand(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const Args args = Args::parse(words, {u"xml"_qs, u"wait"_qs}, {});
    if (!args.problem.isEmpty())
        return usage(args.problem);
    if (args.positional.size() != 1)
        return usage(tr("ksef send needs one document reference"));
    int waitSeconds = 120;
    QString problem;
    if (!args.intValue(u"wait"_qs, 120, 1, 3600, &waitSeconds, &problem))
        return usage(problem);
    const QString ref = args.positional.constFirst();
    auto settings = SettingsStore(db).load();
    if (!settings)
        return fail(settings.error());
    auto secrets = openSecrets(profileDir);
    if (!secrets)
        return fail(secrets.error());
    KsefQueue queue(db, *secrets, *settings, KsefQueue::Options{});
    SubmissionStore store(db);
    int startAttempts = 0;
    if (args.values.contains(u"xml"_qs)) {
        QFile file(args.values.value(u"xml"_qs));
        if (!file.open(QIODevice::ReadOnly))
            return fail(
                makeError(Error::Code::Io, tr("%1 cannot be read: %2").arg(file.fileName(), file.errorString())));
        auto s = queue.submit(ref, file.readAll());
        if (!s)
            return fail(s.error());
        startAttempts = s->attempts;
        if (s->open() && s->attempts > 0) {
            Submission now = *s;
            now.nextAttemptAt = QDateTime::currentDateTimeUtc();
            if (auto r = store.update(now); !r)
                return fail(r.error());
        }
    } else {
        auto s = store.latest(ref);
        if (!s)
            return fail(s.error());
        if (!*s)
            return usage(tr("document %1 is not queued; give its FA(3) file with --xml FILE").arg(ref));
        // Asked for by name: try now rather than at the next backoff time.
        Submission now = **s;
        startAttempts = now.attempts;
        if (now.open()) {
            now.nextAttemptAt = QDateTime::currentDateTimeUtc();
            if (auto r = store.update(now); !r)
                return fail(r.error());
        }
        queue.kick();
    }
    // Until this document is accepted or rejected, or an attempt of this run failed (it waits in the queue).
    QEventLoop loop;
    QDeadlineTimer deadline(qint64(waitSeconds) * 1000);
    QObject::connect(&queue, &KsefQueue::idle, &loop, [&] {
        auto s = store.latest(ref);
        if (!s || !*s || !(*s)->open() || (*s)->attempts > startAttempts || deadline.hasExpired())
            loop.quit();
    });
    loop.exec();
    auto s = SubmissionStore(db).latest(ref);
    if (!s)
        return fail(s.error());
    if (!*s)
        return fail(makeError(Error::Code::NotFound, tr("Document %1 has not been sent to KSeF.").arg(ref)));
    printSubmission(**s);
    return (*s)->state == Submission::State::Rejected ? kFailure : kOk;
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
