#include "devices/fiscal/fiscaltransport.h"
#include "devices/fiscal/novitusprinter.h"
#include "devices/fiscal/novitusxml.h"

#include <QTest>

using namespace sd;
using namespace sd::devices::fiscal;

class TestNovitus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The manual's and litex's CRC-32 examples, recomputed in the reference.
    void crc32Vectors()
    {
        QCOMPARE(novitusCrc32("123456789"), 0xCBF43926u);
        QCOMPARE(novitusCrc32("\r\n  <info action=\"transaction\"/>\r\n"), 0xbb1e3ec8u);
        QCOMPARE(novitusCrc32("<dle/>"), 0x4259D34Eu);
    }

    void encodesPackets()
    {
        QCOMPARE(NovitusPacket{{NovitusElement(u"dle"_qs)}}.encode(), QByteArray("<packet><dle/></packet>"));
        QCOMPARE(NovitusPacket{{NovitusElement(u"dle"_qs)}}.encode(true),
                 QByteArray("<packet crc=\"4259d34e\"><dle/></packet>"));
        NovitusElement item(u"item"_qs);
        item.set(u"name"_qs, u"Mąka \"tortowa\" & co"_qs).set(u"ptu"_qs, u"A"_qs);
        item.add(NovitusElement(u"discount"_qs).set(u"value"_qs, u"1.50"_qs).set(u"action"_qs, u"discount"_qs));
        const QByteArray bytes = NovitusPacket{{item}}.encode();
        // Windows-1250 on the wire (ą = 0xB9), attributes escaped, children nested.
        QCOMPARE(bytes, QByteArray("<packet><item name=\"M\xB9ka &quot;tortowa&quot; &amp; co\" ptu=\"A\">"
                                   "<discount value=\"1.50\" action=\"discount\"/></item></packet>"));
        auto back = NovitusPacket::decode(bytes);
        QVERIFY(back.ok());
        QCOMPARE(back->elements.size(), 1);
        QCOMPARE(back->elements.first().attribute(u"name"), u"Mąka \"tortowa\" & co"_qs);
        QVERIFY(back->elements.first().child(u"discount"));
        QCOMPARE(back->elements.first().child(u"discount")->attribute(u"value"), u"1.50"_qs);
    }

    void decodesRepliesAndChecksCrc()
    {
        auto ok = NovitusPacket::decode("<packet crc=\"4259d34e\"><dle/></packet>");
        QVERIFY(ok.ok());
        QCOMPARE(ok->elements.first().name, u"dle"_qs);
        auto bad = NovitusPacket::decode("<packet crc=\"4259d34f\"><dle/></packet>");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, Error::Code::Io);
        QVERIFY(!NovitusPacket::decode("<dle/>").ok());
        auto rates = NovitusPacket::decode(
            "<packet><taxrates action=\"get\"><ptu name=\"A\">23.00%</ptu><ptu name=\"G\">free</ptu></taxrates>"
            "</packet>");
        QVERIFY(rates.ok());
        QCOMPARE(rates->elements.first().children.size(), 2);
        QCOMPARE(rates->elements.first().children.at(1).text, u"free"_qs);
    }

    // Found by fuzz_novitus: a head without its own '>' took the closing tag's, and the content's length came out
    // negative (a read before the buffer). Such a reply is malformed.
    void headWithoutItsEndIsMalformed()
    {
        for (const QByteArray &bytes : {QByteArray("<packet</packet>"), QByteArray("<packet crc=\"1\"</packet>")}) {
            auto packet = NovitusPacket::decode(bytes);
            QVERIFY2(!packet.ok(), bytes.constData());
            QCOMPARE(packet.error().code, Error::Code::Io);
        }
        NovitusReader reader;
        reader.feed("noise<packet</packet><packet><dle/></packet>");
        QVERIFY(!NovitusPacket::decode(*reader.next()).ok());
        QVERIFY(NovitusPacket::decode(*reader.next()).ok());
    }

    void readerSplitsTheStream()
    {
        NovitusReader reader;
        reader.feed("noise<packet><enq fiscal=\"yes\"/></pa");
        QVERIFY(!reader.next());
        reader.feed("cket><packet><dle/></packet>");
        QCOMPARE(*reader.next(), QByteArray("<packet><enq fiscal=\"yes\"/></packet>"));
        QCOMPARE(*reader.next(), QByteArray("<packet><dle/></packet>"));
        QVERIFY(!reader.next());
    }

    void amounts()
    {
        QCOMPARE(novitusAmount(1230), u"12.30"_qs);
        QCOMPARE(novitusAmount(5), u"0.05"_qs);
        QCOMPARE(novitusAmount(-150), u"-1.50"_qs);
        QCOMPARE(parseNovitusAmount(u"12.3").value_or(-1), 1230);
        QCOMPARE(parseNovitusAmount(u"12,30").value_or(-1), 1230);
        QCOMPARE(parseNovitusAmount(u"7").value_or(-1), 700);
        QVERIFY(!parseNovitusAmount(u"1.234"));
        QVERIFY(!parseNovitusAmount(u"abc"));
        // Found by fuzz_novitus: too large for grosze in 64 bits, or two signs, is a garbled reply (no overflow).
        QVERIFY(!parseNovitusAmount(u"555555555555555555"));
        QVERIFY(!parseNovitusAmount(u"--5"));
        QCOMPARE(parseNovitusAmount(u"-0.5").value_or(1), -50);
    }

    // The receipt sequence as the manual gives it: begin, items (ptu letter, decimal prices, a nested discount),
    // payments, and the NIP on the closing packet.
    void receiptSequence()
    {
        Receipt receipt;
        ReceiptLine bread{u"Chleb"_qs, 450, 2, domain::VatRate::percent(5), -100, u"Rabat"_qs};
        receipt.lines.append(bread);
        receipt.lines.append({u"Dostawa"_qs, 999, 1, domain::VatRate::percent(23), 0, {}});
        receipt.buyerNip = u"1234563218"_qs;
        receipt.payments.append({ReceiptPayment::Kind::Card, receipt.total(), {}});
        const QList<NovitusElement> elements = NovitusPrinter::receiptElements(receipt, {2, 0});
        QCOMPARE(elements.size(), 5);
        QCOMPARE(NovitusPacket{{elements.at(0)}}.encode(),
                 QByteArray("<packet><receipt action=\"begin\" mode=\"online\" pharmaceutical=\"no\"/></packet>"));
        QCOMPARE(NovitusPacket{{elements.at(1)}}.encode(),
                 QByteArray("<packet><item name=\"Chleb\" quantity=\"2\" quantityunit=\"szt\" ptu=\"C\" price=\"4.50\" "
                            "total=\"9.00\" action=\"sale\"><discount value=\"1.00\" name=\"Rabat\" "
                            "action=\"discount\"/></item></packet>"));
        QCOMPARE(elements.at(2).attribute(u"ptu"), u"A"_qs);
        QCOMPARE(NovitusPacket{{elements.at(3)}}.encode(),
                 QByteArray("<packet><payment type=\"card\" action=\"add\" value=\"17.99\"/></packet>"));
        QCOMPARE(NovitusPacket{{elements.at(4)}}.encode(),
                 QByteArray("<packet><receipt action=\"close\" total=\"17.99\" nip=\"1234563218\"/></packet>"));
    }

    void addressChoosesTheProtocol()
    {
        QCOMPARE(FiscalTransport::protocolOf(u"tcp://10.0.0.5:6666"_qs), u"posnet"_qs);
        QCOMPARE(FiscalTransport::protocolOf(u"tcp://10.0.0.5:6001?protocol=novitus"_qs), u"novitus"_qs);
        QCOMPARE(FiscalTransport::protocolOf(u"serial:/dev/ttyACM0?baud=9600&protocol=novitus"_qs), u"novitus"_qs);
        QVERIFY(FiscalTransport::checkAddress(u"tcp://10.0.0.5:6001?protocol=novitus"_qs).isEmpty());
        QVERIFY(FiscalTransport::checkAddress(u"tcp://10.0.0.5:6001?protocol=elzab"_qs).contains(u"novitus"));
        auto transport = FiscalTransport::fromAddress(u"serial:/dev/ttyACM0?protocol=novitus"_qs);
        QVERIFY(transport.ok());
        NovitusPrinter printer(std::move(*transport));
        QCOMPARE(printer.address(), u"serial:/dev/ttyACM0?protocol=novitus"_qs);
        QCOMPARE(printer.protocol(), u"novitus"_qs);
    }
};

QTEST_GUILESS_MAIN(TestNovitus)
#include "tst_novitus.moc"
