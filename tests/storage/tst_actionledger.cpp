#include "storage/actionledger.h"
#include "testsupport.h"

#include <atomic>
#include <future>

using namespace sd;
using namespace sd::storage;

class TestActionLedger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void claimOnceCompleteOnce_data() { test::addEngineRows(); }
    void claimOnceCompleteOnce()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_ledger_once"_qs);
        SD_VERIFY_OK(fresh);
        ActionLedger ledger(fresh->db);
        const QString key = ActionLedger::key(u"rule:7"_qs, u"send-email"_qs, 42, 1001);
        QCOMPARE(key, u"rule:7/send-email/order:42/event:1001"_qs);

        auto first = ledger.claim(key, u"send-email"_qs, 42, u"ws-1"_qs);
        SD_VERIFY_OK(first);
        QCOMPARE(*first, ActionLedger::Claim::Claimed);
        auto second = ledger.claim(key, u"send-email"_qs, 42, u"ws-2"_qs);
        SD_VERIFY_OK(second);
        QCOMPARE(*second, ActionLedger::Claim::InProgress);

        SD_VERIFY_OK(ledger.complete(key, QJsonObject{{u"messageId"_qs, u"<abc@x>"_qs}}));
        auto third = ledger.claim(key, u"send-email"_qs, 42, u"ws-2"_qs);
        SD_VERIFY_OK(third);
        QCOMPARE(*third, ActionLedger::Claim::AlreadyDone);
        auto retry = ledger.claimRetry(key, u"ws-2"_qs);
        SD_VERIFY_OK(retry);
        QCOMPARE(*retry, ActionLedger::Claim::AlreadyDone);

        auto entry = ledger.find(key);
        SD_VERIFY_OK(entry);
        QVERIFY(entry->has_value());
        QCOMPARE((*entry)->state, ActionLedger::State::Done);
        QCOMPARE((*entry)->owner, u"ws-1"_qs);
        QCOMPARE((*entry)->attempts, 1);
        QCOMPARE((*entry)->result.value(u"messageId").toString(), u"<abc@x>"_qs);
    }

    void failedActionIsRetriedByOneClaimant_data() { test::addEngineRows(); }
    void failedActionIsRetriedByOneClaimant()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_ledger_retry"_qs);
        SD_VERIFY_OK(fresh);
        ActionLedger ledger(fresh->db);
        const QString key = u"rule:1/print-label/order:5/event:9"_qs;
        QCOMPARE(*ledger.claim(key, u"print-label"_qs, 5, u"ws-1"_qs), ActionLedger::Claim::Claimed);
        SD_VERIFY_OK(ledger.fail(key, u"printer offline"_qs));
        QCOMPARE(*ledger.claim(key, u"print-label"_qs, 5, u"ws-2"_qs), ActionLedger::Claim::FailedBefore);
        QCOMPARE(*ledger.claimRetry(key, u"ws-2"_qs), ActionLedger::Claim::Claimed);
        QCOMPARE(*ledger.claimRetry(key, u"ws-3"_qs), ActionLedger::Claim::InProgress);
        auto entry = ledger.find(key);
        QCOMPARE((*entry)->attempts, 2);
        QCOMPARE((*entry)->owner, u"ws-2"_qs);
        QVERIFY(!ledger.complete(u"no-such-key"_qs, {}).ok());
    }

    void manyClaimantsAtOnceGetOneWinner_data() { test::addEngineRows(); }
    void manyClaimantsAtOnceGetOneWinner()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres")
            SD_REQUIRE_POSTGRES();
        auto fresh = test::openFresh(engine, u"sd_ledger_race"_qs);
        SD_VERIFY_OK(fresh);
        auto db = fresh->db;
        std::atomic<int> winners = 0;
        std::atomic<int> errors = 0;
        std::vector<std::future<void>> workers;
        for (int w = 0; w < 6; ++w) {
            workers.push_back(std::async(std::launch::async, [db, w, &winners, &errors] {
                ActionLedger ledger(db);
                for (int k = 0; k < 20; ++k) {
                    auto claim = ledger.claim(u"invoice/order:"_qs + QString::number(k), u"issue-invoice"_qs, k,
                                              u"ws-"_qs + QString::number(w));
                    if (!claim.ok())
                        ++errors;
                    else if (*claim == ActionLedger::Claim::Claimed)
                        ++winners;
                }
                db->closeThreadConnection();
            }));
        }
        for (auto &worker : workers)
            worker.get();
        QCOMPARE(errors.load(), 0);
        QCOMPARE(winners.load(), 20);
    }
};

QTEST_GUILESS_MAIN(TestActionLedger)
#include "tst_actionledger.moc"
