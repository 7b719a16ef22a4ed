#pragma once

#include <QString>

namespace sd::documents::ksef {

// KSeF numbers: NNNNNNNNNN-YYYYMMDD-XXXXXXXXXXXX-CC (35 characters): the seller's NIP, the acceptance date, a
// 12-digit upper-case hex part and a CRC-8 (polynomial 0x07, initial 0x00) over the first 32 characters,
// hyphens included.
namespace ksefnumber {

QString checksum(const QString &first32);
bool isValid(const QString &number);

} // namespace ksefnumber

} // namespace sd::documents::ksef
