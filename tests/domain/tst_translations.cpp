#include "util/translations.h"

#include <QCoreApplication>
#include <QTest>

using namespace sd;

// The Polish translation reaches every kind of context the code translates with: a QObject in a three-level
// namespace (filed by lupdate under its bare name), a module-wide helper inside member functions (filed under the
// class), and plain explicit contexts.
class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QCOMPARE(installTranslations(*QCoreApplication::instance(), u"pl"_qs), u"pl"_qs); }

    void polishReachesEveryKindOfContext_data()
    {
        QTest::addColumn<QByteArray>("context");
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QString>("polish");
        QTest::newRow("QObject in sd::documents::ksef")
            << QByteArray("sd::documents::ksef::KsefClient")
            << QByteArray("KSeF cannot be reached at %1 right now; the invoice waits in the queue.")
            << u"KSeF pod adresem %1 jest teraz nieosiągalny; faktura czeka w kolejce."_qs;
        QTest::newRow("QObject in sd::marketplace::allegro")
            << QByteArray("sd::marketplace::allegro::AllegroSync")
            << QByteArray("The account %1 is not connected to Allegro. Connect it first.")
            << u"Konto %1 nie jest połączone z Allegro. Najpierw je połącz."_qs;
        QTest::newRow("helper context of SellerActions")
            << QByteArray("sd::allegro") << QByteArray("This action is being done by another workstation right now.")
            << u"To działanie wykonuje właśnie inne stanowisko."_qs;
        QTest::newRow("helper context of AccountStore")
            << QByteArray("sd::marketplace") << QByteArray("An account needs a name.") << u"Konto musi mieć nazwę."_qs;
        QTest::newRow("explicit context")
            << QByteArray("main") << QByteArray("SellerDesk: orders, documents and shipping for online sellers")
            << u"SellerDesk: zamówienia, dokumenty i wysyłka dla sprzedawców internetowych"_qs;
    }
    void polishReachesEveryKindOfContext()
    {
        QFETCH(QByteArray, context);
        QFETCH(QByteArray, source);
        QFETCH(QString, polish);
        QCOMPARE(QCoreApplication::translate(context.constData(), source.constData()), polish);
    }

    void unknownTextStaysAsWritten()
    {
        QCOMPARE(QCoreApplication::translate("sd::documents::ksef::KsefClient", "no such text"), u"no such text"_qs);
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
