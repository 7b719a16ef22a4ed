#include "marketplace/orderimporter.h"

#include "marketplace/allegro/checkoutformparser.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QThread>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

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

namespace {

// What the reading stage hands to the writing stage, in order.
struct Staged
{
    enum class Kind {
        Form,      // one entry of a list of forms
        EndOfList, // the list (a file) is complete
        Report,    // a file refused as a whole
        Document,  // a file the strict reader does not take: it goes through QJsonDocument on the writer
    };
    Kind kind = Kind::Form;
    OrderImporter::ParsedForm form;
    ImportReport report;
    QByteArray document;
};

template<typename Form>
OrderImporter::ParsedForm parseEntry(const allegro::CheckoutFormParser &parser, const Form &value, qsizetype entry)
{
    OrderImporter::ParsedForm parsed;
    parsed.entry = entry;
    if (!value.isObject())
        return parsed;
    const auto form = value.toObject();
    parsed.id = form.value("id"_L1).toString();
    parsed.order = parser.parse(form);
    return parsed;
}

ImportReport notAListReport()
{
    ImportReport report;
    report.rejected.append({QString(), QCoreApplication::translate("sd::marketplace::OrderImporter",
                                                                   "checkoutForms must be a list of orders")});
    return report;
}

// A source of staged items: files read with the strict reader, or a QJsonArray.
class Reader
{
public:
    virtual ~Reader() = default;
    virtual bool next(Staged &out) = 0;
};

class FilesReader final : public Reader
{
public:
    FilesReader(const QList<QByteArray> &files, const QString &account)
        : m_files(files)
        , m_parser(account)
    {}

    bool next(Staged &out) override
    {
        while (!m_tree) {
            if (m_file >= m_files.size())
                return false;
            const QByteArray &json = m_files.at(m_file++);
            m_tree = util::JsonTree::parse(json);
            if (!m_tree) {
                out = Staged{Staged::Kind::Document, {}, {}, json};
                return true;
            }
            const util::JsonRef root = m_tree->root();
            util::JsonRef list = root;
            if (root.isObject() && root.contains("checkoutForms"_L1)) {
                list = root.value("checkoutForms"_L1);
                if (!list.isArray()) {
                    m_tree.reset();
                    out = Staged{Staged::Kind::Report, {}, notAListReport(), {}};
                    return true;
                }
            }
            m_entry = 0;
            m_single = !list.isArray();
            m_form = m_single ? root : list.first();
        }
        if (m_form.isUndefined()) {
            m_tree.reset();
            out = Staged{Staged::Kind::EndOfList, {}, {}, {}};
            return true;
        }
        out = Staged{Staged::Kind::Form, parseEntry(m_parser, m_form, m_entry++), {}, {}};
        m_form = m_single ? util::JsonRef() : m_form.next();
        return true;
    }

private:
    const QList<QByteArray> &m_files;
    const allegro::CheckoutFormParser m_parser;
    qsizetype m_file = 0;
    std::unique_ptr<util::JsonTree> m_tree;
    util::JsonRef m_form;
    qsizetype m_entry = 0;
    bool m_single = false;
};

class ArrayReader final : public Reader
{
public:
    ArrayReader(const QJsonArray &forms, const QString &account)
        : m_forms(forms)
        , m_parser(account)
    {}

    bool next(Staged &out) override
    {
        if (m_entry > m_forms.size())
            return false;
        if (m_entry == m_forms.size()) {
            ++m_entry;
            out = Staged{Staged::Kind::EndOfList, {}, {}, {}};
            return true;
        }
        out = Staged{Staged::Kind::Form, parseEntry(m_parser, m_forms.at(m_entry), m_entry), {}, {}};
        ++m_entry;
        return true;
    }

private:
    const QJsonArray &m_forms;
    const allegro::CheckoutFormParser m_parser;
    qsizetype m_entry = 0;
};

// Below this much input a second thread costs more than it saves.
constexpr qsizetype kPipelineBytes = 256 * 1024;
constexpr qsizetype kPipelineForms = 100;

} // namespace

// The reading stage: on its own thread when that pays (reading and mapping a form costs about as much as
// writing it), else in line. The worker runs ahead of the writer by a bounded number of forms.
class OrderImporter::Stage
{
public:
    Stage(std::unique_ptr<Reader> reader, bool threaded)
        : m_reader(std::move(reader))
    {
        if (threaded && QThread::idealThreadCount() > 1)
            m_worker = std::thread([this] { produce(); });
    }
    ~Stage()
    {
        if (!m_worker.joinable())
            return;
        {
            std::lock_guard lock(m_mutex);
            m_cancelled = true;
        }
        m_space.notify_one();
        m_worker.join();
    }
    Stage(const Stage &) = delete;
    Stage &operator=(const Stage &) = delete;

    bool take(Staged &out)
    {
        m_batchEnded = false;
        if (m_pending) {
            out = std::move(*m_pending);
            m_pending.reset();
            return true;
        }
        return pop(out);
    }
    // The next form into forms, from this list or the next (a batch may span files); false (and nothing added)
    // when the forms end or something else comes first, which take() then returns.
    bool takeForm(std::vector<ParsedForm> &forms)
    {
        Staged item;
        while (!m_batchEnded && pop(item)) {
            if (item.kind == Staged::Kind::Form) {
                forms.push_back(std::move(item.form));
                return true;
            }
            if (item.kind != Staged::Kind::EndOfList)
                m_pending = std::move(item);
            else
                continue;
            break;
        }
        m_batchEnded = true;
        return false;
    }

    // Written forms are freed by the thread that allocated their strings (freeing them here cost the writer 5 %).
    void recycle(std::vector<ParsedForm> &&forms)
    {
        if (!m_worker.joinable())
            return;
        std::lock_guard lock(m_mutex);
        m_written.push_back(std::move(forms));
    }

private:
    static constexpr size_t kAhead = 1024;

    bool pop(Staged &out)
    {
        if (!m_worker.joinable())
            return m_reader->next(out);
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [this] { return !m_queue.empty() || m_done; });
        if (m_queue.empty())
            return false;
        out = std::move(m_queue.front());
        m_queue.pop_front();
        // A full queue waits until it is half empty: one wake-up per kAhead / 2 forms, not one per form.
        if (m_queue.size() == kAhead / 2) {
            lock.unlock();
            m_space.notify_one();
        }
        return true;
    }

    void produce()
    {
        Staged item;
        std::vector<std::vector<ParsedForm>> written;
        while (m_reader->next(item)) {
            written.clear();
            std::unique_lock lock(m_mutex);
            written.swap(m_written);
            if (m_queue.size() >= kAhead)
                m_space.wait(lock, [this] { return m_queue.size() <= kAhead / 2 || m_cancelled; });
            if (m_cancelled)
                return;
            m_queue.push_back(std::move(item));
            lock.unlock();
            m_ready.notify_one();
        }
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_ready.notify_one();
    }

    std::unique_ptr<Reader> m_reader;
    std::thread m_worker;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::condition_variable m_space;
    std::deque<Staged> m_queue;
    std::vector<std::vector<ParsedForm>> m_written; // to be freed by the worker
    bool m_done = false;
    bool m_cancelled = false;
    bool m_batchEnded = false;
    std::optional<Staged> m_pending;
};

ImportReport OrderImporter::importJson(const QByteArray &json)
{
    return importJsonFiles({json});
}

ImportReport OrderImporter::importJsonFiles(const QList<QByteArray> &files)
{
    qsizetype bytes = 0;
    for (const QByteArray &file : files)
        bytes += file.size();
    Stage stage(std::make_unique<FilesReader>(files, m_account), bytes >= kPipelineBytes);
    return importAll(stage);
}

ImportReport OrderImporter::importDocument(const QByteArray &json)
{
    // QJsonDocument decides about anything the strict reader does not take, so its messages stay.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error == QJsonParseError::NoError) {
        if (document.isArray())
            return importForms(document.array());
        const QJsonObject object = document.object();
        if (object.contains(u"checkoutForms")) {
            if (!object.value(u"checkoutForms").isArray())
                return notAListReport();
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
    Stage stage(std::make_unique<ArrayReader>(forms, m_account), forms.size() >= kPipelineForms);
    return importAll(stage);
}

ImportReport OrderImporter::importAll(Stage &stage)
{
    ImportReport report;
    Staged item;
    while (stage.take(item)) {
        switch (item.kind) {
        case Staged::Kind::Form:
            report += importBatch(stage, std::move(item.form));
            break;
        case Staged::Kind::EndOfList:
            break;
        case Staged::Kind::Report:
            report += item.report;
            break;
        case Staged::Kind::Document:
            report += importDocument(item.document);
            break;
        }
    }
    return report;
}

ImportReport OrderImporter::importBatch(Stage &stage, ParsedForm first)
{
    std::vector<ParsedForm> forms;
    forms.reserve(size_t(m_batchSize));
    forms.push_back(std::move(first));
    // Fast path: one transaction without savepoints, writing each form as the reading stage delivers it.
    std::optional<ImportReport> batch = writeBatch(forms, storage::Database::Nesting::Batch, &stage);
    if (!batch) {
        while (qsizetype(forms.size()) < m_batchSize && stage.takeForm(forms)) {
        }
        batch = writeBatch(forms, storage::Database::Nesting::Savepoints, nullptr);
    }
    stage.recycle(std::move(forms));
    return *batch;
}

std::optional<ImportReport> OrderImporter::writeBatch(std::vector<ParsedForm> &forms,
                                                      storage::Database::Nesting nesting, Stage *more)
{
    storage::Database &db = m_store.database();
    ImportReport batch;
    const auto begun = db.begin("import batch", nesting);
    for (size_t i = 0;; ++i) {
        if (i == forms.size() && (!more || qsizetype(forms.size()) >= m_batchSize || !more->takeForm(forms)))
            break;
        const ParsedForm &form = forms[i];
        if (!form.order) {
            batch.rejected.append(
                {QCoreApplication::translate("sd::marketplace::OrderImporter", "(entry %1)").arg(form.entry + 1),
                 QCoreApplication::translate("sd::marketplace::OrderImporter", "the entry is not an order object")});
            continue;
        }
        QString reason;
        const Outcome outcome = importOrder(*form.order, &reason);
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
                {form.id.isEmpty()
                     ? QCoreApplication::translate("sd::marketplace::OrderImporter", "(entry %1)").arg(form.entry + 1)
                     : form.id,
                 reason});
            break;
        }
    }
    if (!begun)
        return batch; // each order ran in its own transaction
    // The search index is not filled here: the batch's orders wait in search_queue (filled by triggers in this
    // transaction), and the next search indexes whatever is queued before it runs. Indexing cost the import a
    // quarter of its time, for orders nobody may search for before many more arrive.
    if (auto r = db.commit("import batch"); !r) {
        // The batch is gone as a whole: none of it counts as imported.
        ImportReport failed;
        for (const ParsedForm &form : forms)
            failed.rejected.append({form.id, r.error().userMessage});
        return failed;
    }
    return batch;
}

OrderImporter::Outcome OrderImporter::importOrder(const Result<domain::Order> &parsed, QString *reason)
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
