#pragma once

#include "storage/orderstore.h"
#include "util/jsontree.h"

#include <QJsonArray>
#include <QList>

#include <optional>
#include <vector>

namespace sd::marketplace {

struct ImportReport
{
    struct Rejection
    {
        QString orderId; // the marketplace id, or a position in the file when the id cannot be read
        QString reason;  // translated, for the person who runs the import
    };

    int created = 0;
    int updated = 0;
    int unchanged = 0;
    QList<Rejection> rejected;

    ImportReport &operator+=(const ImportReport &other);
};

// Brings marketplace orders into the store: new ones are created, a new revision updates only what the
// marketplace owns (the seller's status, tags and notes stay), the same revision changes nothing.
// Every order goes through OrderStore::apply, so history and events are written with it.
class OrderImporter
{
public:
    explicit OrderImporter(storage::OrderStore &store, QString account = {});

    // A file with one checkout form, an array of them, or {"checkoutForms": [...]}. Orders that can be read
    // are imported even when others in the file are broken or the file is cut short.
    Result<ImportReport> importFile(const QString &path);
    ImportReport importJson(const QByteArray &json);
    // Several files, as if importJson ran on each in turn. With a second core the next orders are read and
    // mapped on a worker thread while the current ones are written (the database work stays on this thread).
    ImportReport importJsonFiles(const QList<QByteArray> &files);
    ImportReport importForms(const QJsonArray &forms);

    // Orders per transaction (the files of one importJsonFiles call share them); each order is still
    // all-or-nothing on its own. Big batches write every index page once per commit instead of many times.
    void setBatchSize(int size) { m_batchSize = qMax(1, size); }

    // Read and map one entry of a list of forms: what the writing stage needs, with no reference into the JSON.
    struct ParsedForm
    {
        qsizetype entry = 0;                        // position in its list, from 0
        QString id;                                 // the form's id as far as it could be read
        std::optional<Result<domain::Order>> order; // empty: the entry is not an object
    };
    class Stage;

private:
    enum class Outcome { Created, Updated, Unchanged, Rejected };
    ImportReport importAll(Stage &stage);
    // Writes the batch that starts with first, taking the rest from the stage (up to the batch size or the end of
    // the forms). One transaction without savepoints; if any order fails in it, the batch is undone and written
    // again with a savepoint per order, so the failure costs only that order.
    ImportReport importBatch(Stage &stage, ParsedForm first);
    // more: the stage to take the batch's further forms from while writing; null to write forms as they are.
    std::optional<ImportReport> writeBatch(std::vector<ParsedForm> &forms, storage::Database::Nesting nesting,
                                           Stage *more);
    ImportReport importDocument(const QByteArray &json);
    Outcome importOrder(const Result<domain::Order> &parsed, QString *reason);

    storage::OrderStore &m_store;
    QString m_account;
    int m_batchSize = 5000;
};

} // namespace sd::marketplace
