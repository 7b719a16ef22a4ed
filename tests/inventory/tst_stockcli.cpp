#include "testsupport.h"

#include <QTemporaryDir>

using namespace sd;

// The stock commands of sellerdesk-cli as a user types them: documents, refusals with clear messages and exit
// codes, listings.
class TestStockCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void productsWarehousesAndStock()
    {
        QTemporaryDir dir;
        const QStringList profile{u"--profile"_qs, dir.filePath(u"p"_qs)};
        auto cli = [&](const QStringList &args) { return test::runCli(profile + args); };

        auto bad = cli({u"products"_qs, u"add"_qs, u"CZ-1"_qs, u"Czajnik"_qs, u"--ean"_qs, u"5901234123458"_qs});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains(u"check digit"), qPrintable(bad.err));
        auto added = cli({u"products"_qs, u"add"_qs, u"CZ-1"_qs, u"Czajnik"_qs, u"--ean"_qs, u"5901234123457"_qs,
                          u"--price"_qs, u"25.50"_qs, u"--size"_qs, u"300x200x150"_qs});
        QCOMPARE(added.exitCode, 0);
        QCOMPARE(cli({u"products"_qs, u"add"_qs, u"X"_qs, u"Y"_qs, u"--size"_qs, u"3x2"_qs}).exitCode, 2);
        auto noWarehouse = cli({u"stock"_qs, u"receive"_qs, u"CZ-1"_qs, u"5"_qs});
        QCOMPARE(noWarehouse.exitCode, 1);
        QVERIFY(noWarehouse.err.contains(u"warehouses add"));
        QCOMPARE(cli({u"warehouses"_qs, u"add"_qs, u"MAIN"_qs, u"Main"_qs}).exitCode, 0);
        QCOMPARE(cli({u"warehouses"_qs, u"add"_qs, u"SHOP"_qs}).exitCode, 0);
        auto pz = cli({u"stock"_qs, u"receive"_qs, u"CZ-1"_qs, u"5"_qs});
        QCOMPARE(pz.exitCode, 0);
        QVERIFY2(pz.out.contains(u"PZ/1/"), qPrintable(pz.out));
        QVERIFY(pz.out.contains(u"CZ-1  MAIN  +5"));
        QCOMPARE(cli({u"stock"_qs, u"transfer"_qs, u"CZ-1"_qs, u"2"_qs, u"--warehouse"_qs, u"MAIN"_qs, u"--to"_qs,
                      u"SHOP"_qs})
                     .exitCode,
                 0);
        auto negative = cli({u"stock"_qs, u"issue"_qs, u"CZ-1"_qs, u"9"_qs, u"--warehouse"_qs, u"SHOP"_qs});
        QCOMPARE(negative.exitCode, 1);
        QVERIFY(negative.err.contains(u"Not enough stock of CZ-1 in the warehouse SHOP: 2 in stock, 9"));
        QCOMPARE(cli({u"stock"_qs, u"issue"_qs, u"NOPE"_qs, u"1"_qs}).exitCode, 1);
        QCOMPARE(cli({u"stock"_qs, u"issue"_qs, u"CZ-1"_qs, u"-1"_qs}).exitCode, 2);
        auto show = cli({u"stock"_qs, u"show"_qs, u"CZ-1"_qs});
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains(u"MAIN\t3"));
        QVERIFY(show.out.contains(u"SHOP\t2"));
        QVERIFY(show.out.contains(u"Total: 5"));
        auto json = cli({u"products"_qs, u"list"_qs, u"--json"_qs});
        QVERIFY(json.out.contains(u"\"stock\": 5"));
        auto settings = cli({u"stock"_qs, u"settings"_qs, u"autoInvoicing"_qs, u"sometimes"_qs});
        QCOMPARE(settings.exitCode, 1);
        QVERIFY(cli({u"stock"_qs, u"settings"_qs}).out.contains(u"Stock sync is paused"));
        auto link = cli({u"offers"_qs, u"link"_qs, u"123"_qs, u"CZ-1"_qs});
        QCOMPARE(link.exitCode, 1);
        QVERIFY(link.err.contains(u"There is no offer 123"));
    }
};

QTEST_GUILESS_MAIN(TestStockCli)
#include "tst_stockcli.moc"
