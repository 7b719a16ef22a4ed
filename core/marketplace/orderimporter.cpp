#include "marketplace/orderimporter.h"

#include "marketplace/allegro/checkoutformparser.h"
#include "storage/orderquery.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>

namespace sd::marketplace {

using namespace Qt::StringLiterals;

namespace {

struct Piece
{
    QByteArray json;
    qsizetype offset = 0;
    bool complete = true;
};

// Splits a JSON array (or the array under "checkoutForms") into its elements without parsing them, so that
// one broken order, or a file cut short, does not stop the others from being read.
QList<Piece> splitTopLevelArray(const QByteArray &text, QString *problem)
{
    QList<Piece> pieces;
    qsizetype start = text.indexOf("\"checkoutForms\"");
    start = start >= 0 ? text.indexOf('[', start) : text.indexOf('[');
    const qsizetype firstBrace = text.indexOf('{');
    if (start < 0 || (firstBrace >= 0 && firstBrace < start && text.indexOf("\"checkoutForms\"") < 0)) {
        // A single object that does not parse: the whole file is one broken order.
        pieces.append({text, 0, false});
        return pieces;
    }
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    qsizetype elementStart = -1;
    for (qsizetype i = start + 1; i < text.size(); ++i) {
        const char c = text.at(i);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (depth == 0)
                elementStart = i;
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return pieces; // the end of the top-level array
            --depth;
            if (depth == 0 && elementStart >= 0) {
                pieces.append({text.mid(elementStart, i - elementStart + 1), elementStart, true});
                elementStart = -1;
            }
        }
    }
    if (elementStart >= 0)
        pieces.append({text.mid(elementStart), elementStart, false});
    *problem = QCoreApplication::translate("sd::marketplace::OrderImporter",
                                           "the file ends before the list of orders is closed (it may be cut short)");
    return pieces;
}

QString idHint(const QByteArray &json)
{
    // The first "id" in a form is the checkout form's own id.
    const qsizetype key = json.indexOf("\"id\"");
    if (key < 0)
        return {};
    const qsizetype open = json.indexOf('"', json.indexOf(':', key) + 1);
    const qsizetype close = open < 0 ? -1 : json.indexOf('"', open + 1);
    return close > open ? QString::fromUtf8(json.mid(open + 1, close - open - 1)) : QString();
}

void copyMarketplaceFields(domain::Order &stored, const domain::Order &incoming)
{
    // The seller's own fields stay: status, tags, notes, referrers.
    stored.revision = incoming.revision;
    stored.marketplaceStatus = incoming.marketplaceStatus;
    stored.fulfillmentStatus = incoming.fulfillmentStatus;
    stored.buyer = incoming.buyer;
    stored.delivery = incoming.delivery;
    stored.payment = incoming.payment;
    stored.invoice = incoming.invoice;
    stored.items = incoming.items;
    stored.adjustments = incoming.adjustments;
    stored.total = incoming.total;
    stored.buyerComment = incoming.buyerComment;
    stored.createdAt = incoming.createdAt;
    stored.marketplaceUpdatedAt = incoming.marketplaceUpdatedAt;
}

} // namespace

ImportReport &ImportReport::operator+=(const ImportReport &other)
{
    created += other.created;
    updated += other.updated;
    unchanged += other.unchanged;
    rejected += other.rejected;
    return *this;
}

OrderImporter::OrderImporter(storage::OrderStore &store, QString account)
    : m_store(store)
    , m_account(std::move(account))
{}

Result<ImportReport> OrderImporter::importFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::marketplace::OrderImporter", "Cannot read %1: %2")
                             .arg(path, file.errorString()));
    return importJson(file.readAll());
}

ImportReport OrderImporter::importJson(const QByteArray &json)
{
    if (const auto tree = util::JsonTree::parse(json)) {
        const util::JsonRef root = tree->root();
        util::JsonRef list = root;
        if (root.isObject() && root.contains("checkoutForms"_L1)) {
            list = root.value("checkoutForms"_L1);
            if (!list.isArray()) {
                ImportReport report;
                report.rejected.append(
                    {QString(), QCoreApplication::translate("sd::marketplace::OrderImporter",
                                                            "checkoutForms must be a list of orders")});
                return report;
            }
        }
        QList<util::JsonRef> forms;
        if (list.isArray()) {
            forms.reserve(list.size());
            for (util::JsonRef form = list.first(); !form.isUndefined(); form = form.next())
                forms.append(form);
        } else {
            forms.append(root);
        }
        return importAll(forms);
    }

    // QJsonDocument decides about anything the strict reader does not take, so its messages stay.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error == QJsonParseError::NoError) {
        if (document.isArray())
            return importForms(document.array());
        const QJsonObject object = document.object();
        if (object.contains(u"checkoutForms")) {
            if (!object.value(u"checkoutForms").isArray()) {
                ImportReport report;
                report.rejected.append(
                    {QString(), QCoreApplication::translate("sd::marketplace::OrderImporter",
                                                            "checkoutForms must be a list of orders")});
                return report;
            }
            return importForms(object.value(u"checkoutForms").toArray());
        }
        return importForms(QJsonArray{object});
    }

    // Not valid JSON as a whole: read what can be read, order by order.
    qCWarning(lcImport) << "malformed JSON, importing order by order:" << parseError.errorString() << "at"
                        << parseError.offset;
    QString fileProblem;
    const QList<Piece> pieces = splitTopLevelArray(json, &fileProblem);
    ImportReport report;
    QJsonArray readable;
    for (const Piece &piece : pieces) {
        QJsonParseError pieceError;
        const QJsonDocument one = QJsonDocument::fromJson(piece.json, &pieceError);
        if (pieceError.error == QJsonParseError::NoError && one.isObject()) {
            readable.append(one.object());
            continue;
        }
        const QString id = idHint(piece.json);
        const QString where = QCoreApplication::translate("sd::marketplace::OrderImporter", "at byte %1")
                                  .arg(piece.offset + pieceError.offset);
        const QString reason =
            piece.complete
                ? QCoreApplication::translate("sd::marketplace::OrderImporter", "the order is not valid JSON (%1 %2)")
                      .arg(pieceError.errorString(), where)
                : QCoreApplication::translate("sd::marketplace::OrderImporter",
                                              "the order is cut short: the file ends inside it (%1)")
                      .arg(where);
        report.rejected.append(
            {id.isEmpty()
                 ? QCoreApplication::translate("sd::marketplace::OrderImporter", "(unreadable order %1)").arg(where)
                 : id,
             reason});
    }
    if (pieces.isEmpty())
        report.rejected.append({QString(), QCoreApplication::translate("sd::marketplace::OrderImporter",
                                                                       "the file is not valid JSON: %1 at byte %2")
                                               .arg(parseError.errorString())
                                               .arg(parseError.offset)});
    report += importForms(readable);
    return report;
}

ImportReport OrderImporter::importForms(const QJsonArray &forms)
{
    return importAll(forms);
}

template<typename Forms>
ImportReport OrderImporter::importAll(const Forms &forms)
{
    ImportReport report;
    for (qsizetype first = 0; first < forms.size(); first += m_batchSize) {
        const qsizetype last = qMin(forms.size(), first + m_batchSize);
        // Fast path: one transaction without savepoints. If any order fails inside it, the batch is undone
        // and done again with a savepoint per order, so the failure costs only that order.
        std::optional<ImportReport> batch = importBatch(forms, first, last, storage::Database::Nesting::Batch);
        if (!batch)
            batch = importBatch(forms, first, last, storage::Database::Nesting::Savepoints);
        report += *batch;
    }
    return report;
}

template<typename Forms>
std::optional<ImportReport> OrderImporter::importBatch(const Forms &forms, qsizetype first, qsizetype last,
                                                       storage::Database::Nesting nesting)
{
    storage::Database &db = m_store.database();
    ImportReport batch;
    const auto begun = db.begin("import batch", nesting);
    for (qsizetype i = first; i < last; ++i) {
        QString reason;
        QString id;
        const auto value = forms.at(i);
        if (!value.isObject()) {
            batch.rejected.append(
                {QCoreApplication::translate("sd::marketplace::OrderImporter", "(entry %1)").arg(i + 1),
                 QCoreApplication::translate("sd::marketplace::OrderImporter", "the entry is not an order object")});
            continue;
        }
        const Outcome outcome = importForm(value.toObject(), &reason, &id);
        if (begun && db.batchFailed()) {
            db.rollback();
            return std::nullopt;
        }
        switch (outcome) {
        case Outcome::Created:
            ++batch.created;
            break;
        case Outcome::Updated:
            ++batch.updated;
            break;
        case Outcome::Unchanged:
            ++batch.unchanged;
            break;
        case Outcome::Rejected:
            batch.rejected.append(
                {id.isEmpty() ? QCoreApplication::translate("sd::marketplace::OrderImporter", "(entry %1)").arg(i + 1)
                              : id,
                 reason});
            break;
        }
    }
    if (!begun)
        return batch; // each order ran in its own transaction
    // The batch's orders become searchable in the same transaction, in one statement.
    if (auto r = storage::OrderQuery(m_store.sharedDatabase()).refreshSearchIndex(); !r) {
        db.rollback();
        ImportReport failed;
        for (qsizetype i = first; i < last; ++i)
            failed.rejected.append({QString(), r.error().userMessage});
        return failed;
    }
    if (auto r = db.commit("import batch"); !r) {
        // The batch is gone as a whole: none of it counts as imported.
        ImportReport failed;
        for (qsizetype i = first; i < last; ++i)
            failed.rejected.append({forms.at(i).toObject().value("id"_L1).toString(), r.error().userMessage});
        return failed;
    }
    return batch;
}

template<typename Form>
OrderImporter::Outcome OrderImporter::importForm(const Form &form, QString *reason, QString *id)
{
    *id = form.value("id"_L1).toString();
    const allegro::CheckoutFormParser parser(m_account);
    return importOrder(parser.parse(form), reason);
}

OrderImporter::Outcome OrderImporter::importOrder(Result<domain::Order> parsed, QString *reason)
{
    if (!parsed) {
        *reason = parsed.error().userMessage;
        return Outcome::Rejected;
    }
    const domain::Order &incoming = *parsed;
    auto existing = m_store.revisionByExternal(incoming.marketplace, incoming.account, incoming.externalId);
    if (!existing) {
        *reason = existing.error().userMessage;
        return Outcome::Rejected;
    }
    const storage::ChangeContext context{u"marketplace:" + incoming.marketplace,
                                         QCoreApplication::translate("sd::marketplace::OrderImporter", "import"), 0};
    if (!existing->has_value()) {
        auto created = m_store.apply(storage::OrderChange::create(incoming, context));
        if (!created) {
            *reason = created.error().userMessage;
            return Outcome::Rejected;
        }
        return Outcome::Created;
    }
    if ((*existing)->second == incoming.revision)
        return Outcome::Unchanged;

    auto updated =
        m_store.apply(storage::OrderChange::update((*existing)->first,
                                                   [&incoming](domain::Order &stored) -> Result<void> {
                                                       // An older revision arriving late (the journal can reorder
                                                       // events) must not undo a newer one.
                                                       if (stored.marketplaceUpdatedAt.isValid() &&
                                                           incoming.marketplaceUpdatedAt.isValid() &&
                                                           incoming.marketplaceUpdatedAt < stored.marketplaceUpdatedAt)
                                                           return {};
                                                       copyMarketplaceFields(stored, incoming);
                                                       return {};
                                                   },
                                                   context));
    if (!updated) {
        *reason = updated.error().userMessage;
        return Outcome::Rejected;
    }
    return updated->changedFields.isEmpty() ? Outcome::Unchanged : Outcome::Updated;
}

} // namespace sd::marketplace
