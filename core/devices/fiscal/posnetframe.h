#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace sd::devices::fiscal {

// CRC-16/CCITT as the Posnet manual specifies it (poly 0x1021, init 0, no reflection, no final xor; also known as
// CRC-16/XMODEM), over everything after STX up to and including the TAB before '#'.
quint16 posnetCrc16(QByteArrayView bytes);

// One Posnet frame: STX command TAB { id value TAB }* [@token TAB] #CRC ETX. Text is Windows-1250 on the wire.
// A field is a two-letter id and its value; an error field ("?5" in a reply) has the id "?".
struct PosnetFrame
{
    static constexpr char kStx = 0x02;
    static constexpr char kEtx = 0x03;

    QString command;
    QList<QPair<QString, QString>> fields;
    int token = -1; // 0-9999 when the frame carries one

    PosnetFrame() = default;
    explicit PosnetFrame(QString cmd)
        : command(std::move(cmd))
    {}
    PosnetFrame &add(const QString &id, const QString &value)
    {
        fields.append({id, value});
        return *this;
    }
    PosnetFrame &add(const QString &id, qint64 value) { return add(id, QString::number(value)); }

    bool has(QStringView id) const;
    QString value(QStringView id) const;
    qint64 number(QStringView id, qint64 fallback = 0) const;
    // The printer's "?nnnn" field: the reply says the command failed.
    std::optional<int> errorCode() const;

    // The bytes between STX and '#', the part the CRC covers.
    QByteArray body() const;
    QByteArray encode() const;
    // Everything between STX and ETX; checks the CRC and the shape.
    static Result<PosnetFrame> decode(QByteArrayView inner);
};

// Splits a byte stream into frames (STX ... ETX); bytes before an STX are noise and dropped.
class PosnetReader
{
public:
    void feed(QByteArrayView bytes) { m_buffer.append(bytes.data(), bytes.size()); }
    // The inner bytes of the next complete frame, if one has arrived.
    std::optional<QByteArray> next();
    void clear() { m_buffer.clear(); }

private:
    QByteArray m_buffer;
};

} // namespace sd::devices::fiscal
