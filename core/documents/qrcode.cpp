#include "documents/qrcode.h"

#include <QCryptographicHash>
#include <QPainter>

#include <zint.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace sd::documents {

QImage qrCodeImage(const QString &text, int scale)
{
    std::unique_ptr<zint_symbol, decltype(&ZBarcode_Delete)> symbol(ZBarcode_Create(), ZBarcode_Delete);
    if (!symbol)
        return {};
    symbol->symbology = BARCODE_QRCODE;
    symbol->input_mode = UNICODE_MODE;
    symbol->option_1 = 2; // error correction level M
    const QByteArray utf8 = text.toUtf8();
    if (ZBarcode_Encode(symbol.get(), reinterpret_cast<const unsigned char *>(utf8.constData()), int(utf8.size())) >=
        ZINT_ERROR)
        return {};
    const int quiet = 4; // modules of white around the code, as the standard asks
    const int size = symbol->width + 2 * quiet;
    QImage image(size * scale, size * scale, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int row = 0; row < symbol->rows; ++row) {
        for (int col = 0; col < symbol->width; ++col) {
            // zint keeps each row as bits, eight modules to a byte, lowest bit first.
            if ((symbol->encoded_data[row][col >> 3] >> (col & 7)) & 1)
                painter.fillRect((col + quiet) * scale, (row + quiet) * scale, scale, scale, Qt::black);
        }
    }
    return image;
}

QString kodOneUrl(const Document &doc, const QByteArray &fa3Xml, const QString &base)
{
    const QByteArray hash = QCryptographicHash::hash(fa3Xml, QCryptographicHash::Sha256)
                                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return base + u"/invoice/"_s + doc.seller.nip + u'/' + doc.issueDate.toString(u"dd-MM-yyyy"_s) + u'/' +
           QString::fromLatin1(hash);
}

} // namespace sd::documents
