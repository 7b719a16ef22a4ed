#pragma once

#include "storage/orderstore.h"
#include "util/jsontree.h"

#include <QJsonArray>
#include <QList>

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
    ImportReport importForms(const QJsonArray &forms);

    // Orders per transaction; each order is still all-or-nothing on its own (a savepoint).
    void setBatchSize(int size) { m_batchSize = qMax(1, size); }

private:
    enum class Outcome { Created, Updated, Unchanged, Rejected };
    // Forms is a QJsonArray or a list of util::JsonRef (importJson's own reader, which is several times
    // faster than QJsonDocument); both take the same path.
    template<typename Forms>
    ImportReport importAll(const Forms &forms);
    template<typename Forms>
    std::optional<ImportReport> importBatch(const Forms &forms, qsizetype first, qsizetype last,
                                            storage::Database::Nesting nesting);
    template<typename Form>
    Outcome importForm(const Form &form, QString *reason, QString *id);
    Outcome importOrder(Result<domain::Order> parsed, QString *reason);

    storage::OrderStore &m_store;
    QString m_account;
    int m_batchSize = 500;
};

} // namespace sd::marketplace
