#include "messaging/messagetemplates.h"

#include "access/session.h"
#include "automation/sqlrun.h"
#include "messaging/messagingaccounts.h"
#include "storage/catalogstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QUrl>

namespace sd::messaging {

using automation::runSql;

namespace {

struct BuiltIn
{
    const char *key;
    const char *language;
    const char16_t *subject;
    const char16_t *text;
    const char16_t *sms;
};

// The seller's own messages, ready-made. Buyer-facing text is data chosen by the buyer's language, not the user
// interface's, so it is not in the translation catalogue.
const BuiltIn kBuiltIns[] = {
    {TemplateKey::kStatusChanged, "pl", u"Zamówienie {orderIdExternal}: {orderStatus}",
     u"Dzień dobry {buyerName},\n\nstatus Twojego zamówienia {orderIdExternal} z dnia {orderDate} zmienił się na: "
     u"{orderStatus}.\n\n{items}\nRazem: {total}\n\nPozdrawiamy\n{shopName}\n{shopEmail} {shopPhone}",
     u"{shopName}: zamowienie {orderIdExternal} - {orderStatus}"},
    {TemplateKey::kStatusChanged, "en", u"Order {orderIdExternal}: {orderStatus}",
     u"Hello {buyerName},\n\nthe status of your order {orderIdExternal} of {orderDate} is now: {orderStatus}.\n\n"
     u"{items}\nTotal: {total}\n\nKind regards\n{shopName}\n{shopEmail} {shopPhone}",
     u"{shopName}: order {orderIdExternal} - {orderStatus}"},
    {TemplateKey::kLabelGenerated, "pl", u"Twoja paczka jest w drodze ({orderIdExternal})",
     u"Dzień dobry {buyerName},\n\nnadaliśmy Twoje zamówienie {orderIdExternal}.\nPrzewoźnik: {carrier}\n"
     u"Numer przesyłki: {trackingNumber}\nŚledzenie: {trackingLink}\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: paczka {trackingNumber} w drodze. {trackingLink}"},
    {TemplateKey::kLabelGenerated, "en", u"Your parcel is on its way ({orderIdExternal})",
     u"Hello {buyerName},\n\nwe have shipped your order {orderIdExternal}.\nCarrier: {carrier}\n"
     u"Tracking number: {trackingNumber}\nTrack it: {trackingLink}\n\nKind regards\n{shopName}",
     u"{shopName}: parcel {trackingNumber} is on its way. {trackingLink}"},
    {TemplateKey::kInvoiceIssued, "pl", u"Faktura {invoiceNumber} do zamówienia {orderIdExternal}",
     u"Dzień dobry {buyerName},\n\nw załączniku przesyłamy fakturę {invoiceNumber} do zamówienia "
     u"{orderIdExternal}.\n\nPozdrawiamy\n{shopName}",
     u""},
    {TemplateKey::kInvoiceIssued, "en", u"Invoice {invoiceNumber} for order {orderIdExternal}",
     u"Hello {buyerName},\n\nplease find attached invoice {invoiceNumber} for order {orderIdExternal}.\n\n"
     u"Kind regards\n{shopName}",
     u""},
    {TemplateKey::kPaymentReminder, "pl", u"Przypomnienie o płatności za zamówienie {orderIdExternal}",
     u"Dzień dobry {buyerName},\n\nnadal czekamy na płatność {total} za zamówienie {orderIdExternal} z dnia "
     u"{orderDate}.\n\n{items}\nJeśli płatność została już wysłana, prosimy zignorować tę wiadomość.\n\n"
     u"Pozdrawiamy\n{shopName}",
     u"{shopName}: czekamy na platnosc {total} za zamowienie {orderIdExternal}."},
    {TemplateKey::kPaymentReminder, "en", u"Payment reminder for order {orderIdExternal}",
     u"Hello {buyerName},\n\nwe are still waiting for the payment of {total} for order {orderIdExternal} of "
     u"{orderDate}.\n\n{items}\nIf you have paid already, please ignore this message.\n\nKind regards\n{shopName}",
     u"{shopName}: we are waiting for {total} for order {orderIdExternal}."},
    {TemplateKey::kReviewRequest, "pl", u"Jak oceniasz zakupy w {shopName}?",
     u"Dzień dobry {buyerName},\n\ndziękujemy za zamówienie {orderIdExternal}. Będzie nam bardzo miło, jeśli "
     u"wystawisz nam opinię.\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: dziekujemy za zakupy! Prosimy o opinie."},
    {TemplateKey::kReviewRequest, "en", u"How was your purchase at {shopName}?",
     u"Hello {buyerName},\n\nthank you for order {orderIdExternal}. We would be glad if you left us a review.\n\n"
     u"Kind regards\n{shopName}",
     u"{shopName}: thank you for your order! Please leave us a review."},
    {TemplateKey::kReturnRegistered, "pl", u"Zwrot {returnNumber} do zamówienia {orderIdExternal} został przyjęty",
     u"Dzień dobry {buyerName},\n\nzarejestrowaliśmy zwrot {returnNumber} do zamówienia "
     u"{orderIdExternal}:\n{returnItems}\nPowód: {returnReason}\n\nPoinformujemy Cię, gdy paczka do nas "
     u"dotrze.\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: zwrot {returnNumber} zarejestrowany."},
    {TemplateKey::kReturnRegistered, "en", u"Return {returnNumber} for order {orderIdExternal} registered",
     u"Hello {buyerName},\n\nwe have registered return {returnNumber} for order "
     u"{orderIdExternal}:\n{returnItems}\nReason: {returnReason}\n\nWe will let you know when the parcel reaches "
     u"us.\n\nKind regards\n{shopName}",
     u"{shopName}: return {returnNumber} registered."},
    {TemplateKey::kReturnReceived, "pl", u"Otrzymaliśmy zwrot {returnNumber}",
     u"Dzień dobry {buyerName},\n\nzwrócone produkty z zamówienia {orderIdExternal} dotarły do nas (zwrot "
     u"{returnNumber}). Teraz je sprawdzimy.\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: zwrot {returnNumber} dotarl do nas."},
    {TemplateKey::kReturnReceived, "en", u"We have received return {returnNumber}",
     u"Hello {buyerName},\n\nthe items you returned from order {orderIdExternal} have reached us (return "
     u"{returnNumber}). We will inspect them now.\n\nKind regards\n{shopName}",
     u"{shopName}: return {returnNumber} has reached us."},
    {TemplateKey::kReturnInspected, "pl", u"Zwrot {returnNumber} został sprawdzony",
     u"Dzień dobry {buyerName},\n\nsprawdziliśmy produkty ze zwrotu {returnNumber} (zamówienie {orderIdExternal}). "
     u"Wkrótce poinformujemy Cię o rozstrzygnięciu.\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: zwrot {returnNumber} sprawdzony."},
    {TemplateKey::kReturnInspected, "en", u"Return {returnNumber} inspected",
     u"Hello {buyerName},\n\nwe have inspected the items of return {returnNumber} (order {orderIdExternal}). We will "
     u"tell you the outcome shortly.\n\nKind regards\n{shopName}",
     u"{shopName}: return {returnNumber} inspected."},
    {TemplateKey::kReturnRefunded, "pl", u"Zwrot pieniędzy za zwrot {returnNumber}",
     u"Dzień dobry {buyerName},\n\nzwracamy {returnValue} za produkty ze zwrotu {returnNumber} (zamówienie "
     u"{orderIdExternal}):\n{returnItems}\n\nPieniądze wrócą tą samą drogą, którą "
     u"zapłaciłeś.\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: zwracamy pieniadze za zwrot {returnNumber}."},
    {TemplateKey::kReturnRefunded, "en", u"Refund for return {returnNumber}",
     u"Hello {buyerName},\n\nwe are refunding {returnValue} for the items of return {returnNumber} (order "
     u"{orderIdExternal}):\n{returnItems}\n\nThe money goes back the way you paid.\n\nKind regards\n{shopName}",
     u"{shopName}: we are refunding return {returnNumber}."},
    {TemplateKey::kReturnReplaced, "pl", u"Wymiana w ramach zwrotu {returnNumber}",
     u"Dzień dobry {buyerName},\n\nw ramach zwrotu {returnNumber} (zamówienie {orderIdExternal}) wysyłamy Ci nowy "
     u"egzemplarz:\n{returnItems}\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: wysylamy wymiane za zwrot {returnNumber}."},
    {TemplateKey::kReturnReplaced, "en", u"Replacement for return {returnNumber}",
     u"Hello {buyerName},\n\nfor return {returnNumber} (order {orderIdExternal}) we are sending you a "
     u"replacement:\n{returnItems}\n\nKind regards\n{shopName}",
     u"{shopName}: a replacement for return {returnNumber} is on its way."},
    {TemplateKey::kReturnRepaired, "pl", u"Naprawa w ramach zwrotu {returnNumber}",
     u"Dzień dobry {buyerName},\n\nprodukty ze zwrotu {returnNumber} (zamówienie {orderIdExternal}) zostały naprawione "
     u"i wracają do Ciebie:\n{returnItems}\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: naprawiony produkt ze zwrotu {returnNumber} wraca do Ciebie."},
    {TemplateKey::kReturnRepaired, "en", u"Repair for return {returnNumber}",
     u"Hello {buyerName},\n\nthe items of return {returnNumber} (order {orderIdExternal}) have been repaired and are "
     u"on their way back to you:\n{returnItems}\n\nKind regards\n{shopName}",
     u"{shopName}: the repaired item of return {returnNumber} is on its way back."},
    {TemplateKey::kReturnRejected, "pl", u"Zwrot {returnNumber} nie został uznany",
     u"Dzień dobry {buyerName},\n\nniestety nie możemy uznać zwrotu {returnNumber} do zamówienia {orderIdExternal}. "
     u"Odpowiedz na tę wiadomość, jeśli chcesz poznać szczegóły.\n\nPozdrawiamy\n{shopName}",
     u"{shopName}: zwrot {returnNumber} nie zostal uznany."},
    {TemplateKey::kReturnRejected, "en", u"Return {returnNumber} not accepted",
     u"Hello {buyerName},\n\nunfortunately we cannot accept return {returnNumber} for order {orderIdExternal}. Reply "
     u"to this message for the details.\n\nKind regards\n{shopName}",
     u"{shopName}: return {returnNumber} was not accepted."},
    {TemplateKey::kConfirmationRequest, "pl", u"Potwierdź zamówienie {orderIdExternal}",
     u"Dzień dobry {buyerName},\n\nprosimy o potwierdzenie zamówienia {orderIdExternal} na kwotę {total}:\n"
     u"{confirmationLink}\n\nMożesz też odpowiedzieć na tę wiadomość.\n\n{items}\nPozdrawiamy\n{shopName}",
     u"{shopName}: potwierdz zamowienie {orderIdExternal}: {confirmationLink}"},
    {TemplateKey::kConfirmationRequest, "en", u"Please confirm order {orderIdExternal}",
     u"Hello {buyerName},\n\nplease confirm your order {orderIdExternal} of {total}:\n{confirmationLink}\n\n"
     u"You may also reply to this message.\n\n{items}\nKind regards\n{shopName}",
     u"{shopName}: please confirm order {orderIdExternal}: {confirmationLink}"},
    {TemplateKey::kAutoresponder, "pl", u"",
     u"Dzień dobry, dziękujemy za wiadomość. Odpowiemy najszybciej, jak to możliwe, w godzinach pracy sklepu.\n"
     u"{shopName}",
     u""},
    {TemplateKey::kAutoresponder, "en", u"",
     u"Hello, thank you for your message. We will answer as soon as we can during our working hours.\n{shopName}", u""},
    {TemplateKey::kOrdersDownloaded, "pl", u"{shopName}: pobrano zamówienia ({count})",
     u"Z konta {account} pobrano nowych zamówień: {count}.", u""},
    {TemplateKey::kOrdersDownloaded, "en", u"{shopName}: orders downloaded ({count})",
     u"New orders downloaded from {account}: {count}.", u""},
    {TemplateKey::kDeadlinePassed, "pl", u"Minął termin: zamówienie {orderIdExternal}",
     u"Zamówienie {orderIdExternal} ({buyerName}): {deadline}.", u""},
    {TemplateKey::kDeadlinePassed, "en", u"Deadline passed: order {orderIdExternal}",
     u"Order {orderIdExternal} ({buyerName}): {deadline}.", u""},
    // Service cases (G2; the keys are core/service's ServiceTemplate, which depends on messaging, not the other way).
    {"serviceStateChanged", "pl", u"Zgłoszenie serwisowe nr {serviceCase}: {serviceState}",
     u"Dzień dobry {buyerName},\n\nstatus zgłoszenia serwisowego nr {serviceCase} dotyczącego produktu {product} "
     u"zmienił się na: {serviceState}.\n{serviceNote}\nPrzewidywany termin zwrotu z serwisu: {expectedReturn}\n"
     u"Gwarancja do: {warrantyEnd}\n\nPozdrawiamy\n{shopName}\n{shopEmail} {shopPhone}",
     u"{shopName}: zgloszenie serwisowe {serviceCase} - {serviceState}"},
    {"serviceStateChanged", "en", u"Service case {serviceCase}: {serviceState}",
     u"Hello {buyerName},\n\nyour service case {serviceCase} for {product} is now: {serviceState}.\n{serviceNote}\n"
     u"Expected back from the service: {expectedReturn}\nWarranty until: {warrantyEnd}\n\nKind regards\n{shopName}\n"
     u"{shopEmail} {shopPhone}",
     u"{shopName}: service case {serviceCase} - {serviceState}"},
    {"serviceReminder", "pl", u"Zgłoszenie serwisowe nr {serviceCase}: produkt nadal w serwisie",
     u"Dzień dobry {buyerName},\n\nTwój produkt {product} (zgłoszenie nr {serviceCase}) jest nadal w serwisie: "
     u"{serviceState} od {serviceSince}.\nPrzewidywany termin zwrotu z serwisu: {expectedReturn}\n\nO każdej zmianie "
     u"poinformujemy Cię od razu.\n\nPozdrawiamy\n{shopName}\n{shopEmail} {shopPhone}",
     u"{shopName}: zgloszenie {serviceCase} - produkt nadal w serwisie"},
    {"serviceReminder", "en", u"Service case {serviceCase}: still at the service",
     u"Hello {buyerName},\n\nyour {product} (service case {serviceCase}) is still at the service: {serviceState} "
     u"since {serviceSince}.\nExpected back: {expectedReturn}\n\nWe will tell you as soon as anything changes.\n\n"
     u"Kind regards\n{shopName}\n{shopEmail} {shopPhone}",
     u"{shopName}: service case {serviceCase} - still at the service"},
};

QString escape(const QString &text)
{
    return text.toHtmlEscaped();
}

QString fill(QString text, const QHash<QString, QString> &values, bool html, const QString &itemsHtml)
{
    if (html) {
        text = escape(text);
        text.replace(u"{items}"_qs, itemsHtml);
    }
    // One pass, left to right, so a value that itself holds "{...}" is never expanded again.
    QString out;
    out.reserve(text.size() + 64);
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype open = text.indexOf(u'{', i);
        if (open < 0) {
            out += QStringView(text).mid(i);
            break;
        }
        const qsizetype close = text.indexOf(u'}', open + 1);
        out += QStringView(text).mid(i, open - i);
        if (close < 0) {
            out += QStringView(text).mid(open);
            break;
        }
        const QString name = text.mid(open, close - open + 1);
        const auto it = values.constFind(name);
        if (it == values.cend()) {
            out += name;
        } else {
            const bool link = html && (name == u"{trackingLink}" || name == u"{confirmationLink}") && !it->isEmpty();
            out += html ? (link ? u"<a href=\"%1\">%1</a>"_qs.arg(escape(*it)) : escape(*it)) : *it;
        }
        i = close + 1;
    }
    if (html)
        out = u"<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><p>"_qs +
              out.replace(u"\n\n"_qs, u"</p><p>"_qs).replace(u'\n', u"<br>"_qs) + u"</p></body></html>"_qs;
    return out;
}

} // namespace

MessageTemplates::MessageTemplates(std::shared_ptr<storage::Database> db)
    : m_db(std::move(db))
{}

QStringList MessageTemplates::keys()
{
    QStringList list;
    for (const BuiltIn &b : kBuiltIns)
        if (!list.contains(QLatin1StringView(b.key)))
            list.append(QString::fromLatin1(b.key));
    return list;
}

QString MessageTemplates::canonicalKey(const QString &key)
{
    if (keys().contains(key))
        return key;
    static const QHash<QString, QString> aliases = {
        {u"invoice"_qs, QString::fromLatin1(TemplateKey::kInvoiceIssued)},
        {u"tracking"_qs, QString::fromLatin1(TemplateKey::kLabelGenerated)},
        {u"label"_qs, QString::fromLatin1(TemplateKey::kLabelGenerated)},
        {u"status"_qs, QString::fromLatin1(TemplateKey::kStatusChanged)},
        {u"confirmation"_qs, QString::fromLatin1(TemplateKey::kConfirmationRequest)},
    };
    if (aliases.contains(key))
        return aliases.value(key);
    QString camel;
    bool upper = false;
    for (const QChar c : key) {
        if (c == u'-' || c == u'_') {
            upper = true;
            continue;
        }
        camel.append(upper ? c.toUpper() : c);
        upper = false;
    }
    return camel;
}

QStringList MessageTemplates::languages()
{
    return {u"pl"_qs, u"en"_qs};
}

QString MessageTemplates::displayName(const QString &key)
{
    static const QHash<QString, const char *> names = {
        {QString::fromLatin1(TemplateKey::kStatusChanged), QT_TRANSLATE_NOOP("sd::messaging", "Status changed")},
        {QString::fromLatin1(TemplateKey::kLabelGenerated),
         QT_TRANSLATE_NOOP("sd::messaging", "Label generated (tracking)")},
        {QString::fromLatin1(TemplateKey::kInvoiceIssued), QT_TRANSLATE_NOOP("sd::messaging", "Invoice issued")},
        {QString::fromLatin1(TemplateKey::kPaymentReminder), QT_TRANSLATE_NOOP("sd::messaging", "Payment reminder")},
        {QString::fromLatin1(TemplateKey::kReviewRequest), QT_TRANSLATE_NOOP("sd::messaging", "Review request")},
        {QString::fromLatin1(TemplateKey::kReturnRegistered), QT_TRANSLATE_NOOP("sd::messaging", "Return registered")},
        {QString::fromLatin1(TemplateKey::kReturnReceived), QT_TRANSLATE_NOOP("sd::messaging", "Return received")},
        {QString::fromLatin1(TemplateKey::kReturnInspected), QT_TRANSLATE_NOOP("sd::messaging", "Return inspected")},
        {QString::fromLatin1(TemplateKey::kReturnRefunded), QT_TRANSLATE_NOOP("sd::messaging", "Return refunded")},
        {QString::fromLatin1(TemplateKey::kReturnReplaced),
         QT_TRANSLATE_NOOP("sd::messaging", "Return: replacement sent")},
        {QString::fromLatin1(TemplateKey::kReturnRepaired), QT_TRANSLATE_NOOP("sd::messaging", "Return: repaired")},
        {QString::fromLatin1(TemplateKey::kReturnRejected), QT_TRANSLATE_NOOP("sd::messaging", "Return rejected")},
        {QString::fromLatin1(TemplateKey::kConfirmationRequest),
         QT_TRANSLATE_NOOP("sd::messaging", "Order confirmation request")},
        {QString::fromLatin1(TemplateKey::kAutoresponder),
         QT_TRANSLATE_NOOP("sd::messaging", "Message Center autoresponder")},
        {QString::fromLatin1(TemplateKey::kOrdersDownloaded),
         QT_TRANSLATE_NOOP("sd::messaging", "Orders downloaded (to the seller)")},
        {QString::fromLatin1(TemplateKey::kDeadlinePassed),
         QT_TRANSLATE_NOOP("sd::messaging", "Deadline passed (to the seller)")},
        {QString::fromLatin1("serviceStateChanged"), QT_TRANSLATE_NOOP("sd::messaging", "Service case: state changed")},
        {QString::fromLatin1("serviceReminder"),
         QT_TRANSLATE_NOOP("sd::messaging", "Service case: still at the service")},
    };
    const char *name = names.value(key);
    return name ? QCoreApplication::translate("sd::messaging", name) : key;
}

QList<QPair<QString, QString>> MessageTemplates::placeholders()
{
    auto t = [](const char *text) { return QCoreApplication::translate("sd::messaging", text); };
    return {
        {u"{orderId}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the order's number in SellerDesk"))},
        {u"{orderIdExternal}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the marketplace's order number"))},
        {u"{orderDate}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the purchase date"))},
        {u"{orderStatus}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the status as the buyer is told it"))},
        {u"{salesChannel}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the marketplace"))},
        {u"{account}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the marketplace account"))},
        {u"{buyerName}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the buyer's name"))},
        {u"{buyerLogin}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the buyer's login"))},
        {u"{buyerEmail}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the buyer's e-mail"))},
        {u"{total}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the amount to pay"))},
        {u"{paymentMethod}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the payment method"))},
        {u"{paymentStatus}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the payment status"))},
        {u"{deliveryMethod}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the delivery method"))},
        {u"{deliveryAddress}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the delivery address"))},
        {u"{items}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the items as a table"))},
        {u"{carrier}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the carrier of the last parcel"))},
        {u"{trackingNumber}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the last parcel's tracking number"))},
        {u"{trackingLink}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the carrier's tracking page"))},
        {u"{invoiceNumber}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the invoice number"))},
        {u"{confirmationLink}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the order confirmation link"))},
        {u"{returnNumber}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the return's number"))},
        {u"{returnItems}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the returned items, one a line"))},
        {u"{returnReason}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "why the items came back"))},
        {u"{returnValue}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the returned items' value"))},
        {u"{shopName}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the shop's name"))},
        {u"{shopEmail}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the shop's e-mail"))},
        {u"{shopPhone}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the shop's phone"))},
        {u"{shopUrl}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the shop's web address"))},
        {u"{serviceCase}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the service case's number"))},
        {u"{serviceState}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the service case's state"))},
        {u"{serviceSince}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "since when the case is in its state"))},
        {u"{serviceNote}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the note to the last state change"))},
        {u"{product}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the product in service (with its serial number)"))},
        {u"{expectedReturn}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "when the product is expected back"))},
        {u"{warrantyEnd}"_qs, t(QT_TRANSLATE_NOOP("sd::messaging", "the end of the warranty"))},
    };
}

QString MessageTemplates::languageFor(const domain::Order &order)
{
    QString country = order.delivery.address.countryCode;
    if (country.isEmpty())
        country = order.invoice.address.countryCode;
    if (!country.isEmpty())
        return country.compare(u"PL"_qs, Qt::CaseInsensitive) == 0 ? u"pl"_qs : u"en"_qs;
    return order.buyer.language.startsWith(u"pl"_qs, Qt::CaseInsensitive) || order.buyer.language.isEmpty() ? u"pl"_qs
                                                                                                            : u"en"_qs;
}

MessageTemplate MessageTemplates::builtIn(const QString &key, const QString &language)
{
    for (const BuiltIn &b : kBuiltIns)
        if (key == QLatin1StringView(b.key) && language == QLatin1StringView(b.language))
            return {key,
                    language,
                    QString::fromUtf16(b.subject),
                    QString::fromUtf16(b.text),
                    {},
                    QString::fromUtf16(b.sms),
                    false};
    return {key, language, {}, {}, {}, {}, false};
}

Result<MessageTemplate> MessageTemplates::get(const QString &name, const QString &language)
{
    const QString key = canonicalKey(name);
    if (!keys().contains(key))
        return makeError(Error::Code::NotFound,
                         QCoreApplication::translate("sd::messaging", "There is no message template \"%1\".").arg(key));
    const QString lang = languages().contains(language) ? language : u"en"_qs;
    auto q = runSql(*m_db,
                    u"SELECT subject, body_text, body_html, sms_text FROM message_templates "
                    "WHERE template_key = ? AND language = ?"_qs,
                    "read message template", {key, lang});
    if (!q)
        return q.error();
    if (q->next())
        return MessageTemplate{
            key, lang, q->value(0).toString(), q->value(1).toString(), q->value(2).toString(), q->value(3).toString(),
            true};
    return builtIn(key, lang);
}

Result<void> MessageTemplates::save(const MessageTemplate &tpl)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    if (!keys().contains(tpl.key) || !languages().contains(tpl.language))
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "There is no message template \"%1\" in \"%2\".")
                             .arg(tpl.key, tpl.language));
    if (tpl.text.trimmed().isEmpty() && tpl.sms.trimmed().isEmpty())
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::messaging", "The template needs a text."));
    auto q =
        runSql(*m_db,
               u"INSERT INTO message_templates (template_key, language, subject, body_text, body_html, sms_text, "
               "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (template_key, language) DO UPDATE SET "
               "subject = excluded.subject, body_text = excluded.body_text, body_html = excluded.body_html, "
               "sms_text = excluded.sms_text, updated_at = excluded.updated_at"_qs,
               "save message template",
               {tpl.key, tpl.language, tpl.subject, tpl.text, tpl.html, tpl.sms, QDateTime::currentMSecsSinceEpoch()});
    if (!q)
        return q.error();
    return {};
}

Result<void> MessageTemplates::reset(const QString &key, const QString &language)
{
    if (auto r = access::require(access::Permission::ManageSettings); !r)
        return r;
    auto q = runSql(*m_db, u"DELETE FROM message_templates WHERE template_key = ? AND language = ?"_qs,
                    "reset message template", {key, language});
    if (!q)
        return q.error();
    return {};
}

QString MessageTemplates::trackingLink(const QString &carrier, const QString &waybill)
{
    if (waybill.isEmpty())
        return {};
    const QString number = QString::fromLatin1(QUrl::toPercentEncoding(waybill));
    const QString c = carrier.toUpper();
    if (c.contains(u"INPOST"_qs))
        return u"https://inpost.pl/sledzenie-przesylek?number="_qs + number;
    if (c.contains(u"DPD"_qs))
        return u"https://tracktrace.dpd.com.pl/parcelDetails?p1="_qs + number;
    if (c.contains(u"DHL"_qs))
        return u"https://www.dhl.com/pl-pl/home/sledzenie-przesylek.html?tracking-id="_qs + number;
    if (c.contains(u"GLS"_qs))
        return u"https://gls-group.com/PL/pl/sledzenie-paczek?match="_qs + number;
    if (c.contains(u"UPS"_qs))
        return u"https://www.ups.com/track?tracknum="_qs + number;
    if (c.contains(u"POCZTA"_qs) || c.contains(u"POLISH"_qs))
        return u"https://emonitoring.poczta-polska.pl/?numer="_qs + number;
    if (c.contains(u"ALLEGRO"_qs))
        return u"https://allegro.pl/allegrodelivery/sledzenie-paczki?numer="_qs + number;
    return {};
}

Result<QHash<QString, QString>> MessageTemplates::values(const domain::Order &order, const QString &language,
                                                         QString *itemsHtml)
{
    const QLocale locale(language == u"pl" ? QLocale::Polish : QLocale::English,
                         language == u"pl" ? QLocale::Poland : QLocale::UnitedKingdom);
    QString status = order.status;
    if (auto s = storage::CatalogStore(m_db).statusByName(order.status); s && !s->buyerName.isEmpty())
        status = s->buyerName;
    MessagingAccounts settings(m_db);
    auto shop = [&](const char *name) { return settings.setting(QString::fromLatin1(name)).value_or(QString()); };
    // Until the shop's data is set, the sender account's name and address stand for it.
    QString shopName = shop("shop.name");
    QString shopEmail = shop("shop.email");
    if (shopName.isEmpty() || shopEmail.isEmpty())
        if (auto account = settings.mailAccountFor(order.account)) {
            if (shopName.isEmpty())
                shopName = account->from.name.isEmpty() ? account->from.address : account->from.name;
            if (shopEmail.isEmpty())
                shopEmail = account->from.address;
        }
    const domain::Address &a = order.delivery.address;
    QStringList address;
    for (const QString &part : {u"%1 %2"_qs.arg(a.firstName, a.lastName).trimmed(), a.companyName, a.street,
                                u"%1 %2"_qs.arg(a.postCode, a.city).trimmed(), a.countryCode})
        if (!part.isEmpty())
            address.append(part);
    QString itemsText;
    QString html = u"<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:collapse\">"_qs;
    for (const domain::LineItem &item : order.items) {
        itemsText += u"- %1 x %2 = %3\n"_qs.arg(item.name).arg(item.quantity).arg(item.total().toDisplayString(locale));
        html += u"<tr><td>%1</td><td align=\"right\">%2</td><td align=\"right\">%3</td></tr>"_qs.arg(
            escape(item.name), QString::number(item.quantity), escape(item.total().toDisplayString(locale)));
    }
    html += u"</table>"_qs;
    if (itemsHtml)
        *itemsHtml = html;
    const domain::Shipment shipment = order.shipments.isEmpty() ? domain::Shipment() : order.shipments.constLast();
    QHash<QString, QString> v{
        {u"{orderId}"_qs, QString::number(order.id)},
        {u"{orderIdExternal}"_qs, order.externalId.isEmpty() ? QString::number(order.id) : order.externalId},
        {u"{orderDate}"_qs, locale.toString(order.createdAt.toLocalTime().date(), QLocale::ShortFormat)},
        {u"{orderStatus}"_qs, status},
        {u"{salesChannel}"_qs, order.marketplace},
        {u"{account}"_qs, order.account},
        {u"{buyerName}"_qs, order.buyer.displayName()},
        {u"{buyerLogin}"_qs, order.buyer.login},
        {u"{buyerEmail}"_qs, order.buyer.email},
        {u"{total}"_qs, order.total.toDisplayString(locale)},
        {u"{paymentMethod}"_qs, order.payment.method},
        {u"{paymentStatus}"_qs, domain::paymentStatusKey(order.payment.status)},
        {u"{deliveryMethod}"_qs, order.delivery.methodName},
        {u"{deliveryAddress}"_qs, address.join(u", "_qs)},
        {u"{items}"_qs, itemsText},
        {u"{carrier}"_qs, shipment.carrierId},
        {u"{trackingNumber}"_qs, shipment.waybill},
        {u"{trackingLink}"_qs, trackingLink(shipment.carrierId, shipment.waybill)},
        {u"{invoiceNumber}"_qs, QString()},
        {u"{confirmationLink}"_qs, QString()},
        {u"{shopName}"_qs, shopName},
        {u"{shopEmail}"_qs, shopEmail},
        {u"{shopPhone}"_qs, shop("shop.phone")},
        {u"{shopUrl}"_qs, shop("shop.url")},
    };
    return v;
}

RenderedMessage MessageTemplates::renderWith(const MessageTemplate &tpl, const QHash<QString, QString> &values,
                                             const QString &itemsHtml)
{
    RenderedMessage out;
    out.language = tpl.language;
    out.subject = fill(tpl.subject, values, false, {}).simplified();
    out.text = fill(tpl.text, values, false, {});
    out.html = tpl.html.isEmpty() ? fill(tpl.text, values, true, itemsHtml) : tpl.html;
    if (!tpl.html.isEmpty()) {
        // A hand-written HTML body: values are escaped, the items table replaces {items}.
        QHash<QString, QString> escaped;
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            escaped.insert(it.key(), it.key() == u"{items}" ? QString() : escape(it.value()));
        out.html = fill(QString(tpl.html).replace(u"{items}"_qs, itemsHtml), escaped, false, {});
    }
    out.sms = fill(tpl.sms, values, false, {}).simplified();
    return out;
}

Result<RenderedMessage> MessageTemplates::render(const QString &key, const domain::Order &order,
                                                 const QHash<QString, QString> &extra, const QString &language)
{
    const QString lang = language.isEmpty() ? languageFor(order) : language;
    auto tpl = get(key, lang);
    if (!tpl)
        return tpl.error();
    QString itemsHtml;
    auto v = values(order, lang, &itemsHtml);
    if (!v)
        return v.error();
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        v->insert(it.key().startsWith(u'{') ? it.key() : u'{' + it.key() + u'}', it.value());
    return renderWith(*tpl, *v, itemsHtml);
}

} // namespace sd::messaging
