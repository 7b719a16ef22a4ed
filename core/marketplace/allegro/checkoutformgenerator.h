#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QtGlobal>

#include <memory>

namespace sd::marketplace::allegro {

// Makes realistic Allegro checkout forms (GET /order/checkout-forms/{id}) for the demo profile and the import
// benchmark: Polish buyers, addresses, delivery methods, payments and products, with exact money in grosze.
// Deterministic: the same seed and `now` give the same forms on every platform (std::mt19937_64 is fully
// specified and the generator never uses the standard distributions, whose output varies between libraries).
class CheckoutFormGenerator
{
public:
    explicit CheckoutFormGenerator(quint64 seed, QDateTime now = QDateTime::currentDateTimeUtc());
    ~CheckoutFormGenerator();
    CheckoutFormGenerator(CheckoutFormGenerator &&) noexcept;
    CheckoutFormGenerator &operator=(CheckoutFormGenerator &&) noexcept;

    // One form; lineItems[].boughtAt and updatedAt fall within the 60 days before `now`.
    QJsonObject next();
    // `count` forms at once. Each one held as a QJsonObject takes about 14 KB, so a large import benchmark
    // should call next() in a loop rather than hold 100,000 of them (1.4 GB) in one array.
    QJsonArray batch(int count);

    // The same form as the buyer edited the delivery address afterwards: a new revision, a new
    // delivery.address (with modifiedAt) and a later updatedAt. Deterministic for a given form and salt.
    static QJsonObject withRevision(QJsonObject form, quint64 salt);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace sd::marketplace::allegro
