#include "util/jsontree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace sd::util;
using namespace Qt::StringLiterals;

class TestJsonTree : public QObject
{
    Q_OBJECT

private:
    // The reader must agree with QJsonDocument on everything it accepts.
    static void compare(const QJsonValue &expected, const JsonRef &actual, const QString &where)
    {
        switch (expected.type()) {
        case QJsonValue::Null:
            QVERIFY2(actual.isNull(), qPrintable(where));
            break;
        case QJsonValue::Bool:
            QVERIFY2(actual.isBool(), qPrintable(where));
            QCOMPARE(actual.toBool(), expected.toBool());
            break;
        case QJsonValue::Double:
            QVERIFY2(actual.isDouble(), qPrintable(where));
            QCOMPARE(actual.toDouble(), expected.toDouble());
            break;
        case QJsonValue::String:
            QVERIFY2(actual.isString(), qPrintable(where));
            QCOMPARE(actual.toString(), expected.toString());
            break;
        case QJsonValue::Array: {
            QVERIFY2(actual.isArray(), qPrintable(where));
            const QJsonArray array = expected.toArray();
            QCOMPARE(actual.size(), array.size());
            JsonRef element = actual.first();
            for (qsizetype i = 0; i < array.size(); ++i) {
                compare(array.at(i), actual.at(i), where + u'[' + QString::number(i) + u']');
                compare(array.at(i), element, where + u'[' + QString::number(i) + u']');
                element = element.next();
            }
            QVERIFY(element.isUndefined());
            break;
        }
        case QJsonValue::Object: {
            QVERIFY2(actual.isObject(), qPrintable(where));
            const QJsonObject object = expected.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                const QByteArray key = it.key().toLatin1();
                compare(it.value(), actual.value(QLatin1StringView(key)), where + u'.' + it.key());
            }
            break;
        }
        case QJsonValue::Undefined:
            QVERIFY2(actual.isUndefined(), qPrintable(where));
            break;
        }
    }

private slots:
    void sameAsQJsonDocument_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("object") << "{\"a\": 1, \"b\": \"x\", \"c\": true, \"d\": false, \"e\": null}"_ba;
        QTest::newRow("array") << "[1, \"two\", [3, [4, {}]], {\"k\": []}]"_ba;
        QTest::newRow("empty") << "{}"_ba;
        QTest::newRow("empty array") << " \t\r\n[ ] \n"_ba;
        QTest::newRow("numbers") << "[0, -0, 1.5, -1.5, 1e3, 1E-3, 2.5e+2, 123456789012, 9007199254740993, 0.1]"_ba;
        QTest::newRow("escapes")
            << "[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u0041\\u00f3\\u0142\\u20AC\", \"\\ud83d\\ude00!\"]"_ba;
        QTest::newRow("polish") << "{\"city\": \"Łódź\", \"name\": \"Zażółć gęślą jaźń\", \"emoji\": \"😀\"}"_ba;
        QTest::newRow("nested")
            << "{\"a\": {\"b\": {\"c\": [1, {\"d\": \"e\"}]}}, \"f\": [[], [[]], {\"g\": {}}], \"h\": \"\\\"}]\"}"_ba;
        QTest::newRow("duplicate keys") << "{\"a\": 1, \"b\": 2, \"a\": 3}"_ba;
        QTest::newRow("escaped key") << "{\"\\u0069d\": \"x\", \"q\\\"\": 1}"_ba;
    }

    void sameAsQJsonDocument()
    {
        QFETCH(QByteArray, json);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(json, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const auto tree = JsonTree::parse(json);
        QVERIFY(tree);
        compare(document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object()), tree->root(),
                u"$"_s);
    }

    void lookups()
    {
        const auto tree = JsonTree::parse("{\"a\": null, \"b\": {\"c\": \"ć\"}, \"a\": null, \"\\u0069d\": 7}"_ba);
        QVERIFY(tree);
        const JsonRef root = tree->root();
        QVERIFY(root.contains("a"_L1));
        QVERIFY(root.value("a"_L1).isNull());
        QVERIFY(!root.value("a"_L1).isUndefined());
        QVERIFY(!root.contains("c"_L1));
        QVERIFY(root.value("zz"_L1).isUndefined());
        QCOMPARE(root.value("b"_L1).toObject().value("c"_L1).toString(), u"ć"_s);
        QCOMPARE(root.value("id"_L1).toDouble(), 7.0);
        QCOMPARE(root.size(), 4);
        // Asking the wrong type gives what QJsonValue gives.
        QCOMPARE(root.value("b"_L1).toString(), QString());
        QCOMPARE(root.value("b"_L1).toDouble(), 0.0);
        QVERIFY(!root.value("b"_L1).toBool());
        QVERIFY(root.value("b"_L1).toArray().isUndefined());
        QVERIFY(root.value("id"_L1).toObject().value("x"_L1).isUndefined());
        QVERIFY(root.at(0).isUndefined());
    }

    void numbers()
    {
        const auto tree = JsonTree::parse("[1.5, -0, 1e3, -12, 0.000001, 1E+2]"_ba);
        QVERIFY(tree);
        const JsonRef root = tree->root();
        QCOMPARE(root.at(0).toDouble(), 1.5);
        QCOMPARE(root.at(1).toDouble(), 0.0);
        QCOMPARE(root.at(2).toDouble(), 1000.0);
        QCOMPARE(root.at(3).toDouble(), -12.0);
        QCOMPARE(root.at(4).toDouble(), 0.000001);
        QCOMPARE(root.at(5).toDouble(), 100.0);
    }

    // Anything the reader refuses goes to QJsonDocument, which decides and words the message.
    void refused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << ""_ba;
        QTest::newRow("blank") << "  \n"_ba;
        QTest::newRow("scalar top") << "1"_ba;
        QTest::newRow("string top") << "\"a\""_ba;
        QTest::newRow("cut short") << "{\"a\": [1, 2"_ba;
        QTest::newRow("cut in string") << "{\"a\": \"bc"_ba;
        QTest::newRow("trailing comma object") << "{\"a\": 1,}"_ba;
        QTest::newRow("trailing comma array") << "[1,]"_ba;
        QTest::newRow("missing colon") << "{\"a\" 1}"_ba;
        QTest::newRow("missing comma") << "{\"a\": 1 \"b\": 2}"_ba;
        QTest::newRow("garbage after") << "{} x"_ba;
        QTest::newRow("two documents") << "{}{}"_ba;
        QTest::newRow("bare word") << "[truth]"_ba;
        QTest::newRow("single quotes") << "['a']"_ba;
        QTest::newRow("unquoted key") << "{a: 1}"_ba;
        QTest::newRow("leading zero") << "[01]"_ba;
        QTest::newRow("plus") << "[+1]"_ba;
        QTest::newRow("dot only") << "[1.]"_ba;
        QTest::newRow("leading dot") << "[.5]"_ba;
        QTest::newRow("bare exponent") << "[1e]"_ba;
        QTest::newRow("minus only") << "[-]"_ba;
        QTest::newRow("huge") << "[1e400]"_ba;
        QTest::newRow("bad escape") << "[\"\\x41\"]"_ba;
        QTest::newRow("short unicode escape") << "[\"\\u12\"]"_ba;
        QTest::newRow("bad hex") << "[\"\\u12G4\"]"_ba;
        QTest::newRow("lone high surrogate") << "[\"\\ud83d\"]"_ba;
        QTest::newRow("lone low surrogate") << "[\"\\ude00\"]"_ba;
        QTest::newRow("nul escape") << "[\"\\u0000\"]"_ba;
        QTest::newRow("control character") << "[\"a\tb\"]"_ba;
        QTest::newRow("bad utf-8") << "[\"\xC3\x28\"]"_ba;
        QTest::newRow("overlong utf-8") << "[\"\xC0\xAF\"]"_ba;
        QTest::newRow("utf-8 surrogate") << "[\"\xED\xA0\x80\"]"_ba;
        QTest::newRow("cut utf-8") << "[\"\xC5\"]"_ba;
        QTest::newRow("bom") << "\xEF\xBB\xBF{}"_ba;
    }

    void refused()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!JsonTree::parse(json));
    }

    // QJsonDocument takes up to 1024 levels; the reader takes the same and refuses deeper documents.
    void nestingLimit()
    {
        const auto nested = [](int depth) -> QByteArray { return QByteArray(depth, '[') + QByteArray(depth, ']'); };
        QVERIFY(JsonTree::parse(nested(JsonTree::kMaxDepth)));
        QVERIFY(!JsonTree::parse(nested(JsonTree::kMaxDepth + 1)));
        QJsonParseError error;
        QJsonDocument::fromJson(nested(JsonTree::kMaxDepth), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QJsonDocument::fromJson(nested(JsonTree::kMaxDepth + 1), &error);
        QCOMPARE(error.error, QJsonParseError::DeepNesting);
        QVERIFY(!JsonTree::parse(QByteArray(100000, '[')));
    }
};

QTEST_GUILESS_MAIN(TestJsonTree)
#include "tst_jsontree.moc"
