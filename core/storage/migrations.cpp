#include "storage/migrations.h"

#include "storage/sqlquery.h"
#include "util/logging.h"

#include <QCoreApplication>

namespace sd::storage {

namespace {

// The statuses a new profile starts with, named in the language of the person who creates it.
Result<void> seedStatuses(QSqlDatabase &db, Database::Engine)
{
    struct Seed
    {
        const char *name;
        const char *color;
        const char *group;
    };
    static const Seed seeds[] = {
        {QT_TRANSLATE_NOOP("sd::storage::Status", "New"), "#3d8bfd", "new"},
        {QT_TRANSLATE_NOOP("sd::storage::Status", "To ship"), "#f0a30a", "in-progress"},
        {QT_TRANSLATE_NOOP("sd::storage::Status", "Shipped"), "#2e9d5b", "shipped"},
        {QT_TRANSLATE_NOOP("sd::storage::Status", "Closed"), "#6c757d", "closed"},
        {QT_TRANSLATE_NOOP("sd::storage::Status", "Cancelled"), "#c0392b", "cancelled"},
    };
    QSqlQuery query(db);
    query.prepare(
        QStringLiteral("INSERT INTO statuses (name, color, group_key, position, buyer_name) VALUES (?, ?, ?, ?, ?)"));
    int position = 0;
    for (const Seed &seed : seeds) {
        const QString name = QCoreApplication::translate("sd::storage::Status", seed.name);
        query.addBindValue(name);
        query.addBindValue(QString::fromLatin1(seed.color));
        query.addBindValue(QString::fromLatin1(seed.group));
        query.addBindValue(position++);
        query.addBindValue(name);
        if (auto r = exec(query, "seed statuses"); !r)
            return r;
    }
    return {};
}

// Search on SQLite: one full-text row per order (marketplace id, login, e-mail, name and its items' names,
// SKUs and EANs; unicode61 words, diacritics folded). Writing it row by row inside every change would cost more
// than the change itself (FTS5 flushes a segment per statement), so triggers only note which orders changed, in
// the same transaction as the change, and OrderQuery::refreshSearchIndex() indexes them in one statement before
// any search. Nothing is lost: the queue is a table. Items need no trigger of
// their own: they change only through OrderStore::apply, which rewrites the order row with them.
Result<void> createSearchIndexes(QSqlDatabase &db, Database::Engine engine)
{
    if (engine != Database::Engine::Sqlite)
        return {};
    static const char *statements[] = {
        "CREATE TABLE search_queue (order_id INTEGER PRIMARY KEY)",
        "CREATE VIRTUAL TABLE orders_fts USING fts5(external_id, buyer_login, buyer_email, buyer_name, items, "
        "tokenize='unicode61 remove_diacritics 2', detail=none)",
        "CREATE TRIGGER search_order_insert AFTER INSERT ON orders BEGIN "
        "INSERT OR IGNORE INTO search_queue (order_id) VALUES (new.id); END",
        "CREATE TRIGGER search_order_update AFTER UPDATE OF external_id, buyer_login, buyer_email, buyer_name ON "
        "orders "
        "BEGIN INSERT OR IGNORE INTO search_queue (order_id) VALUES (new.id); END",
        "CREATE TRIGGER search_order_delete AFTER DELETE ON orders BEGIN "
        "INSERT OR IGNORE INTO search_queue (order_id) VALUES (old.id); END",
        "INSERT INTO search_queue (order_id) SELECT id FROM orders",
    };
    for (const char *sql : statements)
        if (auto r = exec(db, QString::fromLatin1(sql), "create search indexes"); !r)
            return r;
    return {};
}

// Schema 6. The filter columns of orders already stored are read from their documents, and the infix search
// index (SQLite) is filled in the same transaction. PostgreSQL gets trigram indexes for its LIKE search when
// pg_trgm is there or may be created; without it the same queries run, only slower.
Result<void> fillWorkspaceColumns(QSqlDatabase &db, Database::Engine engine)
{
    QStringList statements;
    if (engine == Database::Engine::Sqlite) {
        // Documents are stored as BLOBs; SQLite 3.40's JSON functions want text.
        statements << u"UPDATE orders SET delivery_country = COALESCE(NULLIF(json_extract(CAST(doc AS TEXT), "
                      "'$.delivery.address.countryCode'), ''), json_extract(CAST(doc AS TEXT), "
                      "'$.delivery.pickupPoint.address.countryCode'), ''), "
                      "buyer_commented = COALESCE(json_extract(CAST(doc AS TEXT), '$.buyerComment'), '') <> '', "
                      "referrers = COALESCE((SELECT char(10) || group_concat(value, char(10)) || char(10) "
                      "FROM json_each(CAST(doc AS TEXT), '$.referrers')), '')"_qs
                   << u"CREATE VIRTUAL TABLE orders_infix USING fts5(who, tokenize='trigram', detail=none)"_qs
                   << u"INSERT INTO orders_infix (rowid, who) SELECT id, buyer_login || ' ' || buyer_email || ' ' || "
                      "buyer_name FROM orders"_qs;
    } else {
        statements << u"UPDATE orders SET delivery_country = COALESCE(NULLIF(doc::jsonb #>> "
                      "'{delivery,address,countryCode}', ''), doc::jsonb #>> "
                      "'{delivery,pickupPoint,address,countryCode}', ''), "
                      "buyer_commented = CASE WHEN COALESCE(doc::jsonb ->> 'buyerComment', '') <> '' THEN 1 ELSE 0 "
                      "END, referrers = COALESCE((SELECT E'\\n' || string_agg(r, E'\\n') || E'\\n' "
                      "FROM jsonb_array_elements_text(doc::jsonb -> 'referrers') r), '')"_qs;
    }
    if (engine == Database::Engine::Sqlite) {
        // In slices: one UPDATE of a million rows keeps a statement journal as big as the table in memory.
        QSqlQuery last(db);
        if (!last.exec(u"SELECT COALESCE(MAX(id), 0) FROM orders"_qs) || !last.next())
            return toError(last.lastError(), "fill workspace columns");
        const qint64 maxId = last.value(0).toLongLong();
        last.finish();
        QSqlQuery slice(db);
        slice.prepare(statements.takeFirst() + u" WHERE id > ? AND id <= ?");
        for (qint64 from = 0; from < maxId; from += 20000) {
            slice.addBindValue(from);
            slice.addBindValue(from + 20000);
            if (auto r = exec(slice, "fill workspace columns"); !r)
                return r;
        }
    }
    for (const QString &sql : std::as_const(statements))
        if (auto r = exec(db, sql, "fill workspace columns"); !r)
            return r;
    if (engine != Database::Engine::Postgres)
        return {};
    // A role that may not create extensions must not fail the upgrade: the savepoint keeps the transaction alive.
    if (auto r = exec(db, u"SAVEPOINT trigram"_qs, "trigram extension"); !r)
        return r;
    QSqlQuery create(db);
    if (!create.exec(u"CREATE EXTENSION IF NOT EXISTS pg_trgm"_qs)) {
        qCInfo(lcStorage) << "pg_trgm not available; search runs without trigram indexes:" << create.lastError().text();
        return exec(db, u"ROLLBACK TO SAVEPOINT trigram"_qs, "trigram extension");
    }
    if (auto r = exec(db, u"RELEASE SAVEPOINT trigram"_qs, "trigram extension"); !r)
        return r;
    for (const char *column : {"external_id", "buyer_login", "buyer_email", "buyer_name"})
        if (auto r = exec(db,
                          u"CREATE INDEX orders_" + QLatin1StringView(column) + u"_trgm ON orders USING gin (LOWER(" +
                              QLatin1StringView(column) + u") gin_trgm_ops)",
                          "trigram indexes");
            !r)
            return r;
    for (const char *column : {"name", "sku"})
        if (auto r =
                exec(db,
                     u"CREATE INDEX order_items_" + QLatin1StringView(column) +
                         u"_trgm ON order_items USING gin (LOWER(" + QLatin1StringView(column) + u") gin_trgm_ops)",
                     "trigram indexes");
            !r)
            return r;
    return {};
}

} // namespace

QString forEngine(QString sql, Database::Engine engine)
{
    const bool pg = engine == Database::Engine::Postgres;
    sql.replace(u"{PK}"_qs, pg ? u"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"_qs
                               : u"INTEGER PRIMARY KEY AUTOINCREMENT"_qs);
    return sql;
}

const QList<Migration> &migrations()
{
    static const QList<Migration> list = {
        {1,
         "orders, statuses, tags, history, events, action ledger",
         {
             u"CREATE TABLE statuses (id {PK}, name TEXT NOT NULL UNIQUE, color TEXT NOT NULL, "
             "group_key TEXT NOT NULL, position INTEGER NOT NULL, buyer_name TEXT NOT NULL DEFAULT '')"_qs,
             u"CREATE TABLE tags (id {PK}, name TEXT NOT NULL UNIQUE, color TEXT NOT NULL DEFAULT '#808080')"_qs,
             u"CREATE TABLE orders (id {PK}, marketplace TEXT NOT NULL, account TEXT NOT NULL DEFAULT '', "
             "external_id TEXT, revision TEXT NOT NULL DEFAULT '', "
             "status_id BIGINT NOT NULL REFERENCES statuses(id), "
             "marketplace_status TEXT NOT NULL DEFAULT '', fulfillment_status TEXT NOT NULL DEFAULT '', "
             "buyer_login TEXT NOT NULL DEFAULT '', buyer_email TEXT NOT NULL DEFAULT '', "
             "buyer_name TEXT NOT NULL DEFAULT '', total_minor BIGINT NOT NULL, currency TEXT NOT NULL, "
             "payment_method TEXT NOT NULL DEFAULT '', payment_status TEXT NOT NULL DEFAULT '', "
             "delivery_method TEXT NOT NULL DEFAULT '', invoice_wanted INTEGER NOT NULL DEFAULT 0, "
             "item_count INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "
             "marketplace_updated_at BIGINT, doc TEXT NOT NULL)"_qs,
             u"CREATE UNIQUE INDEX orders_external ON orders (marketplace, account, external_id)"_qs,
             u"CREATE INDEX orders_status_created ON orders (status_id, created_at)"_qs,
             u"CREATE INDEX orders_created ON orders (created_at)"_qs,
             u"CREATE INDEX orders_buyer_login ON orders (buyer_login)"_qs,
             u"CREATE TABLE order_items (order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, "
             "position INTEGER NOT NULL, offer_id TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, "
             "sku TEXT NOT NULL DEFAULT '', ean TEXT NOT NULL DEFAULT '', quantity INTEGER NOT NULL, "
             "unit_price_minor BIGINT NOT NULL, PRIMARY KEY (order_id, position))"_qs,
             u"CREATE INDEX order_items_sku ON order_items (sku)"_qs,
             u"CREATE TABLE order_tags (order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, "
             "tag_id BIGINT NOT NULL REFERENCES tags(id), PRIMARY KEY (order_id, tag_id))"_qs,
             u"CREATE TABLE events (id {PK}, type TEXT NOT NULL, order_id BIGINT, payload TEXT NOT NULL, "
             "cause_depth INTEGER NOT NULL DEFAULT 0, actor TEXT NOT NULL, created_at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX events_order ON events (order_id)"_qs,
             u"CREATE TABLE order_history (id {PK}, order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, "
             "event_id BIGINT NOT NULL REFERENCES events(id), at BIGINT NOT NULL, actor TEXT NOT NULL, "
             "field TEXT NOT NULL, old_value TEXT, new_value TEXT)"_qs,
             u"CREATE INDEX order_history_order ON order_history (order_id, id)"_qs,
             u"CREATE TABLE action_ledger (idempotency_key TEXT PRIMARY KEY, action TEXT NOT NULL, "
             "order_id BIGINT, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, result TEXT, "
             "owner TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"_qs,
         },
         seedStatuses},
        {2,
         "job queue",
         {
             u"CREATE TABLE jobs (id {PK}, kind TEXT NOT NULL, order_id BIGINT REFERENCES orders(id) ON DELETE "
             u"CASCADE, "
             "payload TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, state TEXT NOT NULL, due_at BIGINT NOT "
             "NULL, "
             "attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', lease_owner TEXT, "
             "lease_until BIGINT, created_at BIGINT NOT NULL, cause_event_id BIGINT)"_qs,
             u"CREATE INDEX jobs_due ON jobs (state, due_at)"_qs,
             u"CREATE INDEX jobs_order ON jobs (order_id)"_qs,
         },
         {}},
        {3,
         "saved views",
         {
             u"CREATE TABLE saved_views (id {PK}, name TEXT NOT NULL UNIQUE, filter TEXT NOT NULL, "
             "position INTEGER NOT NULL DEFAULT 0)"_qs,
         },
         {}},
        {4,
         "search indexes; status and payment index",
         {
             // Counting a status tab's unpaid orders reads this index alone.
             u"CREATE INDEX orders_status_payment ON orders (status_id, payment_status, created_at)"_qs,
         },
         createSearchIndexes},
        {5,
         "marketplace accounts, seen events, shipments, billing, offers, threads, refunds",
         {
             // Tokens are never here: secret_ref names the SecretStore entry; token_generation counts refreshes
             // so workstations can tell that another one already used the single-use refresh token.
             u"CREATE TABLE marketplace_accounts (id {PK}, marketplace TEXT NOT NULL, name TEXT NOT NULL UNIQUE, "
             "environment TEXT NOT NULL, api_url TEXT NOT NULL, auth_url TEXT NOT NULL, client_id TEXT NOT NULL, "
             "secret_ref TEXT NOT NULL, token_generation BIGINT NOT NULL DEFAULT 0, "
             "seller_id TEXT NOT NULL DEFAULT '', seller_login TEXT NOT NULL DEFAULT '', "
             "event_cursor TEXT NOT NULL DEFAULT '', last_sync_at BIGINT, last_error TEXT NOT NULL DEFAULT '', "
             "sync_interval_s INTEGER NOT NULL DEFAULT 300, connected INTEGER NOT NULL DEFAULT 0, "
             "created_at BIGINT NOT NULL)"_qs,
             u"CREATE TABLE marketplace_seen_events (account_id BIGINT NOT NULL REFERENCES marketplace_accounts(id) "
             "ON DELETE CASCADE, dedupe_key TEXT NOT NULL, event_id TEXT NOT NULL, seen_at BIGINT NOT NULL, "
             "PRIMARY KEY (account_id, dedupe_key))"_qs,
             u"CREATE TABLE order_shipments (id {PK}, order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE "
             "CASCADE, account_id BIGINT, carrier_id TEXT NOT NULL, carrier_name TEXT NOT NULL DEFAULT '', "
             "waybill TEXT NOT NULL, external_id TEXT NOT NULL DEFAULT '', tracking_status TEXT NOT NULL DEFAULT '', "
             "tracking_updated_at BIGINT, closed INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX order_shipments_order ON order_shipments (order_id)"_qs,
             u"CREATE INDEX order_shipments_waybill ON order_shipments (waybill)"_qs,
             u"CREATE INDEX order_shipments_open ON order_shipments (account_id, closed)"_qs,
             u"CREATE TABLE marketplace_billing (account_id BIGINT NOT NULL REFERENCES marketplace_accounts(id) "
             "ON DELETE CASCADE, entry_id TEXT NOT NULL, order_id BIGINT REFERENCES orders(id) ON DELETE CASCADE, "
             "type_id TEXT NOT NULL DEFAULT '', type_name TEXT NOT NULL DEFAULT '', amount_minor BIGINT NOT NULL, "
             "currency TEXT NOT NULL, occurred_at BIGINT NOT NULL, PRIMARY KEY (account_id, entry_id))"_qs,
             u"CREATE INDEX marketplace_billing_order ON marketplace_billing (order_id)"_qs,
             u"CREATE TABLE marketplace_offers (account_id BIGINT NOT NULL REFERENCES marketplace_accounts(id) "
             "ON DELETE CASCADE, offer_id TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', "
             "external_id TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT '', available INTEGER, "
             "price_minor BIGINT, currency TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL, "
             "PRIMARY KEY (account_id, offer_id))"_qs,
             u"CREATE INDEX marketplace_offers_external ON marketplace_offers (external_id)"_qs,
             u"CREATE TABLE marketplace_threads (account_id BIGINT NOT NULL REFERENCES marketplace_accounts(id) "
             "ON DELETE CASCADE, thread_id TEXT NOT NULL, interlocutor TEXT NOT NULL DEFAULT '', "
             "is_read INTEGER NOT NULL DEFAULT 0, last_message_at BIGINT, updated_at BIGINT NOT NULL, "
             "PRIMARY KEY (account_id, thread_id))"_qs,
             u"CREATE TABLE marketplace_refunds (id {PK}, kind TEXT NOT NULL, account_id BIGINT, "
             "order_id BIGINT REFERENCES orders(id) ON DELETE CASCADE, command_id TEXT NOT NULL UNIQUE, "
             "line_item_id TEXT NOT NULL DEFAULT '', external_id TEXT NOT NULL DEFAULT '', "
             "status TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX marketplace_refunds_order ON marketplace_refunds (order_id)"_qs,
         },
         {}},
        {6,
         "order workspace: filter columns, tag and payment indexes, infix search",
         {
             // Filled by OrderStore from the order; the migration fills them for the orders already stored.
             u"ALTER TABLE orders ADD COLUMN delivery_country TEXT NOT NULL DEFAULT ''"_qs,
             u"ALTER TABLE orders ADD COLUMN buyer_commented INTEGER NOT NULL DEFAULT 0"_qs,
             // "\nGoogle\nNewsletter\n": one referrer is found with LIKE '%\nGoogle\n%'; few orders have any.
             u"ALTER TABLE orders ADD COLUMN referrers TEXT NOT NULL DEFAULT ''"_qs,
             u"CREATE INDEX orders_referrers ON orders (referrers) WHERE referrers <> ''"_qs,
             u"CREATE INDEX order_tags_tag ON order_tags (tag_id, order_id)"_qs,
             // Payment first: the tab counts of a payment filter read one range of it, and a tab's page with that
             // filter reads it in date order. It serves everything the (status, payment) index did.
             u"DROP INDEX orders_status_payment"_qs,
             u"CREATE INDEX orders_payment_status ON orders (payment_status, status_id, created_at)"_qs,
         },
         fillWorkspaceColumns},
        {7,
         "no indexes that no query uses",
         {
             // Searching by login or SKU goes through the full-text index on SQLite and the trigram indexes of schema
             // 6; neither reads these, and every imported order paid for them (both are inserted at random places).
             u"DROP INDEX orders_buyer_login"_qs,
             u"DROP INDEX order_items_sku"_qs,
         },
         {}},
        // Numbers are taken per feature as it is planned; migrate() runs every step above the current version, in
        // list order, so a gap is harmless.
        {8,
         "automation: rules with versions, traces, dispatcher cursor, execution log",
         {
             u"CREATE TABLE rules (id {PK}, name TEXT NOT NULL, enabled INTEGER NOT NULL, version INTEGER NOT NULL, "
             "definition TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at BIGINT NOT NULL)"_qs,
             u"CREATE TABLE rule_versions (rule_id BIGINT NOT NULL REFERENCES rules(id) ON DELETE CASCADE, "
             "version INTEGER NOT NULL, definition TEXT NOT NULL, author TEXT NOT NULL, at BIGINT NOT NULL, "
             "PRIMARY KEY (rule_id, version))"_qs,
             u"CREATE TABLE rule_traces (id {PK}, order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, "
             "rule_id BIGINT NOT NULL, rule_version INTEGER NOT NULL, event_id BIGINT, kind TEXT NOT NULL, "
             "outcome TEXT NOT NULL, trace TEXT NOT NULL, at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX rule_traces_order ON rule_traces (order_id, id)"_qs,
             u"CREATE INDEX rule_traces_rule_order ON rule_traces (rule_id, order_id, outcome)"_qs,
             u"CREATE TABLE automation_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"_qs,
             u"CREATE TABLE job_runs (id {PK}, job_id BIGINT NOT NULL, kind TEXT NOT NULL, order_id BIGINT, "
             "rule_id BIGINT, action TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL, message TEXT NOT NULL DEFAULT "
             "'', "
             "owner TEXT NOT NULL, started_at BIGINT NOT NULL, duration_ms BIGINT NOT NULL)"_qs,
             u"CREATE INDEX job_runs_job ON job_runs (job_id)"_qs,
             u"CREATE INDEX jobs_lease ON jobs (state, lease_until)"_qs,
         },
         {}},
        {9,
         "automation: operator alerts",
         {
             u"CREATE TABLE operator_alerts (id {PK}, kind TEXT NOT NULL, order_id BIGINT, rule_id BIGINT, "
             "job_id BIGINT, action TEXT NOT NULL DEFAULT '', message TEXT NOT NULL, created_at BIGINT NOT NULL, "
             "acknowledged_at BIGINT, acknowledged_by TEXT NOT NULL DEFAULT '')"_qs,
             u"CREATE INDEX operator_alerts_open ON operator_alerts (acknowledged_at, id)"_qs,
             u"CREATE INDEX rule_traces_at ON rule_traces (at)"_qs,
         },
         {}},
        {10,
         "marketplace forms to read again",
         {
             // Orders the journal named whose form could not be read (broken or cut-off JSON): the cursor moves on,
             // and each sync reads these again until they come in.
             u"CREATE TABLE marketplace_pending_forms (account_id BIGINT NOT NULL REFERENCES "
             "marketplace_accounts(id) ON DELETE CASCADE, form_id TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', "
             "since BIGINT NOT NULL, PRIMARY KEY (account_id, form_id))"_qs,
         },
         {}},
        {11,
         "inventory: products, warehouses, stock documents, reservations, offer links and stock sync",
         {
             u"CREATE TABLE products (id {PK}, sku TEXT NOT NULL UNIQUE, ean TEXT NOT NULL DEFAULT '', "
             "name TEXT NOT NULL, vat_rate TEXT NOT NULL DEFAULT '23', purchase_minor BIGINT NOT NULL DEFAULT 0, "
             "currency TEXT NOT NULL DEFAULT 'PLN', weight_g INTEGER NOT NULL DEFAULT 0, "
             "length_mm INTEGER NOT NULL DEFAULT 0, width_mm INTEGER NOT NULL DEFAULT 0, "
             "height_mm INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX products_ean ON products (ean)"_qs,
             u"CREATE TABLE warehouses (id {PK}, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
             "is_default INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)"_qs,
             // source_key: the event or ledger key a document was made for, so it is made once.
             u"CREATE TABLE stock_documents (id {PK}, kind TEXT NOT NULL, number TEXT NOT NULL UNIQUE, "
             "doc_date TEXT NOT NULL, author TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', order_id BIGINT, "
             "source_key TEXT UNIQUE, created_at BIGINT NOT NULL)"_qs,
             u"CREATE TABLE stock_lines (document_id BIGINT NOT NULL REFERENCES stock_documents(id) ON DELETE "
             "CASCADE, position INTEGER NOT NULL, product_id BIGINT NOT NULL REFERENCES products(id), "
             "warehouse_id BIGINT NOT NULL REFERENCES warehouses(id), quantity INTEGER NOT NULL, "
             "PRIMARY KEY (document_id, position))"_qs,
             u"CREATE INDEX stock_lines_product ON stock_lines (product_id)"_qs,
             // Written only by posting a document, in its transaction: the sum of its lines, never negative.
             u"CREATE TABLE stock_levels (product_id BIGINT NOT NULL REFERENCES products(id), warehouse_id BIGINT "
             "NOT NULL REFERENCES warehouses(id), quantity INTEGER NOT NULL CHECK (quantity >= 0), "
             "PRIMARY KEY (product_id, warehouse_id))"_qs,
             u"CREATE TABLE stock_series (kind TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL, "
             "PRIMARY KEY (kind, year))"_qs,
             u"CREATE TABLE stock_reservations (order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, "
             "product_id BIGINT NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL, "
             "PRIMARY KEY (order_id, product_id))"_qs,
             u"CREATE INDEX stock_reservations_product ON stock_reservations (product_id)"_qs,
             u"CREATE TABLE inventory_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_qs,
             u"ALTER TABLE marketplace_offers ADD COLUMN product_id BIGINT"_qs,
             u"ALTER TABLE marketplace_offers ADD COLUMN link_source TEXT NOT NULL DEFAULT ''"_qs,
             u"ALTER TABLE marketplace_offers ADD COLUMN format TEXT NOT NULL DEFAULT ''"_qs,
             u"ALTER TABLE marketplace_offers ADD COLUMN archived INTEGER NOT NULL DEFAULT 0"_qs,
             u"ALTER TABLE marketplace_offers ADD COLUMN sync_enabled INTEGER NOT NULL DEFAULT 0"_qs,
             u"ALTER TABLE marketplace_offers ADD COLUMN sync_state TEXT NOT NULL DEFAULT ''"_qs,
             u"ALTER TABLE marketplace_offers ADD COLUMN sync_error TEXT NOT NULL DEFAULT ''"_qs,
             u"ALTER TABLE marketplace_offers ADD COLUMN sync_attempts INTEGER NOT NULL DEFAULT 0"_qs,
             u"CREATE INDEX marketplace_offers_product ON marketplace_offers (product_id)"_qs,
             u"CREATE INDEX marketplace_offers_offer ON marketplace_offers (offer_id)"_qs,
             // One row per sync run: what it changed, or the plan it holds for the operator (anomaly guard).
             u"CREATE TABLE stock_sync_runs (id {PK}, account_id BIGINT NOT NULL, at BIGINT NOT NULL, state TEXT NOT "
             u"NULL, "
             "ended INTEGER NOT NULL DEFAULT 0, cut_percent INTEGER NOT NULL DEFAULT 0, plan TEXT NOT NULL, "
             "message TEXT NOT NULL DEFAULT '')"_qs,
             u"CREATE INDEX stock_sync_runs_account ON stock_sync_runs (account_id, state, at)"_qs,
         },
         {}},
        {12,
         "documents: company and settings, numbering series and counters, documents and their state log",
         {
             u"CREATE TABLE document_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_qs,
             u"CREATE TABLE document_series (id {PK}, name TEXT NOT NULL UNIQUE, doc_type TEXT NOT NULL, "
             "pattern TEXT NOT NULL, reset TEXT NOT NULL, is_default INTEGER NOT NULL DEFAULT 0, "
             "created_at BIGINT NOT NULL)"_qs,
             // One row per series and period ("", "2026", "2026-11"): the upsert that takes the next number locks it
             // until the document is stored, so numbers are gapless and unique across workstations.
             u"CREATE TABLE document_counters (series_id BIGINT NOT NULL REFERENCES document_series(id) ON DELETE "
             "CASCADE, period TEXT NOT NULL, last_value BIGINT NOT NULL, PRIMARY KEY (series_id, period))"_qs,
             u"CREATE TABLE documents (id {PK}, doc_type TEXT NOT NULL, family TEXT NOT NULL, state TEXT NOT NULL, "
             "number TEXT, series_id BIGINT REFERENCES document_series(id), "
             "order_id BIGINT REFERENCES orders(id), corrects_id BIGINT REFERENCES documents(id), "
             "issue_date TEXT NOT NULL DEFAULT '', buyer_name TEXT NOT NULL DEFAULT '', "
             "buyer_tax_id TEXT NOT NULL DEFAULT '', gross_minor BIGINT NOT NULL, currency TEXT NOT NULL, "
             "ksef_number TEXT NOT NULL DEFAULT '', ksef_reference TEXT NOT NULL DEFAULT '', upo TEXT, "
             "reason TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '', doc TEXT NOT NULL, xml TEXT, "
             "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"_qs,
             u"CREATE UNIQUE INDEX documents_number ON documents (number)"_qs,
             u"CREATE INDEX documents_order ON documents (order_id)"_qs,
             u"CREATE INDEX documents_state ON documents (state, id)"_qs,
             // Never two live sales invoices for one order, whoever issues them (rules, people, workstations).
             u"CREATE UNIQUE INDEX documents_one_sale ON documents (order_id) "
             "WHERE family = 'sale' AND state NOT IN ('cancelled', 'draft')"_qs,
             u"CREATE TABLE document_log (id {PK}, document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE "
             "CASCADE, at BIGINT NOT NULL, actor TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, "
             "note TEXT NOT NULL DEFAULT '')"_qs,
             u"CREATE INDEX document_log_document ON document_log (document_id, id)"_qs,
             // A new profile has ready series, the VAT invoice's named FV (documents::SeriesStore).
             u"INSERT INTO document_series (name, doc_type, pattern, reset, is_default, created_at) VALUES "
             "('FV', 'vat', 'FV/{n}/{MM}/{YYYY}', 'monthly', 1, 0), "
             "('FVP', 'private', 'FVP/{n}/{MM}/{YYYY}', 'monthly', 1, 0), "
             "('FVU', 'receipt-invoice', 'FVU/{n}/{MM}/{YYYY}', 'monthly', 1, 0), "
             "('KOR', 'correction', 'KOR/{n}/{MM}/{YYYY}', 'monthly', 1, 0), "
             "('PRO', 'proforma', 'PRO/{n}/{YYYY}', 'yearly', 1, 0)"_qs,
         },
         {}},
        {13,
         "KSeF submissions and settings",
         {
             // One row per document version sent to KSeF (document ref + SHA-256 of its XML). The XML is kept so
             // the offline queue can send it when the service is back; the KSeF token never comes here (SecretStore).
             u"CREATE TABLE ksef_submissions (id {PK}, document_ref TEXT NOT NULL, content_hash TEXT NOT NULL, "
             "xml TEXT NOT NULL, state TEXT NOT NULL, offline INTEGER NOT NULL DEFAULT 0, "
             "session_ref TEXT NOT NULL DEFAULT '', invoice_ref TEXT NOT NULL DEFAULT '', "
             "ksef_number TEXT NOT NULL DEFAULT '', upo TEXT NOT NULL DEFAULT '', status_code INTEGER NOT NULL "
             "DEFAULT 0, reason TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, "
             "last_error TEXT NOT NULL DEFAULT '', next_attempt_at BIGINT NOT NULL, created_at BIGINT NOT NULL, "
             "updated_at BIGINT NOT NULL, sent_at BIGINT, accepted_at BIGINT, "
             "UNIQUE (document_ref, content_hash))"_qs,
             u"CREATE INDEX ksef_submissions_due ON ksef_submissions (state, next_attempt_at)"_qs,
             // One row (id 1): the environment, its API base URL, the seller's NIP (the authentication context)
             // and the name under which the KSeF token is kept in the SecretStore.
             u"CREATE TABLE ksef_settings (id INTEGER PRIMARY KEY, environment TEXT NOT NULL, base_url TEXT NOT "
             "NULL, nip TEXT NOT NULL DEFAULT '', token_ref TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL)"_qs,
         },
         {}},
        {14,
         "fiscal receipts",
         {
             // One row per receipt, written before anything is sent to the printer: the state says how far it got,
             // and `baseline` (receipts the printer had closed before this one started) lets a later run ask the
             // printer whether this receipt was printed before it tries again.
             u"CREATE TABLE fiscal_receipts (id {PK}, order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE "
             "CASCADE, ledger_key TEXT NOT NULL UNIQUE, state TEXT NOT NULL, printer TEXT NOT NULL DEFAULT '', "
             "total BIGINT NOT NULL DEFAULT 0, baseline BIGINT, journal_number BIGINT, error TEXT NOT NULL DEFAULT "
             "'', attempts INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX fiscal_receipts_order ON fiscal_receipts (order_id, id)"_qs,
             u"CREATE INDEX fiscal_receipts_state ON fiscal_receipts (state)"_qs,
         },
         {}},
        {15,
         "labels on shipments, the print queue",
         {
             // The barcode printed on a courier's label when it is not the tracking number (Allegro's own package
             // waybill, for instance): a scanned label finds its order. The label itself (PDF or ZPL, base64) is kept
             // so that it can be printed again without asking the courier.
             u"ALTER TABLE order_shipments ADD COLUMN label_barcode TEXT NOT NULL DEFAULT ''"_qs,
             u"ALTER TABLE order_shipments ADD COLUMN label_format TEXT NOT NULL DEFAULT ''"_qs,
             u"ALTER TABLE order_shipments ADD COLUMN label_data TEXT NOT NULL DEFAULT ''"_qs,
             u"CREATE INDEX order_shipments_label_barcode ON order_shipments (label_barcode) WHERE label_barcode <> ''"_qs,
             // Every print is a job with a timeline; one original per document (the duplicate guard), any number of
             // reprints, each with its reason.
             u"CREATE TABLE print_jobs (id {PK}, kind TEXT NOT NULL, order_id BIGINT, document_key TEXT NOT NULL, "
             "title TEXT NOT NULL DEFAULT '', printer TEXT NOT NULL, format TEXT NOT NULL, data TEXT NOT NULL, "
             "workstation TEXT NOT NULL, state TEXT NOT NULL, reprint_of BIGINT, reason TEXT NOT NULL DEFAULT '', "
             "attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', "
             "external_id TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, "
             "updated_at BIGINT NOT NULL)"_qs,
             u"CREATE UNIQUE INDEX print_jobs_original ON print_jobs (document_key) WHERE reprint_of IS NULL"_qs,
             u"CREATE INDEX print_jobs_state ON print_jobs (state, id)"_qs,
             u"CREATE TABLE print_job_events (id {PK}, job_id BIGINT NOT NULL REFERENCES print_jobs(id) ON DELETE "
             "CASCADE, state TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '', at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX print_job_events_job ON print_job_events (job_id, id)"_qs,
         },
         {}},
        {16,
         "messaging: mail and SMS accounts, templates, messages, order confirmations",
         {
             // Passwords and tokens are in the SecretStore under secret_key, never here.
             u"CREATE TABLE mail_accounts (id {PK}, name TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, "
             "security TEXT NOT NULL, username TEXT NOT NULL DEFAULT '', from_address TEXT NOT NULL, "
             "from_name TEXT NOT NULL DEFAULT '', timeout_seconds INTEGER NOT NULL DEFAULT 30, "
             "ca_file TEXT NOT NULL DEFAULT '', marketplace_account TEXT NOT NULL DEFAULT '', "
             "secret_key TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)"_qs,
             u"CREATE TABLE sms_accounts (id {PK}, name TEXT NOT NULL, base_url TEXT NOT NULL, "
             "sender TEXT NOT NULL DEFAULT '', secret_key TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)"_qs,
             u"CREATE TABLE message_templates (template_key TEXT NOT NULL, language TEXT NOT NULL, "
             "subject TEXT NOT NULL DEFAULT '', body_text TEXT NOT NULL DEFAULT '', body_html TEXT NOT NULL DEFAULT "
             "'', "
             "sms_text TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL, PRIMARY KEY (template_key, language))"_qs,
             u"CREATE TABLE messages (id {PK}, order_id BIGINT REFERENCES orders(id) ON DELETE CASCADE, "
             "channel TEXT NOT NULL, template_key TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT '', "
             "recipient TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '', body_text TEXT NOT NULL DEFAULT '', "
             "body_html TEXT NOT NULL DEFAULT '', attachments TEXT NOT NULL DEFAULT '[]', "
             "state TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, attempts INTEGER NOT NULL DEFAULT 0, "
             "last_error TEXT NOT NULL DEFAULT '', account_id BIGINT, external_id TEXT NOT NULL DEFAULT '', "
             "created_at BIGINT NOT NULL, sent_at BIGINT)"_qs,
             u"CREATE INDEX messages_order ON messages (order_id, id)"_qs,
             u"CREATE INDEX messages_state ON messages (state, id)"_qs,
             u"CREATE TABLE messaging_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"_qs,
             u"CREATE TABLE order_confirmations (order_id BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE "
             "CASCADE, state TEXT NOT NULL, token TEXT NOT NULL UNIQUE, requests INTEGER NOT NULL DEFAULT 0, "
             "requested_at BIGINT, confirmed_at BIGINT, confirmed_by TEXT NOT NULL DEFAULT '')"_qs,
         },
         {}},
        {17,
         "packing station: serial-coded products, shelf locations, packing sessions, command barcodes",
         {
             u"ALTER TABLE products ADD COLUMN requires_serial INTEGER NOT NULL DEFAULT 0"_qs,
             u"ALTER TABLE products ADD COLUMN location TEXT NOT NULL DEFAULT ''"_qs,
             // A scanned external id opens its order: the unique index leads with the marketplace and cannot serve it.
             u"CREATE INDEX orders_external_id ON orders (external_id)"_qs,
             // One packing per order at a time; every scan is written at once, so a crash or a pause loses nothing.
             // progress: JSON {"units": {position: n}, "serials": {position: [codes]}}.
             u"CREATE TABLE packing_sessions (order_id BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE, "
             "state TEXT NOT NULL, progress TEXT NOT NULL DEFAULT '{}', packer TEXT NOT NULL DEFAULT '', "
             "started_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX packing_sessions_state ON packing_sessions (state, updated_at)"_qs,
             // Printed barcodes that run a manual rule when scanned ("packed", "print label").
             u"CREATE TABLE scan_commands (code TEXT PRIMARY KEY, rule_id BIGINT NOT NULL REFERENCES rules(id) ON "
             "DELETE CASCADE, created_at BIGINT NOT NULL)"_qs,
         },
         {}},
        {18,
         "money: settings, cached profit per order, loss-guard holds",
         {
             u"CREATE TABLE money_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_qs,
             // One row per order: the last computed profit (grosze) and what it was computed from, so a stale row
             // (the order, its billing entries or the settings changed since) is recomputed before anyone reads it.
             u"CREATE TABLE order_profit (order_id BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE, "
             "currency TEXT NOT NULL, revenue_gross BIGINT NOT NULL, revenue_net BIGINT NOT NULL, "
             "purchase_cost BIGINT NOT NULL, marketplace_fees BIGINT NOT NULL, shipping_cost BIGINT NOT NULL, "
             "payment_fees BIGINT NOT NULL, packaging BIGINT NOT NULL, profit BIGINT NOT NULL, "
             "issues TEXT NOT NULL DEFAULT '', order_updated_at BIGINT NOT NULL, settings_revision BIGINT NOT NULL, "
             "billing_count INTEGER NOT NULL DEFAULT 0, billing_sum BIGINT NOT NULL DEFAULT 0, "
             "computed_at BIGINT NOT NULL)"_qs,
             u"CREATE TABLE loss_holds (id {PK}, order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, "
             "target_status TEXT NOT NULL, profit BIGINT NOT NULL, currency TEXT NOT NULL, "
             "reasons TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, created_by TEXT NOT NULL DEFAULT '', "
             "released_at BIGINT, released_by TEXT NOT NULL DEFAULT '', release_reason TEXT NOT NULL DEFAULT '')"_qs,
             u"CREATE INDEX loss_holds_order ON loss_holds (order_id, id)"_qs,
         },
         {}},
        {19,
         "users and roles, auto-login per workstation, user and workstation in the order history",
         {
             // Custom roles; packer, office and administrator are built in (core/access/permission.cpp).
             // permissions: comma-separated permission keys.
             u"CREATE TABLE roles (name TEXT PRIMARY KEY, permissions TEXT NOT NULL, created_at BIGINT NOT NULL)"_qs,
             // Passwords only as PBKDF2 hashes (core/access/passwordhash.cpp).
             u"CREATE TABLE users (id {PK}, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT "
             "NULL, active INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"_qs,
             // The user a workstation starts with without a login (single-user setups).
             u"CREATE TABLE auto_logins (workstation TEXT PRIMARY KEY, user_name TEXT NOT NULL)"_qs,
             u"ALTER TABLE order_history ADD COLUMN user_name TEXT NOT NULL DEFAULT ''"_qs,
             u"ALTER TABLE order_history ADD COLUMN workstation TEXT NOT NULL DEFAULT ''"_qs,
         },
         {}},
        {20,
         "messaging: Message Center messages read from the marketplace accounts",
         {
             // announced = 0: read on the account's first pass (history), no event and no automatic answer.
             u"CREATE TABLE marketplace_messages (id {PK}, account_id BIGINT NOT NULL REFERENCES "
             "marketplace_accounts(id) ON DELETE CASCADE, message_id TEXT NOT NULL, thread_id TEXT NOT NULL, "
             "order_id BIGINT REFERENCES orders(id) ON DELETE SET NULL, type TEXT NOT NULL DEFAULT '', "
             "author TEXT NOT NULL DEFAULT '', from_buyer INTEGER NOT NULL DEFAULT 0, first_in_thread INTEGER NOT "
             "NULL DEFAULT 0, announced INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL DEFAULT '', "
             "created_at BIGINT NOT NULL, read_at BIGINT NOT NULL, UNIQUE (account_id, message_id))"_qs,
             u"CREATE INDEX marketplace_messages_thread ON marketplace_messages (account_id, thread_id, created_at)"_qs,
             u"CREATE INDEX marketplace_messages_order ON marketplace_messages (order_id, created_at)"_qs,
             u"CREATE INDEX marketplace_messages_created ON marketplace_messages (created_at)"_qs,
         },
         {}},
        {21,
         "returns (RMA): cases, their items and attachments, settings",
         {
             // source: manual or allegro; external_id: the marketplace's customer return id ('' for manual ones),
             // unique per account so an imported return becomes one case however often it is read.
             u"CREATE TABLE returns (id {PK}, order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE, "
             "number TEXT NOT NULL UNIQUE, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', "
             "source TEXT NOT NULL DEFAULT 'manual', account TEXT NOT NULL DEFAULT '', "
             "external_id TEXT NOT NULL DEFAULT '', late_override TEXT NOT NULL DEFAULT '', "
             "warehouse TEXT NOT NULL DEFAULT '', stock_document TEXT NOT NULL DEFAULT '', "
             "refund TEXT NOT NULL DEFAULT '', correction TEXT NOT NULL DEFAULT '', "
             "created_at BIGINT NOT NULL, created_by TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL)"_qs,
             u"CREATE UNIQUE INDEX returns_external ON returns (source, account, external_id) WHERE external_id <> ''"_qs,
             u"CREATE INDEX returns_order ON returns (order_id, id)"_qs,
             u"CREATE INDEX returns_state ON returns (state, id)"_qs,
             // line: the order item's position (0-based) the units come from.
             u"CREATE TABLE return_items (return_id BIGINT NOT NULL REFERENCES returns(id) ON DELETE CASCADE, "
             "line INTEGER NOT NULL, sku TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '', "
             "quantity INTEGER NOT NULL, unit_price BIGINT NOT NULL DEFAULT 0, currency TEXT NOT NULL DEFAULT 'PLN', "
             "PRIMARY KEY (return_id, line))"_qs,
             // The file itself (base64), so every workstation on a shared database sees the photos.
             u"CREATE TABLE return_attachments (id {PK}, return_id BIGINT NOT NULL REFERENCES returns(id) ON DELETE "
             "CASCADE, name TEXT NOT NULL, mime_type TEXT NOT NULL, size BIGINT NOT NULL, data TEXT NOT NULL, "
             "created_at BIGINT NOT NULL, created_by TEXT NOT NULL DEFAULT '')"_qs,
             u"CREATE INDEX return_attachments_return ON return_attachments (return_id, id)"_qs,
             u"CREATE TABLE return_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_qs,
         },
         {}},
        {22,
         "service cases: warranty repairs with their states, expected dates and buyer notifications",
         {
             // A case is against an order's line (order_id + item_position) or a product and a buyer without an
             // order. Dates are local days (yyyy-MM-dd, '' when unknown); state_seq counts the state changes so
             // each one's notification has its own idempotency key.
             u"CREATE TABLE service_cases (id {PK}, order_id BIGINT REFERENCES orders(id) ON DELETE SET NULL, "
             "item_position INTEGER, product_sku TEXT NOT NULL DEFAULT '', product_name TEXT NOT NULL, "
             "serial TEXT NOT NULL DEFAULT '', buyer_name TEXT NOT NULL DEFAULT '', buyer_email TEXT NOT NULL "
             "DEFAULT '', buyer_phone TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT 'pl', "
             "problem TEXT NOT NULL DEFAULT '', service_name TEXT NOT NULL DEFAULT '', state TEXT NOT NULL, "
             "state_seq INTEGER NOT NULL DEFAULT 0, state_since BIGINT NOT NULL, "
             "expected_return TEXT NOT NULL DEFAULT '', warranty_end TEXT NOT NULL DEFAULT '', "
             "created_at BIGINT NOT NULL, created_by TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL)"_qs,
             u"CREATE INDEX service_cases_state ON service_cases (state, state_since)"_qs,
             u"CREATE INDEX service_cases_order ON service_cases (order_id)"_qs,
             // The case's timeline: every state change with who, when and the note.
             u"CREATE TABLE service_case_steps (id {PK}, case_id BIGINT NOT NULL REFERENCES service_cases(id) ON "
             "DELETE CASCADE, seq INTEGER NOT NULL, from_state TEXT NOT NULL DEFAULT '', to_state TEXT NOT NULL, "
             "note TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL DEFAULT '', user_name TEXT NOT NULL DEFAULT '', "
             "at BIGINT NOT NULL, UNIQUE (case_id, seq))"_qs,
         },
         {}},
    };
    return list;
}

int latestSchemaVersion()
{
    return migrations().constLast().version;
}

Result<void> migrate(QSqlDatabase &db, Database::Engine engine)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")))
        return toError(query.lastError(), "read schema version");
    int current = 0;
    if (query.next())
        current = query.value(0).toInt();
    query.finish();

    if (current > latestSchemaVersion())
        return makeError(
            Error::Code::WrongDatabase,
            QCoreApplication::translate(
                "sd::storage",
                "This database was written by a newer SellerDesk (schema %1; this version knows up to %2). "
                "Update SellerDesk before opening it.")
                .arg(current)
                .arg(latestSchemaVersion()));

    for (const Migration &step : migrations()) {
        if (step.version <= current)
            continue;
        qCInfo(lcStorage) << "migrating to schema" << step.version << step.name;
        if (!db.transaction())
            return toError(db.lastError(), "begin migration");
        auto fail = [&](const Error &error) -> Result<void> {
            db.rollback();
            Error e = error;
            e.userMessage =
                QCoreApplication::translate("sd::storage", "The database could not be upgraded to schema %1: %2")
                    .arg(step.version)
                    .arg(error.userMessage);
            return e;
        };
        for (const QString &statement : step.statements) {
            if (auto r = exec(db, forEngine(statement, engine), step.name); !r)
                return fail(r.error());
        }
        if (step.after) {
            if (auto r = step.after(db, engine); !r)
                return fail(r.error());
        }
        QSqlQuery bump(db);
        bump.prepare(QStringLiteral("UPDATE meta SET value = ? WHERE key = 'schema_version'"));
        bump.addBindValue(QString::number(step.version));
        if (auto r = exec(bump, "bump schema version"); !r)
            return fail(r.error());
        if (!db.commit())
            return fail(toError(db.lastError(), "commit migration"));
    }
    return {};
}

} // namespace sd::storage
