#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace sd;

class TestDocumentsCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_profile;

    test::CliRun cli(const QStringList &args) { return test::runCli(QStringList{u"--profile"_qs, m_profile} + args); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_profile = m_dir.filePath(u"profile"_qs);
        QCOMPARE(cli({u"demo"_qs, u"--orders"_qs, u"40"_qs, u"--seed"_qs, u"7"_qs}).exitCode, 0);
    }

    void companyAndSeries()
    {
        // Nothing can be issued before the company is known; bad input gets a clear message and changes nothing.
        auto early = cli({u"invoice"_qs, u"issue"_qs, u"1"_qs});
        QCOMPARE(early.exitCode, 1);
        QVERIFY2(early.err.contains(u"company set"), qPrintable(early.err));
        auto badNip =
            cli({u"company"_qs, u"set"_qs, u"--name"_qs, u"Sklep"_qs, u"--nip"_qs, u"1234567890"_qs, u"--street"_qs,
                 u"Długa 1"_qs, u"--postcode"_qs, u"00-001"_qs, u"--city"_qs, u"Warszawa"_qs});
        QCOMPARE(badNip.exitCode, 1);
        QVERIFY(badNip.err.contains(u"NIP"));
        auto set = cli({u"company"_qs, u"set"_qs, u"--name"_qs, u"Sklep Testowy Sp. z o.o."_qs, u"--nip"_qs,
                        u"526-587-76-35"_qs, u"--street"_qs, u"ul. Kwiatowa 1"_qs, u"--postcode"_qs, u"00-001"_qs,
                        u"--city"_qs, u"Warszawa"_qs, u"--bank-account"_qs, u"PL73 1111 1111 1111 1111 1111 1111"_qs});
        QCOMPARE(set.exitCode, 0);
        auto company = cli({u"company"_qs, u"show"_qs, u"--json"_qs});
        QCOMPARE(QJsonDocument::fromJson(company.out.toUtf8()).object().value(u"nip").toString(), u"5265877635"_qs);

        auto list = cli({u"series"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray series = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QVERIFY(series.size() >= 5);
        bool fv = false;
        for (const QJsonValue &s : series)
            fv = fv || (s[u"name"].toString() == u"FV" && s[u"type"].toString() == u"vat" && s[u"default"].toBool());
        QVERIFY(fv);
        QCOMPARE(cli({u"series"_qs, u"add"_qs, u"SHOP"_qs, u"--pattern"_qs, u"S/{n:3}/{YYYY}"_qs, u"--reset"_qs,
                      u"yearly"_qs})
                     .exitCode,
                 0);
        auto bad =
            cli({u"series"_qs, u"add"_qs, u"BAD"_qs, u"--pattern"_qs, u"B/{n}"_qs, u"--reset"_qs, u"monthly"_qs});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(u"{YYYY}"));
    }

    void issueCorrectList()
    {
        // The first demo order with a NIP gets a VAT invoice; the others are told why not.
        QString number;
        QString orderId;
        for (int id = 1; id <= 40 && number.isEmpty(); ++id) {
            const QString pdf = m_dir.filePath(u"fv.pdf"_qs);
            const QString xml = m_dir.filePath(u"fv.xml"_qs);
            auto issued = cli({u"invoice"_qs, u"issue"_qs, QString::number(id), u"--series"_qs, u"SHOP"_qs, u"--pdf"_qs,
                               pdf, u"--xml"_qs, xml});
            if (issued.exitCode == 0) {
                number = issued.out.section(u' ', 2, 2);
                orderId = QString::number(id);
                QVERIFY(QFile::exists(pdf));
                QVERIFY(test::readFile(xml).contains("<RodzajFaktury>VAT</RodzajFaktury>"));
                QVERIFY(test::readFile(pdf).startsWith("%PDF"));
            } else {
                QCOMPARE(issued.exitCode, 1);
                QVERIFY2(issued.err.contains(u"NIP"), qPrintable(issued.err));
            }
        }
        QVERIFY2(number.startsWith(u"S/001/"), qPrintable(number));
        // Never two invoices for one order.
        auto again = cli({u"invoice"_qs, u"issue"_qs, orderId});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains(number));

        auto correct = cli({u"invoice"_qs, u"correct"_qs, number, u"--all"_qs});
        QCOMPARE(correct.exitCode, 1); // no reason
        correct = cli({u"invoice"_qs, u"correct"_qs, number, u"--reason"_qs, u"Zwrot"_qs, u"--all"_qs, u"--xml"_qs,
                       m_dir.filePath(u"kor.xml"_qs)});
        QCOMPARE(correct.exitCode, 0);
        QVERIFY(test::readFile(m_dir.filePath(u"kor.xml"_qs)).contains("<RodzajFaktury>KOR</RodzajFaktury>"));

        auto list = cli({u"documents"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray docs = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QCOMPARE(docs.size(), 2);
        QCOMPARE(docs[0][u"type"].toString(), u"correction"_qs);
        QVERIFY(docs[0][u"gross"].toString().startsWith(u'-'));
        QCOMPARE(docs[1][u"state"].toString(), u"corrected"_qs);
        auto show = cli({u"documents"_qs, u"show"_qs, number, u"--json"_qs});
        const QJsonObject doc = QJsonDocument::fromJson(show.out.toUtf8()).object();
        QCOMPARE(doc[u"number"].toString(), number);
        QCOMPARE(doc[u"log"].toArray().size(), 2); // issued, corrected
        auto text = cli({u"documents"_qs, u"show"_qs, number});
        QVERIFY(text.out.contains(u"Faktura VAT"));
        QCOMPARE(cli({u"documents"_qs, u"list"_qs, u"--state"_qs, u"nonsense"_qs}).exitCode, 2);
        QCOMPARE(cli({u"invoice"_qs, u"cancel"_qs, number}).exitCode, 1); // corrected: only corrections now
    }

    void settings()
    {
        auto on = cli({u"documents"_qs, u"settings"_qs, u"--auto-invoice"_qs, u"on"_qs, u"--oss"_qs, u"on"_qs,
                       u"--oss-rate"_qs, u"DE=19,FR=20"_qs});
        QCOMPARE(on.exitCode, 0);
        const QJsonObject s = QJsonDocument::fromJson(on.out.toUtf8()).object();
        QVERIFY(s[u"autoInvoice"].toBool());
        QCOMPARE(s[u"ossRates"][u"FR"].toInt(), 20);
        QCOMPARE(cli({u"documents"_qs, u"settings"_qs, u"--oss"_qs, u"maybe"_qs}).exitCode, 2);
        QCOMPARE(cli({u"invoice"_qs, u"auto"_qs}).exitCode, 0);
    }

    // `invoice issue --type proforma|receipt-invoice`, `documents complete`, and D6's and NBP's settings.
    void otherTypesCompletionAndRates()
    {
        QString proforma;
        QString simplified;
        qint64 simplifiedOrder = 0;
        for (int id = 2; id <= 40 && (proforma.isEmpty() || simplified.isEmpty()); ++id) {
            if (proforma.isEmpty()) {
                const QString pdf = m_dir.filePath(u"pro.pdf"_qs);
                auto issued = cli(
                    {u"invoice"_qs, u"issue"_qs, QString::number(id), u"--type"_qs, u"proforma"_qs, u"--pdf"_qs, pdf});
                if (issued.exitCode == 0) {
                    proforma = issued.out.section(u' ', 3, 3);
                    const QString text = test::pdfText(test::readFile(pdf));
                    QVERIFY2(text.contains(u"Faktura pro forma"), qPrintable(text));
                    QVERIFY(text.contains(u"nie jest fakturą VAT"));
                    QVERIFY2(text.contains(proforma), qPrintable(proforma + u'\n' + text));
                    // Never KSeF: it has no FA(3).
                    auto xml = cli({u"documents"_qs, u"show"_qs, proforma, u"--json"_qs});
                    QCOMPARE(QJsonDocument::fromJson(xml.out.toUtf8()).object().value(u"type").toString(),
                             u"proforma"_qs);
                    continue; // the next order for the simplified invoice
                }
                QCOMPARE(issued.exitCode, 1);
            }
            const QString xml = m_dir.filePath(u"upr.xml"_qs);
            auto upr = cli({u"invoice"_qs, u"issue"_qs, QString::number(id), u"--type"_qs, u"receipt-invoice"_qs,
                            u"--xml"_qs, xml});
            if (upr.exitCode == 0) {
                simplified = upr.out.section(u' ', 2, 2);
                simplifiedOrder = id;
                QVERIFY(test::readFile(xml).contains("<RodzajFaktury>UPR</RodzajFaktury>"));
            } else {
                QCOMPARE(upr.exitCode, 1);
                QVERIFY2(upr.err.contains(u"NIP") || upr.err.contains(u"450") || upr.err.contains(u"already"),
                         qPrintable(upr.err));
            }
        }
        QVERIFY2(proforma.startsWith(u"PRO/"), qPrintable(proforma));
        QVERIFY2(simplified.startsWith(u"FVU/"), qPrintable(simplified));
        QCOMPARE(cli({u"invoice"_qs, u"issue"_qs, u"2"_qs, u"--type"_qs, u"receipt"_qs}).exitCode, 2);

        // D6 by hand: the slip and the card, once, with their PDFs.
        const QString dir = m_dir.filePath(u"complete"_qs);
        QVERIFY(QDir().mkpath(dir));
        auto complete = cli({u"documents"_qs, u"complete"_qs, QString::number(simplifiedOrder), u"--pdf"_qs, dir});
        QCOMPARE(complete.exitCode, 0);
        QVERIFY2(complete.out.contains(u"LP/1/") && complete.out.contains(u"KG/1/"), qPrintable(complete.out));
        QCOMPARE(QDir(dir).entryList({u"*.pdf"_qs}).size(), 2);
        QCOMPARE(cli({u"documents"_qs, u"complete"_qs, QString::number(simplifiedOrder)}).out, complete.out);

        // D6 automatic is on by default and can be switched off; the NBP address is a setting `rates fetch` uses.
        auto off = cli({u"documents"_qs, u"settings"_qs, u"--completion"_qs, u"off"_qs});
        QCOMPARE(off.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(off.out.toUtf8()).object().value(u"completionDocuments").toBool(true), false);
        QCOMPARE(cli({u"documents"_qs, u"settings"_qs, u"--completion"_qs, u"maybe"_qs}).exitCode, 2);
        auto badUrl = cli({u"documents"_qs, u"settings"_qs, u"--nbp-url"_qs, u"ftp://nbp"_qs});
        QCOMPARE(badUrl.exitCode, 1);
        QVERIFY2(badUrl.err.contains(u"ftp://nbp"), qPrintable(badUrl.err));
        // A closed port on loopback: the refusal shows the configured address was asked, not api.nbp.pl.
        QCOMPARE(cli({u"documents"_qs, u"settings"_qs, u"--nbp-url"_qs, u"http://127.0.0.1:9/api"_qs}).exitCode, 0);
        auto fetch = cli({u"rates"_qs, u"fetch"_qs, u"EUR"_qs});
        QCOMPARE(fetch.exitCode, 1);
        QVERIFY2(fetch.err.contains(u"refused", Qt::CaseInsensitive), qPrintable(fetch.err));
    }
};

QTEST_GUILESS_MAIN(TestDocumentsCli)
#include "tst_documentscli.moc"
