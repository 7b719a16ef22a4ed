#include "scanning/scandecoder.h"
#include "scanning/serialscanner.h"

#include <QSignalSpy>
#include <QTest>

using namespace sd::scanning;

namespace {

// Feeds text as keys starting at startMs, gaps[i % gaps.size()] apart, then the suffix; returns every outcome
// merged (released keys in order, the scan if any).
struct Fed
{
    QString released;
    QStringList scans;
    int releasedSuffixes = 0;
};

void collect(Fed &fed, const ScanDecoder::Outcome &out)
{
    for (const KeyStroke &k : out.release) {
        if (k.kind == KeyStroke::Kind::Text)
            fed.released += k.text;
        else
            ++fed.releasedSuffixes;
    }
    if (!out.scan.isEmpty())
        fed.scans.append(out.scan);
}

Fed type(ScanDecoder &decoder, const QString &text, const QList<int> &gaps, qint64 startMs = 1000,
         KeyStroke::Kind suffix = KeyStroke::Kind::Enter)
{
    Fed fed;
    qint64 at = startMs;
    for (qsizetype i = 0; i < text.size(); ++i) {
        collect(fed, decoder.feed({KeyStroke::Kind::Text, text.mid(i, 1), at}));
        at += gaps.at(i % gaps.size());
    }
    if (suffix != KeyStroke::Kind::Other)
        collect(fed, decoder.feed({suffix, {}, at}));
    collect(fed, decoder.flush(at + 10000));
    return fed;
}

} // namespace

class TestScanDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A USB scanner: 2-12 ms between keys (as recorded from a Zebra DS2208 in HID mode), Enter at the end.
    void scannerBurstIsAScan()
    {
        ScanDecoder decoder;
        const Fed fed = type(decoder, u"5901234123457"_qs, {4, 7, 3, 12, 5, 2, 9});
        QCOMPARE(fed.scans, QStringList{u"5901234123457"_qs});
        QVERIFY(fed.released.isEmpty());
        QCOMPARE(fed.releasedSuffixes, 0);
        QVERIFY(!decoder.holding());
    }

    void tabSuffixAndPrefix()
    {
        ScannerSettings settings;
        settings.prefix = u"]C1"_qs;
        ScanDecoder decoder(settings);
        Fed fed = type(decoder, u"]C1A000K2H5W3"_qs, {6}, 0, KeyStroke::Kind::Tab);
        QCOMPARE(fed.scans, QStringList{u"A000K2H5W3"_qs});
        // Without the prefix the same fast burst is typing: every key is given back from the first one.
        fed = type(decoder, u"A000K2H5W3"_qs, {6}, 5000, KeyStroke::Kind::Tab);
        QVERIFY(fed.scans.isEmpty());
        QCOMPARE(fed.released, u"A000K2H5W3"_qs);
        QCOMPARE(fed.releasedSuffixes, 1);
        // Tab as suffix switched off: a scanner ending with Tab is not recognised.
        settings.prefix.clear();
        settings.suffixTab = false;
        decoder.setSettings(settings);
        fed = type(decoder, u"A000K2H5W3"_qs, {6}, 9000, KeyStroke::Kind::Tab);
        QVERIFY(fed.scans.isEmpty());
        QCOMPARE(fed.released, u"A000K2H5W3"_qs);
    }

    // A fast typist (about 120 words a minute: 50-140 ms between keys, with the odd 30 ms roll-over) is never a
    // scan, even when two keys come within the threshold.
    void fastTypistIsTyping()
    {
        ScanDecoder decoder;
        const Fed fed = type(decoder, u"kowalski88"_qs, {62, 30, 95, 140, 51, 28, 77, 60, 33});
        QVERIFY(fed.scans.isEmpty());
        QCOMPARE(fed.released, u"kowalski88"_qs);
        QCOMPARE(fed.releasedSuffixes, 1);
    }

    // Short fast bursts ("ok" + Enter by a quick hand) are below the minimum length.
    void shortBurstIsTyping()
    {
        ScanDecoder decoder;
        const Fed fed = type(decoder, u"ok"_qs, {20});
        QVERIFY(fed.scans.isEmpty());
        QCOMPARE(fed.released, u"ok"_qs);
    }

    // A paste tool types every key in the same millisecond; an input method commits several characters at once.
    void pasteIsTyping()
    {
        ScanDecoder decoder;
        Fed fed = type(decoder, u"5901234123457"_qs, {0});
        QVERIFY(fed.scans.isEmpty());
        QCOMPARE(fed.released, u"5901234123457"_qs);

        fed = {};
        collect(fed, decoder.feed({KeyStroke::Kind::Text, u"5901234123457"_qs, 20000}));
        collect(fed, decoder.feed({KeyStroke::Kind::Enter, {}, 20003}));
        QVERIFY(fed.scans.isEmpty());
        QCOMPARE(fed.released, u"5901234123457"_qs);
        QCOMPARE(fed.releasedSuffixes, 1);
    }

    // A fast burst with no suffix is given back once the threshold has passed, not earlier.
    void burstWithoutSuffixIsReleasedAfterTheThreshold()
    {
        ScanDecoder decoder;
        for (int i = 0; i < 5; ++i)
            QVERIFY(decoder.feed({KeyStroke::Kind::Text, QString::number(i), 100 + 5 * i}).held);
        QCOMPARE(decoder.flushDueMs(), 120 + 35 + 1);
        QVERIFY(decoder.flush(150).release.isEmpty());
        const auto out = decoder.flush(200);
        QCOMPARE(out.release.size(), 5);
        QVERIFY(!decoder.holding());
    }

    // A person typing, then a scan straight after: the typing is given back, the scan is recognised.
    void typingThenScan()
    {
        ScanDecoder decoder;
        Fed fed;
        collect(fed, decoder.feed({KeyStroke::Kind::Text, u"a"_qs, 0}));
        collect(fed, decoder.feed({KeyStroke::Kind::Text, u"b"_qs, 150}));
        qint64 at = 400;
        for (QChar c : u"620000012345"_qs) {
            collect(fed, decoder.feed({KeyStroke::Kind::Text, QString(c), at}));
            at += 5;
        }
        collect(fed, decoder.feed({KeyStroke::Kind::Enter, {}, at}));
        QCOMPARE(fed.released, u"ab"_qs);
        QCOMPARE(fed.scans, QStringList{u"620000012345"_qs});
    }

    void thresholdIsConfigurable()
    {
        ScannerSettings slow;
        slow.maxGapMs = 80; // an old Bluetooth scanner
        ScanDecoder decoder(slow);
        QCOMPARE(type(decoder, u"SKU-0042"_qs, {60}).scans, QStringList{u"SKU-0042"_qs});
        decoder.setSettings(ScannerSettings{});
        QVERIFY(type(decoder, u"SKU-0042"_qs, {60}).scans.isEmpty());
    }

    // A serial scanner's stream: codes split on CR, LF or CRLF, in pieces as the port delivers them.
    void serialStreamSplitsCodes()
    {
        SerialScanner scanner;
        QSignalSpy spy(&scanner, &SerialScanner::scanned);
        scanner.consume("59012341");
        QCOMPARE(spy.count(), 0);
        scanner.consume("23457\r\nA000K2");
        scanner.consume("H5W3\r\n\nCZ-1\n");
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.at(0).at(0).toString(), u"5901234123457"_qs);
        QCOMPARE(spy.at(1).at(0).toString(), u"A000K2H5W3"_qs);
        QCOMPARE(spy.at(2).at(0).toString(), u"CZ-1"_qs);
    }

    void serialPortThatDoesNotExistSaysSo()
    {
        SerialScanner scanner;
        auto r = scanner.open(u"/dev/ttyNOSUCHSCANNER"_qs);
        QVERIFY(!r);
        QVERIFY(r.error().userMessage.contains(u"ttyNOSUCHSCANNER"_qs));
    }
};

QTEST_GUILESS_MAIN(TestScanDecoder)
#include "tst_scandecoder.moc"
