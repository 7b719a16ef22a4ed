#include "documentfixtures.h"
#include "documentlistmodel.h"
#include "documents/documentservice.h"
#include "documentsettingsdialog.h"
#include "documentspage.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>

using namespace sd;
using namespace sd::documents;

class TestDocumentsPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsFiltersAndShowsDocuments()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_doc_page"_qs);
        SD_VERIFY_OK(fresh);
        storage::OrderStore orders(fresh->db);
        DocumentService service(orders);
        SD_VERIFY_OK(service.settings().setCompany(test::sampleCompany()));
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            auto created = orders.apply(storage::OrderChange::create(
                test::companyOrder(u"P-%1"_qs.arg(i), {test::item(u"Kubek"_qs, 1, 2460 + i, u"23"_qs)}, 0),
                {u"test"_qs, {}, 0}));
            SD_VERIFY_OK(created);
            IssueRequest request;
            request.orderId = created->orderId;
            auto doc = service.issueForOrder(request, {u"test"_qs, {}, 0});
            SD_VERIFY_OK(doc);
            ids.append(doc->id);
        }
        SD_VERIFY_OK(KsefDocumentsHelper(service).reject(ids.at(1)));

        ui::DocumentsPage page(fresh->db);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(page.model()->rowCount(), 3);
        QCOMPARE(page.model()->index(0, ui::DocumentListModel::Number).data().toString(),
                 u"FV/3/"_qs + QDate::currentDate().toString(u"MM/yyyy"_qs));
        QCOMPARE(page.model()->index(1, ui::DocumentListModel::State).data().toString(),
                 stateLabel(DocumentState::Rejected));
        QCOMPARE(page.model()->index(1, ui::DocumentListModel::State).data(Qt::ToolTipRole).toString(), u"450: bad"_qs);
        // The search narrows the list.
        auto *search = page.findChild<QLineEdit *>();
        QVERIFY(search);
        search->setText(u"FV/2/"_qs);
        QCOMPARE(page.model()->rowCount(), 1);
        search->clear();
        QCOMPARE(page.model()->rowCount(), 3);
        // The selected invoice can be corrected; a rejected one cannot.
        page.selectDocument(ids.at(0));
        QPushButton *correct = nullptr;
        for (auto *b : page.findChildren<QPushButton *>())
            if (b->text().contains(u"Correct"))
                correct = b;
        QVERIFY(correct);
        QVERIFY(correct->isEnabled());
        // The preview shows the page with its print on white paper (not a blank sheet), at the pane's width.
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QImage preview = page.previewImage();
        QVERIFY2(preview.width() > 300, qPrintable(QString::number(preview.width())));
        QVERIFY(!preview.isNull());
        int ink = 0;
        for (int y = 0; y < preview.height(); ++y)
            for (int x = 0; x < preview.width(); ++x)
                ink += qGray(preview.pixel(x, y)) < 100;
        QVERIFY2(ink > 500 && ink < preview.width() * preview.height() / 4, qPrintable(QString::number(ink)));
        page.selectDocument(ids.at(1));
        QVERIFY(!correct->isEnabled());
        QVERIFY(!page.grab().isNull());
    }

    void settingsDialogNamesBadInputAndKeepsIt()
    {
        auto fresh = test::openFresh(u"sqlite"_qs, u"sd_doc_settings_ui"_qs);
        SD_VERIFY_OK(fresh);
        ui::DocumentSettingsDialog dialog(fresh->db);
        QVERIFY(!dialog.save()); // empty company
        QVERIFY(!dialog.message().isEmpty());
        const QList<QLineEdit *> edits = dialog.findChildren<QLineEdit *>();
        auto edit = [&](const QString &placeholder) -> QLineEdit * {
            for (QLineEdit *e : edits)
                if (e->placeholderText() == placeholder)
                    return e;
            return nullptr;
        };
        QLineEdit *nip = edit(u"123-456-32-18"_qs);
        QVERIFY(nip);
        nip->setText(u"111"_qs);
        QVERIFY(!dialog.save());
        QCOMPARE(nip->text(), u"111"_qs); // what was typed stays
        // A series with a pattern that would repeat numbers is refused; a good one is added.
        QLineEdit *name = edit(u"ALG"_qs);
        QLineEdit *pattern = edit(u"ALG/{n}/{MM}/{YYYY}"_qs);
        name->setText(u"ALG"_qs);
        pattern->setText(u"ALG/{n}"_qs);
        QVERIFY(!dialog.addSeries());
        QVERIFY(dialog.message().contains(u"{YYYY}"));
        pattern->setText(u"ALG/{n}/{MM}/{YYYY}"_qs);
        QVERIFY(dialog.addSeries());
        QCOMPARE(SeriesStore(fresh->db).find(u"ALG"_qs)->pattern, u"ALG/{n}/{MM}/{YYYY}"_qs);
    }

private:
    struct KsefDocumentsHelper
    {
        DocumentService &service;
        Result<Document> reject(qint64 id)
        {
            return service.store().move(id, DocumentState::Rejected, {u"ksef"_qs, {}, 0}, u"450: bad"_qs);
        }
    };
};

QTEST_MAIN(TestDocumentsPage)
#include "tst_documentspage.moc"
