#include "messaging/autoresponder.h"
#include "testsupport.h"

#include <QTest>

using namespace sd;
using namespace sd::messaging;

namespace {

// Monday 2026-11-23, local time: the clock the test moves by hand.
QDateTime at(int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2026, 11, 23).addDays(day), QTime(hour, minute));
}

IncomingMessage buyer(const QString &thread, const QString &id, const QDateTime &when, bool first,
                      IncomingMessage::Type type = IncomingMessage::Type::MessageCenter,
                      const QString &account = u"shop-a"_qs)
{
    return {account, type, thread, id, when, first};
}

} // namespace

class TestAutoresponder : public QObject
{
    Q_OBJECT

    struct Sent
    {
        QString key;
        QString thread;
        QString text;
    };

private Q_SLOTS:
    void workingHoursWithHolidays()
    {
        WorkingHours h = WorkingHours::officeHours();
        h.holidays = {QDate(2026, 11, 25)};
        QVERIFY(h.isOpen(at(0, 8))); // Monday 8:00
        QVERIFY(!h.isOpen(at(0, 7, 59)));
        QVERIFY(!h.isOpen(at(0, 16))); // the end is exclusive
        QVERIFY(!h.isOpen(at(2, 10))); // Wednesday, a holiday
        QVERIFY(!h.isOpen(at(5, 10))); // Saturday
        const WorkingHours back = WorkingHours::fromJson(h.toJson());
        QVERIFY(back.isOpen(at(0, 9)) && !back.isOpen(at(2, 9)) && !back.isOpen(at(6, 9)));
    }

    void delayHoursFirstOnlyAndNeverTwice()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"autoresponder"_qs);
        SD_VERIFY_OK(fresh);
        Autoresponder::Settings s;
        s.enabled = true;
        s.text = u"Dziękujemy, odpowiemy wkrótce."_qs;
        s.when = Autoresponder::When::OutsideHours;
        s.firstOnly = true;
        s.delayMinutes = 30;
        s.accounts = {u"shop-a"_qs};
        SD_VERIFY_OK(Autoresponder::save(*fresh->db, s));
        auto loaded = Autoresponder::load(*fresh->db);
        SD_VERIFY_OK(loaded);
        QCOMPARE(loaded->toJson(), s.toJson());
        Autoresponder responder(fresh->db, *loaded);

        QList<Sent> sent;
        auto reply = [&](const QString &key, const IncomingMessage &m, const QString &text) -> Result<void> {
            sent.append({key, m.threadId, text});
            return {};
        };
        const QList<IncomingMessage> inbox = {
            buyer(u"t1"_qs, u"m1"_qs, at(0, 20), true),     // Monday evening: outside hours, first
            buyer(u"t1"_qs, u"m2"_qs, at(0, 20, 5), false), // same thread, not first
            buyer(u"t2"_qs, u"m3"_qs, at(0, 10), true),     // within hours: not answered with "outside"
            buyer(u"t3"_qs, u"m4"_qs, at(0, 21), true, IncomingMessage::Type::Discussion), // discussions off
            buyer(u"t4"_qs, u"m5"_qs, at(0, 21), true, IncomingMessage::Type::MessageCenter, u"shop-b"_qs), // account
        };
        // 20:29: not yet (30 minutes' delay).
        QCOMPARE(*responder.process(inbox, at(0, 20, 29), reply), 0);
        QCOMPARE(sent.size(), 0);
        // 20:30: the first message of t1 is answered, nothing else.
        QCOMPARE(*responder.process(inbox, at(0, 20, 30), reply), 1);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.first().thread, u"t1"_qs);
        QCOMPARE(sent.first().text, s.text);
        // Later calls (a restart, another workstation) never answer again.
        QCOMPARE(*responder.process(inbox, at(1, 9), reply), 0);
        Autoresponder second(fresh->db, *loaded);
        QCOMPARE(*second.process(inbox, at(1, 9), reply), 0);
        QCOMPARE(sent.size(), 1);

        // Every message, within working hours, 15 minutes, discussions too.
        s.when = Autoresponder::When::WorkingHours;
        s.firstOnly = false;
        s.delayMinutes = 15;
        s.discussions = true;
        s.accounts.clear();
        Autoresponder every(fresh->db, s);
        const QList<IncomingMessage> day = {
            buyer(u"t5"_qs, u"a"_qs, at(1, 9), true), buyer(u"t5"_qs, u"b"_qs, at(1, 9, 10), false),
            buyer(u"t6"_qs, u"c"_qs, at(1, 15, 50), true, IncomingMessage::Type::Discussion, u"shop-b"_qs),
            buyer(u"t7"_qs, u"d"_qs, at(1, 17), true), // after hours
        };
        QCOMPARE(*every.process(day, at(1, 9, 20), reply), 1);  // a (9:15); b is due at 9:25
        QCOMPARE(*every.process(day, at(1, 16, 10), reply), 2); // b and c (answered after closing: written within)
        QCOMPARE(*every.process(day, at(2, 12), reply), 0);
        QCOMPARE(sent.size(), 4);

        // A failed reply is tried again on the next call, once.
        Autoresponder retry(fresh->db, s);
        int calls = 0;
        auto flaky = [&](const QString &, const IncomingMessage &, const QString &) -> Result<void> {
            if (++calls == 1)
                return makeError(Error::Code::Io, u"down"_qs);
            return {};
        };
        const QList<IncomingMessage> one = {buyer(u"t8"_qs, u"e"_qs, at(3, 10), true)};
        QCOMPARE(*retry.process(one, at(3, 11), flaky), 0);
        QCOMPARE(*retry.process(one, at(3, 12), flaky), 1);
        QCOMPARE(*retry.process(one, at(3, 13), flaky), 0);
        QCOMPARE(calls, 2);
    }

    void disabledOrEmptyAnswersNothing()
    {
        Autoresponder::Settings s;
        s.text = u"x"_qs;
        Autoresponder off(nullptr, s);
        QVERIFY(!off.replyAt(buyer(u"t"_qs, u"m"_qs, at(0, 20), true)));
        s.enabled = true;
        s.text.clear();
        Autoresponder empty(nullptr, s);
        QVERIFY(!empty.replyAt(buyer(u"t"_qs, u"m"_qs, at(0, 20), true)));
        s.text = u"x"_qs;
        s.delayMinutes = 60;
        Autoresponder on(nullptr, s);
        QCOMPARE(*on.replyAt(buyer(u"t"_qs, u"m"_qs, at(0, 20), true)), at(0, 21));
    }
};

QTEST_GUILESS_MAIN(TestAutoresponder)
#include "tst_autoresponder.moc"
