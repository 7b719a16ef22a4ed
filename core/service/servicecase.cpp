#include "service/servicecase.h"

#include <QCoreApplication>

namespace sd::service {

namespace {

struct Entry
{
    ServiceState state;
    const char *key;
    const char *name;
};

const Entry kStates[] = {
    {ServiceState::Registered, "registered", QT_TRANSLATE_NOOP("sd::service", "Registered")},
    {ServiceState::Sent, "sent", QT_TRANSLATE_NOOP("sd::service", "Sent to service")},
    {ServiceState::AtService, "at-service", QT_TRANSLATE_NOOP("sd::service", "At service")},
    {ServiceState::Returned, "returned", QT_TRANSLATE_NOOP("sd::service", "Returned from service")},
    {ServiceState::HandedBack, "handed-back", QT_TRANSLATE_NOOP("sd::service", "Handed back to the buyer")},
    {ServiceState::Replaced, "replaced", QT_TRANSLATE_NOOP("sd::service", "Replaced")},
    {ServiceState::Rejected, "rejected", QT_TRANSLATE_NOOP("sd::service", "Rejected")},
};

} // namespace

QString stateKey(ServiceState state)
{
    for (const Entry &e : kStates)
        if (e.state == state)
            return QString::fromLatin1(e.key);
    return {};
}

std::optional<ServiceState> stateFromKey(const QString &key)
{
    for (const Entry &e : kStates)
        if (key.compare(QLatin1StringView(e.key), Qt::CaseInsensitive) == 0)
            return e.state;
    return std::nullopt;
}

QString stateName(ServiceState state)
{
    for (const Entry &e : kStates)
        if (e.state == state)
            return QCoreApplication::translate("sd::service", e.name);
    return {};
}

QStringList stateKeys()
{
    QStringList keys;
    for (const Entry &e : kStates)
        keys << QString::fromLatin1(e.key);
    return keys;
}

QList<ServiceState> nextStates(ServiceState state)
{
    switch (state) {
    case ServiceState::Registered:
        return {ServiceState::Sent, ServiceState::Rejected};
    case ServiceState::Sent:
        return {ServiceState::AtService};
    case ServiceState::AtService:
        return {ServiceState::Returned, ServiceState::Replaced, ServiceState::Rejected};
    case ServiceState::Returned:
        return {ServiceState::HandedBack, ServiceState::Replaced};
    case ServiceState::HandedBack:
    case ServiceState::Replaced:
    case ServiceState::Rejected:
        return {};
    }
    return {};
}

bool isFinal(ServiceState state)
{
    return nextStates(state).isEmpty();
}

bool remindsBuyer(ServiceState state)
{
    return state == ServiceState::Sent || state == ServiceState::AtService;
}

bool ServiceCase::isDue(const QDate &today) const
{
    return !isFinal(state) && expectedReturn.isValid() && expectedReturn <= today;
}

bool ServiceCase::isOverdue(const QDate &today) const
{
    return !isFinal(state) && expectedReturn.isValid() && expectedReturn < today;
}

} // namespace sd::service
