#include "storage/jobqueue.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace sd;

// Outside the class: moc 6.4 misreads raw strings with "//" inside a Q_OBJECT body.
constexpr char kPaidRule[] =
    R"({"format": "sellerdesk.rule/1", "name": "paid to ship", "trigger": {"type": "order.downloaded"},
            "conditions": {"all": [{"field": "paymentStatus", "op": "eq", "value": "paid"}]},
            "actions": [{"type": "setStatus", "params": {"status": "To ship"}},
                        {"type": "callUrl", "params": {"url": "http://127.0.0.1:9/o/{orderIdExternal}"}}]})";

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_profile;

    static QString data(const char *name) { return QFINDTESTDATA(u"../data/allegro/"_qs + QString::fromLatin1(name)); }

    test::CliRun cli(const QStringList &args) { return test::runCli(QStringList{u"--profile"_qs, m_profile} + args); }

    static QJsonArray jsonArray(const QString &text) { return QJsonDocument::fromJson(text.toUtf8()).array(); }
    static QJsonObject jsonObject(const QString &text) { return QJsonDocument::fromJson(text.toUtf8()).object(); }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        m_profile = m_dir.filePath(u"profile-"_qs + QString::number(++n));
    }

    void versionAndHelp()
    {
        auto version = test::runCli({u"--version"_qs});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out.trimmed(), u"sellerdesk-cli " SD_TEST_VERSION ""_qs);
        auto help = test::runCli({u"--help"_qs});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(u"import-orders"));
        QVERIFY(help.out.contains(u"orders set-status ID STATUS [--inform]"));
    }

    void wrongUsageExitsWithTwoAndOneLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << u"no command given"_qs;
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_qs} << u"unknown command frobnicate"_qs;
        QTest::newRow("unknown option") << QStringList{u"orders"_qs, u"list"_qs, u"--colour"_qs}
                                        << u"unknown option --colour"_qs;
        QTest::newRow("missing value") << QStringList{u"orders"_qs, u"list"_qs, u"--status"_qs}
                                       << u"--status needs a value"_qs;
        QTest::newRow("show without id") << QStringList{u"orders"_qs, u"show"_qs} << u"exactly one order ID"_qs;
        QTest::newRow("bad limit") << QStringList{u"orders"_qs, u"list"_qs, u"--limit"_qs, u"lots"_qs}
                                   << u"--limit must be a whole number"_qs;
        QTest::newRow("no files") << QStringList{u"import-orders"_qs} << u"at least one FILE"_qs;
        QTest::newRow("bad group") << QStringList{u"statuses"_qs, u"add"_qs, u"X"_qs, u"--group"_qs, u"later"_qs}
                                   << u"unknown group later"_qs;
        QTest::newRow("set-status one arg")
            << QStringList{u"orders"_qs, u"set-status"_qs, u"1"_qs} << u"an order ID and a STATUS"_qs;
        QTest::newRow("label without courier")
            << QStringList{u"label"_qs, u"create"_qs, u"1"_qs} << u"--courier must be allegro or inpost"_qs;
        QTest::newRow("label bad size") << QStringList{u"label"_qs,  u"create"_qs, u"1"_qs,  u"--courier"_qs,
                                                       u"inpost"_qs, u"--size"_qs, u"big"_qs}
                                        << u"--size must be LENGTHxWIDTHxHEIGHT"_qs;
        QTest::newRow("reprint without reason")
            << QStringList{u"print"_qs, u"reprint"_qs, u"1"_qs} << u"print reprint needs --reason"_qs;
    }
    void wrongUsageExitsWithTwoAndOneLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        auto run = cli(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.err.trimmed().count(u'\n'), 0);
        QVERIFY(run.out.isEmpty());
    }

    // A test page through the print queue to a PDF file; the queue lists it with its timeline; a reprint needs its
    // reason and points at the original.
    void printTestPageJobsAndReprint()
    {
        const QString file = m_dir.filePath(u"test-page.pdf"_qs);
        auto page =
            cli({u"print"_qs, u"test-page"_qs, u"--printer"_qs, u"pdf:"_qs + file, u"--role"_qs, u"document"_qs});
        QCOMPARE(page.exitCode, 0);
        QVERIFY2(page.out.contains(u"Print job 1: printed"_qs), qPrintable(page.out + page.err));
        QVERIFY(test::readFile(file).startsWith("%PDF"));
        auto reprint = cli({u"print"_qs, u"reprint"_qs, u"1"_qs, u"--reason"_qs, u"paper jam"_qs});
        QCOMPARE(reprint.exitCode, 0);
        auto jobs = cli({u"print"_qs, u"jobs"_qs, u"--json"_qs});
        QCOMPARE(jobs.exitCode, 0);
        const QJsonArray list = jsonObject(jobs.out).value(u"jobs").toArray();
        QCOMPARE(list.size(), 2);
        const QJsonObject newest = list.at(0).toObject();
        QCOMPARE(newest.value(u"reprintOf").toInteger(), 1);
        QCOMPARE(newest.value(u"reason").toString(), u"paper jam"_qs);
        QStringList states;
        for (const QJsonValue &entry : list.at(1).toObject().value(u"timeline").toArray())
            states << entry.toObject().value(u"state").toString();
        QCOMPARE(states, (QStringList{u"created"_qs, u"rendered"_qs, u"sent"_qs, u"printed"_qs}));
        auto noLabel = cli({u"label"_qs, u"print"_qs, u"1"_qs, u"--printer"_qs, u"pdf:"_qs + file});
        QCOMPARE(noLabel.exitCode, 1);
    }

    void rulesImportListDryRunTraceJobs()
    {
        QCOMPARE(cli({u"import-orders"_qs, data("checkout-forms-array.json")}).exitCode, 0);
        const QString file = m_dir.filePath(u"paid.rule.json"_qs);
        QFile rule(file);
        QVERIFY(rule.open(QIODevice::WriteOnly));
        rule.write(kPaidRule);
        rule.close();
        auto imported = cli({u"rules"_qs, u"import"_qs, file});
        QCOMPARE(imported.exitCode, 0);
        QCOMPARE(imported.out.trimmed(), u"Rule 1 \"paid to ship\" saved as version 1."_qs);
        auto list = cli({u"rules"_qs, u"list"_qs});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(u"paid to ship"_qs), qPrintable(list.out));

        auto dry = cli({u"rules"_qs, u"dry-run"_qs, u"--id"_qs, u"1"_qs, u"--json"_qs});
        QCOMPARE(dry.exitCode, 0);
        const QJsonObject report = jsonObject(dry.out);
        QCOMPARE(report.value(u"dryRun").toBool(), true);
        QCOMPARE(report.value(u"orders").toInt(), 3);
        const QJsonArray results = report.value(u"results").toArray();
        QCOMPARE(results.size(), 3);
        int matched = 0;
        for (const QJsonValue &v : results) {
            const QJsonObject order = v.toObject();
            const QJsonObject r = order.value(u"rules").toArray().at(0).toObject();
            QCOMPARE(r.value(u"name").toString(), u"paid to ship"_qs);
            const QJsonObject condition = r.value(u"conditions").toArray().at(0).toObject();
            QCOMPARE(condition.value(u"field").toString(), u"paymentStatus"_qs);
            QCOMPARE(condition.value(u"result").toBool(), condition.value(u"actual").toString() == u"paid");
            QCOMPARE(r.value(u"matched").toBool(), condition.value(u"result").toBool());
            if (!r.value(u"matched").toBool()) {
                QVERIFY(!r.contains(u"actions"_qs));
                continue;
            }
            ++matched;
            const QJsonArray actions = r.value(u"actions").toArray();
            QCOMPARE(actions.at(0).toObject().value(u"status").toString(), u"To ship"_qs);
            QCOMPARE(actions.at(1).toObject().value(u"url").toString(),
                     u"http://127.0.0.1:9/o/"_qs + order.value(u"externalId").toString());
        }
        QCOMPARE(report.value(u"matches").toInt(), matched);
        QVERIFY(matched > 0 && matched < 3);
        // Nothing happened: still no job, every order still New.
        auto jobs = cli({u"jobs"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(jobs.exitCode, 0);
        QCOMPARE(jsonArray(jobs.out).size(), 0);
        for (const QJsonValue &o : jsonArray(cli({u"orders"_qs, u"list"_qs, u"--json"_qs}).out))
            QCOMPARE(o.toObject().value(u"status").toString(), u"New"_qs);

        auto text = cli({u"rules"_qs, u"dry-run"_qs, u"--all"_qs});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(u"WOULD FIRE: paid to ship"_qs), qPrintable(text.out));
        QVERIFY(text.out.contains(u"Dry run: 3 orders, %1 matches; nothing was changed."_qs.arg(matched)));

        const QString first = QString::number(results.at(0).toObject().value(u"orderId").toInteger());
        auto trace = cli({u"rules"_qs, u"trace"_qs, first, u"--json"_qs});
        QCOMPARE(trace.exitCode, 0);
        auto traceText = cli({u"rules"_qs, u"trace"_qs, first});
        QCOMPARE(traceText.exitCode, 0);
        QVERIFY(cli({u"rules"_qs, u"trace"_qs}).exitCode == 2);
    }

    void rulesRunAManualRuleOnAnOrder()
    {
        QCOMPARE(cli({u"import-orders"_qs, data("checkout-forms-array.json")}).exitCode, 0);
        const QString file = m_dir.filePath(u"manual.rule.json"_qs);
        QFile rule(file);
        QVERIFY(rule.open(QIODevice::WriteOnly));
        rule.write(R"({"format": "sellerdesk.rule/1", "name": "by hand", "trigger": {"type": "manual"},
            "actions": [{"type": "addTag", "params": {"tag": "by-hand"}},
                        {"type": "setStatus", "params": {"status": "To ship"}}]})");
        rule.close();
        QCOMPARE(cli({u"rules"_qs, u"import"_qs, file}).exitCode, 0);
        const QJsonArray orders = jsonArray(cli({u"orders"_qs, u"list"_qs, u"--json"_qs}).out);
        QCOMPARE(orders.size(), 3);
        const QString id = QString::number(orders.at(0).toObject().value(u"id").toInteger());

        auto run = cli({u"rules"_qs, u"run"_qs, u"1"_qs, u"--order"_qs, id});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(u"rule 1 v1 \"by hand\" on order %1: fired"_qs.arg(id)), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"addTag: done"_qs), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"setStatus: done"_qs), qPrintable(run.out));
        int toShip = 0;
        for (const QJsonValue &o : jsonArray(cli({u"orders"_qs, u"list"_qs, u"--json"_qs}).out))
            toShip += o.toObject().value(u"status").toString() == u"To ship";
        QCOMPARE(toShip, 1);
        auto trace = cli({u"rules"_qs, u"trace"_qs, id});
        QVERIFY2(trace.out.contains(u"Tag \"by-hand\" added."_qs), qPrintable(trace.out));

        // Wrong use: no order; a rule that does not run by hand.
        QCOMPARE(cli({u"rules"_qs, u"run"_qs, u"1"_qs}).exitCode, 2);
        const QString other = m_dir.filePath(u"paid2.rule.json"_qs);
        QFile paid(other);
        QVERIFY(paid.open(QIODevice::WriteOnly));
        paid.write(kPaidRule);
        paid.close();
        QCOMPARE(cli({u"rules"_qs, u"import"_qs, other}).exitCode, 0);
        auto refused = cli({u"rules"_qs, u"run"_qs, u"2"_qs, u"--order"_qs, id});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(u"does not run by hand"_qs), qPrintable(refused.err));
    }

    void rulesReferenceIsTheCommittedFile()
    {
        auto reference = test::runCli({u"rules"_qs, u"reference"_qs});
        QCOMPARE(reference.exitCode, 0);
        const QString committed = QFINDTESTDATA("../../docs/rules.md");
        QVERIFY2(!committed.isEmpty(), "docs/rules.md is missing: sellerdesk-cli rules reference > docs/rules.md");
        QCOMPARE(reference.out, QString::fromUtf8(test::readFile(committed)));
        QVERIFY(reference.out.contains(u"`rule.failed`"_qs));
        QVERIFY(reference.out.contains(u"`callUrl`"_qs));
    }

    void importListShowHistorySetStatus()
    {
        auto imported = cli({u"import-orders"_qs, data("checkout-forms-array.json")});
        QCOMPARE(imported.exitCode, 0);
        QCOMPARE(imported.out.trimmed(), u"new: 3, updated: 0, unchanged: 0, rejected: 0"_qs);
        auto again =
            cli({u"import-orders"_qs, data("checkout-forms-array.json"), data("checkout-form-full-newer.json")});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.out.trimmed(), u"new: 0, updated: 1, unchanged: 3, rejected: 0"_qs);

        auto list = cli({u"orders"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray orders = jsonArray(list.out);
        QCOMPARE(orders.size(), 3);
        QJsonObject kasia;
        for (const QJsonValue &o : orders)
            if (o.toObject().value(u"buyerLogin").toString() == u"kasia_nowak")
                kasia = o.toObject();
        QCOMPARE(kasia.value(u"total").toObject().value(u"amount").toString(), u"273.89"_qs);
        QCOMPARE(kasia.value(u"total").toObject().value(u"currency").toString(), u"PLN"_qs);
        QCOMPARE(kasia.value(u"status").toString(), u"New"_qs);
        QCOMPARE(kasia.value(u"paymentStatus").toString(), u"paid"_qs);

        auto table = cli({u"orders"_qs, u"list"_qs, u"--search"_qs, u"petr"_qs});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains(u"petr_novak"));
        QVERIFY(table.out.contains(u"540.00 CZK"));
        QVERIFY(!table.out.contains(u"kasia_nowak"));

        auto show = cli({u"orders"_qs, u"show"_qs, u"29738e61-7f6a-11e8-ac45-09db60ede9d6"_qs, u"--json"_qs});
        QCOMPARE(show.exitCode, 0);
        const QJsonObject order = jsonObject(show.out);
        const QStringList keys = {u"id"_qs,
                                  u"marketplace"_qs,
                                  u"account"_qs,
                                  u"externalId"_qs,
                                  u"revision"_qs,
                                  u"marketplaceStatus"_qs,
                                  u"fulfillmentStatus"_qs,
                                  u"status"_qs,
                                  u"buyer"_qs,
                                  u"delivery"_qs,
                                  u"payment"_qs,
                                  u"invoice"_qs,
                                  u"items"_qs,
                                  u"adjustments"_qs,
                                  u"shipments"_qs,
                                  u"total"_qs,
                                  u"buyerComment"_qs,
                                  u"notes"_qs,
                                  u"referrers"_qs,
                                  u"tags"_qs,
                                  u"createdAt"_qs,
                                  u"updatedAt"_qs,
                                  u"marketplaceUpdatedAt"_qs};
        QCOMPARE(QStringList(order.keys()).size(), keys.size());
        for (const QString &key : keys)
            QVERIFY2(order.contains(key), qPrintable(key));
        QCOMPARE(order.value(u"revision").toString(), u"9a8b7c6d"_qs);
        QCOMPARE(order.value(u"delivery").toObject().value(u"address").toObject().value(u"street").toString(),
                 u"Ogarna 101"_qs);
        QCOMPARE(
            order.value(u"items").toArray().at(0).toObject().value(u"unitPrice").toObject().value(u"amount").toString(),
            u"89.95"_qs);
        QCOMPARE(order.value(u"invoice").toObject().value(u"nip").toString(), u"5260250274"_qs);
        const qint64 id = order.value(u"id").toInteger();
        QVERIFY(id > 0);

        auto text = cli({u"orders"_qs, u"show"_qs, QString::number(id)});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(u"Nowak-Żółkiewska"));
        QVERIFY(text.out.contains(u"GDA08M"));
        QVERIFY(text.out.contains(u"273.89 PLN"));
        // Text, not the address of a literal (a char16_t literal streamed into QTextStream prints a pointer).
        QVERIFY2(!text.out.contains(u"0x"), qPrintable(text.out));
        QVERIFY2(text.out.contains(QRegularExpression(u"\\n  \\d+ x "_qs)), qPrintable(text.out));

        auto set = cli({u"orders"_qs, u"set-status"_qs, QString::number(id), u"To ship"_qs});
        QCOMPARE(set.exitCode, 0);
        QVERIFY(set.out.contains(u"To ship"));
        auto history = cli({u"orders"_qs, u"history"_qs, QString::number(id), u"--json"_qs});
        QCOMPARE(history.exitCode, 0);
        const QJsonArray entries = jsonArray(history.out);
        QVERIFY(entries.size() >= 3);
        const QJsonObject last = entries.last().toObject();
        QCOMPARE(last.value(u"field").toString(), u"status"_qs);
        QCOMPARE(last.value(u"old").toString(), u"New"_qs);
        QCOMPARE(last.value(u"new").toString(), u"To ship"_qs);
        QVERIFY(last.value(u"actor").toString().startsWith(u"cli"));
        QVERIFY(std::any_of(entries.begin(), entries.end(), [](const QJsonValue &e) {
            return e.toObject().value(u"field").toString() == u"delivery.address.street" &&
                   e.toObject().value(u"new").toString() == u"Ogarna 101";
        }));
        auto informed = cli({u"orders"_qs, u"set-status"_qs, QString::number(id), u"Shipped"_qs, u"--inform"_qs});
        QCOMPARE(informed.exitCode, 0);
        QVERIFY2(informed.out.contains(u"the buyer will be told"), qPrintable(informed.out));
        {
            auto db = storage::Database::openProfile(m_profile);
            SD_VERIFY_OK(db);
            auto jobs = storage::JobQueue(*db).forOrder(id);
            SD_VERIFY_OK(jobs);
            QCOMPARE(jobs->size(), 1); // only the --inform change queued a notification
            QCOMPARE(jobs->at(0).payload.value(u"status").toString(), u"Shipped"_qs);
        }
        QVERIFY(cli({u"orders"_qs, u"set-status"_qs, QString::number(id), u"To ship"_qs}).exitCode == 0);
        auto historyText = cli({u"orders"_qs, u"history"_qs, QString::number(id)});
        QVERIFY(historyText.out.contains(u"New -> To ship"));

        QVERIFY(historyText.out.contains(u"Shipped -> To ship"));
        auto filtered = cli({u"orders"_qs, u"list"_qs, u"--status"_qs, u"To ship"_qs, u"--json"_qs});
        QCOMPARE(jsonArray(filtered.out).size(), 1);

        auto unknown = cli({u"orders"_qs, u"set-status"_qs, QString::number(id), u"Zgubione"_qs});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains(u"There is no status named \"Zgubione\""));
        auto missing = cli({u"orders"_qs, u"show"_qs, u"999999"_qs});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(u"There is no order 999999"));
        auto unknownStatusFilter = cli({u"orders"_qs, u"list"_qs, u"--status"_qs, u"Zgubione"_qs});
        QCOMPARE(unknownStatusFilter.exitCode, 1);
    }

    void badFileReportsEachOrderAndImportsTheRest()
    {
        auto run =
            cli({u"import-orders"_qs, data("checkout-forms-bad-fields.json"), data("checkout-forms-truncated.json")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.out.trimmed(), u"new: 3, updated: 0, unchanged: 2, rejected: 4"_qs);
        QVERIFY(run.err.contains(u"rejected bad00000-0000-4000-8000-00000000000a"));
        QVERIFY(run.err.contains(u"lineItems[0].quantity must be a whole number"));
        QVERIFY(run.err.contains(u"unknown currency \"XYZ\""));
        QVERIFY(run.err.contains(u"cut short"));
        auto list = cli({u"orders"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(jsonArray(list.out).size(), 3);
        auto none = cli({u"import-orders"_qs, m_dir.filePath(u"missing.json"_qs)});
        QCOMPARE(none.exitCode, 1);
        QVERIFY(none.err.contains(u"missing.json"));
    }

    void statusesListAndAdd()
    {
        auto add = cli(
            {u"statuses"_qs, u"add"_qs, u"Czeka na wpłatę"_qs, u"--group"_qs, u"new"_qs, u"--color"_qs, u"#FF8800"_qs});
        QCOMPARE(add.exitCode, 0);
        auto list = cli({u"statuses"_qs, u"list"_qs, u"--json"_qs});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray statuses = jsonArray(list.out);
        QCOMPARE(statuses.size(), 6);
        const QJsonObject added = statuses.last().toObject();
        QCOMPARE(added.value(u"name").toString(), u"Czeka na wpłatę"_qs);
        QCOMPARE(added.value(u"group").toString(), u"new"_qs);
        QCOMPARE(added.value(u"color").toString(), u"#ff8800"_qs);
        auto duplicate = cli({u"statuses"_qs, u"add"_qs, u"Czeka na wpłatę"_qs});
        QCOMPARE(duplicate.exitCode, 1);
        QVERIFY(duplicate.err.contains(u"exists already"));
        auto badColour = cli({u"statuses"_qs, u"add"_qs, u"Inny"_qs, u"--color"_qs, u"blueish"_qs});
        QCOMPARE(badColour.exitCode, 1);
        QVERIFY(badColour.err.contains(u"blueish"));
        auto table = cli({u"statuses"_qs, u"list"_qs});
        QVERIFY(table.out.contains(u"To ship"));
    }

    void wrongDatabaseIsRefusedUntouched()
    {
        QDir().mkpath(m_profile);
        const QString path = m_profile + u"/sellerdesk.sqlite"_qs;
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("PK\x03\x04 this is a zip file, not a database");
        file.close();
        const QByteArray before = test::readFile(path);
        auto run = cli({u"orders"_qs, u"list"_qs});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"not a SellerDesk database"), qPrintable(run.err));
        QCOMPARE(run.err.trimmed().count(u'\n'), 0);
        QCOMPARE(test::readFile(path), before);

        auto url = test::runCli({u"--database"_qs, u"mysql://localhost/shop"_qs, u"orders"_qs, u"list"_qs});
        QCOMPARE(url.exitCode, 1);
        QVERIFY(url.err.contains(u"is not a PostgreSQL address"));
    }

    void demoProfileHasRealisticOrders()
    {
        auto demo = cli({u"demo"_qs, u"--orders"_qs, u"120"_qs});
        QCOMPARE(demo.exitCode, 0);
        auto again = cli({u"demo"_qs, u"--orders"_qs, u"120"_qs});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.out.contains(u"0 new orders"));
        auto list = cli({u"orders"_qs, u"list"_qs, u"--limit"_qs, u"500"_qs, u"--json"_qs});
        const QJsonArray orders = jsonArray(list.out);
        QCOMPARE(orders.size(), 120);
        QSet<QString> statuses;
        for (const QJsonValue &o : orders)
            statuses.insert(o.toObject().value(u"status").toString());
        QVERIFY2(statuses.size() >= 3, qPrintable(QStringList(statuses.values()).join(u", ")));
    }

    void messagesArePolishForAPolishUser()
    {
        auto missing =
            test::runCli({u"--profile"_qs, m_profile, u"orders"_qs, u"show"_qs, u"777"_qs}, u"pl_PL.UTF-8"_qs);
        QCOMPARE(missing.exitCode, 1);
        QCOMPARE(missing.err.trimmed(), u"sellerdesk-cli: błąd: Nie ma zamówienia 777."_qs);
        auto usage = test::runCli({u"--profile"_qs, m_profile, u"frob"_qs}, u"pl_PL.UTF-8"_qs);
        QCOMPARE(usage.exitCode, 2);
        QCOMPARE(usage.err.trimmed(), u"sellerdesk-cli: nieznane polecenie frob (zobacz sellerdesk-cli --help)"_qs);
        auto statuses = test::runCli({u"--profile"_qs, m_profile, u"statuses"_qs, u"list"_qs}, u"pl_PL.UTF-8"_qs);
        QVERIFY2(statuses.out.contains(u"Do wysłania"), qPrintable(statuses.out));
        auto imported =
            test::runCli({u"--profile"_qs, m_profile, u"import-orders"_qs, data("checkout-forms-bad-fields.json")},
                         u"pl_PL.UTF-8"_qs);
        QVERIFY(imported.out.contains(u"nowe: 3, zaktualizowane: 0, bez zmian: 0, odrzucone: 3"));
        QVERIFY2(imported.err.contains(u"pole lineItems[0].quantity musi być liczbą całkowitą"),
                 qPrintable(imported.err));
    }

    void sharedPostgresDatabase()
    {
        SD_REQUIRE_POSTGRES();
        auto url = test::freshPostgresDatabase(u"sd_cli_pg"_qs);
        SD_VERIFY_OK(url);
        auto imported = test::runCli({u"--database"_qs, *url, u"import-orders"_qs, data("checkout-forms-array.json")});
        QCOMPARE(imported.exitCode, 0);
        QCOMPARE(imported.out.trimmed(), u"new: 3, updated: 0, unchanged: 0, rejected: 0"_qs);
        auto set = test::runCli({u"--database"_qs, *url, u"orders"_qs, u"set-status"_qs,
                                 u"5d1f9c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"_qs, u"Shipped"_qs});
        QCOMPARE(set.exitCode, 0);
        auto list = test::runCli(
            {u"--database"_qs, *url, u"orders"_qs, u"list"_qs, u"--status"_qs, u"Shipped"_qs, u"--json"_qs});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(jsonArray(list.out).size(), 1);
        QCOMPARE(jsonArray(list.out).at(0).toObject().value(u"buyerLogin").toString(), u"jan_kowalski"_qs);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
