#include "service/servicestore.h"
#include "servicecasespage.h"
#include "storage/orderstore.h"
#include "testsupport.h"

#include <QComboBox>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QTextBrowser>

using namespace sd;

// The service cases page offscreen: the list with its state filter, due and overdue rows marked, the case with its
// timeline and a button per next state that moves it (the core records it and e-mails the buyer).
class TestServiceCasesPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listFilterTimelineAndNextStates()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"service_page"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        service::ServiceStore cases(orders);
        service::NewServiceCase late;
        late.productName = u"Ekspres"_qs;
        late.buyerName = u"Jan Nowak"_qs;
        late.expectedReturn = QDate::currentDate().addDays(-3);
        auto first = cases.add(late, u"user:anna"_qs);
        SD_VERIFY_OK(first);
        SD_VERIFY_OK(cases.advance(first->id, service::ServiceState::Sent, u"user:anna"_qs));
        service::NewServiceCase today = late;
        today.productName = u"Toster"_qs;
        today.expectedReturn = QDate::currentDate();
        auto second = cases.add(today, u"user:anna"_qs);
        SD_VERIFY_OK(second);
        service::NewServiceCase rejected = late;
        rejected.productName = u"Czajnik"_qs;
        rejected.expectedReturn = {};
        auto third = cases.add(rejected, u"user:anna"_qs);
        SD_VERIFY_OK(third);
        SD_VERIFY_OK(cases.advance(third->id, service::ServiceState::Rejected, u"user:anna"_qs));

        ui::ServiceCasesPage page(fresh->db, u"user:anna"_qs);
        QTableWidget *table = page.table();
        QCOMPARE(table->rowCount(), 2); // open cases only
        auto rowOf = [&](qint64 id) {
            for (int r = 0; r < table->rowCount(); ++r)
                if (table->item(r, 0)->text() == QString::number(id))
                    return r;
            return -1;
        };
        QVERIFY(rowOf(third->id) < 0);
        const QColor overdue = table->item(rowOf(first->id), 1)->background().color();
        const QColor due = table->item(rowOf(second->id), 1)->background().color();
        QVERIFY(overdue.isValid() && due.isValid() && overdue != due);
        QVERIFY(table->item(rowOf(first->id), 1)->toolTip().contains(u"Overdue"_qs));

        page.stateFilter()->setCurrentIndex(page.stateFilter()->findData(u"rejected"_qs));
        QCOMPARE(table->rowCount(), 1);
        page.stateFilter()->setCurrentIndex(page.stateFilter()->findData(QString()));
        QCOMPARE(table->rowCount(), 3);

        QVERIFY(page.selectCase(first->id));
        QVERIFY(page.caseView()->toPlainText().contains(u"Sent to service"_qs));
        QVERIFY(page.caseView()->toPlainText().contains(u"(overdue)"_qs));
        QCOMPARE(page.nextButtons().size(), 1); // sent -> at service only
        auto *next = qobject_cast<QPushButton *>(page.nextButtons().constFirst());
        QVERIFY(next);
        QVERIFY(next->text().contains(u"At service"_qs));
        next->click();
        QVERIFY2(page.message().contains(u"At service"_qs), qPrintable(page.message()));
        QCOMPARE(cases.get(first->id)->state, service::ServiceState::AtService);
        QCOMPARE(page.nextButtons().size(), 3);
        // A closed case offers no next state.
        QVERIFY(page.selectCase(third->id));
        QCOMPARE(page.nextButtons().size(), 1);
        QVERIFY(!qobject_cast<QPushButton *>(page.nextButtons().constFirst()));
        QVERIFY(!page.advanceSelected(service::ServiceState::Sent));
        QVERIFY(!page.message().isEmpty());
    }
};

QTEST_MAIN(TestServiceCasesPage)
#include "tst_servicecasespage.moc"
