#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace sd::devices::fiscal {

// CRC-32 as the Novitus XML manual specifies it for the optional packet checksum: the standard (zlib/IEEE) CRC-32 of
// the exact bytes between <packet ...> and </packet>.
quint32 novitusCrc32(QByteArrayView bytes);

// One element of a Novitus XML packet: <name attr="value" ...>children or text</name>. Attributes keep their order,
// because the CRC covers the bytes as written.
struct NovitusElement
{
    QString name;
    QList<QPair<QString, QString>> attributes;
    QList<NovitusElement> children;
    QString text;

    NovitusElement() = default;
    explicit NovitusElement(QString n)
        : name(std::move(n))
    {}
    NovitusElement &set(const QString &attribute, const QString &value);
    NovitusElement &add(NovitusElement child)
    {
        children.append(std::move(child));
        return *this;
    }
    bool has(QStringView attribute) const;
    QString attribute(QStringView attribute) const;
    bool yes(QStringView attribute) const { return this->attribute(attribute) == u"yes"; }
    const NovitusElement *child(QStringView name) const;
};

// A packet: <packet [crc="XXXXXXXX"]>elements</packet>, Windows-1250 on the wire.
struct NovitusPacket
{
    QList<NovitusElement> elements;

    // With `withCrc` the packet carries the CRC-32 of its content (worth it on serial and USB links).
    QByteArray encode(bool withCrc = false) const;
    // A whole packet, <packet ...> to </packet>; checks the CRC when it carries one.
    static Result<NovitusPacket> decode(QByteArrayView bytes);
};

// Splits a byte stream into packets: everything from "<packet" up to and including "</packet>".
class NovitusReader
{
public:
    void feed(QByteArrayView bytes) { m_buffer.append(bytes.data(), bytes.size()); }
    std::optional<QByteArray> next();
    void clear() { m_buffer.clear(); }

private:
    QByteArray m_buffer;
};

// Amounts: the protocol writes decimal złoty with a dot ("12.30"); SellerDesk keeps grosze.
QString novitusAmount(qint64 grosze);
std::optional<qint64> parseNovitusAmount(QStringView text);

} // namespace sd::devices::fiscal
