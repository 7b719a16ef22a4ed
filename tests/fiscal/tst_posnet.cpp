#include "devices/fiscal/cp1250.h"
#include "devices/fiscal/fiscalprinter.h"
#include "devices/fiscal/fiscaltransport.h"
#include "devices/fiscal/posnetframe.h"
#include "devices/fiscal/simulator/fiscalsimulator.h"

#include <QTest>

using namespace sd;
using namespace sd::devices::fiscal;

class TestPosnet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The CRC table of the reference (devices-documents.md 1.2), the manual's own worked example among them.
    void crcVectors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("crc");
        QTest::newRow("check value") << QByteArray("123456789") << 0x31C3;
        QTest::newRow("manual: trinit bm0") << QByteArray("trinit\tbm0\t") << 0x4825;
        QTest::newRow("rtcset") << QByteArray("rtcset\tda2016-09-22,12:05\t") << 0x8534;
        QTest::newRow("ERR ?5") << QByteArray("ERR\t?5\t") << 0x7F84;
        QTest::newRow("trline Chleb") << QByteArray("trline\tnaChleb\tvt1\tpr200\t") << 0xB23A;
        QTest::newRow("prncancel") << QByteArray("prncancel\t") << 0x6B3B;
        QTest::newRow("sdev") << QByteArray("sdev\t") << 0x233A;
        QTest::newRow("scomm") << QByteArray("scomm\t") << 0xC42B;
        QTest::newRow("vatget") << QByteArray("vatget\t") << 0x86AC;
    }
    void crcVectors()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, crc);
        QCOMPARE(int(posnetCrc16(text)), crc);
    }

    // The reference's worked receipt, byte for byte (the second line's "ą" is 0xB9 in Windows-1250).
    void workedReceiptFrames()
    {
        QCOMPARE(PosnetFrame(u"trinit"_qs).add(u"bm"_qs, 1).encode(), QByteArray("\x02trinit\tbm1\t#7B14\x03"));
        QCOMPARE(PosnetFrame(u"trline"_qs).add(u"na"_qs, u"Chleb"_qs).add(u"vt"_qs, 2).add(u"pr"_qs, 450).encode(),
                 QByteArray("\x02trline\tnaChleb\tvt2\tpr450\t#B626\x03"));
        const QByteArray flour = PosnetFrame(u"trline"_qs)
                                     .add(u"na"_qs, u"Mąka pszenna"_qs)
                                     .add(u"vt"_qs, 2)
                                     .add(u"pr"_qs, 459)
                                     .add(u"il"_qs, 2)
                                     .add(u"wa"_qs, 918)
                                     .add(u"jm"_qs, u"kg"_qs)
                                     .encode();
        QCOMPARE(flour, QByteArray("\x02trline\tnaM\xB9ka pszenna\tvt2\tpr459\til2\twa918\tjmkg\t#D313\x03"));
        QCOMPARE(PosnetFrame(u"trnipset"_qs).add(u"ni"_qs, u"1234563218"_qs).encode(),
                 QByteArray("\x02trnipset\tni1234563218\t#5757\x03"));
        QCOMPARE(PosnetFrame(u"trpayment"_qs).add(u"ty"_qs, 0).add(u"wa"_qs, 2000).encode(),
                 QByteArray("\x02trpayment\tty0\twa2000\t#621F\x03"));
        QCOMPARE(PosnetFrame(u"trend"_qs).add(u"to"_qs, 1368).add(u"fp"_qs, 2000).encode(),
                 QByteArray("\x02trend\tto1368\tfp2000\t#591D\x03"));
    }

    void decodeReplies()
    {
        // The litex error vector: frame error 5 (bad CRC).
        auto err = PosnetFrame::decode(QByteArray("ERR\t?5\t#7F84"));
        QVERIFY(err.ok());
        QCOMPARE(err->command, u"ERR"_qs);
        QCOMPARE(err->errorCode().value_or(-1), 5);
        // Fields, a token and Polish text come back as they went out.
        PosnetFrame frame(u"trline"_qs);
        frame.add(u"na"_qs, u"Żółć gęślą jaźń"_qs).add(u"vt"_qs, 0);
        frame.token = 42;
        QByteArray bytes = frame.encode();
        auto back = PosnetFrame::decode(QByteArrayView(bytes).sliced(1, bytes.size() - 2));
        QVERIFY(back.ok());
        QCOMPARE(back->value(u"na"), u"Żółć gęślą jaźń"_qs);
        QCOMPARE(back->number(u"vt", -1), 0);
        QCOMPARE(back->token, 42);
        QVERIFY(!back->errorCode());
        // One wrong CRC digit, a missing CRC and a field without an id are refused.
        bytes[bytes.size() - 2] = bytes[bytes.size() - 2] == '0' ? '1' : '0';
        auto damaged = PosnetFrame::decode(QByteArrayView(bytes).sliced(1, bytes.size() - 2));
        QVERIFY(!damaged.ok());
        QVERIFY(damaged.error().detail.startsWith(u"CRC mismatch"));
        QVERIFY(!PosnetFrame::decode(QByteArray("sdev\t")).ok());
        QByteArray noId("sdev\tx\t");
        noId += '#' + QByteArray::number(posnetCrc16(noId), 16).toUpper().rightJustified(4, '0');
        QVERIFY(!PosnetFrame::decode(noId).ok());
    }

    void readerSplitsTheStream()
    {
        PosnetReader reader;
        const QByteArray a = PosnetFrame(u"sdev"_qs).encode();
        const QByteArray b = PosnetFrame(u"scomm"_qs).encode();
        const QByteArray stream = QByteArray("noise") + a + b;
        reader.feed(stream.left(9));
        QVERIFY(!reader.next());
        reader.feed(stream.mid(9));
        QCOMPARE(reader.next().value_or(QByteArray()), a.mid(1, a.size() - 2));
        QCOMPARE(reader.next().value_or(QByteArray()), b.mid(1, b.size() - 2));
        QVERIFY(!reader.next());
        // A frame cut off by a new STX is dropped; the next whole frame is read.
        reader.feed(QByteArray(a.left(4) + b));
        QCOMPARE(reader.next().value_or(QByteArray()), b.mid(1, b.size() - 2));
    }

    void windows1250()
    {
        const QString polish = u"ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"_qs;
        bool lossless = false;
        const QByteArray bytes = cp1250::encode(polish, &lossless);
        QVERIFY(lossless);
        QCOMPARE(bytes, QByteArray("\xB9\xE6\xEA\xB3\xF1\xF3\x9C\x9F\xBF\xA5\xC6\xCA\xA3\xD1\xD3\x8C\x8F\xAF"));
        QCOMPARE(cp1250::decode(bytes), polish);
        QCOMPARE(cp1250::encode(u"Cena 5 €"_qs), QByteArray("Cena 5 \x80"));
        QCOMPARE(cp1250::encode(u"a→b"_qs, &lossless), QByteArray("a?b"));
        QVERIFY(!lossless);
    }

    // Products are matched by rate: the letters mean whatever the printer's table says.
    void vatTableMatchesByRate()
    {
        VatTable table;
        table.rates = {800, 2300, VatTable::kInactive, 500, 0, VatTable::kExempt, VatTable::kInactive};
        QCOMPARE(table.slotFor(domain::VatRate::percent(23)).value_or(-1), 1);
        QCOMPARE(table.slotFor(domain::VatRate::percent(8)).value_or(-1), 0);
        QCOMPARE(table.slotFor(domain::VatRate::percent(5)).value_or(-1), 3);
        QCOMPARE(table.slotFor(domain::VatRate::percent(0)).value_or(-1), 4);
        QCOMPARE(table.slotFor(domain::VatRate::exempt()).value_or(-1), 5);
        QVERIFY(!table.slotFor(domain::VatRate::notSubject()));
        table.rates[3] = VatTable::kInactive;
        QVERIFY(!table.slotFor(domain::VatRate::percent(5)));
        Receipt receipt;
        receipt.lines.append({u"Kawa"_qs, 1000, 2, domain::VatRate::percent(23)});
        receipt.lines.append({u"Chleb"_qs, 450, 1, domain::VatRate::percent(8)});
        auto totals = receipt.totalsBySlot(table);
        QVERIFY(totals.ok());
        QCOMPARE((*totals)[1], 2000);
        QCOMPARE((*totals)[0], 450);
        receipt.lines.append({u"Książka"_qs, 3000, 1, domain::VatRate::percent(5)});
        auto missing = receipt.totalsBySlot(table);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().userMessage.contains(u"Książka"));
        QVERIFY(missing.error().userMessage.contains(u"B 23%"));
    }

    void addresses()
    {
        QVERIFY(FiscalTransport::checkAddress(u"tcp://127.0.0.1:6666"_qs).isEmpty());
        QVERIFY(FiscalTransport::checkAddress(u"serial:/dev/ttyACM0"_qs).isEmpty());
        QVERIFY(FiscalTransport::checkAddress(u"serial:/dev/ttyS0?baud=9600&flow=xonxoff"_qs).isEmpty());
        QVERIFY(!FiscalTransport::checkAddress(u"tcp://127.0.0.1"_qs).isEmpty());
        QVERIFY(!FiscalTransport::checkAddress(u"http://127.0.0.1:80"_qs).isEmpty());
        QVERIFY(!FiscalTransport::checkAddress(u"serial:ttyS0"_qs).isEmpty());
        QVERIFY(!FiscalTransport::checkAddress(u"serial:/dev/ttyS0?baud=7"_qs).isEmpty());
        QVERIFY(!FiscalTransport::fromAddress(u"lpt1"_qs).ok());
        // A serial port that does not exist says so, by its name.
        auto serial = FiscalTransport::fromAddress(u"serial:/dev/sellerdesk-no-such-port"_qs);
        QVERIFY(serial.ok());
        auto opened = (*serial)->open(100);
        QVERIFY(!opened.ok());
        QVERIFY(opened.error().userMessage.contains(u"/dev/sellerdesk-no-such-port"));
    }

    void faultSpec()
    {
        auto faults = SimulatorFaults::parse(u"paper-out, bad-crc:trend, timeout:trline#2, drop:trend#3, delay:40"_qs);
        QVERIFY(faults.ok());
        QVERIFY(faults->paperOut);
        QCOMPARE(faults->delayMs, 40);
        QCOMPARE(faults->oneShots.size(), 3);
        QCOMPARE(faults->oneShots.at(1).command, u"trline"_qs);
        QCOMPARE(faults->oneShots.at(1).occurrence, 2);
        QVERIFY(!SimulatorFaults::parse(u"fire"_qs).ok());
        QVERIFY(!SimulatorFaults::parse(u"timeout:"_qs).ok());
        QVERIFY(!SimulatorFaults::parse(u"drop:trend#0"_qs).ok());
    }
};

QTEST_GUILESS_MAIN(TestPosnet)
#include "tst_posnet.moc"
