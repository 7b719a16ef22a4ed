#include "documents/documentpdf.h"
#include "util/trainingmode.h"

#include "documents/amountinwords.h"
#include "documents/qrcode.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace sd::documents {

using domain::Money;

namespace {

class Text
{
public:
    explicit Text(const QString &language)
        : m_en(language == u"en")
    {}
    // Polish first, English second: the document's language picks one.
    QString operator()(const QString &pl, const QString &en) const { return m_en ? en : pl; }
    bool english() const { return m_en; }
    // "1 234,56" (pl) / "1,234.56" (en): amounts in tables carry no currency sign.
    QString amount(const Money &m) const
    {
        QString digits = m.toDecimalString();
        const bool negative = digits.startsWith(u'-');
        if (negative)
            digits.remove(0, 1);
        const qsizetype dot = digits.indexOf(u'.');
        QString whole = dot < 0 ? digits : digits.left(dot);
        const QString fraction = dot < 0 ? QString() : digits.mid(dot + 1);
        for (qsizetype i = whole.size() - 3; i > 0; i -= 3)
            whole.insert(i, m_en ? u',' : QChar(0x00a0));
        return (negative ? u"-"_s : QString()) + whole +
               (fraction.isEmpty() ? QString() : (m_en ? u"."_s : u","_s) + fraction);
    }
    QString money(const Money &m) const { return amount(m) + u' ' + m.currency(); }
    QString date(const QDate &d) const
    {
        return d.isValid() ? d.toString(m_en ? u"yyyy-MM-dd"_s : u"dd.MM.yyyy"_s) : QString();
    }

private:
    bool m_en;
};

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString partyHtml(const Text &t, const QString &title, const Party &p, bool seller)
{
    QString h = u"<td width=\"50%\" valign=\"top\" style=\"padding:6px;border:1px solid #999\"><b>"_s + esc(title) +
                u"</b><br/><span style=\"font-size:11pt\"><b>"_s + esc(p.name) + u"</b></span><br/>"_s + esc(p.street) +
                u"<br/>"_s + esc(p.addressLine2());
    if (!p.isDomestic())
        h += u", "_s + esc(p.country);
    if (!p.nip.isEmpty())
        h += u"<br/>NIP: "_s + esc(p.nip);
    else if (!p.euVatId.isEmpty())
        h += t(u"<br/>Nr VAT UE: "_s, u"<br/>VAT ID: "_s) + esc(p.country + p.euVatId);
    if (seller && !p.bankAccount.isEmpty())
        h += t(u"<br/>Rachunek: "_s, u"<br/>Bank account: "_s) + esc(p.bankAccount);
    if (!p.email.isEmpty())
        h += u"<br/>"_s + esc(p.email);
    return h + u"</td>"_s;
}

QString linesHtml(const Text &t, const QList<DocumentLine> &lines, const QString &caption)
{
    QString h;
    if (!caption.isEmpty())
        h += u"<p><b>"_s + esc(caption) + u"</b></p>"_s;
    h += u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" style=\"border-collapse:collapse\">"
         "<tr style=\"background:#e8e8e8\">"_s;
    const QStringList heads = {t(u"Lp."_s, u"No."_s),
                               t(u"Nazwa towaru lub usługi"_s, u"Description"_s),
                               t(u"J.m."_s, u"Unit"_s),
                               t(u"Ilość"_s, u"Qty"_s),
                               t(u"Cena jedn. netto"_s, u"Unit price net"_s),
                               t(u"Cena jedn. brutto"_s, u"Unit price gross"_s),
                               t(u"Rabat"_s, u"Discount"_s),
                               t(u"Wartość netto"_s, u"Net value"_s),
                               t(u"Stawka VAT"_s, u"VAT rate"_s),
                               t(u"Wartość brutto"_s, u"Gross value"_s)};
    static const int widths[] = {4, 30, 5, 5, 9, 9, 8, 10, 8, 12}; // per cent: the name gets the room
    for (qsizetype i = 0; i < heads.size(); ++i)
        h += u"<th width=\"%1%\" style=\"font-size:7pt\">"_s.arg(widths[i]) + esc(heads.at(i)) + u"</th>"_s;
    h += u"</tr>"_s;
    int n = 0;
    for (const DocumentLine &line : lines) {
        // The unit net price shown is the unit gross price without its VAT (informative; the tax is computed on
        // the per-rate sums, see computeTotals()).
        DocumentLine unit = line;
        unit.quantity = 1;
        unit.discount = Money(0, line.unitGross.currency());
        h += u"<tr><td align=\"right\">"_s + QString::number(++n) + u"</td><td>"_s + esc(line.name) + u"</td><td>"_s +
             esc(line.unit) + u"</td><td align=\"right\">"_s + QString::number(line.quantity) +
             u"</td><td align=\"right\">"_s + t.amount(unit.net()) + u"</td><td align=\"right\">"_s +
             t.amount(line.unitGross) + u"</td><td align=\"right\">"_s +
             (line.discount.isZero() ? QString() : t.amount(line.discount)) + u"</td><td align=\"right\">"_s +
             t.amount(line.net()) + u"</td><td align=\"center\">"_s + esc(line.rateLabel()) +
             u"</td><td align=\"right\">"_s + t.amount(line.gross()) + u"</td></tr>"_s;
    }
    return h + u"</table>"_s;
}

// Art. 106e ust. 11: a foreign-currency invoice shows its VAT in PLN too, at the rate of art. 31a.
QString plnVatHtml(const Text &t, const Document &doc, const Totals &totals)
{
    QString rate = doc.exchangeRate;
    if (doc.language != u"en")
        rate.replace(u'.', u',');
    QString h = u"<p>"_s +
                esc(t(u"Kurs średni NBP z dnia %1 (tabela %2): 1 %3 = %4 PLN"_s,
                      u"NBP average rate of %1 (table %2): 1 %3 = %4 PLN"_s))
                    .arg(t.date(doc.exchangeRateDate), esc(doc.exchangeRateTable), esc(doc.currency), rate) +
                u"</p>"_s;
    h += u"<table cellspacing=\"0\" cellpadding=\"3\" border=\"1\" style=\"border-collapse:collapse\">"
         "<tr style=\"background:#e8e8e8\"><th>"_s +
         esc(t(u"Stawka VAT"_s, u"VAT rate"_s)) + u"</th><th>"_s + esc(t(u"Kwota VAT w PLN"_s, u"VAT in PLN"_s)) +
         u"</th></tr>"_s;
    Money sum(0, u"PLN"_s);
    for (const RateTotal &r : totals.perRate) {
        if (r.vat.isZero())
            continue;
        const Money pln = doc.inPln(r.vat);
        sum = sum + pln;
        h += u"<tr><td align=\"center\">"_s + esc(r.key) + u"</td><td align=\"right\">"_s + t.money(pln) +
             u"</td></tr>"_s;
    }
    h += u"<tr><td><b>"_s + esc(t(u"Razem"_s, u"Total"_s)) + u"</b></td><td align=\"right\"><b>"_s + t.money(sum) +
         u"</b></td></tr></table>"_s;
    return h;
}

QString totalsHtml(const Text &t, const Totals &totals, const QString &caption)
{
    QString h =
        u"<table align=\"right\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" style=\"border-collapse:collapse\">"
        "<tr style=\"background:#e8e8e8\"><th>"_s +
        esc(caption) + u"</th><th>"_s + esc(t(u"Wartość netto"_s, u"Net"_s)) + u"</th><th>"_s +
        esc(t(u"Kwota VAT"_s, u"VAT"_s)) + u"</th><th>"_s + esc(t(u"Wartość brutto"_s, u"Gross"_s)) + u"</th></tr>"_s;
    for (const RateTotal &r : totals.perRate) {
        QString label = r.key;
        if (r.rate.kind() == domain::VatRate::Kind::Percent && r.procedure != Procedure::IntraEu &&
            r.procedure != Procedure::Export && r.rate.percentValue() > 0)
            label = QString::number(r.rate.percentValue()) + (r.procedure == Procedure::Oss ? u"% OSS"_s : u"%"_s);
        h += u"<tr><td align=\"center\">"_s + esc(label) + u"</td><td align=\"right\">"_s + t.amount(r.net) +
             u"</td><td align=\"right\">"_s + t.amount(r.vat) + u"</td><td align=\"right\">"_s + t.amount(r.gross) +
             u"</td></tr>"_s;
    }
    h += u"<tr><td><b>"_s + esc(t(u"Razem"_s, u"Total"_s)) + u"</b></td><td align=\"right\"><b>"_s +
         t.amount(totals.net) + u"</b></td><td align=\"right\"><b>"_s + t.amount(totals.vat) +
         u"</b></td><td align=\"right\"><b>"_s + t.amount(totals.gross) + u"</b></td></tr></table>"_s;
    return h;
}

QStringList annotations(const Text &t, const Document &doc)
{
    QStringList notes;
    bool oss = false, wdt = false, export_ = false, exempt = false, reverse = false;
    for (const DocumentLine &l : doc.lines) {
        oss = oss || l.procedure == Procedure::Oss;
        wdt = wdt || l.procedure == Procedure::IntraEu;
        export_ = export_ || l.procedure == Procedure::Export;
        exempt = exempt || (l.procedure == Procedure::Domestic && l.rate.kind() == domain::VatRate::Kind::Exempt);
        reverse = reverse || l.rate.kind() == domain::VatRate::Kind::ReverseCharge;
    }
    if (oss)
        notes << t(u"Procedura szczególna OSS (dział XII rozdział 6a ustawy o VAT); VAT według stawki kraju nabywcy."_s,
                   u"OSS special scheme: VAT at the rate of the buyer's country."_s);
    if (wdt)
        notes << t(u"Wewnątrzwspólnotowa dostawa towarów, stawka 0% (art. 42 ustawy o VAT)."_s,
                   u"Intra-Community supply of goods, 0% VAT (art. 138 of Directive 2006/112/EC)."_s);
    if (export_)
        notes << t(u"Eksport towarów, stawka 0% (art. 41 ust. 4 ustawy o VAT)."_s, u"Export of goods, 0% VAT."_s);
    if (reverse)
        notes << t(u"odwrotne obciążenie"_s, u"reverse charge"_s);
    if (exempt)
        notes << t(u"Sprzedaż zwolniona z VAT."_s, u"VAT exempt supply."_s);
    return notes;
}

} // namespace

// Logo, title and number, dates.
QString headerHtml(const Text &t, const Document &doc)
{
    QString h;
    // A training profile's documents are not documents: the mark says so before anything else.
    if (sd::training::active())
        h += u"<table width=\"100%\" cellpadding=\"6\" bgcolor=\"#c62828\"><tr><td align=\"center\">"
             u"<span style=\"font-size:14pt;color:#ffffff\"><b>"_s +
             esc(sd::training::markText()) + u"</b></span><br/><span style=\"color:#ffffff\">"_s +
             esc(t(u"Dokument szkoleniowy bez mocy prawnej."_s, u"A training document with no legal effect."_s)) +
             u"</span></td></tr></table><br/>"_s;
    h += u"<table width=\"100%\"><tr><td valign=\"top\">"_s;
    if (!doc.seller.logoPath.isEmpty() && QFile::exists(doc.seller.logoPath))
        h += u"<img src=\"logo\" height=\"60\"/>"_s;
    h += u"</td><td align=\"right\" valign=\"top\"><span style=\"font-size:15pt\"><b>"_s +
         esc(typeTitle(doc.type, doc.language)) + u"</b></span><br/><span style=\"font-size:12pt\">"_s +
         esc(t(u"nr "_s, u"No. "_s)) + esc(doc.number.isEmpty() ? t(u"(szkic)"_s, u"(draft)"_s) : doc.number) +
         u"</span><br/>"_s + esc(t(u"Data wystawienia: "_s, u"Issue date: "_s)) + t.date(doc.issueDate);
    if (!doc.placeOfIssue.isEmpty())
        h += u"<br/>"_s + esc(t(u"Miejsce wystawienia: "_s, u"Place of issue: "_s)) + esc(doc.placeOfIssue);
    if (doc.saleDate.isValid() && doc.saleDate != doc.issueDate)
        h += u"<br/>"_s + esc(t(u"Data dostawy / sprzedaży: "_s, u"Date of supply: "_s)) + t.date(doc.saleDate);
    if (!doc.orderReference.isEmpty())
        h += u"<br/>"_s + esc(t(u"Zamówienie: "_s, u"Order: "_s)) + esc(doc.orderReference);
    h += u"</td></tr></table><br/>"_s;
    return h;
}

// D6: the transport slip (delivery note) and the warranty card: who, what, how many; no prices.
QString completionHtml(const Document &doc)
{
    const Text t(doc.language);
    QString h = u"<html><body style=\"font-family:'DejaVu Sans',sans-serif;font-size:9pt\">"_s + headerHtml(t, doc);
    const bool slip = doc.type == DocumentType::TransportSlip;
    Party to = slip ? doc.recipient : doc.buyer;
    if (to.name.isEmpty())
        to = doc.buyer;
    h += u"<table width=\"100%\" cellspacing=\"0\"><tr>"_s +
         partyHtml(t, slip ? t(u"Nadawca"_s, u"Sender"_s) : t(u"Gwarant (sprzedawca)"_s, u"Guarantor (seller)"_s),
                   doc.seller, false) +
         partyHtml(t, slip ? t(u"Odbiorca"_s, u"Recipient"_s) : t(u"Kupujący"_s, u"Buyer"_s), to, false) +
         u"</tr></table><br/>"_s;
    if (slip && !doc.deliveryMethod.isEmpty())
        h += u"<p>"_s + esc(t(u"Sposób dostawy: "_s, u"Delivery method: "_s)) + esc(doc.deliveryMethod) +
             (to.phone.isEmpty() ? QString()
                                 : u"<br/>"_s + esc(t(u"Telefon odbiorcy: "_s, u"Phone: "_s)) + esc(to.phone)) +
             u"</p>"_s;
    h += u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" style=\"border-collapse:collapse\">"
         "<tr style=\"background:#e8e8e8\"><th>"_s +
         esc(t(u"Lp."_s, u"No."_s)) + u"</th><th>"_s + esc(t(u"Nazwa towaru"_s, u"Product"_s)) + u"</th><th>"_s +
         esc(t(u"Kod / EAN"_s, u"Code / EAN"_s)) + u"</th><th>"_s + esc(t(u"J.m."_s, u"Unit"_s)) + u"</th><th>"_s +
         esc(t(u"Ilość"_s, u"Quantity"_s)) + u"</th></tr>"_s;
    int n = 0;
    qint64 pieces = 0;
    for (const DocumentLine &line : doc.lines) {
        if (line.kind != u"item")
            continue; // shipping and surcharges are not goods
        pieces += line.quantity;
        QString code = line.sku;
        if (!line.ean.isEmpty())
            code += (code.isEmpty() ? QString() : u" / "_s) + line.ean;
        h += u"<tr><td align=\"right\">"_s + QString::number(++n) + u"</td><td>"_s + esc(line.name) + u"</td><td>"_s +
             esc(code) + u"</td><td>"_s + esc(line.unit) + u"</td><td align=\"right\">"_s +
             QString::number(line.quantity) + u"</td></tr>"_s;
    }
    h += u"<tr><td></td><td colspan=\"3\"><b>"_s + esc(t(u"Razem sztuk"_s, u"Total pieces"_s)) +
         u"</b></td><td align=\"right\"><b>"_s + QString::number(pieces) + u"</b></td></tr></table><br/>"_s;
    if (slip) {
        h +=
            u"<br/><br/><table width=\"100%\"><tr><td width=\"50%\" align=\"center\">....................................<br/>"_s +
            esc(t(u"Wydał (podpis)"_s, u"Released by (signature)"_s)) +
            u"</td><td width=\"50%\" align=\"center\">....................................<br/>"_s +
            esc(t(u"Odebrał (data, podpis)"_s, u"Received by (date, signature)"_s)) + u"</td></tr></table>"_s;
    } else {
        const int months = doc.warrantyMonths > 0 ? doc.warrantyMonths : 24;
        h += u"<p style=\"font-size:11pt\"><b>"_s +
             esc(t(u"Okres gwarancji: %1 mies. od dnia wydania towaru (data sprzedaży: %2)."_s,
                   u"Warranty period: %1 months from delivery (date of sale: %2)."_s)
                     .arg(months)
                     .arg(t.date(doc.saleDate))) +
             u"</b></p>"_s;
        h += u"<ol><li>"_s +
             esc(t(u"Gwarant zapewnia sprawne działanie towaru w okresie gwarancji, jeżeli był używany zgodnie z "
                   "przeznaczeniem i instrukcją."_s,
                   u"The guarantor ensures the product works during the warranty period when used as intended and as "
                   "instructed."_s)) +
             u"</li><li>"_s +
             esc(t(u"Wady ujawnione w okresie gwarancji zostaną usunięte bezpłatnie w ciągu 14 dni od dostarczenia "
                   "towaru z tą kartą i dowodem zakupu."_s,
                   u"Defects found during the warranty period are repaired free of charge within 14 days of receiving "
                   "the product with this card and the proof of purchase."_s)) +
             u"</li><li>"_s +
             esc(t(u"Gwarancja nie obejmuje uszkodzeń mechanicznych i wynikłych z niewłaściwego użytkowania."_s,
                   u"The warranty does not cover mechanical damage or damage from improper use."_s)) +
             u"</li><li>"_s +
             esc(t(u"Gwarancja nie wyłącza, nie ogranicza ani nie zawiesza uprawnień kupującego wynikających z "
                   "przepisów o rękojmi i niezgodności towaru z umową."_s,
                   u"The warranty does not exclude, limit or suspend the buyer's statutory rights for non-conformity "
                   "of goods."_s)) +
             u"</li></ol>"_s;
        h +=
            u"<br/><br/><table width=\"100%\"><tr><td width=\"50%\"></td><td width=\"50%\" align=\"center\">....................................<br/>"_s +
            esc(t(u"Pieczęć i podpis gwaranta"_s, u"Guarantor's stamp and signature"_s)) + u"</td></tr></table>"_s;
    }
    return h + u"</body></html>"_s;
}

QString renderHtml(const Document &doc, const PdfOptions &options)
{
    if (isDeliveryDocument(doc.type))
        return completionHtml(doc);
    const Text t(doc.language);
    const Totals totals = doc.totals();
    QString h = u"<html><body style=\"font-family:'DejaVu Sans',sans-serif;font-size:8pt\">"_s;

    h += headerHtml(t, doc);

    if (doc.type == DocumentType::Proforma)
        h += u"<p><b>"_s +
             esc(t(u"Dokument nie jest fakturą VAT i nie stanowi podstawy do odliczenia podatku."_s,
                   u"This document is not a VAT invoice."_s)) +
             u"</b></p>"_s;

    h += u"<table width=\"100%\" cellspacing=\"0\"><tr>"_s +
         partyHtml(t, t(u"Sprzedawca"_s, u"Seller"_s), doc.seller, true) +
         partyHtml(t, t(u"Nabywca"_s, u"Buyer"_s), doc.buyer, false) + u"</tr></table><br/>"_s;

    if (doc.type == DocumentType::Correction) {
        h += u"<p>"_s + esc(t(u"Dotyczy faktury nr "_s, u"Corrects invoice No. "_s)) + u"<b>"_s +
             esc(doc.correctedNumber) + u"</b> "_s + esc(t(u"z dnia "_s, u"of "_s)) + t.date(doc.correctedIssueDate);
        if (!doc.correctedKsefNumber.isEmpty())
            h += u", "_s + esc(t(u"nr KSeF "_s, u"KSeF No. "_s)) + esc(doc.correctedKsefNumber);
        h += u"<br/>"_s + esc(t(u"Przyczyna korekty: "_s, u"Reason for correction: "_s)) + esc(doc.correctionReason) +
             u"</p>"_s;
        h += linesHtml(t, doc.linesBefore, t(u"Przed korektą"_s, u"Before correction"_s));
        h += linesHtml(t, doc.lines, t(u"Po korekcie"_s, u"After correction"_s));
        h += u"<br/>"_s + totalsHtml(t, totals, t(u"Różnica wg stawek"_s, u"Difference by rate"_s));
    } else {
        h += linesHtml(t, doc.lines, {});
        h += u"<br/>"_s + totalsHtml(t, totals, t(u"Stawka VAT"_s, u"VAT rate"_s));
    }
    h += u"<br clear=\"all\"/><br/>"_s;
    if (doc.foreignCurrency() && !doc.exchangeRate.isEmpty())
        h += plnVatHtml(t, doc, totals);

    const bool refund = totals.gross.minor() < 0;
    const Money due = refund ? -totals.gross : totals.gross;
    h += u"<p style=\"font-size:12pt\"><b>"_s +
         esc(refund ? t(u"Do zwrotu: "_s, u"To be refunded: "_s)
                    : (doc.paid ? t(u"Zapłacono: "_s, u"Paid: "_s) : t(u"Do zapłaty: "_s, u"Amount due: "_s))) +
         t.money(due) + u"</b></p>"_s;
    h += u"<p>"_s + esc(t(u"Słownie: "_s, u"In words (Polish): "_s)) + esc(amountInWordsPl(due)) + u"</p>"_s;
    h += u"<p>"_s + esc(t(u"Forma płatności: "_s, u"Payment method: "_s)) +
         esc(paymentMethodLabel(doc.paymentMethod, doc.language));
    if (doc.paid && doc.paidDate.isValid())
        h += u"<br/>"_s + esc(t(u"Data zapłaty: "_s, u"Paid on: "_s)) + t.date(doc.paidDate);
    else if (doc.dueDate.isValid())
        h += u"<br/>"_s + esc(t(u"Termin płatności: "_s, u"Due date: "_s)) + t.date(doc.dueDate);
    if (doc.paymentMethod == PaymentMethod::Transfer && !doc.seller.bankAccount.isEmpty())
        h += u"<br/>"_s + esc(t(u"Numer rachunku: "_s, u"Bank account: "_s)) + esc(doc.seller.bankAccount);
    if (doc.currency != u"PLN")
        h += u"<br/>"_s + esc(t(u"Kwoty VAT w PLN według kursu z dnia poprzedzającego dostawę."_s,
                                u"VAT amounts in PLN at the exchange rate of the day before the supply."_s));
    h += u"</p>"_s;
    for (const QString &note : annotations(t, doc))
        h += u"<p><i>"_s + esc(note) + u"</i></p>"_s;
    if (!doc.notes.isEmpty())
        h += u"<p>"_s + esc(doc.notes) + u"</p>"_s;

    // KOD I: an invoice with a KSeF number, or issued offline, carries its verification link as a QR code.
    if (!options.fa3Xml.isEmpty() && (!doc.ksefNumber.isEmpty() || doc.offline)) {
        h += u"<table><tr><td><img src=\"kod1\" width=\"110\" height=\"110\"/></td><td valign=\"middle\">"_s +
             esc(t(u"Zweryfikuj fakturę w KSeF (KOD I)"_s, u"Verify this invoice in KSeF (CODE I)"_s)) + u"<br/><b>"_s +
             esc(doc.ksefNumber.isEmpty() ? u"OFFLINE"_s : doc.ksefNumber) + u"</b><br/>"_s +
             u"<span style=\"font-size:6pt\">"_s + esc(kodOneUrl(doc, options.fa3Xml, options.qrBase)) +
             u"</span></td></tr></table>"_s;
    } else if (!doc.ksefNumber.isEmpty()) {
        h += u"<p>"_s + esc(t(u"Numer KSeF: "_s, u"KSeF number: "_s)) + esc(doc.ksefNumber) + u"</p>"_s;
    }
    h += u"<p style=\"font-size:6pt;color:#666\">"_s +
         esc(t(u"Wystawiono w programie SellerDesk."_s, u"Issued with SellerDesk."_s)) + u"</p>"_s;
    return h + u"</body></html>"_s;
}

Result<QByteArray> renderPdf(const Document &doc, const PdfOptions &options)
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return makeError(
            Error::Code::Internal,
            QCoreApplication::translate("sd::documents", "A PDF can only be drawn by a graphical program."));
    QTextDocument text;
    text.setDocumentMargin(0);
    if (!options.fa3Xml.isEmpty() && (!doc.ksefNumber.isEmpty() || doc.offline))
        text.addResource(QTextDocument::ImageResource, QUrl(u"kod1"_s),
                         qrCodeImage(kodOneUrl(doc, options.fa3Xml, options.qrBase), 6));
    if (!doc.seller.logoPath.isEmpty() && QFile::exists(doc.seller.logoPath))
        text.addResource(QTextDocument::ImageResource, QUrl(u"logo"_s), QImage(doc.seller.logoPath));
    text.setHtml(renderHtml(doc, options));

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setTitle(typeTitle(doc.type, doc.language) + u' ' + doc.number);
        writer.setCreator(u"SellerDesk"_s);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(15, 15, 15, 15),
                                         QPageLayout::Millimeter));
        writer.setResolution(300);
        // Lay the text out on the printable width at the screen's 96 dpi; print() scales it to the writer.
        const QSizeF points = writer.pageLayout().paintRect(QPageLayout::Point).size();
        text.setPageSize(points * (96.0 / 72.0));
        text.print(&writer);
    }
    if (bytes.isEmpty())
        return makeError(Error::Code::Io, QCoreApplication::translate("sd::documents", "The PDF could not be drawn."));
    return bytes;
}

} // namespace sd::documents
