#include "devices/fiscal/novitusxml.h"

#include "devices/fiscal/cp1250.h"

#include <QCoreApplication>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <array>

#include <limits>

namespace sd::devices::fiscal {

namespace {

constexpr QByteArrayView kOpen = "<packet";
constexpr QByteArrayView kClose = "</packet>";

Error malformed(const QString &detail)
{
    return makeError(Error::Code::Io,
                     QCoreApplication::translate("sd::devices::fiscal", "The fiscal printer sent a damaged reply."),
                     detail);
}

void write(QXmlStreamWriter &w, const NovitusElement &e)
{
    if (e.children.isEmpty() && e.text.isEmpty()) {
        w.writeEmptyElement(e.name);
    } else {
        w.writeStartElement(e.name);
    }
    for (const auto &[name, value] : e.attributes)
        w.writeAttribute(name, value);
    if (e.children.isEmpty() && e.text.isEmpty())
        return;
    if (!e.text.isEmpty())
        w.writeCharacters(e.text);
    for (const NovitusElement &child : e.children)
        write(w, child);
    w.writeEndElement();
}

NovitusElement read(QXmlStreamReader &r)
{
    NovitusElement e(r.name().toString());
    for (const QXmlStreamAttribute &a : r.attributes())
        e.attributes.append({a.name().toString(), a.value().toString()});
    while (r.readNext() != QXmlStreamReader::Invalid) {
        if (r.isEndElement())
            break;
        if (r.isStartElement())
            e.children.append(read(r));
        else if (r.isCharacters() && !r.isWhitespace())
            e.text += r.text();
    }
    return e;
}

} // namespace

quint32 novitusCrc32(QByteArrayView bytes)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 crc = 0xFFFFFFFFu;
    for (char ch : bytes)
        crc = table[(crc ^ quint8(ch)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

NovitusElement &NovitusElement::set(const QString &attribute, const QString &value)
{
    for (auto &pair : attributes) {
        if (pair.first == attribute) {
            pair.second = value;
            return *this;
        }
    }
    attributes.append({attribute, value});
    return *this;
}

bool NovitusElement::has(QStringView attribute) const
{
    for (const auto &pair : attributes)
        if (pair.first == attribute)
            return true;
    return false;
}

QString NovitusElement::attribute(QStringView attribute) const
{
    for (const auto &pair : attributes)
        if (pair.first == attribute)
            return pair.second;
    return {};
}

const NovitusElement *NovitusElement::child(QStringView name) const
{
    for (const NovitusElement &c : children)
        if (c.name == name)
            return &c;
    return nullptr;
}

QByteArray NovitusPacket::encode(bool withCrc) const
{
    // Written inside a wrapper element: QXmlStreamWriter closes an empty element ("/>") only when the next thing is
    // written, and the wrapper's end is that thing; the wrapper itself is cut off again.
    QString text;
    QXmlStreamWriter w(&text);
    w.writeStartElement(u"p"_qs);
    for (const NovitusElement &e : elements)
        write(w, e);
    w.writeEndElement();
    text = text.mid(3, text.size() - 7);
    const QByteArray content = cp1250::encode(text);
    QByteArray out = "<packet";
    if (withCrc)
        out += " crc=\"" + QByteArray::number(novitusCrc32(content), 16).rightJustified(8, '0') + '"';
    return out + '>' + content + kClose.toByteArray();
}

Result<NovitusPacket> NovitusPacket::decode(QByteArrayView bytes)
{
    const qsizetype headEnd = bytes.indexOf('>');
    // The head's '>' must come before the closing tag ("<packet</packet>" has none of its own).
    if (!bytes.startsWith(kOpen) || headEnd < 0 || !bytes.endsWith(kClose) ||
        headEnd + 1 + kClose.size() > bytes.size())
        return malformed(u"not a packet: "_qs + QString::fromLatin1(bytes.first(qMin<qsizetype>(60, bytes.size()))));
    const QByteArrayView head = bytes.first(headEnd + 1);
    const QByteArrayView content = bytes.sliced(headEnd + 1, bytes.size() - headEnd - 1 - kClose.size());
    const qsizetype crcAt = head.indexOf("crc=\"");
    if (crcAt >= 0) {
        bool ok = false;
        const quint32 stated = head.sliced(crcAt + 5, qMin<qsizetype>(8, head.size() - crcAt - 5)).toUInt(&ok, 16);
        const quint32 actual = novitusCrc32(content);
        if (!ok || stated != actual)
            return malformed(u"CRC mismatch: packet says %1, content gives %2"_qs.arg(stated, 8, 16, QChar(u'0'))
                                 .arg(actual, 8, 16, QChar(u'0')));
    }
    // The content alone is parsed: it is a sequence of elements, so it is wrapped in a root the reader accepts.
    QXmlStreamReader r(u"<p>"_qs + cp1250::decode(content) + u"</p>"_qs);
    NovitusPacket packet;
    r.readNextStartElement();
    while (r.readNextStartElement())
        packet.elements.append(read(r));
    if (r.hasError() && r.error() != QXmlStreamReader::PrematureEndOfDocumentError)
        return malformed(r.errorString());
    return packet;
}

std::optional<QByteArray> NovitusReader::next()
{
    const qsizetype start = m_buffer.indexOf(kOpen);
    if (start < 0) {
        m_buffer.clear();
        return std::nullopt;
    }
    const qsizetype end = m_buffer.indexOf(kClose, start);
    if (end < 0)
        return std::nullopt;
    const qsizetype stop = end + kClose.size();
    QByteArray packet = m_buffer.sliced(start, stop - start);
    m_buffer.remove(0, stop);
    return packet;
}

QString novitusAmount(qint64 grosze)
{
    const qint64 a = grosze < 0 ? -grosze : grosze;
    return (grosze < 0 ? u"-"_qs : QString()) + u"%1.%2"_qs.arg(a / 100).arg(a % 100, 2, 10, QChar(u'0'));
}

std::optional<qint64> parseNovitusAmount(QStringView text)
{
    QString t = text.trimmed().toString();
    t.replace(u',', u'.');
    const bool negative = t.startsWith(u'-');
    if (negative)
        t.remove(0, 1);
    const QStringList parts = t.split(u'.');
    if (parts.isEmpty() || parts.size() > 2 || parts.first().isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 whole = parts.first().toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    qint64 fraction = 0;
    if (parts.size() == 2) {
        const QString f = parts.at(1);
        if (f.isEmpty() || f.size() > 2)
            return std::nullopt;
        fraction = f.toLongLong(&ok) * (f.size() == 1 ? 10 : 1);
        if (!ok)
            return std::nullopt;
    }
    // A printer amount in grosze fits 64 bits with room to spare; more is a garbled reply, not an overflow.
    if (whole < 0 || whole > std::numeric_limits<qint64>::max() / 100 - 100)
        return std::nullopt;
    const qint64 value = whole * 100 + fraction;
    return negative ? -value : value;
}

} // namespace sd::devices::fiscal
