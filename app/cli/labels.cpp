#include "labels.h"

#include "allegro.h"
#include "cli.h"
#include "console.h"
#include "devices/labels/couriersetup.h"
#include "devices/labels/labelservice.h"
#include "devices/labels/pdflabels.h"
#include "devices/labels/training/shipxtrainingserver.h"
#include "devices/labels/zpltemplates.h"
#include "devices/printing/printerrouting.h"
#include "devices/printing/printqueue.h"
#include "devices/printing/printrequests.h"
#include "security/secretstore.h"
#include "storage/orderstore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <QTextStream>

#include <csignal>

namespace sd::cli {

namespace {

using namespace sd::devices;
using printing::PrinterRouting;
using printing::PrintQueue;

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

// "ORDER --name value ... --flag": the positional words, the options (only those named) and the flags.
struct Words
{
    QStringList positional;
    QHash<QString, QString> values;
    QSet<QString> flags;
    QString problem;
};

Words parse(const QStringList &words, const QStringList &valueNames, const QStringList &flagNames = {})
{
    Words w;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString &word = words.at(i);
        if (!word.startsWith(u"--")) {
            w.positional << word;
            continue;
        }
        const QString name = word.mid(2);
        if (flagNames.contains(name)) {
            w.flags.insert(name);
        } else if (valueNames.contains(name)) {
            if (i + 1 >= words.size()) {
                w.problem = tr("the option --%1 needs a value").arg(name);
                return w;
            }
            w.values.insert(name, words.at(++i));
        } else {
            w.problem = tr("unknown option %1").arg(word);
            return w;
        }
    }
    return w;
}

QString actor()
{
    const QString user = qEnvironmentVariable("USER");
    return u"cli:"_qs + (user.isEmpty() ? u"user"_qs : user);
}

QString printerText(const Words &w)
{
    const QString given = w.values.value(u"printer"_qs);
    return given.isEmpty() ? PrinterRouting::text(PrinterRouting::Role::Label) : given;
}

// Sends a job just queued and says how it went; a job waiting for its printer is not a failure.
int submitAndPrint(PrintQueue &queue, const Result<qint64> &job)
{
    if (!job)
        return fail(job.error());
    auto state = queue.process(*job);
    if (!state)
        return fail(state.error());
    out() << tr("Print job %1: %2").arg(*job).arg(PrintQueue::stateName(*state)) << Qt::endl;
    return *state == PrintQueue::State::Failed ? kFailure : kOk;
}

int labelCreate(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const Words w = parse(words, {u"courier"_qs, u"format"_qs, u"weight"_qs, u"size"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    if (w.positional.size() != 1)
        return usage(tr("label create needs one order"));
    const QString courierName = w.values.value(u"courier"_qs);
    if (courierName != u"allegro" && courierName != u"inpost")
        return usage(tr("--courier must be allegro or inpost"));
    labels::LabelDocument::Format format = labels::LabelDocument::Format::Pdf;
    if (w.values.contains(u"format"_qs) && !labels::LabelDocument::parseFormat(w.values.value(u"format"_qs), &format))
        return usage(tr("--format must be pdf or zpl"));
    labels::Parcel parcel;
    if (w.values.contains(u"weight"_qs)) {
        bool ok = false;
        parcel.weightKg = w.values.value(u"weight"_qs).toDouble(&ok);
        if (!ok || parcel.weightKg <= 0 || parcel.weightKg > 1000)
            return usage(tr("--weight must be kilograms, e.g. 1.5"));
    }
    if (w.values.contains(u"size"_qs)) {
        const QStringList parts = w.values.value(u"size"_qs).split(u'x');
        bool ok = parts.size() == 3;
        double d[3] = {0, 0, 0};
        for (int i = 0; ok && i < 3; ++i)
            d[i] = parts.at(i).toDouble(&ok);
        if (!ok || d[0] <= 0 || d[1] <= 0 || d[2] <= 0)
            return usage(tr("--size must be LENGTHxWIDTHxHEIGHT in centimetres, e.g. 30x20x10"));
        parcel.lengthCm = d[0];
        parcel.widthCm = d[1];
        parcel.heightCm = d[2];
    }
    storage::OrderStore store(db);
    auto id = store.resolve(w.positional.constFirst());
    if (!id)
        return fail(id.error());
    auto order = store.load(*id);
    if (!order)
        return fail(order.error());
    auto secrets = openSecrets(profileDir);
    if (!secrets)
        return fail(secrets.error());
    auto setup = labels::makeCourier(courierName, *order, db, *secrets);
    if (!setup)
        return fail(setup.error());
    storage::ActionLedger ledger(db);
    labels::LabelService service(store, ledger, actor());
    auto made = service.generate(*id, *setup->courier, parcel, format,
                                 labels::LabelService::operatorKey(*id, courierName), {actor(), tr("label"), 0});
    if (!made)
        return fail(made.error());
    const labels::StoredLabel &label = made->label;
    out() << (made->alreadyDone ? tr("The order already has this label: %1 %2") : tr("Label made: %1 %2"))
                 .arg(label.carrierId, label.trackingNumber);
    if (!label.labelBarcode.isEmpty())
        out() << u' ' << tr("(label barcode %1)").arg(label.labelBarcode);
    out() << Qt::endl;
    return kOk;
}

int labelPrint(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    const Words w = parse(words, {u"printer"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    if (w.positional.size() != 1)
        return usage(tr("label print needs one order"));
    const QString printer = printerText(w);
    if (printer.isEmpty())
        return usage(tr("no label printer is set: give --printer tcp://HOST:9100|cups:QUEUE|pdf:FILE"));
    storage::OrderStore store(db);
    auto id = store.resolve(w.positional.constFirst());
    if (!id)
        return fail(id.error());
    storage::ActionLedger ledger(db);
    labels::LabelService service(store, ledger, actor());
    auto label = service.latest(*id);
    if (!label)
        return fail(label.error());
    if (!label->has_value())
        return fail(makeError(Error::Code::NotFound,
                              tr("The order has no label yet: make one with \"label create ORDER --courier ...\".")));
    PrintQueue queue(db, ledger, PrinterRouting::workstation());
    return submitAndPrint(queue, queue.submit(printing::labelPrintRequest(**label, printer, actor())));
}

int labelInpostSetup(const QString &profileDir, const QStringList &words)
{
    const Words w = parse(words, {u"url"_qs, u"organization"_qs, u"sending-method"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    if (!w.positional.isEmpty() || w.values.value(u"organization"_qs).isEmpty())
        return usage(tr("label inpost-setup needs --organization ID (the token is read from standard input)"));
    const QByteArray token = QTextStream(stdin).readLine().trimmed().toUtf8();
    if (token.isEmpty())
        return usage(tr("give the ShipX API token on standard input"));
    auto secrets = openSecrets(profileDir);
    if (!secrets)
        return fail(secrets.error());
    if (auto r = (*secrets)->write(QString::fromLatin1(labels::kShipXTokenKey), token); !r)
        return fail(r.error());
    QSettings settings;
    if (w.values.contains(u"url"_qs))
        settings.setValue(u"couriers/inpost/url"_qs, w.values.value(u"url"_qs));
    settings.setValue(u"couriers/inpost/organization"_qs, w.values.value(u"organization"_qs));
    if (w.values.contains(u"sending-method"_qs))
        settings.setValue(u"couriers/inpost/sendingMethod"_qs, w.values.value(u"sending-method"_qs));
    out() << tr("InPost ShipX is set up for organization %1.").arg(w.values.value(u"organization"_qs)) << Qt::endl;
    return kOk;
}

int labelSender(const QStringList &words)
{
    const Words w = parse(
        words, {u"name"_qs, u"street"_qs, u"postal-code"_qs, u"city"_qs, u"country"_qs, u"email"_qs, u"phone"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    labels::Sender s = labels::Sender::fromSettings();
    s.name = w.values.value(u"name"_qs, s.name);
    s.street = w.values.value(u"street"_qs, s.street);
    s.postalCode = w.values.value(u"postal-code"_qs, s.postalCode);
    s.city = w.values.value(u"city"_qs, s.city);
    s.countryCode = w.values.value(u"country"_qs, s.countryCode);
    s.email = w.values.value(u"email"_qs, s.email);
    s.phone = w.values.value(u"phone"_qs, s.phone);
    s.save();
    out() << tr("Sender: %1, %2, %3 %4, %5, %6, %7")
                 .arg(s.name, s.street, s.postalCode, s.city, s.countryCode, s.email, s.phone)
          << Qt::endl;
    return kOk;
}

int labelTrainingShipX(const QStringList &words)
{
    const Words w = parse(words, {u"port"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    labels::ShipXTrainingServer::Options options;
    options.port = quint16(w.values.value(u"port"_qs, u"0"_qs).toUInt());
    labels::ShipXTrainingServer server(options);
    auto url = server.start();
    if (!url)
        return fail(url.error());
    out() << tr("Training InPost ShipX on %1 (organization %2, token %3). Stop with Ctrl+C.")
                 .arg(url->toString(), options.organizationId, QString::fromLatin1(options.token))
          << Qt::endl;
    std::signal(SIGINT, [](int) { QCoreApplication::quit(); });
    std::signal(SIGTERM, [](int) { QCoreApplication::quit(); });
    return QCoreApplication::exec();
}

QJsonObject jobJson(const PrintQueue::Job &job)
{
    QJsonArray timeline;
    for (const auto &entry : job.timeline)
        timeline.append(QJsonObject{{u"state"_qs, PrintQueue::stateKey(entry.state)},
                                    {u"detail"_qs, entry.detail},
                                    {u"at"_qs, entry.at.toString(Qt::ISODateWithMs)}});
    return {{u"id"_qs, job.id},
            {u"kind"_qs, job.kind},
            {u"orderId"_qs, job.orderId ? QJsonValue(job.orderId) : QJsonValue()},
            {u"document"_qs, job.documentKey},
            {u"title"_qs, job.title},
            {u"printer"_qs, job.printer},
            {u"format"_qs, labels::LabelDocument::formatName(job.document.format)},
            {u"workstation"_qs, job.workstation},
            {u"state"_qs, PrintQueue::stateKey(job.state)},
            {u"reprintOf"_qs, job.reprintOf ? QJsonValue(job.reprintOf) : QJsonValue()},
            {u"reason"_qs, job.reason},
            {u"attempts"_qs, job.attempts},
            {u"lastError"_qs, job.lastError},
            {u"cupsJob"_qs, job.externalId},
            {u"createdBy"_qs, job.createdBy},
            {u"timeline"_qs, timeline}};
}

int printersCommand(const QStringList &words)
{
    const Words w = parse(words, {u"document"_qs, u"label"_qs, u"fiscal"_qs, u"workstation"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    const std::pair<const char *, PrinterRouting::Role> roles[] = {{"document", PrinterRouting::Role::Document},
                                                                   {"label", PrinterRouting::Role::Label},
                                                                   {"fiscal", PrinterRouting::Role::Fiscal}};
    for (const auto &[name, role] : roles) {
        const QString key = QString::fromLatin1(name);
        if (w.values.contains(key))
            if (auto r = PrinterRouting::setPrinter(role, w.values.value(key)); !r)
                return fail(r.error());
    }
    if (w.values.contains(u"workstation"_qs))
        PrinterRouting::setWorkstation(w.values.value(u"workstation"_qs));
    out() << tr("Workstation: %1").arg(PrinterRouting::workstation()) << Qt::endl;
    for (const auto &[name, role] : roles) {
        const QString value = PrinterRouting::text(role);
        out() << PrinterRouting::roleName(role) << ": " << (value.isEmpty() ? tr("(none)") : value) << Qt::endl;
    }
    return kOk;
}

int printCommand(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    const QString sub = words.value(0);
    if (sub == u"printers")
        return printersCommand(words.mid(1));
    storage::ActionLedger ledger(db);
    PrintQueue queue(db, ledger, PrinterRouting::workstation());
    if (sub == u"jobs") {
        const Words w = parse(words.mid(1), {u"limit"_qs}, {u"json"_qs});
        if (!w.problem.isEmpty() || !w.positional.isEmpty())
            return usage(w.problem.isEmpty() ? tr("print jobs takes no order") : w.problem);
        auto jobs = queue.jobs(w.values.value(u"limit"_qs, u"200"_qs).toInt());
        if (!jobs)
            return fail(jobs.error());
        if (w.flags.contains(u"json"_qs)) {
            QJsonArray array;
            for (const auto &job : *jobs)
                array.append(jobJson(job));
            out() << QJsonDocument(QJsonObject{{u"jobs"_qs, array}}).toJson(QJsonDocument::Indented);
            return kOk;
        }
        for (const auto &job : *jobs) {
            out() << job.id << '\t' << PrintQueue::stateName(job.state) << '\t' << job.printer << '\t' << job.title;
            if (job.reprintOf)
                out() << '\t' << tr("reprint of %1: %2").arg(job.reprintOf).arg(job.reason);
            if (!job.lastError.isEmpty())
                out() << '\t' << job.lastError;
            out() << Qt::endl;
        }
        return kOk;
    }
    if (sub == u"reprint") {
        const Words w = parse(words.mid(1), {u"reason"_qs, u"printer"_qs});
        if (!w.problem.isEmpty())
            return usage(w.problem);
        bool ok = false;
        const qint64 jobId = w.positional.value(0).toLongLong(&ok);
        if (!ok || w.positional.size() != 1)
            return usage(tr("print reprint needs one job number"));
        if (w.values.value(u"reason"_qs).trimmed().isEmpty())
            return usage(tr("print reprint needs --reason"));
        return submitAndPrint(
            queue, queue.reprint(jobId, w.values.value(u"reason"_qs), actor(), w.values.value(u"printer"_qs)));
    }
    if (sub == u"process") {
        auto report = queue.processPending();
        if (!report)
            return fail(report.error());
        out() << tr("Printed %1, with CUPS %2, waiting %3, failed %4.")
                     .arg(report->printed)
                     .arg(report->sent)
                     .arg(report->waiting)
                     .arg(report->failed)
              << Qt::endl;
        return kOk;
    }
    if (sub == u"test-page") {
        const Words w = parse(words.mid(1), {u"printer"_qs, u"role"_qs});
        if (!w.problem.isEmpty())
            return usage(w.problem);
        const bool document = w.values.value(u"role"_qs) == u"document";
        QString printer = w.values.value(u"printer"_qs);
        if (printer.isEmpty())
            printer = PrinterRouting::text(document ? PrinterRouting::Role::Document : PrinterRouting::Role::Label);
        auto request = printing::testPageRequest(printer, document, actor());
        if (!request)
            return fail(request.error());
        return submitAndPrint(queue, queue.submit(*request));
    }
    return usage(tr("unknown print subcommand %1").arg(sub));
}

} // namespace

QString labelsHelp()
{
    return tr(
        "  label create ORDER --courier allegro|inpost [--format pdf|zpl] [--weight KG] [--size LxWxH]\n"
        "                                           make the courier's label (once per order and courier)\n"
        "  label print ORDER [--printer tcp://HOST:9100|cups:QUEUE|pdf:FILE]   print the order's label\n"
        "  label sender [--name N] [--street S] [--postal-code P] [--city C] [--email E] [--phone T]\n"
        "  label inpost-setup --organization ID [--url URL]   InPost ShipX (token on standard input)\n"
        "  label training-shipx [--port P]          run a training InPost ShipX on this computer\n"
        "  print jobs [--json] [--limit N]          the print queue with each job's timeline (--json)\n"
        "  print reprint JOB --reason R [--printer ADDRESS]\n"
        "  print process                            send the jobs that wait for their printer\n"
        "  print test-page [--printer ADDRESS] [--role label|document]\n"
        "  print printers [--document A] [--label A] [--fiscal A] [--workstation NAME]\n"
        "                                           this workstation's printers (printers/... in its settings)\n");
}

int labelsCommand(const QString &command, const QStringList &words,
                  const std::function<Result<std::shared_ptr<storage::Database>>()> &open, const QString &profileDir)
{
    const QString sub = words.value(0);
    if (command == u"label" && sub == u"training-shipx")
        return labelTrainingShipX(words.mid(1));
    if (command == u"label" && sub == u"sender")
        return labelSender(words.mid(1));
    if (command == u"label" && sub == u"inpost-setup")
        return labelInpostSetup(profileDir, words.mid(1));
    if (command == u"print" && sub == u"printers")
        return printersCommand(words.mid(1));
    auto db = open();
    if (!db)
        return fail(db.error());
    if (command == u"print")
        return printCommand(*db, words);
    if (sub == u"create")
        return labelCreate(*db, profileDir, words.mid(1));
    if (sub == u"print")
        return labelPrint(*db, words.mid(1));
    return usage(tr("unknown label subcommand %1").arg(sub));
}

} // namespace sd::cli
