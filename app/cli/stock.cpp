#include "stock.h"

#include "allegro.h"
#include "cli.h"
#include "inventory/inventorysettings.h"
#include "inventory/inventorystore.h"
#include "inventory/offercatalog.h"
#include "inventory/reservations.h"
#include "inventory/stocksync.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/accountconnector.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/selleractions.h"
#include "marketplace/training/trainingserver.h"
#include "security/filesecretstore.h"
#include "storage/actionledger.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

namespace sd::cli {

namespace {

using namespace sd::inventory;

QString tr(const char *text, const char *comment = nullptr, int n = -1)
{
    return QCoreApplication::translate("sd::cli", text, comment, n);
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int usage(const QString &message)
{
    QTextStream(stderr) << "sellerdesk-cli: " << message << u' ' << tr("(see sellerdesk-cli --help)") << Qt::endl;
    return kUsage;
}

int fail(const Error &error)
{
    out().flush();
    QTextStream(stderr) << "sellerdesk-cli: " << tr("error:") << u' ' << error.userMessage << Qt::endl;
    return kFailure;
}

QString actor()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? u"cli"_qs : u"cli:" + user;
}

// Positional words, "--name value" options and "--flag" switches of one subcommand.
struct Words
{
    QStringList positional;
    QHash<QString, QString> options;
    QSet<QString> flags;
    QString problem;
};

Words parseWords(const QStringList &words, const QStringList &valued, const QStringList &switches)
{
    Words w;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString word = words.at(i);
        if (!word.startsWith(u"--")) {
            w.positional.append(word);
            continue;
        }
        const QString name = word.mid(2);
        if (switches.contains(name)) {
            w.flags.insert(name);
        } else if (valued.contains(name)) {
            if (i + 1 >= words.size()) {
                w.problem = tr("the option %1 needs a value").arg(word);
                return w;
            }
            w.options.insert(name, words.at(++i));
        } else {
            w.problem = tr("unknown option %1").arg(word);
            return w;
        }
    }
    return w;
}

bool quantity(const QString &text, int *value)
{
    bool ok = false;
    *value = text.toInt(&ok);
    return ok && *value >= 0;
}

void printJson(const QJsonValue &value)
{
    out() << QString::fromUtf8(value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)
                                               : QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented));
    out().flush();
}

void printDocument(const StockDocument &d)
{
    out() << (d.existed ? tr("%1 was made before.") : tr("%1 posted.")).arg(d.number) << Qt::endl;
    for (const StockDocument::Line &l : d.lines)
        out() << u"  "_qs << l.sku << u"  "_qs << l.warehouse << u"  "_qs << (l.quantity > 0 ? u"+"_qs : u""_qs)
              << l.quantity << Qt::endl;
}

int products(InventoryStore &inventory, const QStringList &words)
{
    const QString sub = words.value(0);
    const Words w =
        parseWords(words.mid(1), {u"ean"_qs, u"vat"_qs, u"price"_qs, u"weight"_qs, u"size"_qs, u"location"_qs},
                   {u"json"_qs, u"serial"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    if (sub == u"add") {
        if (w.positional.size() != 2)
            return usage(tr("products add needs SKU and NAME"));
        Product p;
        p.sku = w.positional.at(0);
        p.name = w.positional.at(1);
        p.ean = w.options.value(u"ean"_qs);
        if (w.options.contains(u"vat"_qs)) {
            auto rate = domain::VatRate::parse(w.options.value(u"vat"_qs));
            if (!rate)
                return fail(rate.error());
            p.vatRate = *rate;
        }
        if (w.options.contains(u"price"_qs)) {
            auto price = domain::Money::parse(w.options.value(u"price"_qs), u"PLN"_qs);
            if (!price)
                return fail(price.error());
            p.purchasePrice = *price;
        }
        if (w.options.contains(u"weight"_qs) && !quantity(w.options.value(u"weight"_qs), &p.weightGrams))
            return usage(tr("--weight takes grams as a whole number"));
        if (w.options.contains(u"size"_qs)) {
            const QStringList parts = w.options.value(u"size"_qs).split(u'x');
            if (parts.size() != 3 || !quantity(parts.at(0), &p.lengthMm) || !quantity(parts.at(1), &p.widthMm) ||
                !quantity(parts.at(2), &p.heightMm))
                return usage(tr("--size takes LENGTHxWIDTHxHEIGHT in millimetres, e.g. 300x200x150"));
        }
        p.location = w.options.value(u"location"_qs);
        p.requiresSerial = w.flags.contains(u"serial"_qs);
        auto added = inventory.addProduct(p);
        if (!added)
            return fail(added.error());
        out() << tr("Product %1 added.").arg(added->sku) << Qt::endl;
        return kOk;
    }
    if (sub == u"list") {
        auto list = inventory.products();
        if (!list)
            return fail(list.error());
        QJsonArray json;
        for (const Product &p : *list) {
            auto total = inventory.totalStock(p.id);
            if (!total)
                return fail(total.error());
            if (w.flags.contains(u"json"_qs))
                json.append(QJsonObject{{u"sku"_qs, p.sku},
                                        {u"ean"_qs, p.ean},
                                        {u"name"_qs, p.name},
                                        {u"vat"_qs, p.vatRate.code()},
                                        {u"purchasePrice"_qs, p.purchasePrice.toDecimalString()},
                                        {u"stock"_qs, int(*total)}});
            else
                out() << p.sku << u'\t' << p.ean << u'\t' << p.name << u'\t' << *total << Qt::endl;
        }
        if (w.flags.contains(u"json"_qs))
            printJson(json);
        return kOk;
    }
    if (sub == u"show") {
        if (w.positional.size() != 1)
            return usage(tr("products show needs a SKU"));
        auto s = inventory.stockOf(w.positional.constFirst());
        if (!s)
            return fail(s.error());
        const Product *p = &s->product;
        out() << tr("SKU: %1").arg(p->sku) << Qt::endl
              << tr("EAN: %1").arg(p->ean) << Qt::endl
              << tr("Name: %1").arg(p->name) << Qt::endl
              << tr("VAT: %1").arg(p->vatRate.code()) << Qt::endl
              << tr("Purchase price: %1 %2").arg(p->purchasePrice.toDecimalString(), p->purchasePrice.currency())
              << Qt::endl
              << tr("Weight: %1 g, size: %2 x %3 x %4 mm")
                     .arg(p->weightGrams)
                     .arg(p->lengthMm)
                     .arg(p->widthMm)
                     .arg(p->heightMm)
              << Qt::endl
              << tr("Stock: %1, reserved: %2").arg(s->total).arg(s->reserved) << Qt::endl;
        return kOk;
    }
    if (sub == u"set-price") {
        if (w.positional.size() != 2)
            return usage(tr("products set-price needs SKU and PRICE"));
        auto price = domain::Money::parse(w.positional.at(1), u"PLN"_qs);
        if (!price)
            return fail(price.error());
        auto changed = inventory.setPurchasePrice(w.positional.at(0), *price);
        if (!changed)
            return fail(changed.error());
        out() << tr("Purchase price of %1: %2 %3; the profits of its orders are recomputed as they are read.")
                     .arg(changed->sku, changed->purchasePrice.toDecimalString(), changed->purchasePrice.currency())
              << Qt::endl;
        return kOk;
    }
    return usage(tr("products needs a subcommand: add, list, show, set-price"));
}

int warehouses(InventoryStore &inventory, const QStringList &words)
{
    const QString sub = words.value(0);
    const Words w = parseWords(words.mid(1), {}, {u"default"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    if (sub == u"add") {
        if (w.positional.size() < 1 || w.positional.size() > 2)
            return usage(tr("warehouses add needs CODE and optionally NAME"));
        auto added = inventory.addWarehouse(w.positional.at(0), w.positional.value(1), w.flags.contains(u"default"_qs));
        if (!added)
            return fail(added.error());
        out() << tr("Warehouse %1 added.").arg(added->code) << Qt::endl;
        return kOk;
    }
    if (sub == u"list") {
        auto list = inventory.warehouses();
        if (!list)
            return fail(list.error());
        for (const Warehouse &wh : *list)
            out() << wh.code << u'\t' << wh.name << (wh.isDefault ? u"\t" + tr("default") : QString()) << Qt::endl;
        return kOk;
    }
    return usage(tr("warehouses needs a subcommand: add, list"));
}

struct Account
{
    marketplace::MarketplaceAccount account;
    std::shared_ptr<security::SecretStore> secrets;
};

Result<QList<marketplace::MarketplaceAccount>> chosenAccounts(const std::shared_ptr<storage::Database> &db,
                                                              const QString &name)
{
    marketplace::AccountStore accounts(db);
    auto list = accounts.list();
    if (!list)
        return list.error();
    QList<marketplace::MarketplaceAccount> chosen;
    for (const auto &a : *list) {
        if (name.isEmpty() ? a.connected : a.name == name)
            chosen.append(a);
    }
    if (chosen.isEmpty())
        return makeError(Error::Code::NotFound,
                         name.isEmpty()
                             ? tr("No Allegro account is connected. Use: sellerdesk-cli allegro connect --url URL")
                             : tr("There is no account called %1.").arg(name));
    return chosen;
}

// Everything one account's marketplace work needs.
struct Marketplace
{
    std::unique_ptr<storage::OrderStore> orders;
    std::unique_ptr<InventoryStore> inventory;
    std::unique_ptr<OfferCatalog> offers;
    std::unique_ptr<marketplace::allegro::AllegroClient> client;
    std::unique_ptr<storage::ActionLedger> ledger;
    std::unique_ptr<marketplace::allegro::AllegroRecords> records;
    std::unique_ptr<marketplace::allegro::SellerActions> actions;
    std::unique_ptr<StockSync> sync;

    Marketplace(const std::shared_ptr<storage::Database> &db, const marketplace::MarketplaceAccount &account,
                const std::shared_ptr<security::SecretStore> &secrets,
                const marketplace::allegro::ClientOptions &options = {})
        : orders(std::make_unique<storage::OrderStore>(db))
        , inventory(std::make_unique<InventoryStore>(*orders))
        , offers(std::make_unique<OfferCatalog>(*inventory))
        , client(std::make_unique<marketplace::allegro::AllegroClient>(account, db, secrets, options))
        , ledger(std::make_unique<storage::ActionLedger>(db))
        , records(std::make_unique<marketplace::allegro::AllegroRecords>(db))
        , actions(std::make_unique<marketplace::allegro::SellerActions>(*client, *orders, *ledger, *records))
        , sync(std::make_unique<StockSync>(*offers, *actions, account.id))
    {
        sync->setActor(actor());
    }
};

void printReport(const marketplace::MarketplaceAccount &account, const SyncReport &r)
{
    out() << account.name << u": "_qs << r.message << Qt::endl;
    if (r.outcome == SyncReport::Outcome::Held) {
        for (const SyncChange &c : r.plan.changes)
            out() << u"  "_qs << c.offerId << u"  "_qs << c.sku << u"  "_qs << c.from << u" -> "_qs
                  << (c.action == SyncChange::Action::End ? tr("end") : QString::number(c.to)) << Qt::endl;
    }
    for (const QString &f : r.failures)
        out() << u"  "_qs << tr("failed:") << u' ' << f << Qt::endl;
}

int stock(const std::shared_ptr<storage::Database> &db, InventoryStore &inventory, const QString &profileDir,
          const QStringList &words)
{
    const QString sub = words.value(0);
    const Words w = parseWords(words.mid(1), {u"warehouse"_qs, u"to"_qs, u"account"_qs}, {u"json"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    const QString warehouse = w.options.value(u"warehouse"_qs);
    if (sub == u"receive" || sub == u"issue" || sub == u"transfer" || sub == u"count") {
        int qty = 0;
        if (w.positional.size() != 2 || !quantity(w.positional.at(1), &qty))
            return usage(tr("stock %1 needs SKU and a whole QUANTITY").arg(sub));
        const QString sku = w.positional.at(0);
        Result<StockDocument> d = sub == u"receive" ? inventory.receive(sku, qty, warehouse, actor())
                                  : sub == u"issue" ? inventory.issue(sku, qty, warehouse, actor())
                                  : sub == u"transfer"
                                      ? inventory.transfer(sku, qty, warehouse, w.options.value(u"to"_qs), actor())
                                      : inventory.countStock(sku, qty, warehouse, actor());
        if (!d)
            return fail(d.error());
        printDocument(*d);
        return kOk;
    }
    if (sub == u"show") {
        if (w.positional.size() != 1)
            return usage(tr("stock show needs a SKU"));
        auto s = inventory.stockOf(w.positional.constFirst());
        if (!s)
            return fail(s.error());
        for (const auto &row : s->warehouses)
            out() << row.warehouse << u'\t' << row.quantity << Qt::endl;
        out() << tr("Total: %1, reserved: %2, free: %3").arg(s->total).arg(s->reserved).arg(s->total - s->reserved)
              << Qt::endl;
        return kOk;
    }
    if (sub == u"documents") {
        auto list = inventory.documents();
        if (!list)
            return fail(list.error());
        for (const StockDocument &d : *list)
            out() << d.number << u'\t' << d.date.toString(Qt::ISODate) << u'\t' << d.author << u'\t' << d.lines.size()
                  << Qt::endl;
        return kOk;
    }
    if (sub == u"reservations") {
        Reservations reservations(inventory);
        auto n = reservations.follow(100000);
        if (!n)
            return fail(n.error());
        out() << tr("%n order event(s) read.", nullptr, *n) << Qt::endl;
        return kOk;
    }
    if (sub == u"settings") {
        if (w.positional.size() == 2) {
            if (auto r = InventorySettings::set(*db, w.positional.at(0), w.positional.at(1)); !r)
                return fail(r.error());
            if (auto r = StockSync::request(db); !r)
                return fail(r.error());
        } else if (!w.positional.isEmpty()) {
            return usage(tr("stock settings takes nothing, or KEY VALUE"));
        }
        auto s = InventorySettings::load(*db);
        if (!s)
            return fail(s.error());
        out() << u"autoOrderDownload\t"_qs << (s->autoOrderDownload ? u"on"_qs : u"off"_qs) << Qt::endl
              << u"autoInvoicing\t"_qs << (s->autoInvoicing ? u"on"_qs : u"off"_qs) << Qt::endl
              << u"subtractReservations\t"_qs << (s->subtractReservations ? u"on"_qs : u"off"_qs) << Qt::endl
              << u"guardMaxEnded\t"_qs << s->guardMaxEnded << Qt::endl
              << u"guardMaxCutPercent\t"_qs << s->guardMaxCutPercent << Qt::endl
              << u"guardCutMinOffers\t"_qs << s->guardCutMinOffers << Qt::endl
              << u"guardWindowSeconds\t"_qs << s->guardWindowSeconds << Qt::endl
              << u"debounceMs\t"_qs << s->debounceMs << Qt::endl;
        if (!s->syncAllowed())
            out() << tr("warning:") << u' ' << s->pausedReason() << Qt::endl;
        return kOk;
    }
    if (sub == u"sync") {
        const QString what = w.positional.value(0, u"run"_qs);
        auto accounts = chosenAccounts(db, w.options.value(u"account"_qs));
        if (!accounts)
            return fail(accounts.error());
        auto secrets = openSecrets(profileDir);
        if (!secrets)
            return fail(secrets.error());
        int exit = kOk;
        for (const auto &account : *accounts) {
            Marketplace m(db, account, *secrets);
            if (what == u"run") {
                if (auto due = StockSync::takeDue(*db); !due)
                    return fail(due.error());
                auto r = m.sync->run();
                if (!r)
                    return fail(r.error());
                printReport(account, *r);
            } else if (what == u"release") {
                auto r = m.sync->release();
                if (!r)
                    return fail(r.error());
                printReport(account, *r);
            } else if (what == u"dismiss") {
                if (auto r = m.sync->dismiss(); !r)
                    return fail(r.error());
                out() << tr("The held stock sync was dismissed.") << Qt::endl;
            } else if (what == u"status") {
                auto h = m.sync->held();
                if (!h)
                    return fail(h.error());
                if (h->has_value()) {
                    SyncReport r;
                    r.outcome = SyncReport::Outcome::Held;
                    r.plan = (*h)->second;
                    r.message = tr("waits for the operator (sellerdesk-cli stock sync release | dismiss):");
                    printReport(account, r);
                } else {
                    out() << account.name << u": "_qs << tr("nothing is held") << Qt::endl;
                }
            } else if (what == u"conflicts") {
                auto list = m.sync->conflicts();
                if (!list)
                    return fail(list.error());
                for (const SyncConflict &c : *list)
                    out() << c.offer.offerId << u'\t' << c.offer.sku << u'\t'
                          << tr("local %1, marketplace %2").arg(c.local).arg(c.marketplace) << Qt::endl;
            } else if (what == u"take-local" || what == u"take-marketplace") {
                if (w.positional.size() != 2)
                    return usage(tr("stock sync %1 needs an OFFER").arg(what));
                if (what == u"take-local") {
                    auto r = m.sync->takeLocal(w.positional.at(1));
                    if (!r)
                        return fail(r.error());
                    printReport(account, *r);
                } else {
                    auto d = m.sync->takeMarketplace(w.positional.at(1));
                    if (!d)
                        return fail(d.error());
                    printDocument(*d);
                }
            } else {
                return usage(tr("stock sync takes run, status, release, dismiss, conflicts, take-local OFFER or "
                                "take-marketplace OFFER"));
            }
        }
        return exit;
    }
    return usage(tr("stock needs a subcommand: receive, issue, transfer, count, show, documents, reservations, "
                    "settings, sync"));
}

int offers(const std::shared_ptr<storage::Database> &db, InventoryStore &inventory, const QString &profileDir,
           const QStringList &words)
{
    OfferCatalog catalog(inventory);
    const QString sub = words.value(0);
    const Words w =
        parseWords(words.mid(1), {u"account"_qs, u"linked"_qs, u"sync"_qs, u"format"_qs, u"status"_qs}, {u"json"_qs});
    if (!w.problem.isEmpty())
        return usage(w.problem);
    qint64 allowed = 0;
    if (w.options.contains(u"account"_qs)) {
        auto accounts = chosenAccounts(db, w.options.value(u"account"_qs));
        if (!accounts)
            return fail(accounts.error());
        allowed = accounts->constFirst().id;
    }
    if (sub == u"list") {
        OfferFilter filter;
        filter.accountId = allowed;
        auto yesNo = [&](const QString &name, std::optional<bool> *target) {
            if (!w.options.contains(name))
                return true;
            const QString v = w.options.value(name);
            if (v != u"yes" && v != u"no" && v != u"on" && v != u"off")
                return false;
            *target = v == u"yes" || v == u"on";
            return true;
        };
        if (!yesNo(u"linked"_qs, &filter.linked) || !yesNo(u"sync"_qs, &filter.sync))
            return usage(tr("--linked and --sync take yes or no"));
        filter.format = w.options.value(u"format"_qs).toUpper();
        filter.status = w.options.value(u"status"_qs).toUpper();
        auto list = catalog.list(filter);
        if (!list)
            return fail(list.error());
        if (w.flags.contains(u"json"_qs)) {
            QJsonArray json;
            for (const OfferView &v : *list)
                json.append(v.toJson());
            printJson(json);
            return kOk;
        }
        for (const OfferView &v : *list)
            out() << v.offerId << u'\t' << v.format << u'\t' << (v.archived ? u"ARCHIVED"_qs : v.status) << u'\t'
                  << (v.available < 0 ? u"-"_qs : QString::number(v.available)) << u'\t'
                  << (v.sku.isEmpty() ? u"-"_qs : v.sku) << u'\t' << (v.syncEnabled ? tr("sync") : QString()) << u'\t'
                  << v.syncError << u'\t' << v.name << Qt::endl;
        auto settings = InventorySettings::load(*db);
        if (settings && !settings->syncAllowed())
            out() << tr("warning:") << u' ' << settings->pausedReason() << Qt::endl;
        return kOk;
    }
    if (sub == u"link") {
        if (w.positional.size() != 2)
            return usage(tr("offers link needs OFFER and SKU"));
        auto linked = catalog.link(w.positional.at(0), w.positional.at(1), allowed);
        if (!linked)
            return fail(linked.error());
        out() << tr("Offer %1 is linked to %2.").arg(linked->offerId, linked->sku) << Qt::endl;
        return kOk;
    }
    if (sub == u"sync") {
        const QString what = w.positional.value(0);
        const QStringList ids = w.positional.mid(1);
        if ((what != u"enable" && what != u"disable") || ids.isEmpty())
            return usage(tr("offers sync needs enable or disable and at least one OFFER"));
        auto outcomes = what == u"enable" ? catalog.enableSync(ids, allowed) : catalog.disableSync(ids, allowed);
        if (!outcomes)
            return fail(outcomes.error());
        int exit = kOk;
        for (const OfferOutcome &o : *outcomes) {
            out() << o.offerId << u": "_qs << (o.ok ? QString() : tr("refused:") + u' ') << o.message << Qt::endl;
            if (!o.ok)
                exit = kFailure;
        }
        return exit;
    }
    if (sub == u"refresh" || sub == u"end" || sub == u"resume") {
        auto secrets = openSecrets(profileDir);
        if (!secrets)
            return fail(secrets.error());
        if (sub == u"refresh") {
            auto accounts = chosenAccounts(db, w.options.value(u"account"_qs));
            if (!accounts)
                return fail(accounts.error());
            for (const auto &account : *accounts) {
                Marketplace m(db, account, *secrets);
                auto n = m.offers->refresh(*m.client);
                if (!n)
                    return fail(n.error());
                out() << tr("%1: %n offer(s) read.", nullptr, *n).arg(account.name) << Qt::endl;
            }
            return kOk;
        }
        if (w.positional.size() != 1)
            return usage(tr("offers %1 needs one OFFER").arg(sub));
        auto offer = catalog.offer(w.positional.constFirst(), allowed);
        if (!offer)
            return fail(offer.error());
        auto account = marketplace::AccountStore(db).get(offer->accountId);
        if (!account)
            return fail(account.error());
        Marketplace m(db, *account, *secrets);
        // A hand action: allowed whatever the sync says (C5), once per request.
        const QString key = u"offer:%1/%2/%3"_qs.arg(offer->offerId, sub).arg(QDateTime::currentMSecsSinceEpoch());
        auto done = m.actions->changePublication(key, {offer->offerId}, sub == u"resume");
        if (!done)
            return fail(done.error());
        out() << (sub == u"end" ? tr("Offer %1: ending was sent.") : tr("Offer %1: resuming was sent."))
                     .arg(offer->offerId)
              << Qt::endl;
        return kOk;
    }
    return usage(tr("offers needs a subcommand: list, refresh, link, sync, end, resume"));
}

// The training marketplace on its own thread, as the benchmark's counterpart.
class ServerThread
{
public:
    ServerThread()
    {
        m_context.moveToThread(&m_thread);
        m_thread.start();
    }
    ~ServerThread()
    {
        run([this] { m_server.reset(); });
        m_thread.quit();
        m_thread.wait();
    }
    void run(const std::function<void()> &f) { QMetaObject::invokeMethod(&m_context, f, Qt::BlockingQueuedConnection); }
    std::unique_ptr<marketplace::training::TrainingServer> m_server;

private:
    QThread m_thread;
    QObject m_context;
};

int benchSync(const QStringList &words)
{
    const Words w = parseWords(words, {u"offers"_qs}, {});
    int count = 10000;
    if (!w.problem.isEmpty())
        return usage(w.problem);
    if (w.options.contains(u"offers"_qs) && (!quantity(w.options.value(u"offers"_qs), &count) || count < 1))
        return usage(tr("--offers takes a whole number above zero"));
    QTemporaryDir dir;
    auto db = storage::Database::openProfile(dir.filePath(u"profile"_qs));
    if (!db)
        return fail(db.error());
    ServerThread server;
    QUrl url;
    server.run([&] {
        marketplace::training::TrainingOptions options;
        options.autoApprove = true;
        server.m_server = std::make_unique<marketplace::training::TrainingServer>(options);
        if (auto started = server.m_server->start(); started)
            url = *started;
    });
    if (!url.isValid())
        return fail(makeError(Error::Code::Io, tr("The training marketplace did not start.")));
    auto secrets =
        std::make_shared<security::FileSecretStore>(dir.filePath(u"secrets.enc"_qs), "bench-passphrase", 1000);
    if (auto r = secrets->unlock(); !r)
        return fail(r.error());
    marketplace::MarketplaceAccount account;
    account.name = u"training"_qs;
    account.environment = marketplace::MarketplaceAccount::Environment::Training;
    account.apiBaseUrl = url;
    account.authBaseUrl = url;
    account.clientId = u"sellerdesk-bench"_qs;
    marketplace::allegro::AccountConnector connector(*db, secrets);
    if (auto r = connector.start(account, "client-secret"); !r)
        return fail(r.error());
    auto connected = connector.finish();
    if (!connected)
        return fail(connected.error());
    Marketplace m(*db, *connected, secrets);
    m.sync->setPolling(100, 100);
    InventoryStore &inventory = *m.inventory;
    if (auto r = inventory.addWarehouse(u"MAIN"_qs, u"Main"_qs); !r)
        return fail(r.error());
    for (const QString &key : {u"autoOrderDownload"_qs, u"autoInvoicing"_qs})
        if (auto r = InventorySettings::set(**db, key, u"on"_qs); !r)
            return fail(r.error());
    // The guard would rightly hold 10,000 offers changing at once: the benchmark measures the sync itself.
    if (auto r = InventorySettings::set(**db, u"guardMaxEnded"_qs, u"1000000"_qs); !r)
        return fail(r.error());

    out() << tr("Preparing %n offer(s) and product(s)...", nullptr, count) << Qt::endl;
    server.run([&] {
        for (int i = 0; i < count; ++i)
            server.m_server->addOffer(u"Bench offer %1"_qs.arg(i), u"B-%1"_qs.arg(i), u"BUY_NOW"_qs, 1);
    });
    DocumentRequest receipt;
    receipt.author = u"bench"_qs;
    {
        storage::Transaction tx(**db, "bench products");
        for (int i = 0; i < count; ++i) {
            auto p = inventory.addProduct(Product{0, u"B-%1"_qs.arg(i), {}, u"Bench product %1"_qs.arg(i)});
            if (!p)
                return fail(p.error());
            receipt.lines.append({p->id, inventory.defaultWarehouse()->id, 0, 2 + i % 40});
        }
        if (auto r = tx.commit(); !r)
            return fail(r.error());
    }
    auto refreshed = m.offers->refresh(*m.client);
    if (!refreshed)
        return fail(refreshed.error());
    QStringList ids;
    auto listed = m.offers->list();
    if (!listed)
        return fail(listed.error());
    for (const OfferView &v : *listed)
        ids.append(v.offerId);
    auto enabled = m.offers->enableSync(ids);
    if (!enabled)
        return fail(enabled.error());
    if (auto r = StockSync::takeDue(**db); !r)
        return fail(r.error());

    // 1. N changed offers: one receipt changes every product; the sync brings every offer in line.
    QElapsedTimer all;
    all.start();
    const qint64 changedAt = QDateTime::currentMSecsSinceEpoch();
    auto document = inventory.post(receipt);
    if (!document)
        return fail(document.error());
    auto waitAndRun = [&]() -> Result<SyncReport> {
        for (;;) {
            auto due = StockSync::nextDue(**db);
            if (!due)
                return due.error();
            const qint64 wait = *due - QDateTime::currentMSecsSinceEpoch();
            if (wait > 0)
                QThread::msleep(ulong(wait));
            auto taken = StockSync::takeDue(**db);
            if (!taken)
                return taken.error();
            if (*taken)
                return m.sync->run();
        }
    };
    auto bulk = waitAndRun();
    if (!bulk)
        return fail(bulk.error());
    const qint64 bulkMs = all.elapsed();
    const qint64 bulkFirst = bulk->firstCommandAtMs - changedAt;

    // 2. One stock change: time until its command is sent.
    const qint64 oneAt = QDateTime::currentMSecsSinceEpoch();
    if (auto r = inventory.receive(u"B-0"_qs, 1, {}, u"bench"_qs); !r)
        return fail(r.error());
    auto one = waitAndRun();
    if (!one)
        return fail(one.error());
    const qint64 oneMs = one->firstCommandAtMs - oneAt;
    auto settings = InventorySettings::load(**db);

    out() << tr("offers: %1, updated: %2, failed: %3, commands: %4")
                 .arg(count)
                 .arg(bulk->updated)
                 .arg(bulk->failed)
                 .arg(bulk->commands)
          << Qt::endl;
    out() << tr("one stock change to its command sent: %1 ms (debounce %2 ms; target < 1000 ms, ratio %3)")
                 .arg(oneMs)
                 .arg(settings ? settings->debounceMs : 0)
                 .arg(double(oneMs) / 1000.0, 0, 'f', 3)
          << Qt::endl;
    out() << tr("%1 changed offers: first command after %2 ms, all in line after %3 ms (target < 10000 ms, ratio %4)")
                 .arg(count)
                 .arg(bulkFirst)
                 .arg(bulkMs)
                 .arg(double(bulkMs) / 10000.0, 0, 'f', 3)
          << Qt::endl;
    return bulk->updated == count && one->updated >= 1 ? kOk : kFailure;
}

} // namespace

QString stockHelp()
{
    return tr(
        "  products add SKU NAME [--ean EAN] [--vat 23] [--price 12.50] [--weight G] [--size LxWxH]\n"
        "               [--location SHELF] [--serial]   shelf for pick lists; --serial: packing asks for serials\n"
        "  products list [--json] | show SKU\n"
        "  products set-price SKU PRICE             a new purchase price (net); its orders' profits follow\n"
        "  warehouses add CODE [NAME] [--default] | list\n"
        "  stock receive|issue|count SKU QTY [--warehouse W]    a PZ, WZ or stock-taking document\n"
        "  stock transfer SKU QTY --warehouse FROM --to TO      an MM document\n"
        "  stock show SKU | documents | reservations | settings [KEY VALUE]\n"
        "  stock sync [run|status|release|dismiss|conflicts|take-local OFFER|take-marketplace OFFER]\n"
        "  offers refresh [--account A] | list [--json] [--linked yes|no] [--sync yes|no] [--format F]\n"
        "         [--status S] | link OFFER SKU | sync enable|disable OFFER... | end|resume OFFER\n"
        "  bench sync [--offers N]                against an in-process training marketplace\n");
}

int stockCommand(const QString &command, const QStringList &words, const OpenDatabase &open, const QString &profileDir)
{
    if (command == u"bench")
        return benchSync(words.mid(1));
    auto db = open();
    if (!db)
        return fail(db.error());
    storage::OrderStore orders(*db);
    InventoryStore inventory(orders);
    if (command == u"products")
        return products(inventory, words);
    if (command == u"warehouses")
        return warehouses(inventory, words);
    if (command == u"offers")
        return offers(*db, inventory, profileDir, words);
    return stock(*db, inventory, profileDir, words);
}

} // namespace sd::cli
