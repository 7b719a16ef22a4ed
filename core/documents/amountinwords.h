#pragma once

#include "domain/money.h"

#include <QString>

namespace sd::documents {

// A whole number in Polish words: 0 "zero", 12 "dwanaście", 1001 "tysiąc jeden", 1000000 "milion".
QString polishNumberInWords(qint64 value);
// "sto dwadzieścia trzy złote czterdzieści pięć groszy"; another currency: the whole units in words, its code and
// the minor units as a fraction ("dwadzieścia jeden EUR 05/100").
QString amountInWordsPl(const domain::Money &amount);

} // namespace sd::documents
