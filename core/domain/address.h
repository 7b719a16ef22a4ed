#pragma once

#include "util/result.h"

#include <QString>

namespace sd::domain {

// A postal address as a marketplace or the seller gives it; the name fields say who receives there.
struct Address
{
    QString firstName;
    QString lastName;
    QString companyName;
    QString street;
    QString city;
    QString postCode;
    QString countryCode; // ISO 3166-1 alpha-2, upper case: "PL", "DE"
    QString phone;

    // No field holds anything but whitespace.
    bool isEmpty() const;
    // Enough to ship to: street, city, post code and country, a two-letter upper-case country code
    // and, for PL, a post code of the form NN-NNN.
    Result<void> validate() const;
    bool operator==(const Address &) const = default;
};

// A parcel locker or pick-up point chosen by the buyer (InPost Paczkomat, Orlen Paczka, ...).
struct PickupPoint
{
    QString id; // the carrier's point id, e.g. "WAW01A"
    QString name;
    QString description;
    Address address;

    bool isEmpty() const;
    bool operator==(const PickupPoint &) const = default;
};

} // namespace sd::domain
