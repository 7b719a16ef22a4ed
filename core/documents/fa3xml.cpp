#include "documents/fa3xml.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamWriter>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <cstdarg>
#include <memory>

using namespace Qt::StringLiterals;

namespace sd::documents {

namespace {

constexpr char16_t kNamespace[] = u"http://crd.gov.pl/wzor/2025/06/25/13775/";
constexpr char16_t kEtdNamespace[] = u"http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/01/05/eD/DefinicjeTypy/";

// The P_13 / P_14 suffix of a rate group, in schema order; empty for groups FA(3) has no VAT field for.
struct RateFields
{
    QString net;
    QString vat;
};

RateFields fieldsFor(const RateTotal &t)
{
    if (t.key == u"23" || t.key == u"22")
        return {u"P_13_1"_s, u"P_14_1"_s};
    if (t.key == u"8" || t.key == u"7")
        return {u"P_13_2"_s, u"P_14_2"_s};
    if (t.key == u"5")
        return {u"P_13_3"_s, u"P_14_3"_s};
    if (t.procedure == Procedure::Oss)
        return {u"P_13_5"_s, u"P_14_5"_s};
    if (t.key == u"0 KR")
        return {u"P_13_6_1"_s, {}};
    if (t.key == u"0 WDT")
        return {u"P_13_6_2"_s, {}};
    if (t.key == u"0 EX")
        return {u"P_13_6_3"_s, {}};
    if (t.key == u"zw")
        return {u"P_13_7"_s, {}};
    if (t.key == u"np I")
        return {u"P_13_8"_s, {}};
    if (t.key == u"np II")
        return {u"P_13_9"_s, {}};
    if (t.key == u"oo")
        return {u"P_13_10"_s, {}};
    return {};
}

class Writer
{
public:
    explicit Writer(QByteArray *out)
        : m_xml(out)
    {
        m_xml.setAutoFormatting(true);
        m_xml.setAutoFormattingIndent(1);
    }
    void text(const QString &name, const QString &value) { m_xml.writeTextElement(name, value); }
    void optional(const QString &name, const QString &value)
    {
        if (!value.trimmed().isEmpty())
            text(name, value.trimmed());
    }
    void start(const QString &name) { m_xml.writeStartElement(name); }
    void end() { m_xml.writeEndElement(); }
    QXmlStreamWriter &raw() { return m_xml; }

private:
    QXmlStreamWriter m_xml;
};

void writeAddress(Writer &w, const Party &p)
{
    w.start(u"Adres"_s);
    w.text(u"KodKraju"_s, p.country.isEmpty() ? u"PL"_s : p.country);
    w.text(u"AdresL1"_s, p.addressLine1().trimmed().isEmpty() ? p.addressLine2() : p.addressLine1().trimmed());
    if (!p.addressLine1().trimmed().isEmpty())
        w.optional(u"AdresL2"_s, p.addressLine2());
    w.end();
}

void writeLine(Writer &w, int number, const DocumentLine &line, bool before, const QString &exchangeRate)
{
    w.start(u"FaWiersz"_s);
    w.text(u"NrWierszaFa"_s, QString::number(number));
    w.text(u"P_7"_s, line.name.left(512));
    w.optional(u"Indeks"_s, line.sku.left(50));
    w.optional(u"GTIN"_s, line.ean.left(20));
    w.text(u"P_8A"_s, line.unit);
    w.text(u"P_8B"_s, QString::number(line.quantity));
    w.text(u"P_9B"_s, line.unitGross.toDecimalString());
    if (!line.discount.isZero())
        w.text(u"P_10"_s, line.discount.toDecimalString());
    w.text(u"P_11A"_s, line.gross().toDecimalString());
    if (line.procedure == Procedure::Oss)
        w.text(u"P_12_XII"_s, QString::number(line.rate.percentValue()));
    else
        w.text(u"P_12"_s, line.fa3RateCode());
    w.optional(u"KursWaluty"_s, exchangeRate);
    if (before)
        w.text(u"StanPrzed"_s, u"1"_s);
    w.end();
}

} // namespace

Result<QByteArray> toFa3Xml(const Document &doc, const QDateTime &generatedAt)
{
    if (!isKsefDocument(doc.type))
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "A pro-forma invoice has no KSeF (FA(3)) form."));
    QByteArray out;
    Writer w(&out);
    QXmlStreamWriter &x = w.raw();
    x.writeStartDocument();
    x.writeDefaultNamespace(QString::fromUtf16(kNamespace));
    x.writeNamespace(QString::fromUtf16(kEtdNamespace), u"etd"_s);
    w.start(u"Faktura"_s);

    w.start(u"Naglowek"_s);
    w.start(u"KodFormularza"_s);
    x.writeAttribute(u"kodSystemowy"_s, u"FA (3)"_s);
    x.writeAttribute(u"wersjaSchemy"_s, u"1-0E"_s);
    x.writeCharacters(u"FA"_s);
    w.end();
    w.text(u"WariantFormularza"_s, u"3"_s);
    w.text(u"DataWytworzeniaFa"_s, generatedAt.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s));
    w.text(u"SystemInfo"_s, u"SellerDesk"_s);
    w.end();

    w.start(u"Podmiot1"_s);
    w.start(u"DaneIdentyfikacyjne"_s);
    w.text(u"NIP"_s, doc.seller.nip);
    w.text(u"Nazwa"_s, doc.seller.name);
    w.end();
    writeAddress(w, doc.seller);
    if (!doc.seller.email.isEmpty() || !doc.seller.phone.isEmpty()) {
        w.start(u"DaneKontaktowe"_s);
        w.optional(u"Email"_s, doc.seller.email);
        w.optional(u"Telefon"_s, doc.seller.phone);
        w.end();
    }
    w.end();

    w.start(u"Podmiot2"_s);
    w.start(u"DaneIdentyfikacyjne"_s);
    const Party &b = doc.buyer;
    if (!b.nip.isEmpty()) {
        w.text(u"NIP"_s, b.nip);
    } else if (!b.euVatId.isEmpty() && b.country != u"PL") {
        static const QStringList eu = {u"AT"_s, u"BE"_s, u"BG"_s, u"CY"_s, u"CZ"_s, u"DE"_s, u"DK"_s, u"EE"_s, u"EL"_s,
                                       u"ES"_s, u"FI"_s, u"FR"_s, u"HR"_s, u"HU"_s, u"IE"_s, u"IT"_s, u"LT"_s, u"LU"_s,
                                       u"LV"_s, u"MT"_s, u"NL"_s, u"PT"_s, u"RO"_s, u"SE"_s, u"SI"_s, u"SK"_s, u"XI"_s};
        const QString euCode = b.country == u"GR" ? u"EL"_s : b.country;
        if (eu.contains(euCode)) {
            w.text(u"KodUE"_s, euCode);
            w.text(u"NrVatUE"_s, b.euVatId);
        } else {
            w.text(u"KodKraju"_s, b.country);
            w.text(u"NrID"_s, b.euVatId);
        }
    } else {
        w.text(u"BrakID"_s, u"1"_s);
    }
    w.optional(u"Nazwa"_s, b.name);
    w.end();
    if (!b.street.isEmpty() || !b.city.isEmpty())
        writeAddress(w, b);
    w.text(u"JST"_s, u"2"_s);
    w.text(u"GV"_s, u"2"_s);
    w.end();

    w.start(u"Fa"_s);
    w.text(u"KodWaluty"_s, doc.currency);
    w.text(u"P_1"_s, doc.issueDate.toString(Qt::ISODate));
    w.optional(u"P_1M"_s, doc.placeOfIssue);
    w.text(u"P_2"_s, doc.number);
    if (doc.saleDate.isValid() && doc.saleDate != doc.issueDate && doc.type != DocumentType::Correction)
        w.text(u"P_6"_s, doc.saleDate.toString(Qt::ISODate));
    const Totals totals = doc.totals();
    for (const RateTotal &t : totals.perRate) {
        const RateFields f = fieldsFor(t);
        if (f.net.isEmpty())
            continue;
        w.text(f.net, t.net.toDecimalString());
        if (!f.vat.isEmpty())
            w.text(f.vat, t.vat.toDecimalString());
        // Art. 106e ust. 11: the VAT of a foreign-currency invoice also in PLN (P_14_1W..P_14_4W; OSS has none).
        if (doc.foreignCurrency() && f.vat.size() == 6 && f.vat != u"P_14_5")
            w.text(f.vat + u'W', doc.inPln(t.vat).toDecimalString());
    }
    w.text(u"P_15"_s, totals.gross.toDecimalString());

    // None of the special annotations apply to a marketplace sale: no cash accounting, self-billing, reverse
    // charge, split payment (P_18A: only above 15 000 zł for Annex 15 goods), exemption, new means of transport,
    // triangulation or margin scheme.
    w.start(u"Adnotacje"_s);
    w.text(u"P_16"_s, u"2"_s);
    w.text(u"P_17"_s, u"2"_s);
    w.text(u"P_18"_s, u"2"_s);
    w.text(u"P_18A"_s, u"2"_s);
    w.start(u"Zwolnienie"_s);
    w.text(u"P_19N"_s, u"1"_s);
    w.end();
    w.start(u"NoweSrodkiTransportu"_s);
    w.text(u"P_22N"_s, u"1"_s);
    w.end();
    w.text(u"P_23"_s, u"2"_s);
    w.start(u"PMarzy"_s);
    w.text(u"P_PMarzyN"_s, u"1"_s);
    w.end();
    w.end();

    switch (doc.type) {
    case DocumentType::Simplified:
        w.text(u"RodzajFaktury"_s, u"UPR"_s);
        break;
    case DocumentType::Correction:
        w.text(u"RodzajFaktury"_s, u"KOR"_s);
        w.optional(u"PrzyczynaKorekty"_s, doc.correctionReason.left(256));
        w.text(u"TypKorekty"_s, u"1"_s); // takes effect as of the corrected invoice
        w.start(u"DaneFaKorygowanej"_s);
        w.text(u"DataWystFaKorygowanej"_s, doc.correctedIssueDate.toString(Qt::ISODate));
        w.text(u"NrFaKorygowanej"_s, doc.correctedNumber);
        if (!doc.correctedKsefNumber.isEmpty()) {
            w.text(u"NrKSeF"_s, u"1"_s);
            w.text(u"NrKSeFFaKorygowanej"_s, doc.correctedKsefNumber);
        } else {
            w.text(u"NrKSeFN"_s, u"1"_s);
        }
        w.end();
        break;
    default:
        w.text(u"RodzajFaktury"_s, u"VAT"_s);
        break;
    }
    if (!doc.orderReference.isEmpty()) {
        w.start(u"DodatkowyOpis"_s);
        w.text(u"Klucz"_s, u"Zamówienie"_s);
        w.text(u"Wartosc"_s, doc.orderReference);
        w.end();
    }
    // The rate that converted the VAT to PLN (art. 31a), on every line as FA(3) has it.
    const QString rate = doc.foreignCurrency() ? doc.exchangeRate : QString();
    int n = 0;
    if (doc.type == DocumentType::Correction) {
        for (const DocumentLine &line : doc.linesBefore)
            writeLine(w, ++n, line, true, rate);
    }
    for (const DocumentLine &line : doc.lines)
        writeLine(w, ++n, line, false, rate);

    w.start(u"Platnosc"_s);
    if (doc.paid && doc.paidDate.isValid()) {
        w.text(u"Zaplacono"_s, u"1"_s);
        w.text(u"DataZaplaty"_s, doc.paidDate.toString(Qt::ISODate));
    } else if (doc.dueDate.isValid()) {
        w.start(u"TerminPlatnosci"_s);
        w.text(u"Termin"_s, doc.dueDate.toString(Qt::ISODate));
        w.end();
    }
    w.text(u"FormaPlatnosci"_s, QString::number(int(doc.paymentMethod)));
    if (doc.paymentMethod == PaymentMethod::Transfer && !doc.seller.bankAccount.isEmpty()) {
        QString account = doc.seller.bankAccount;
        account.remove(u' ');
        w.start(u"RachunekBankowy"_s);
        w.text(u"NrRB"_s, account);
        w.optional(u"NazwaBanku"_s, doc.seller.bankName);
        w.end();
    }
    w.end();

    w.end(); // Fa
    w.end(); // Faktura
    x.writeEndDocument();
    return out;
}

namespace {

// The schema files unpacked once per process into a private folder (libxml2 resolves the imports by path).
struct CompiledSchema
{
    QTemporaryDir dir;
    xmlSchemaPtr schema = nullptr;
    QString problem;
    ~CompiledSchema()
    {
        if (schema)
            xmlSchemaFree(schema);
    }
};

void collect(void *context, const char *format, ...)
{
    auto *messages = static_cast<QStringList *>(context);
    va_list args;
    va_start(args, format);
    messages->append(QString::vasprintf(format, args).trimmed());
    va_end(args);
}

void collectStructured(void *context, xmlErrorPtr error)
{
    auto *messages = static_cast<QStringList *>(context);
    messages->append(QCoreApplication::translate("sd::documents", "line %1: %2")
                         .arg(error->line)
                         .arg(QString::fromUtf8(error->message).trimmed()));
}

CompiledSchema &compiledSchema()
{
    static CompiledSchema compiled;
    static QMutex mutex;
    QMutexLocker lock(&mutex);
    if (compiled.schema || !compiled.problem.isEmpty())
        return compiled;
    const QStringList files = {u"schemat_FA3_v1-0E.xsd"_s, u"bazowe/StrukturyDanych_v10-0E.xsd"_s,
                               u"bazowe/ElementarneTypyDanych_v10-0E.xsd"_s, u"bazowe/KodyKrajow_v10-0E.xsd"_s};
    QDir().mkpath(compiled.dir.filePath(u"bazowe"_s));
    for (const QString &file : files) {
        if (!QFile::copy(u":/sellerdesk/fa3/"_s + file, compiled.dir.filePath(file))) {
            compiled.problem = u"cannot unpack "_s + file;
            return compiled;
        }
    }
    QStringList messages;
    const QByteArray path = QFile::encodeName(compiled.dir.filePath(files.first()));
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(path.constData());
    xmlSchemaSetParserErrors(parser, collect, collect, &messages);
    compiled.schema = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    if (!compiled.schema)
        compiled.problem = messages.join(u"; "_s);
    return compiled;
}

} // namespace

Result<void> validateFa3(const QByteArray &xml)
{
    CompiledSchema &compiled = compiledSchema();
    if (!compiled.schema)
        return makeError(Error::Code::Internal,
                         QCoreApplication::translate("sd::documents", "The FA(3) schema could not be loaded."),
                         compiled.problem);
    QStringList messages;
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> document(
        xmlReadMemory(xml.constData(), int(xml.size()), "faktura.xml", "UTF-8",
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
        xmlFreeDoc);
    if (!document) {
        const xmlError *last = xmlGetLastError();
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::documents", "The invoice XML is not well-formed."),
                         last && last->message ? QString::fromUtf8(last->message).trimmed() : QString());
    }
    xmlSchemaValidCtxtPtr context = xmlSchemaNewValidCtxt(compiled.schema);
    xmlSchemaSetValidStructuredErrors(context, collectStructured, &messages);
    const int rc = xmlSchemaValidateDoc(context, document.get());
    xmlSchemaFreeValidCtxt(context);
    if (rc != 0)
        return makeError(
            Error::Code::Invalid,
            QCoreApplication::translate("sd::documents", "The invoice does not match the KSeF FA(3) schema: %1")
                .arg(messages.isEmpty() ? QString::number(rc) : messages.join(u"; "_s)));
    return {};
}

Result<QByteArray> validFa3Xml(const Document &doc, const QDateTime &generatedAt)
{
    auto xml = toFa3Xml(doc, generatedAt);
    if (!xml)
        return xml;
    if (auto r = validateFa3(*xml); !r)
        return r.error();
    return xml;
}

} // namespace sd::documents
