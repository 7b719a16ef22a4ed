#include "marketplace/allegro/checkoutformgenerator.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using sd::marketplace::allegro::CheckoutFormGenerator;

namespace {

const QDateTime kNow(QDate(2024, 11, 15), QTime(12, 30, 5, 250), Qt::UTC);
constexpr qint64 kSixtyDaysMs = 60LL * 24 * 60 * 60 * 1000;

// "123.45" -> 12345. Exactly two decimals, no sign, no spaces: anything else is a generator bug.
std::optional<qint64> grosze(const QJsonValue &value)
{
    const QString text = value.toString();
    const qsizetype dot = text.size() - 3;
    if (dot < 1 || text.at(dot) != u'.')
        return std::nullopt;
    qint64 result = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (i == dot)
            continue;
        if (!text.at(i).isDigit())
            return std::nullopt;
        result = result * 10 + text.at(i).digitValue();
    }
    return result;
}

bool isValidNip(const QString &nip)
{
    static constexpr int kWeights[9] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    if (nip.size() != 10)
        return false;
    int sum = 0;
    for (int i = 0; i < 10; ++i) {
        if (!nip.at(i).isDigit())
            return false;
    }
    for (int i = 0; i < 9; ++i)
        sum += nip.at(i).digitValue() * kWeights[i];
    return sum % 11 != 10 && sum % 11 == nip.at(9).digitValue();
}

bool isPlPostcode(const QString &code)
{
    if (code.size() != 6 || code.at(2) != u'-')
        return false;
    for (int i : {0, 1, 3, 4, 5}) {
        if (!code.at(i).isDigit())
            return false;
    }
    return true;
}

bool isUuid(const QString &id)
{
    if (id.size() != 36)
        return false;
    for (int i = 0; i < 36; ++i) {
        const char16_t c = id.at(i).unicode();
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != u'-' : !((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

// ISO-8601 UTC with milliseconds ("2024-11-15T12:30:05.250Z"), as msecs since the epoch; -1 if malformed.
qint64 isoMs(const QJsonValue &value)
{
    const QString text = value.toString();
    if (text.size() != 24 || !text.endsWith(u'Z') || text.at(19) != u'.')
        return -1;
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return time.isValid() ? time.toMSecsSinceEpoch() : -1;
}

QJsonObject obj(const QJsonObject &parent, const QString &key)
{
    return parent.value(key).toObject();
}

bool isPlAddress(const QJsonObject &address)
{
    return address.value(u"countryCode"_s).toString() == u"PL";
}

} // namespace

class TestCheckoutFormGenerator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sameSeedGivesSameForms();
    void differentSeedGivesDifferentForms();
    void requiredFieldsArePresent();
    void totalToPayIsLinesPlusDelivery();
    void paidFormsPayTheTotal();
    void nipsHaveValidChecksums();
    void polishPostcodesLookRight();
    void datesAreWithinSixtyDays();
    void idsAreUniqueAcrossTenThousandForms();
    void sharesArePlausible();
    void withRevisionChangesAddressAndRevision();

private:
    QList<QJsonObject> m_forms; // 2,000 forms of one seed
};

void TestCheckoutFormGenerator::initTestCase()
{
    CheckoutFormGenerator generator(20241115, kNow);
    for (int i = 0; i < 2000; ++i)
        m_forms.append(generator.next());
}

void TestCheckoutFormGenerator::sameSeedGivesSameForms()
{
    CheckoutFormGenerator a(7, kNow);
    CheckoutFormGenerator b(7, kNow);
    const QJsonArray first = a.batch(300);
    const QJsonArray second = b.batch(300);
    QCOMPARE(first.size(), 300);
    QCOMPARE(QJsonDocument(first).toJson(QJsonDocument::Compact), QJsonDocument(second).toJson(QJsonDocument::Compact));
    QCOMPARE(a.next(), b.next());

    const QJsonObject form = first.at(5).toObject();
    QCOMPARE(CheckoutFormGenerator::withRevision(form, 99), CheckoutFormGenerator::withRevision(form, 99));
}

void TestCheckoutFormGenerator::differentSeedGivesDifferentForms()
{
    const QJsonArray first = CheckoutFormGenerator(7, kNow).batch(300);
    const QJsonArray second = CheckoutFormGenerator(8, kNow).batch(300);
    QVERIFY(first != second);

    QSet<QString> ids;
    for (const QJsonValue &form : first)
        ids.insert(form.toObject().value(u"id"_s).toString());
    for (const QJsonValue &form : second)
        QVERIFY(!ids.contains(form.toObject().value(u"id"_s).toString()));
}

void TestCheckoutFormGenerator::requiredFieldsArePresent()
{
    for (const QJsonObject &form : std::as_const(m_forms)) {
        const QByteArray context = QJsonDocument(form).toJson(QJsonDocument::Compact);
        QVERIFY2(isUuid(form.value(u"id"_s).toString()), context.constData());
        QVERIFY2(form.value(u"revision"_s).toString().size() == 8, context.constData());

        const QJsonObject buyer = obj(form, u"buyer"_s);
        QVERIFY2(!buyer.value(u"id"_s).toString().isEmpty(), context.constData());
        QVERIFY2(buyer.value(u"email"_s).toString().endsWith(u"@allegromail.pl"), context.constData());
        QVERIFY2(!buyer.value(u"login"_s).toString().isEmpty(), context.constData());
        QVERIFY2(buyer.value(u"guest"_s).isBool(), context.constData());

        const QString status = form.value(u"status"_s).toString();
        QVERIFY2(QStringList({u"BOUGHT"_s, u"FILLED_IN"_s, u"READY_FOR_PROCESSING"_s, u"CANCELLED"_s}).contains(status),
                 context.constData());

        const QString currency = obj(obj(form, u"summary"_s), u"totalToPay"_s).value(u"currency"_s).toString();
        QVERIFY2(currency == u"PLN" || currency == u"CZK", context.constData());
        QVERIFY2(grosze(obj(obj(form, u"summary"_s), u"totalToPay"_s).value(u"amount"_s)), context.constData());

        const QJsonArray lines = form.value(u"lineItems"_s).toArray();
        QVERIFY2(!lines.isEmpty() && lines.size() <= 4, context.constData());
        for (const QJsonValue &value : lines) {
            const QJsonObject line = value.toObject();
            QVERIFY2(isUuid(line.value(u"id"_s).toString()), context.constData());
            const QJsonObject offer = obj(line, u"offer"_s);
            QVERIFY2(!offer.value(u"id"_s).toString().isEmpty(), context.constData());
            const QString name = offer.value(u"name"_s).toString();
            QVERIFY2(!name.isEmpty() && name.size() <= 75, context.constData()); // Allegro's title limit
            const int quantity = line.value(u"quantity"_s).toInt();
            QVERIFY2(quantity >= 1 && quantity <= 3, context.constData());
            const auto original = grosze(obj(line, u"originalPrice"_s).value(u"amount"_s));
            const auto price = grosze(obj(line, u"price"_s).value(u"amount"_s));
            QVERIFY2(original && price && *price > 0 && *price <= *original, context.constData());
            QVERIFY2(obj(line, u"price"_s).value(u"currency"_s).toString() == currency, context.constData());
        }

        QVERIFY2(form.value(u"surcharges"_s).isArray(), context.constData());
        QVERIFY2(obj(form, u"invoice"_s).value(u"required"_s).isBool(), context.constData());
        const QString marketplace = obj(form, u"marketplace"_s).value(u"id"_s).toString();
        QVERIFY2(marketplace == (currency == u"PLN" ? u"allegro-pl" : u"allegro-cz"), context.constData());
        QVERIFY2(!obj(obj(form, u"delivery"_s), u"method"_s).value(u"name"_s).toString().isEmpty(),
                 context.constData());
    }
}

void TestCheckoutFormGenerator::totalToPayIsLinesPlusDelivery()
{
    for (const QJsonObject &form : std::as_const(m_forms)) {
        qint64 expected = 0;
        for (const QJsonValue &value : form.value(u"lineItems"_s).toArray()) {
            const QJsonObject line = value.toObject();
            expected += *grosze(obj(line, u"price"_s).value(u"amount"_s)) * line.value(u"quantity"_s).toInt();
        }
        const auto delivery = grosze(obj(obj(form, u"delivery"_s), u"cost"_s).value(u"amount"_s));
        QVERIFY(delivery);
        expected += *delivery;
        const auto total = grosze(obj(obj(form, u"summary"_s), u"totalToPay"_s).value(u"amount"_s));
        QVERIFY(total);
        QCOMPARE(*total, expected);
    }
}

void TestCheckoutFormGenerator::paidFormsPayTheTotal()
{
    int paid = 0;
    for (const QJsonObject &form : std::as_const(m_forms)) {
        const QJsonObject payment = obj(form, u"payment"_s);
        if (!payment.contains(u"paidAmount"_s))
            continue;
        ++paid;
        QCOMPARE(payment.value(u"type"_s).toString(), u"ONLINE"_s);
        QVERIFY(isoMs(payment.value(u"finishedAt"_s)) > 0);
        qint64 sum = *grosze(obj(payment, u"paidAmount"_s).value(u"amount"_s));
        for (const QJsonValue &surcharge : form.value(u"surcharges"_s).toArray())
            sum += *grosze(obj(surcharge.toObject(), u"paidAmount"_s).value(u"amount"_s));
        QCOMPARE(sum, *grosze(obj(obj(form, u"summary"_s), u"totalToPay"_s).value(u"amount"_s)));
    }
    QVERIFY(paid > 1000);
}

void TestCheckoutFormGenerator::nipsHaveValidChecksums()
{
    int nips = 0;
    for (const QJsonObject &form : std::as_const(m_forms)) {
        const QJsonObject company = obj(obj(obj(form, u"invoice"_s), u"address"_s), u"company"_s);
        for (const QJsonValue &id : company.value(u"ids"_s).toArray()) {
            if (id.toObject().value(u"type"_s).toString() != u"PL_NIP")
                continue;
            ++nips;
            const QString nip = id.toObject().value(u"value"_s).toString();
            QVERIFY2(isValidNip(nip), qPrintable(nip));
        }
    }
    QVERIFY(nips > 100);
}

void TestCheckoutFormGenerator::polishPostcodesLookRight()
{
    int checked = 0;
    const auto check = [&checked](const QJsonObject &address, const QString &key) {
        if (address.isEmpty() || !isPlAddress(address))
            return true;
        ++checked;
        return isPlPostcode(address.value(key).toString());
    };
    for (const QJsonObject &form : std::as_const(m_forms)) {
        const QJsonObject delivery = obj(form, u"delivery"_s);
        const QByteArray context = QJsonDocument(form).toJson(QJsonDocument::Compact);
        QVERIFY2(check(obj(obj(form, u"buyer"_s), u"address"_s), u"postCode"_s), context.constData());
        QVERIFY2(check(obj(delivery, u"address"_s), u"zipCode"_s), context.constData());
        QVERIFY2(check(obj(obj(delivery, u"pickupPoint"_s), u"address"_s), u"zipCode"_s), context.constData());
        QVERIFY2(check(obj(obj(form, u"invoice"_s), u"address"_s), u"zipCode"_s), context.constData());
    }
    QVERIFY(checked > 3000);
}

void TestCheckoutFormGenerator::datesAreWithinSixtyDays()
{
    const qint64 now = kNow.toMSecsSinceEpoch();
    for (const QJsonObject &form : std::as_const(m_forms)) {
        const QByteArray context = QJsonDocument(form).toJson(QJsonDocument::Compact);
        qint64 firstBought = now;
        for (const QJsonValue &value : form.value(u"lineItems"_s).toArray()) {
            const qint64 bought = isoMs(value.toObject().value(u"boughtAt"_s));
            QVERIFY2(bought > now - kSixtyDaysMs && bought <= now, context.constData());
            firstBought = qMin(firstBought, bought);
        }
        const qint64 updated = isoMs(form.value(u"updatedAt"_s));
        QVERIFY2(updated >= firstBought && updated <= now, context.constData());
    }
}

void TestCheckoutFormGenerator::idsAreUniqueAcrossTenThousandForms()
{
    CheckoutFormGenerator generator(123456789, kNow);
    QElapsedTimer timer;
    timer.start();
    const QJsonArray forms = generator.batch(10'000);
    qInfo("10,000 forms generated in %lld ms", timer.elapsed());

    QSet<QString> formIds;
    QSet<QString> otherIds; // line items and payments
    QHash<QString, QString> loginOfBuyer;
    QHash<QString, QString> buyerOfLogin;
    for (const QJsonValue &value : forms) {
        const QJsonObject form = value.toObject();
        formIds.insert(form.value(u"id"_s).toString());
        // One buyer id, one login: a returning buyer keeps both, two people never share either.
        const QString buyerId = obj(form, u"buyer"_s).value(u"id"_s).toString();
        const QString login = obj(form, u"buyer"_s).value(u"login"_s).toString();
        QCOMPARE(loginOfBuyer.value(buyerId, login), login);
        QCOMPARE(buyerOfLogin.value(login, buyerId), buyerId);
        loginOfBuyer.insert(buyerId, login);
        buyerOfLogin.insert(login, buyerId);
        otherIds.insert(obj(form, u"payment"_s).value(u"id"_s).toString());
        for (const QJsonValue &line : form.value(u"lineItems"_s).toArray())
            otherIds.insert(line.toObject().value(u"id"_s).toString());
    }
    QCOMPARE(formIds.size(), 10'000);
    QVERIFY(otherIds.size() > 10'000);
    QVERIFY(!formIds.intersects(otherIds));
}

void TestCheckoutFormGenerator::sharesArePlausible()
{
    int cod = 0;
    int companies = 0;
    int invoices = 0;
    int ready = 0;
    int czech = 0;
    int withMessage = 0;
    QSet<QString> statuses;
    QSet<QString> deliveryNames;
    QSet<QString> buyerIds;
    bool polishLetters = false;
    for (const QJsonObject &form : std::as_const(m_forms)) {
        const QJsonObject payment = obj(form, u"payment"_s);
        if (payment.value(u"type"_s).toString() == u"CASH_ON_DELIVERY") {
            ++cod;
            QVERIFY(!payment.contains(u"finishedAt"_s));
            QVERIFY(!payment.contains(u"paidAmount"_s));
        }
        const QJsonObject buyer = obj(form, u"buyer"_s);
        companies += buyer.contains(u"companyName"_s) ? 1 : 0;
        invoices += obj(form, u"invoice"_s).value(u"required"_s).toBool() ? 1 : 0;
        ready += form.value(u"status"_s).toString() == u"READY_FOR_PROCESSING" ? 1 : 0;
        czech += obj(form, u"marketplace"_s).value(u"id"_s).toString() == u"allegro-cz" ? 1 : 0;
        withMessage += form.contains(u"messageToSeller"_s) ? 1 : 0;
        statuses.insert(form.value(u"status"_s).toString());
        deliveryNames.insert(obj(obj(form, u"delivery"_s), u"method"_s).value(u"name"_s).toString());
        buyerIds.insert(buyer.value(u"id"_s).toString());
        const QString lastName = buyer.value(u"lastName"_s).toString();
        for (const QChar ch : lastName)
            polishLetters = polishLetters || QStringView(u"ąćęłńóśźżĄĆĘŁŃÓŚŹŻ").contains(ch);
    }
    const int n = int(m_forms.size());
    qInfo("COD %d, companies %d, invoices %d, ready %d, allegro-cz %d, messages %d, buyers %lld of %d forms", cod,
          companies, invoices, ready, czech, withMessage, qint64(buyerIds.size()), n);
    QVERIFY(cod > n * 3 / 100 && cod < n * 25 / 100);
    QVERIFY(companies > n * 8 / 100 && companies < n * 25 / 100);
    QVERIFY(invoices > n * 15 / 100 && invoices < n * 35 / 100);
    QVERIFY(ready > n * 70 / 100);
    QVERIFY(czech > 0 && czech < n * 6 / 100);
    QVERIFY(withMessage > 0);
    QCOMPARE(statuses.size(), 4);
    QVERIFY(deliveryNames.contains(u"Allegro Paczkomaty InPost"_s));
    QVERIFY(deliveryNames.contains(u"Odbiór osobisty"_s));
    QVERIFY(buyerIds.size() < n); // some buyers come back
    QVERIFY(polishLetters);
}

void TestCheckoutFormGenerator::withRevisionChangesAddressAndRevision()
{
    int checked = 0;
    for (int i = 0; i < 200; ++i) {
        const QJsonObject form = m_forms.at(i);
        const QJsonObject edited = CheckoutFormGenerator::withRevision(form, quint64(i));
        QCOMPARE(edited.value(u"id"_s), form.value(u"id"_s));
        QCOMPARE(edited.value(u"lineItems"_s), form.value(u"lineItems"_s));
        QCOMPARE(edited.value(u"summary"_s), form.value(u"summary"_s));
        QVERIFY(edited.value(u"revision"_s).toString() != form.value(u"revision"_s).toString());
        QCOMPARE(edited.value(u"revision"_s).toString().size(), 8);

        const QJsonObject before = obj(obj(form, u"delivery"_s), u"address"_s);
        const QJsonObject after = obj(obj(edited, u"delivery"_s), u"address"_s);
        QVERIFY(after.value(u"street"_s).toString() != before.value(u"street"_s).toString());
        QVERIFY(!after.value(u"firstName"_s).toString().isEmpty());
        if (isPlAddress(after))
            QVERIFY(isPlPostcode(after.value(u"zipCode"_s).toString()));
        QVERIFY(isoMs(after.value(u"modifiedAt"_s)) > isoMs(form.value(u"updatedAt"_s)));
        QCOMPARE(edited.value(u"updatedAt"_s), after.value(u"modifiedAt"_s));
        ++checked;
    }
    QCOMPARE(checked, 200);
}

QTEST_GUILESS_MAIN(TestCheckoutFormGenerator)
#include "tst_checkoutformgenerator.moc"
