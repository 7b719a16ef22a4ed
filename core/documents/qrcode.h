#pragma once

#include "documents/document.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace sd::documents {

// A QR code (ISO/IEC 18004, error correction M) made by libzint, as a crisp black-on-white image with a quiet
// zone, each module `scale` pixels. Null when the text cannot be encoded.
QImage qrCodeImage(const QString &text, int scale = 8);

// KOD I, the invoice verification link every KSeF invoice shown outside KSeF carries:
// {base}/invoice/{seller NIP}/{issue date DD-MM-YYYY}/{base64url(SHA-256 of the FA(3) file), no padding}.
// base: https://qr.ksef.mf.gov.pl (production) or https://qr-test.ksef.mf.gov.pl (test).
QString kodOneUrl(const Document &doc, const QByteArray &fa3Xml,
                  const QString &base = QStringLiteral("https://qr.ksef.mf.gov.pl"));

} // namespace sd::documents
