#include "util/isotime.h"
#include "util/jsontext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

// The fast ISO-8601 reader/writer must give exactly what Qt gives, and the JSON string writer text that
// QJsonDocument reads back unchanged.
class TestIsoTime : public QObject
{
    Q_OBJECT

private slots:
    void parsesLikeQt_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *text : {"2026-11-20T10:01:02.123Z",
                                 "2026-11-20T10:01:02Z",
                                 "2026-11-20T10:01:02.123+00:00",
                                 "2026-11-20T10:01:02+00:00",
                                 "2024-02-29T23:59:59.999Z",
                                 "1970-01-01T00:00:00.000Z",
                                 "1969-12-31T23:59:59.999Z",
                                 "0001-01-01T00:00:00Z",
                                 "9999-12-31T23:59:59.999Z",
                                 "2026-11-20T12:01:02.123+02:00",
                                 "2026-11-20T10:01:02.1Z",
                                 "2026-11-20T10:01:02.12345Z",
                                 "2026-11-20T10:01:02-00:00",
                                 "2026-11-20T10:01",
                                 "2026-11-20",
                                 "2023-02-29T10:00:00Z",
                                 "2026-13-01T10:00:00Z",
                                 "2026-11-20T24:00:00Z",
                                 "2026-11-20T10:60:00Z",
                                 "2026-11-20T10:00:60Z",
                                 "2026-11-20 10:01:02Z",
                                 "2026-11-20T10:01:02.12aZ",
                                 "0000-01-01T00:00:00Z",
                                 "wczoraj",
                                 ""})
            QTest::newRow(text) << QString::fromLatin1(text);
    }
    void parsesLikeQt()
    {
        QFETCH(QString, text);
        QDateTime expected = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (expected.isValid())
            expected = expected.toUTC();
        const QDateTime fast = sd::util::parseIsoTime(text);
        QCOMPARE(fast.isValid(), expected.isValid());
        if (expected.isValid()) {
            QCOMPARE(fast.toMSecsSinceEpoch(), expected.toMSecsSinceEpoch());
            QCOMPARE(fast.timeSpec(), Qt::UTC);
        }
        const QByteArray utf8 = text.toUtf8();
        QCOMPARE(sd::util::parseIsoTime(QUtf8StringView(utf8)), fast);
    }

    void writesLikeQt()
    {
        QList<qint64> samples = {0,
                                 -1,
                                 1,
                                 999,
                                 86'399'999,
                                 -86'400'000,
                                 951'782'400'000, // 2000-02-29
                                 1'795'168'862'123,
                                 -62'135'596'800'000, // 0001-01-01
                                 253'402'300'799'999, // 9999-12-31T23:59:59.999
                                 253'402'300'800'000, // 10000-01-01: Qt's spelling
                                 -62'135'596'800'001};
        QRandomGenerator random(7);
        for (int i = 0; i < 20000; ++i)
            samples.append(qint64(random.bounded(4'000'000'000'000.0)) - 1'000'000'000'000);
        for (const qint64 ms : samples) {
            const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            const QString expected = time.toString(Qt::ISODateWithMs);
            QByteArray written;
            sd::util::appendIsoTime(written, ms);
            QCOMPARE(QString::fromUtf8(written), expected);
            QCOMPARE(sd::util::isoTimeText(time), expected);
            QCOMPARE(sd::util::isoTimeText(time.toOffsetFromUtc(7200)), expected);
            if (ms >= -62'135'596'800'000 && ms < 253'402'300'800'000)
                QCOMPARE(sd::util::parseIsoTime(QUtf8StringView(written)).toMSecsSinceEpoch(), ms);
        }
        QCOMPARE(sd::util::isoTimeText(QDateTime()), QString());
    }

    void jsonStringsReadBack_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("ascii") << u"Allegro Paczkomaty InPost"_s;
        QTest::newRow("polish") << u"Nowak-Żółkiewska, Gdańsk"_s;
        QTest::newRow("quotes") << u"say \"hi\" \\ back/slash"_s;
        QTest::newRow("controls") << u"a\nb\tc\rd\be\ff\u0001g\u001f"_s;
        QTest::newRow("three bytes") << u"€ ⌘ \uffff"_s;
        QTest::newRow("pair") << u"emoji 😀 end"_s;
    }
    void jsonStringsReadBack()
    {
        QFETCH(QString, text);
        QByteArray json = "{\"v\":";
        sd::util::appendJsonString(json, text);
        json += '}';
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(json, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(document.object().value(u"v").toString(), text);
        // Byte for byte what QJsonDocument itself writes.
        QCOMPARE(json, QJsonDocument(QJsonObject{{u"v"_s, text}}).toJson(QJsonDocument::Compact));
    }

    void loneSurrogateBecomesReplacement()
    {
        QByteArray json;
        sd::util::appendJsonString(json, QStringView(u"a\xd800"
                                                     "b"));
        QCOMPARE(json, QByteArray("\"a\xef\xbf\xbd"
                                  "b\""));
    }
};

QTEST_GUILESS_MAIN(TestIsoTime)
#include "tst_isotime.moc"
