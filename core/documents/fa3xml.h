#pragma once

#include "documents/document.h"

#include <QByteArray>
#include <QDateTime>

namespace sd::documents {

// The structured invoice KSeF takes: FA(3), schema 1-0E (namespace http://crd.gov.pl/wzor/2025/06/25/13775/),
// written from the same Document the PDF is drawn from. Amounts are gross-based (P_9B unit gross, P_11A line
// gross, art. 106e ust. 7-8); P_13_x / P_14_x are the per-rate sums of computeTotals() (a correction: the
// differences), P_15 their gross total. A correction lists the lines before (StanPrzed=1) and after.
// A pro-forma is not an invoice and has no FA(3) form.
Result<QByteArray> toFa3Xml(const Document &doc, const QDateTime &generatedAt);

// Validates FA(3) bytes in-process with libxml2 against the official schema shipped in the program (resources
// :/sellerdesk/fa3/, the imports pointing at local copies). The error names each problem with its line.
Result<void> validateFa3(const QByteArray &xml);

// Generates and validates: what is stored at issue and later sent. An invalid document is never sent.
Result<QByteArray> validFa3Xml(const Document &doc, const QDateTime &generatedAt);

} // namespace sd::documents
