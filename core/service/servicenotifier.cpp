#include "service/servicenotifier.h"

#include "automation/sqlrun.h"
#include "messaging/messagingaccounts.h"
#include "messaging/outbox.h"
#include "service/servicestore.h"

#include <QLocale>

namespace sd::service {

using automation::runSql;

namespace {

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;

QLocale localeFor(const QString &language)
{
    return language == u"pl" ? QLocale(QLocale::Polish, QLocale::Poland)
                             : QLocale(QLocale::English, QLocale::UnitedKingdom);
}

QString day(const QDate &date, const QString &language)
{
    if (!date.isValid())
        return u"—"_qs;
    return localeFor(language).toString(date, QLocale::ShortFormat);
}

} // namespace

ServiceNotifier::ServiceNotifier(storage::OrderStore &orders)
    : m_orders(orders)
{}

Result<int> ServiceNotifier::reminderDays()
{
    auto value = messaging::MessagingAccounts(m_orders.sharedDatabase())
                     .setting(reminderDaysSetting(), QString::number(kDefaultReminderDays));
    if (!value)
        return value.error();
    bool ok = false;
    const int days = value->trimmed().toInt(&ok);
    return ok && days > 0 ? days : 0;
}

QString ServiceNotifier::stepKey(qint64 caseId, int seq)
{
    return u"service/case:%1/step:%2"_qs.arg(caseId).arg(seq);
}

QString ServiceNotifier::reminderKey(qint64 caseId, int seq, int reminder)
{
    return u"service/case:%1/step:%2/reminder:%3"_qs.arg(caseId).arg(seq).arg(reminder);
}

QString ServiceNotifier::buyerStateName(ServiceState state, const QString &language)
{
    const bool pl = language == u"pl";
    switch (state) {
    case ServiceState::Registered:
        return pl ? u"zgłoszenie przyjęte"_qs : u"registered"_qs;
    case ServiceState::Sent:
        return pl ? u"wysłany do serwisu"_qs : u"sent to the service"_qs;
    case ServiceState::AtService:
        return pl ? u"w serwisie"_qs : u"at the service"_qs;
    case ServiceState::Returned:
        return pl ? u"wrócił z serwisu"_qs : u"back from the service"_qs;
    case ServiceState::HandedBack:
        return pl ? u"wydany klientowi"_qs : u"handed back to you"_qs;
    case ServiceState::Replaced:
        return pl ? u"wymieniony na nowy"_qs : u"replaced with a new one"_qs;
    case ServiceState::Rejected:
        return pl ? u"reklamacja odrzucona"_qs : u"claim rejected"_qs;
    }
    return {};
}

Result<bool> ServiceNotifier::notifyStep(const ServiceCase &c, const QString &note)
{
    return queue(c, ServiceTemplate::kStateChanged, stepKey(c.id, c.stateSeq), note);
}

Result<bool> ServiceNotifier::queue(const ServiceCase &c, const char *templateKey, const QString &key,
                                    const QString &note)
{
    if (c.buyerEmail.trimmed().isEmpty())
        return false;
    const QString language = messaging::MessageTemplates::languages().contains(c.language) ? c.language : u"en"_qs;
    QString product = c.productName;
    if (!c.serial.isEmpty())
        product += (language == u"pl" ? u" (nr seryjny %1)"_qs : u" (serial number %1)"_qs).arg(c.serial);
    const QHash<QString, QString> extra{
        {u"serviceCase"_qs, QString::number(c.id)},
        {u"serviceState"_qs, buyerStateName(c.state, language)},
        {u"serviceSince"_qs, day(c.stateSince.toLocalTime().date(), language)},
        {u"serviceNote"_qs, note},
        {u"product"_qs, product},
        {u"expectedReturn"_qs, day(c.expectedReturn, language)},
        {u"warrantyEnd"_qs, day(c.warrantyEnd, language)},
    };
    messaging::MessageRequest request;
    request.key = key;
    request.templateKey = QString::fromLatin1(templateKey);
    request.recipient = c.buyerEmail.trimmed();
    request.language = language;
    request.extra = extra;
    if (c.orderId) {
        request.orderId = c.orderId;
    } else {
        // No order to fill the template from: the case's buyer stands in for it.
        domain::Order buyer;
        buyer.buyer.firstName = c.buyerName;
        buyer.buyer.email = c.buyerEmail;
        auto rendered =
            messaging::MessageTemplates(m_orders.sharedDatabase()).render(request.templateKey, buyer, extra, language);
        if (!rendered)
            return rendered.error();
        request.subject = rendered->subject;
        request.text = rendered->text;
    }
    messaging::Outbox outbox(m_orders);
    if (auto m = outbox.queue(request); !m)
        return m.error();
    return true;
}

Result<int> ServiceNotifier::pass(const QDateTime &now)
{
    auto days = reminderDays();
    if (!days)
        return days.error();
    if (*days <= 0)
        return 0;
    ServiceStore store(m_orders);
    ServiceFilter filter;
    filter.openOnly = true;
    filter.limit = 100000;
    auto cases = store.list(filter);
    if (!cases)
        return cases.error();
    int queued = 0;
    for (const ServiceCase &c : std::as_const(*cases)) {
        if (!remindsBuyer(c.state) || c.buyerEmail.trimmed().isEmpty() || !c.stateSince.isValid())
            continue;
        const qint64 away = now.toMSecsSinceEpoch() - c.stateSince.toMSecsSinceEpoch();
        const int reminder = int(away / (qint64(*days) * kDayMs));
        if (reminder < 1)
            continue;
        const QString key = reminderKey(c.id, c.stateSeq, reminder);
        auto seen = runSql(m_orders.database(), u"SELECT 1 FROM messages WHERE idempotency_key = ?"_qs,
                           "service reminder sent", {key});
        if (!seen)
            return seen.error();
        if (seen->next())
            continue;
        seen->finish();
        auto sent = queue(c, ServiceTemplate::kReminder, key, {});
        if (!sent)
            return sent.error();
        if (*sent)
            ++queued;
    }
    return queued;
}

} // namespace sd::service
