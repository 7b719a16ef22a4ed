#include "documents/exchangerates.h"
#include "documents/settings.h"
#include "documentsettingsdialog.h"
#include "exchangeratespanel.h"
#include "testsupport.h"

#include <QDateEdit>
#include <QHttpServer>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace sd;
using namespace sd::documents;

// The exchange-rate tab of the document settings: list, type in, remove, and fetch from NBP through the address in
// the settings (a fake of the NBP Web API on loopback here, never the real one).
class TestExchangeRatesPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typeInListAndRemove()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_rates_panel"_qs);
        SD_VERIFY_OK(fresh);
        ui::ExchangeRatesPanel panel(fresh->db);
        QCOMPARE(panel.rowCount(), 0);

        // Bad input is named and stays in the form; nothing is stored.
        panel.currencyEdit()->setText(u"PLN"_qs);
        panel.rateEdit()->setText(u"4,29"_qs);
        QVERIFY(!panel.addRate());
        QVERIFY2(panel.status().contains(u"PLN"), qPrintable(panel.status()));
        QCOMPARE(panel.rateEdit()->text(), u"4,29"_qs);
        panel.currencyEdit()->setText(u"eur"_qs);
        panel.rateEdit()->setText(u"-1"_qs);
        QVERIFY(!panel.addRate());
        QVERIFY2(panel.status().contains(u"-1"), qPrintable(panel.status()));
        QCOMPARE(RateTable(fresh->db).list()->size(), 0);

        // A comma is a decimal point; the day is the table's; the table number is optional ("typed in").
        panel.dayEdit()->setDate(QDate(2026, 11, 20));
        panel.rateEdit()->setText(u"4,2954"_qs);
        QVERIFY2(panel.addRate(), qPrintable(panel.status()));
        panel.currencyEdit()->setText(u"CZK"_qs);
        panel.dayEdit()->setDate(QDate(2026, 11, 19));
        panel.rateEdit()->setText(u"0.1712"_qs);
        panel.tableEdit()->setText(u"224/A/NBP/2026"_qs);
        QVERIFY(panel.addRate());
        QCOMPARE(panel.rowCount(), 2);
        QCOMPARE(panel.table()->item(0, 0)->text(), u"EUR"_qs); // newest first
        QCOMPARE(panel.table()->item(0, 2)->text(), u"4.2954"_qs);
        QCOMPARE(panel.table()->item(1, 3)->text(), u"224/A/NBP/2026"_qs);
        // What invoices use: the rate of the last working day before the sale date.
        auto used = RateTable(fresh->db).rateBefore(u"EUR"_qs, QDate(2026, 11, 23));
        SD_VERIFY_OK(used);
        QCOMPARE(used->rate, u"4.2954"_qs);
        QCOMPARE(used->table, u"manual"_qs);

        // Remove needs a selection; the selected row goes.
        panel.table()->clearSelection();
        QVERIFY(!panel.removeSelected());
        panel.table()->selectRow(1);
        QVERIFY(panel.removeSelected());
        QCOMPARE(panel.rowCount(), 1);
        QCOMPARE(RateTable(fresh->db).list()->constFirst().currency, u"EUR"_qs);
        QVERIFY(!panel.grab().isNull());
    }

    void fetchesThroughTheConfiguredAddress()
    {
        QHttpServer nbp;
        QStringList asked;
        nbp.route(u"/api/exchangerates/rates/a/<arg>/<arg>/<arg>/"_qs,
                  [&](const QString &code, const QString &from, const QString &to, const QHttpServerRequest &) {
                      asked.append(code + u' ' + from + u' ' + to);
                      if (code != u"eur")
                          return QHttpServerResponse(QHttpServerResponder::StatusCode::NotFound);
                      return QHttpServerResponse(
                          QJsonObject{{u"table"_qs, u"A"_qs},
                                      {u"code"_qs, u"EUR"_qs},
                                      {u"rates"_qs, QJsonArray{QJsonObject{{u"no"_qs, u"225/A/NBP/2026"_qs},
                                                                           {u"effectiveDate"_qs, u"2026-11-20"_qs},
                                                                           {u"mid"_qs, 4.2954}}}}});
                  });
        const quint16 port = nbp.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_rates_fetch"_qs);
        SD_VERIFY_OK(fresh);
        SettingsStore settings(fresh->db);
        QCOMPARE(settings.settings()->nbpUrl, u"https://api.nbp.pl/api"_qs); // the default
        ui::ExchangeRatesPanel panel(fresh->db);
        QCOMPARE(panel.addressEdit()->text(), u"https://api.nbp.pl/api"_qs);

        // A bad address is refused before anything goes out, and kept in the field.
        panel.fetchCurrencyEdit()->setText(u"EUR"_qs);
        panel.addressEdit()->setText(u"ftp://nbp"_qs);
        QVERIFY(!panel.fetch());
        QVERIFY2(panel.status().contains(u"ftp://nbp"), qPrintable(panel.status()));
        QCOMPARE(panel.addressEdit()->text(), u"ftp://nbp"_qs);
        QVERIFY(asked.isEmpty());

        const QString address = u"http://127.0.0.1:%1/api"_qs.arg(port);
        panel.addressEdit()->setText(address);
        panel.saleDayEdit()->setDate(QDate(2026, 11, 23));
        QVERIFY2(panel.fetch(), qPrintable(panel.status()));
        QCOMPARE(asked, QStringList({u"eur 2026-11-13 2026-11-22"_qs}));
        QVERIFY2(panel.status().contains(u"225/A/NBP/2026"), qPrintable(panel.status()));
        QCOMPARE(settings.settings()->nbpUrl, address); // stored: `rates fetch` uses it too
        QCOMPARE(panel.rowCount(), 1);
        auto stored = RateTable(fresh->db).rateBefore(u"EUR"_qs, QDate(2026, 11, 23));
        SD_VERIFY_OK(stored);
        QCOMPARE(stored->rate, u"4.2954"_qs);
        QCOMPARE(stored->table, u"225/A/NBP/2026"_qs);

        // NBP without a rate: named, nothing stored.
        panel.fetchCurrencyEdit()->setText(u"XYZ"_qs);
        QVERIFY(!panel.fetch());
        QVERIFY2(panel.status().contains(u"XYZ"), qPrintable(panel.status()));
        QCOMPARE(panel.rowCount(), 1);
        // A currency that is none.
        panel.fetchCurrencyEdit()->setText(u"PL"_qs);
        QVERIFY(!panel.fetch());
        QCOMPARE(asked.size(), 2);
    }

    void isATabOfTheDocumentSettings()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_rates_tab"_qs);
        SD_VERIFY_OK(fresh);
        ui::DocumentSettingsDialog dialog(fresh->db);
        dialog.showRates();
        auto *tabs = dialog.findChild<QTabWidget *>();
        QVERIFY(tabs);
        QCOMPARE(tabs->currentWidget(), static_cast<QWidget *>(dialog.ratesPanel()));
    }
};

QTEST_MAIN(TestExchangeRatesPanel)
#include "tst_exchangeratespanel.moc"
