#include "access/session.h"
#include "inventory/inventorystore.h"
#include "money/lossguard.h"
#include "money/moneysettings.h"
#include "money/profitservice.h"
#include "money/salesreport.h"
#include "scanning/packingsession.h"
#include "storage/statuschange.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QTest>

using namespace sd;

// The permissions issue 13 defines and issue 12's money needs, enforced in the core whatever the caller: see profit
// (profit per order and in the list, reports' profit), change status (every change through OrderStore::apply),
// pack (the packing station), manage settings (money, messaging, documents, inventory settings).
class TestPermissions : public QObject
{
    Q_OBJECT

    test::TempDatabase m_db;
    std::unique_ptr<storage::OrderStore> m_store;
    qint64 m_order = 0;

    static access::Role role(const QString &name)
    {
        for (const access::Role &r : access::builtinRoles())
            if (r.name == name)
                return r;
        return {};
    }
    static void as(const QString &user, const access::Role &r)
    {
        access::Session::setCurrent(access::Session::forRole(user, r));
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"permissions"_qs);
        SD_VERIFY_OK(fresh);
        m_db = *fresh;
        m_store = std::make_unique<storage::OrderStore>(m_db.db);
        auto created =
            m_store->apply(storage::OrderChange::create(test::sampleOrder(u"PERM-1"_qs), {u"test"_qs, {}, 0}));
        SD_VERIFY_OK(created);
        m_order = created->orderId;
    }
    void cleanup() { access::Session::setCurrent(access::Session::implicitAdministrator()); }

    void packerSeesNoProfit()
    {
        as(u"piotr"_qs, role(u"packer"_qs));
        money::ProfitService profits(m_db.db);
        auto one = profits.profit(m_order);
        QVERIFY(!one);
        QCOMPARE(one.error().code, Error::Code::Forbidden);
        QVERIFY2(one.error().userMessage.contains(u"piotr"_qs), qPrintable(one.error().userMessage));
        QVERIFY(!profits.profits({m_order}));
        // The loss guard's holds show profits too.
        QCOMPARE(money::LossGuard(m_db.db).holds().error().code, Error::Code::Forbidden);
        // The report still shows the sales; every profit figure is gone, in the JSON and the CSV too.
        const QDate today = QDate::currentDate();
        auto report = money::SalesReport::build(m_db.db, today.addDays(-400), today.addDays(1),
                                                money::SalesReport::Period::Month);
        SD_VERIFY_OK(report);
        QVERIFY(report->profitHidden);
        QCOMPARE(report->total.orders, 1);
        QVERIFY(report->total.revenueGross > 0);
        QCOMPARE(report->total.profit, 0);
        QVERIFY(!report->toJson().value(u"total"_qs).toObject().contains(u"profit"_qs));
        QVERIFY(!report->toCsv().contains("profit"));
        // The office sees it, figures and all.
        as(u"olga"_qs, role(u"office"_qs));
        auto seen = profits.profit(m_order);
        SD_VERIFY_OK(seen);
        auto full = money::SalesReport::build(m_db.db, today.addDays(-400), today.addDays(1),
                                              money::SalesReport::Period::Month);
        SD_VERIFY_OK(full);
        QVERIFY(!full->profitHidden);
        QCOMPARE(full->total.profit, seen->profit);
        QVERIFY(full->toJson().value(u"total"_qs).toObject().contains(u"profit"_qs));
    }

    void changeStatusNeedsThePermission()
    {
        // A custom role that may pack but not change statuses.
        access::Role packOnly{u"packing-only"_qs, quint32(access::Permission::Pack), false};
        as(u"ewa"_qs, packOnly);
        auto refused = m_store->apply(storage::OrderChange::setStatus(m_order, u"Shipped"_qs, {u"user:ewa"_qs, {}, 0}));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::Forbidden);
        QCOMPARE(m_store->load(m_order)->status, u"New"_qs);
        // The bulk action goes the same way.
        const storage::StatusChangeReport bulk =
            storage::changeStatus(*m_store, {m_order}, u"Shipped"_qs, false, {u"user:ewa"_qs, {}, 0});
        QCOMPARE(bulk.changed, 0);
        QCOMPARE(bulk.failed.size(), 1);
        QCOMPARE(m_store->load(m_order)->status, u"New"_qs);
        // Other edits are still allowed; rules (whoever saved them) pass.
        SD_VERIFY_OK(m_store->apply(storage::OrderChange::update(m_order,
                                                                 [](domain::Order &o) -> Result<void> {
                                                                     o.notes = u"Uwaga: kruche"_qs;
                                                                     return {};
                                                                 },
                                                                 {u"user:ewa"_qs, {}, 0})));
        auto byRule = m_store->apply(storage::OrderChange::setStatus(m_order, u"To ship"_qs, {u"rule:1"_qs, {}, 1}));
        SD_VERIFY_OK(byRule);
        // A packer may.
        as(u"piotr"_qs, role(u"packer"_qs));
        SD_VERIFY_OK(m_store->apply(storage::OrderChange::setStatus(m_order, u"New"_qs, {u"user:piotr"_qs, {}, 0})));
    }

    void packingAndSettingsNeedTheirPermissions()
    {
        access::Role office = role(u"office"_qs);
        office.permissions &= ~quint32(access::Permission::Pack);
        as(u"olga"_qs, office);
        auto packing = scanning::PackingSession::open(*m_store, m_order, {u"user:olga"_qs, {}, 0});
        QVERIFY(!packing);
        QCOMPARE(packing.error().code, Error::Code::Forbidden);
        auto settings = money::MoneySettings::load(*m_db.db);
        SD_VERIFY_OK(settings);
        auto saved = settings->save(*m_db.db);
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, Error::Code::Forbidden);
        as(u"anna"_qs, role(u"administrator"_qs));
        SD_VERIFY_OK(settings->save(*m_db.db));
    }
};

QTEST_GUILESS_MAIN(TestPermissions)
#include "tst_permissions.moc"
