#include "training.h"
#include "util/trainingmode.h"

#include "cli.h"
#include "marketplace/training/trainingserver.h"
#include "untilsignal.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace sd::cli {

namespace {

int usage(const QString &message)
{
    QTextStream(stderr) << "sellerdesk-cli: " << message << u' '
                        << QCoreApplication::translate("sd::cli", "(see sellerdesk-cli --help)") << Qt::endl;
    return kUsage;
}

} // namespace

int training(const QStringList &words)
{
    if (words.value(0) != u"serve")
        return usage(QCoreApplication::translate("sd::cli", "training needs a subcommand: serve"));
    // The training servers draw labels for a training shop only: every one carries the TRAINING mark.
    sd::training::setActive(true);
    marketplace::training::TrainingOptions options;
    for (qsizetype i = 1; i < words.size(); ++i) {
        const QString &word = words.at(i);
        if (word == u"--auto-approve") {
            options.autoApprove = true;
            continue;
        }
        static const QStringList kValued = {u"--port"_s, u"--state"_s,  u"--orders"_s,
                                            u"--rate"_s, u"--faults"_s, u"--seed"_s};
        if (!kValued.contains(word))
            return usage(QCoreApplication::translate("sd::cli", "unknown option %1").arg(word));
        if (i + 1 >= words.size())
            return usage(QCoreApplication::translate("sd::cli", "the option %1 needs a value").arg(word));
        const QString value = words.at(++i);
        bool ok = true;
        if (word == u"--port") {
            const int port = value.toInt(&ok);
            ok = ok && port >= 0 && port <= 65535;
            options.port = quint16(port);
        } else if (word == u"--state") {
            options.stateFile = value;
        } else if (word == u"--orders") {
            options.orders = value.toInt(&ok);
            ok = ok && options.orders >= 0 && options.orders <= 100000;
        } else if (word == u"--rate") {
            options.ratePerMinute = value.toDouble(&ok);
            ok = ok && options.ratePerMinute >= 0 && options.ratePerMinute <= 6000;
        } else if (word == u"--seed") {
            options.seed = value.toULongLong(&ok);
        } else if (word == u"--faults") {
            auto plan = marketplace::training::FaultPlan::parse(value);
            if (!plan)
                return usage(plan.error().userMessage);
            options.faults = *plan;
        }
        if (!ok)
            return usage(QCoreApplication::translate("sd::cli", "%1 has a bad value: %2").arg(word, value));
    }

    QLoggingCategory::setFilterRules(u"sd.training.info=true"_s);
    marketplace::training::TrainingServer server(options);
    const auto url = server.start();
    if (!url) {
        QTextStream(stderr) << "sellerdesk-cli: " << QCoreApplication::translate("sd::cli", "error:") << u' '
                            << url.error().userMessage << Qt::endl;
        return kFailure;
    }
    {
        QTextStream out(stdout);
        out << url->toString() << Qt::endl; // endl flushes: scripts read the URL from the first line
    }

    if (!runUntilSignal())
        return kFailure;
    if (auto saved = server.saveNow(); !saved) {
        QTextStream(stderr) << "sellerdesk-cli: " << saved.error().text() << Qt::endl;
        return kFailure;
    }
    return kOk;
}

} // namespace sd::cli
