#include "marketplace/training/faultplan.h"

#include <QCoreApplication>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace sd::marketplace::training {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

} // namespace

bool FaultPlan::any() const
{
    return serverError > 0 || tooManyRequests > 0 || slow > 0 || malformed > 0 || truncated > 0 ||
           duplicateEvents > 0 || reorderEvents > 0;
}

QString FaultPlan::toString() const
{
    QStringList items;
    if (serverError > 0)
        items << QString::number(serverErrorStatus) + u'=' + number(serverError);
    if (tooManyRequests > 0)
        items << u"429="_s + number(tooManyRequests);
    if (slow > 0)
        items << u"slow="_s + number(slow) + u':' + QString::number(slowMs);
    if (malformed > 0)
        items << u"malformed="_s + number(malformed);
    if (truncated > 0)
        items << u"truncated="_s + number(truncated);
    if (duplicateEvents > 0)
        items << u"duplicate-events="_s + number(duplicateEvents);
    if (reorderEvents > 0)
        items << u"reorder-events="_s + number(reorderEvents);
    return items.isEmpty() ? u"none"_s : items.join(u',');
}

Result<FaultPlan> FaultPlan::parse(const QString &spec)
{
    FaultPlan plan;
    const QString trimmed = spec.trimmed();
    if (trimmed.isEmpty() || trimmed == u"none")
        return plan;
    const auto bad = [&](const QString &item, const QString &why) {
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::training", "Bad fault spec item \"%1\": %2. Expected "
                                                                     "name=probability[:ms] items separated by "
                                                                     "commas, e.g. 500=0.1,429=0.05,slow=0.1:1500.")
                             .arg(item, why));
    };
    bool serverErrorSeen = false;
    for (const QString &raw : trimmed.split(u',')) {
        const QString item = raw.trimmed();
        const qsizetype eq = item.indexOf(u'=');
        if (eq <= 0)
            return bad(item, QCoreApplication::translate("sd::training", "no \"=\""));
        const QString name = item.left(eq).trimmed();
        QString value = item.mid(eq + 1).trimmed();
        QString param;
        if (const qsizetype colon = value.indexOf(u':'); colon >= 0) {
            param = value.mid(colon + 1).trimmed();
            value = value.left(colon).trimmed();
        }
        bool ok = false;
        const double probability = value.toDouble(&ok);
        if (!ok || probability < 0 || probability > 1)
            return bad(item, QCoreApplication::translate("sd::training", "the probability must be from 0 to 1"));
        if (!param.isEmpty() && name != u"slow" && name != u"storm")
            return bad(item, QCoreApplication::translate("sd::training", "only slow takes milliseconds"));
        if (name == u"500" || name == u"502" || name == u"503" || name == u"504") {
            if (!serverErrorSeen) {
                plan.serverErrorStatus = name.toInt();
                serverErrorSeen = true;
            }
            plan.serverError += probability;
        } else if (name == u"429") {
            plan.tooManyRequests = probability;
        } else if (name == u"slow" || name == u"storm") {
            if (name == u"storm") {
                // Every kind of fault at once, the rate split evenly over the request faults.
                if (!serverErrorSeen) {
                    plan.serverErrorStatus = 503;
                    serverErrorSeen = true;
                }
                const double share = probability / 5;
                plan.serverError += share;
                plan.tooManyRequests = share;
                plan.malformed = share;
                plan.truncated = share;
                plan.duplicateEvents = share;
                plan.reorderEvents = share;
                plan.slow = share;
            } else {
                plan.slow = probability;
            }
            if (!param.isEmpty()) {
                const int ms = param.toInt(&ok);
                if (!ok || ms < 0 || ms > 60000)
                    return bad(item, QCoreApplication::translate("sd::training", "the delay must be 0 to 60000 ms"));
                plan.slowMs = ms;
            }
        } else if (name == u"malformed") {
            plan.malformed = probability;
        } else if (name == u"truncated") {
            plan.truncated = probability;
        } else if (name == u"duplicate-events") {
            plan.duplicateEvents = probability;
        } else if (name == u"reorder-events") {
            plan.reorderEvents = probability;
        } else {
            return bad(item, QCoreApplication::translate("sd::training",
                                                         "unknown fault; known: 500, 502, 503, 504, 429, slow, "
                                                         "malformed, truncated, duplicate-events, reorder-events, "
                                                         "storm"));
        }
    }
    plan.serverError = qMin(plan.serverError, 1.0);
    return plan;
}

} // namespace sd::marketplace::training
