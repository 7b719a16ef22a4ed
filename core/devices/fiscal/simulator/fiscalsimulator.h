#pragma once

#include "devices/fiscal/fiscalprinter.h"
#include "devices/fiscal/novitusxml.h"
#include "devices/fiscal/posnetframe.h"
#include "util/result.h"

#include <QHash>
#include <QJsonArray>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;

namespace sd::devices::fiscal {

// Faults the simulator injects, parsed from a comma-separated spec:
//   paper-out            the printer starts without paper (print commands are refused, sprn says pr5)
//   cover-open           the cover is open (refused, sprn says pr3)
//   paper-out:CMD[#N]    the paper runs out at the Nth CMD (default the first); that command is refused
//   bad-crc:CMD[#N]      the Nth CMD is carried out but its reply carries a wrong CRC
//   timeout:CMD[#N]      the Nth CMD is swallowed: not carried out, never answered
//   drop:CMD[#N]         the Nth CMD is carried out, then the connection is closed before the reply
//   delay:MS             every command is answered after MS milliseconds (a slow printer)
struct SimulatorFaults
{
    struct OneShot
    {
        QString kind;    // paper-out, bad-crc, timeout, drop
        QString command; // trinit, trline, trend, ...
        int occurrence = 1;
        bool used = false;
    };
    bool paperOut = false;
    bool coverOpen = false;
    int delayMs = 0;
    QList<OneShot> oneShots;

    static Result<SimulatorFaults> parse(const QString &spec);
};

struct SimulatorOptions
{
    enum class Protocol { Posnet, Novitus };
    Protocol protocol = Protocol::Posnet;
    quint16 port = 0; // 0: any free port
    QString journalFile;
    SimulatorFaults faults;
    VatTable vat; // default A 23, B 8, C 5, D 0, G zw
    SimulatorOptions();
};

// A Posnet or Novitus XML fiscal printer for training and tests (a product feature, like the training marketplace):
// listens on 127.0.0.1 only, checks every frame and its CRC, keeps the device state a real printer keeps (open
// transaction, receipt counters, the last transaction's totals per VAT slot, daily totals, the VAT table) and a journal
// of every printout, written to the journal file (if any) before the reply goes out, so a crash of the client never
// hides a receipt. In Novitus mode every XML command is carried out by the same device state as its Posnet counterpart
// (<item> as trline, <receipt action="close"> as trend, ...), so the faults name the Posnet commands in both modes.
// Thread-safe accessors let a test read the journal while the simulator runs on another thread.
class FiscalSimulator : public QObject
{
    Q_OBJECT

public:
    explicit FiscalSimulator(SimulatorOptions options, QObject *parent = nullptr);
    ~FiscalSimulator() override;

    Result<quint16> start();
    QString address() const;

    QJsonArray journal() const;          // every printout: receipts, cancelled receipts, daily reports
    QList<QJsonObject> receipts() const; // the fiscal receipts only
    void setPaperOut(bool out);
    void setCoverOpen(bool open);
    void setFaults(const SimulatorFaults &faults);
    int framesReceived() const;
    int badFramesReceived() const;

private:
    struct Transaction
    {
        bool open = false;
        QJsonArray lines;
        QString nip;
        QJsonArray payments;
        std::array<qint64, VatTable::kSlots> totals{};
        qint64 paid = 0;
    };

    void onConnection();
    void onReadyRead(QTcpSocket *socket);
    void handle(QTcpSocket *socket, const QByteArray &inner);
    void reply(QTcpSocket *socket, PosnetFrame frame, bool badCrc);
    void send(QTcpSocket *socket, const QByteArray &bytes); // after the "delay" fault's pause, if any
    void handleNovitus(QTcpSocket *socket, const QByteArray &packet);
    // One Novitus element: its reply element, if the command has one (queries do, changes do not).
    std::optional<NovitusElement> executeNovitus(QTcpSocket *socket, const NovitusElement &element);
    // Runs the Posnet counterpart of a Novitus change, with the faults; false when it was swallowed (timeout).
    bool runTranslated(QTcpSocket *socket, const PosnetFrame &request);
    void writeNovitus(QTcpSocket *socket, const QList<NovitusElement> &elements);
    // Runs one command against the device state; returns the reply frame (an error reply when refused).
    PosnetFrame execute(const PosnetFrame &request);
    PosnetFrame error(const PosnetFrame &request, int code) const;
    std::optional<SimulatorFaults::OneShot> takeFault(const QString &command);
    void appendJournal(QJsonObject entry);
    void load();
    void save();

    SimulatorOptions m_options;
    QTcpServer m_server;
    QHash<QTcpSocket *, PosnetReader> m_readers;
    struct NovitusConnection
    {
        NovitusReader reader;
        int lastError = 0;   // of the last change, for <enq/> and <error action="get"/>
        bool silent = false; // a "timeout" fault: the printer stops answering this connection
        bool badCrc = false; // a "bad-crc" fault: the next reply carries a wrong CRC
        bool drop = false;   // a "drop" fault: the connection closes instead of the next reply
    };
    QHash<QTcpSocket *, NovitusConnection> m_novitus;
    QHash<QString, int> m_seen; // commands received, by name, for the Nth-occurrence faults
    mutable QMutex m_mutex;
    Transaction m_trans;
    Transaction m_last; // the last closed or cancelled transaction (strns after it)
    qint64 m_receiptsClosed = 0;
    qint64 m_lastReceiptNumber = 0;
    qint64 m_cancelled = 0;
    qint64 m_dailyReports = 0;
    std::array<qint64, VatTable::kSlots> m_daily{};
    QJsonArray m_journal;
    int m_frames = 0;
    int m_badFrames = 0;
};

} // namespace sd::devices::fiscal
