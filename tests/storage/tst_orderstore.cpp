#include "storage/catalogstore.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlQuery>

using namespace sd;
using namespace sd::storage;

class TestOrderStore : public QObject
{
    Q_OBJECT

private:
    test::TempDatabase m_fresh;
    std::unique_ptr<OrderStore> m_store;
    int m_counter = 0;

    int rows(const QString &table)
    {
        QSqlQuery q(m_fresh.db->connection());
        if (!q.exec(u"SELECT COUNT(*) FROM "_qs + table) || !q.next())
            return -1;
        return q.value(0).toInt();
    }

    // Makes every insert into table fail, as a crash or a full disk would, in the middle of apply().
    void injectFailure(const QString &table)
    {
        QSqlQuery q(m_fresh.db->connection());
        if (m_fresh.db->isPostgres()) {
            QVERIFY(q.exec(u"CREATE OR REPLACE FUNCTION sd_test_fail() RETURNS trigger AS $$ BEGIN "
                           "RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql"_qs));
            QVERIFY(q.exec(u"CREATE TRIGGER sd_test_fail BEFORE INSERT ON "_qs + table +
                           u" FOR EACH ROW EXECUTE FUNCTION sd_test_fail()"_qs));
        } else {
            QVERIFY(q.exec(u"CREATE TRIGGER sd_test_fail BEFORE INSERT ON "_qs + table +
                           u" BEGIN SELECT RAISE(ABORT, 'injected failure'); END"_qs));
        }
    }

    bool openEngine()
    {
        QFETCH(QString, engine);
        if (engine == u"postgres" && test::postgresBaseUrl().isEmpty())
            return false;
        m_store.reset();
        auto fresh = test::openFresh(engine, u"sd_store_"_qs + QString::number(++m_counter));
        if (!fresh.ok()) {
            qWarning() << fresh.error().text();
            return false;
        }
        m_fresh = *fresh;
        m_store = std::make_unique<OrderStore>(m_fresh.db);
        return true;
    }

    qint64 createSample(const QString &externalId = u"EXT-1"_qs)
    {
        auto created =
            m_store->apply(OrderChange::create(test::sampleOrder(externalId), {u"user:anna"_qs, u"manual"_qs, 0}));
        return created.ok() ? created->orderId : 0;
    }

#define SD_OPEN_ENGINE()                                                                                               \
    do {                                                                                                               \
        QFETCH(QString, engine);                                                                                       \
        if (engine == u"postgres")                                                                                     \
            SD_REQUIRE_POSTGRES();                                                                                     \
        QVERIFY(openEngine());                                                                                         \
    } while (false)

private Q_SLOTS:
    void cleanup()
    {
        m_store.reset();
        m_fresh = {};
    }

    void createWritesOrderHistoryAndEvent_data()
    {
        test::addEngineRows();
    }
    void createWritesOrderHistoryAndEvent()
    {
        SD_OPEN_ENGINE();
        QSignalSpy changed(m_store.get(), &OrderStore::ordersChanged);
        const domain::Order sample = test::sampleOrder(u"EXT-1"_qs);
        auto created = m_store->apply(OrderChange::create(sample, {u"user:anna"_qs, u"manual"_qs, 2}));
        SD_VERIFY_OK(created);
        QVERIFY(created->created);
        QVERIFY(created->orderId > 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QList<qint64>>(), QList<qint64>{created->orderId});

        auto loaded = m_store->load(created->orderId);
        SD_VERIFY_OK(loaded);
        QCOMPARE(loaded->status, u"New"_qs);
        domain::Order expected = sample;
        expected.id = created->orderId;
        expected.status = loaded->status;
        expected.updatedAt = loaded->updatedAt;
        QCOMPARE(loaded->toJson(), expected.toJson());

        auto history = m_store->history(created->orderId);
        SD_VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->at(0).actor, u"user:anna"_qs);
        QCOMPARE(history->at(0).field, u"order"_qs);
        QCOMPARE(history->at(0).newValue, u"manual"_qs);

        auto events = m_store->eventsAfter(0);
        SD_VERIFY_OK(events);
        QCOMPARE(events->size(), 1);
        QCOMPARE(events->at(0).type, QString::fromLatin1(EventType::kOrderCreated));
        QCOMPARE(events->at(0).orderId, created->orderId);
        QCOMPARE(events->at(0).causeDepth, 2);
        QCOMPARE(events->at(0).id, history->at(0).eventId);
        QCOMPARE(rows(u"order_items"_qs), 1);
    }

    void documentHoldsOnlyWhatTheColumnsDoNot_data()
    {
        test::addEngineRows();
    }
    void documentHoldsOnlyWhatTheColumnsDoNot()
    {
        SD_OPEN_ENGINE();
        // Text beyond ASCII, a surrogate pair included, comes back from the columns as it went in.
        domain::Order sample = test::sampleOrder(u"EXT-7"_qs);
        sample.buyer.login = u"żółw_42"_qs;
        sample.items[0].name = u"Czajnik Łódź \U0001F600"_qs;
        auto created = m_store->apply(OrderChange::create(sample, {u"user:anna"_qs, u"manual"_qs, 0}));
        SD_VERIFY_OK(created);
        const qint64 id = created->orderId;
        auto loaded = m_store->load(id);
        SD_VERIFY_OK(loaded);
        QCOMPARE(loaded->buyer.login, sample.buyer.login);
        QCOMPARE(loaded->items.at(0).name, sample.items.at(0).name);
        QSqlQuery q(m_fresh.db->connection());
        QVERIFY(q.prepare(u"SELECT doc FROM orders WHERE id = ?"_qs));
        q.addBindValue(id);
        QVERIFY(q.exec() && q.next());
        const QString doc = q.value(0).toString();
        q.finish();
        QVERIFY2(!doc.contains(u"EXT-7") && !doc.contains(u"Czajnik") && !doc.contains(u"createdAt"), qPrintable(doc));

        // A document written before it was trimmed holds everything, and loads the same.
        QVERIFY(q.prepare(u"UPDATE orders SET doc = ? WHERE id = ?"_qs));
        const QByteArray full = loaded->toCompactJson();
        q.addBindValue(m_fresh.db->isPostgres() ? QVariant(QString::fromUtf8(full)) : QVariant(full));
        q.addBindValue(id);
        QVERIFY(q.exec());
        auto again = m_store->load(id);
        SD_VERIFY_OK(again);
        QCOMPARE(again->toJson(), loaded->toJson());
    }

    void updateRecordsEveryChangedField_data()
    {
        test::addEngineRows();
    }
    void updateRecordsEveryChangedField()
    {
        SD_OPEN_ENGINE();
        const qint64 id = createSample();
        QVERIFY(id > 0);
        auto updated = m_store->apply(OrderChange::update(id,
                                                          [](domain::Order &o) -> Result<void> {
                                                              o.buyer.email = u"anna.w@example.com"_qs;
                                                              o.delivery.address.street = u"Ogarna 7"_qs;
                                                              return {};
                                                          },
                                                          {u"user:bartek"_qs, u"phone call"_qs, 0}));
        SD_VERIFY_OK(updated);
        QCOMPARE(updated->changedFields, (QStringList{u"buyer.email"_qs, u"delivery.address.street"_qs}));

        auto history = m_store->history(id);
        SD_VERIFY_OK(history);
        QCOMPARE(history->size(), 3);
        QCOMPARE(history->at(1).field, u"buyer.email"_qs);
        QCOMPARE(history->at(1).oldValue, u"ania@example.com"_qs);
        QCOMPARE(history->at(1).newValue, u"anna.w@example.com"_qs);
        QCOMPARE(history->at(1).actor, u"user:bartek"_qs);
        QCOMPARE(history->at(2).field, u"delivery.address.street"_qs);
        QCOMPARE(history->at(2).oldValue, u"Długa 1"_qs);
        QCOMPARE(history->at(2).newValue, u"Ogarna 7"_qs);

        auto events = m_store->eventsAfter(0);
        SD_VERIFY_OK(events);
        QCOMPARE(events->size(), 3);
        QCOMPARE(events->at(1).type, QString::fromLatin1(EventType::kOrderUpdated));
        QCOMPARE(events->at(1).payload.value(u"fields").toArray().size(), 2);
        QCOMPARE(events->at(2).type, QString::fromLatin1(EventType::kDeliveryChanged));
        QCOMPARE(m_store->load(id)->delivery.address.street, u"Ogarna 7"_qs);
    }

    void statusChangeEmitsItsEvent_data()
    {
        test::addEngineRows();
    }
    void statusChangeEmitsItsEvent()
    {
        SD_OPEN_ENGINE();
        const qint64 id = createSample();
        auto changed = m_store->apply(OrderChange::setStatus(id, u"To ship"_qs, {u"user:anna"_qs, {}, 0}));
        SD_VERIFY_OK(changed);
        QCOMPARE(changed->changedFields, QStringList{u"status"_qs});
        auto events = m_store->eventsAfter(1);
        SD_VERIFY_OK(events);
        QCOMPARE(events->size(), 2);
        QCOMPARE(events->at(1).type, QString::fromLatin1(EventType::kStatusChanged));
        QCOMPARE(events->at(1).payload.value(u"from").toString(), u"New"_qs);
        QCOMPARE(events->at(1).payload.value(u"to").toString(), u"To ship"_qs);
        auto history = m_store->history(id);
        QCOMPARE(history->last().field, u"status"_qs);
        QCOMPARE(history->last().oldValue, u"New"_qs);
        QCOMPARE(history->last().newValue, u"To ship"_qs);
        QCOMPARE(m_store->load(id)->status, u"To ship"_qs);
        auto list = m_store->list({u"To ship"_qs, {}, 10});
        SD_VERIFY_OK(list);
        QCOMPARE(list->size(), 1);
        QCOMPARE(list->at(0).id, id);
    }

    void changeThatChangesNothingWritesNothing_data()
    {
        test::addEngineRows();
    }
    void changeThatChangesNothingWritesNothing()
    {
        SD_OPEN_ENGINE();
        const qint64 id = createSample();
        QSignalSpy changed(m_store.get(), &OrderStore::ordersChanged);
        auto same = m_store->apply(OrderChange::setStatus(id, u"New"_qs, {u"user:anna"_qs, {}, 0}));
        SD_VERIFY_OK(same);
        QVERIFY(same->changedFields.isEmpty());
        QVERIFY(same->eventIds.isEmpty());
        QCOMPARE(rows(u"order_history"_qs), 1);
        QCOMPARE(rows(u"events"_qs), 1);
        QCOMPARE(changed.count(), 0);
    }

    void refusedChangesWriteNothing_data()
    {
        test::addEngineRows();
    }
    void refusedChangesWriteNothing()
    {
        SD_OPEN_ENGINE();
        const qint64 id = createSample();
        auto unknown = m_store->apply(OrderChange::setStatus(id, u"Nie ma takiego"_qs, {u"user:anna"_qs, {}, 0}));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, Error::Code::NotFound);
        auto mutationError = m_store->apply(OrderChange::update(id,
                                                                [](domain::Order &o) -> Result<void> {
                                                                    o.notes = u"half done"_qs;
                                                                    return makeError(Error::Code::Invalid, u"stop"_qs);
                                                                },
                                                                {u"user:anna"_qs, {}, 0}));
        QVERIFY(!mutationError.ok());
        auto invalid = m_store->apply(OrderChange::update(id,
                                                          [](domain::Order &o) -> Result<void> {
                                                              o.items.clear();
                                                              return {};
                                                          },
                                                          {u"user:anna"_qs, {}, 0}));
        QVERIFY(!invalid.ok());
        QCOMPARE(invalid.error().code, Error::Code::Invalid);
        auto noActor = m_store->apply(OrderChange::setStatus(id, u"To ship"_qs, {}));
        QVERIFY(!noActor.ok());
        QCOMPARE(rows(u"order_history"_qs), 1);
        QCOMPARE(rows(u"events"_qs), 1);
        QCOMPARE(m_store->load(id)->notes, QString());
        QCOMPARE(m_store->load(id)->items.size(), 1);
    }

    void failureInsideCreateLeavesNothing_data()
    {
        test::addEngineRows();
    }
    void failureInsideCreateLeavesNothing()
    {
        SD_OPEN_ENGINE();
        injectFailure(u"events"_qs);
        auto created = m_store->apply(OrderChange::create(test::sampleOrder(u"EXT-9"_qs), {u"user:anna"_qs, {}, 0}));
        QVERIFY(!created.ok());
        QVERIFY2(created.error().detail.contains(u"injected failure"), qPrintable(created.error().text()));
        QCOMPARE(rows(u"orders"_qs), 0);
        QCOMPARE(rows(u"order_items"_qs), 0);
        QCOMPARE(rows(u"order_history"_qs), 0);
        QCOMPARE(rows(u"events"_qs), 0);
        QCOMPARE(m_fresh.db->transactionDepth(), 0);
    }

    void failureInsideUpdateLeavesTheOrderAsItWas_data()
    {
        test::addEngineRows();
    }
    void failureInsideUpdateLeavesTheOrderAsItWas()
    {
        SD_OPEN_ENGINE();
        const qint64 id = createSample();
        injectFailure(u"order_history"_qs);
        auto changed = m_store->apply(OrderChange::setStatus(id, u"Shipped"_qs, {u"user:anna"_qs, {}, 0}));
        QVERIFY(!changed.ok());
        QCOMPARE(m_store->load(id)->status, u"New"_qs);
        QCOMPARE(rows(u"order_history"_qs), 1);
        QCOMPARE(rows(u"events"_qs), 1);
    }

    void oneFailedOrderInABatchDoesNotTakeTheOthers_data()
    {
        test::addEngineRows();
    }
    void oneFailedOrderInABatchDoesNotTakeTheOthers()
    {
        SD_OPEN_ENGINE();
        QSignalSpy changed(m_store.get(), &OrderStore::ordersChanged);
        SD_VERIFY_OK(m_fresh.db->begin("batch"));
        QVERIFY(createSample(u"B-1"_qs) > 0);
        domain::Order broken = test::sampleOrder(u"B-2"_qs);
        broken.status = u"Nie ma takiego"_qs;
        QVERIFY(!m_store->apply(OrderChange::create(broken, {u"test"_qs, {}, 0})).ok());
        QVERIFY(createSample(u"B-3"_qs) > 0);
        QCOMPARE(changed.count(), 0); // not before the commit
        SD_VERIFY_OK(m_fresh.db->commit("batch"));
        QCOMPARE(rows(u"orders"_qs), 2);
        QCOMPARE(rows(u"events"_qs), 2);
        QCOMPARE(rows(u"order_history"_qs), 2);
    }

    void eventsComeInOrderAfterACursor_data()
    {
        test::addEngineRows();
    }
    void eventsComeInOrderAfterACursor()
    {
        SD_OPEN_ENGINE();
        for (int i = 0; i < 5; ++i)
            QVERIFY(createSample(u"E-"_qs + QString::number(i)) > 0);
        auto all = m_store->eventsAfter(0);
        SD_VERIFY_OK(all);
        QCOMPARE(all->size(), 5);
        for (qsizetype i = 1; i < all->size(); ++i)
            QVERIFY(all->at(i).id > all->at(i - 1).id);
        auto later = m_store->eventsAfter(all->at(2).id);
        SD_VERIFY_OK(later);
        QCOMPARE(later->size(), 2);
        QCOMPARE(later->at(0).id, all->at(3).id);
    }

    void tagsNotesAndSearch_data()
    {
        test::addEngineRows();
    }
    void tagsNotesAndSearch()
    {
        SD_OPEN_ENGINE();
        const qint64 first = createSample(u"ORDER-AAA"_qs);
        domain::Order other = test::sampleOrder(u"ORDER-BBB"_qs);
        other.buyer.login = u"zbyszek77"_qs;
        other.items[0].name = u"Lampka nocna LED"_qs;
        other.items[0].sku = u"LMP-9"_qs;
        other.tags = {u"VIP"_qs};
        auto second = m_store->apply(OrderChange::create(other, {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(second);
        QCOMPARE(rows(u"tags"_qs), 1);
        QCOMPARE(rows(u"order_tags"_qs), 1);

        SD_VERIFY_OK(m_store->apply(OrderChange::update(first,
                                                        [](domain::Order &o) -> Result<void> {
                                                            o.tags = {u"VIP"_qs, u"Gratis"_qs};
                                                            o.notes = u"Dołożyć próbkę"_qs;
                                                            return {};
                                                        },
                                                        {u"user:anna"_qs, {}, 0})));
        QCOMPARE(rows(u"tags"_qs), 2);
        QCOMPARE(rows(u"order_tags"_qs), 3);
        QCOMPARE(m_store->load(first)->tags, (QStringList{u"VIP"_qs, u"Gratis"_qs}));

        auto byLogin = m_store->list({{}, u"ZBYSZ"_qs, 10});
        SD_VERIFY_OK(byLogin);
        QCOMPARE(byLogin->size(), 1);
        QCOMPARE(byLogin->at(0).id, second->orderId);
        QCOMPARE(m_store->list({{}, u"lmp-9"_qs, 10})->size(), 1);
        QCOMPARE(m_store->list({{}, u"lampka"_qs, 10})->size(), 1);
        QCOMPARE(m_store->list({{}, u"ORDER-AAA"_qs, 10})->at(0).id, first);
        QCOMPARE(m_store->list({{}, u"100%_"_qs, 10})->size(), 0);
        QCOMPARE(m_store->list({{}, {}, 10})->size(), 2);

        auto resolved = m_store->resolve(u"ORDER-BBB"_qs);
        SD_VERIFY_OK(resolved);
        QCOMPARE(*resolved, second->orderId);
        QCOMPARE(*m_store->resolve(QString::number(first)), first);
        auto missing = m_store->resolve(u"nope"_qs);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, Error::Code::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestOrderStore)
#include "tst_orderstore.moc"
