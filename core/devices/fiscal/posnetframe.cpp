#include "devices/fiscal/posnetframe.h"

#include "devices/fiscal/cp1250.h"

#include <QCoreApplication>

namespace sd::devices::fiscal {

quint16 posnetCrc16(QByteArrayView bytes)
{
    quint16 crc = 0;
    for (const char byte : bytes) {
        crc ^= quint16(static_cast<unsigned char>(byte)) << 8;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
    }
    return crc;
}

bool PosnetFrame::has(QStringView id) const
{
    for (const auto &field : fields)
        if (field.first == id)
            return true;
    return false;
}

QString PosnetFrame::value(QStringView id) const
{
    for (const auto &field : fields)
        if (field.first == id)
            return field.second;
    return {};
}

qint64 PosnetFrame::number(QStringView id, qint64 fallback) const
{
    bool ok = false;
    const qint64 n = value(id).toLongLong(&ok);
    return ok ? n : fallback;
}

std::optional<int> PosnetFrame::errorCode() const
{
    if (!has(u"?"))
        return std::nullopt;
    return value(u"?").toInt();
}

QByteArray PosnetFrame::body() const
{
    QByteArray out = cp1250::encode(command);
    out.append('\t');
    for (const auto &[id, value] : fields) {
        out.append(cp1250::encode(id));
        out.append(cp1250::encode(value));
        out.append('\t');
    }
    if (token >= 0) {
        out.append('@');
        out.append(QByteArray::number(token).rightJustified(4, '0'));
        out.append('\t');
    }
    return out;
}

QByteArray PosnetFrame::encode() const
{
    const QByteArray inner = body();
    QByteArray out;
    out.reserve(inner.size() + 7);
    out.append(kStx);
    out.append(inner);
    out.append('#');
    out.append(QByteArray::number(posnetCrc16(inner), 16).toUpper().rightJustified(4, '0'));
    out.append(kEtx);
    return out;
}

Result<PosnetFrame> PosnetFrame::decode(QByteArrayView inner)
{
    auto bad = [](const QString &detail) {
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::devices::fiscal", "The fiscal printer sent a damaged frame."),
                         detail);
    };
    const qsizetype hash = inner.lastIndexOf('#');
    if (hash < 0)
        return bad(u"no CRC in the frame"_qs);
    const QByteArrayView crced = inner.first(hash);
    const QByteArrayView crcText = inner.sliced(hash + 1);
    bool ok = false;
    const uint crc = QByteArray(crcText.data(), crcText.size()).toUInt(&ok, 16);
    if (!ok || crcText.size() != 4)
        return bad(u"the CRC is not four hex digits"_qs);
    if (crc != posnetCrc16(crced))
        return bad(u"CRC mismatch: frame says %1, computed %2"_qs.arg(crc, 4, 16, QChar(u'0'))
                       .arg(posnetCrc16(crced), 4, 16, QChar(u'0')));
    if (crced.isEmpty() || crced.back() != '\t')
        return bad(u"the frame does not end its fields with TAB"_qs);
    const QString text = cp1250::decode(crced.chopped(1));
    const QStringList parts = text.split(u'\t');
    PosnetFrame frame(parts.constFirst());
    if (frame.command.isEmpty())
        return bad(u"no command"_qs);
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString &part = parts.at(i);
        if (part.isEmpty())
            return bad(u"an empty field"_qs);
        if (part.startsWith(u'@')) {
            bool tokenOk = false;
            frame.token = part.mid(1).toInt(&tokenOk);
            if (!tokenOk)
                return bad(u"a bad token: %1"_qs.arg(part));
        } else if (part.startsWith(u'?')) {
            frame.fields.append({u"?"_qs, part.mid(1)});
        } else if (part.size() < 2) {
            return bad(u"a field without a two-letter id: %1"_qs.arg(part));
        } else {
            frame.fields.append({part.left(2), part.mid(2)});
        }
    }
    return frame;
}

std::optional<QByteArray> PosnetReader::next()
{
    const qsizetype start = m_buffer.indexOf(PosnetFrame::kStx);
    if (start < 0) {
        m_buffer.clear();
        return std::nullopt;
    }
    if (start > 0)
        m_buffer.remove(0, start);
    const qsizetype end = m_buffer.indexOf(PosnetFrame::kEtx, 1);
    if (end < 0)
        return std::nullopt;
    // A second STX before the ETX means the first frame was cut off: drop its start.
    const qsizetype restart = m_buffer.lastIndexOf(PosnetFrame::kStx, end);
    QByteArray inner = m_buffer.mid(restart + 1, end - restart - 1);
    m_buffer.remove(0, end + 1);
    return inner;
}

} // namespace sd::devices::fiscal
