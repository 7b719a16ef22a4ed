#pragma once

#include "automation/marketplaceexecutors.h"
#include "returns/returnstore.h"
#include "storage/orderstore.h"

#include <QCoreApplication>
#include <QDate>

#include <memory>

namespace sd::returns {

struct ReturnRequest
{
    struct Line
    {
        QString item; // the item's SKU, EAN or name, or "#N" for the order's N-th line
        int quantity = 0;
    };
    qint64 orderId = 0;
    QList<Line> items;
    QString reason;
    QString lateOverride;    // accepted past the term, and why
    QStringList attachments; // files copied into the case
    // An imported return (the marketplace accepted it already: no term check).
    QString source = QStringLiteral("manual");
    QString account;
    QString externalId;
    QDate today; // invalid: the current date (tests set it)
};

struct AdvanceRequest
{
    qint64 returnId = 0;
    ReturnState to = ReturnState::Received;
    QString warehouse;       // received: the warehouse's code ('': the settings', else the default one)
    bool refund = false;     // refunded: the payment back through the marketplace (Allegro)
    bool correction = false; // refunded: a correction invoice of the returned lines
};

// G1, returns (RMA). Each step is one transaction with the case's row, an order history row and an event
// ("return.registered", "return.changed": the automation's triggers) and, when the settings say so, the buyer's
// message queued in the outbox under a key of its own (the case and the step): never twice. Effects keep their own
// guards: the stock receipt on "received" is a PZ document keyed "return:ID/receipt", the marketplace refund goes
// through SellerActions under the ledger key "return:ID/refund" (Allegro's commandId derives from it) and the
// correction invoice through DocumentService under "return:ID/correction", so a retry or a second advance never
// repeats them. Bad input (an unknown order or item, more units than were bought, a wrong transition, a late
// return without a reason) is refused with a translated message before anything is written.
class ReturnService
{
    Q_DECLARE_TR_FUNCTIONS(ReturnService)

public:
    explicit ReturnService(storage::OrderStore &orders,
                           std::shared_ptr<const automation::MarketplaceAccess> marketplace = {});

    static constexpr qint64 kMaxAttachmentBytes = 20 * 1024 * 1024;

    Result<ReturnCase> registerReturn(const ReturnRequest &request, const storage::ChangeContext &ctx);
    Result<ReturnCase> advance(const AdvanceRequest &request, const storage::ChangeContext &ctx);
    Result<ReturnAttachment> attach(qint64 returnId, const QString &path, const storage::ChangeContext &ctx);
    // The last day a return of the order is in time.
    Result<QDate> termEnd(const domain::Order &order);
    // The marketplace refund of the case's items alone (advance() calls it for "refunded" with refund): under the
    // ledger, so calling it again finds it done and sends nothing. Returns Allegro's refund id.
    Result<QString> refund(const ReturnCase &rma, const storage::ChangeContext &ctx);

    ReturnStore &store() { return m_store; }
    storage::OrderStore &orders() { return m_orders; }

private:
    // The file's bytes, or why it cannot be taken (unreadable, too large).
    static Result<QByteArray> readAttachment(const QString &path);
    Result<QList<ReturnItem>> chooseItems(const domain::Order &order, const QList<ReturnRequest::Line> &lines);
    Result<QString> receiveStock(ReturnCase &rma, const domain::Order &order, const QString &warehouse,
                                 const QString &actor);
    Result<QString> correct(const ReturnCase &rma, const domain::Order &order, const storage::ChangeContext &ctx);
    // The step's event with its order history row, the buyer's message, the commit; returns the case as stored.
    Result<ReturnCase> recordStep(storage::Transaction &tx, const ReturnCase &rma, const domain::Order &order,
                                  const char *event, const QJsonObject &payload, const storage::ChangeContext &ctx,
                                  const QString &from, bool inform);
    Result<void> informBuyer(const ReturnCase &rma, const domain::Order &order);

    storage::OrderStore &m_orders;
    std::shared_ptr<storage::Database> m_db;
    ReturnStore m_store;
    std::shared_ptr<const automation::MarketplaceAccess> m_marketplace;
};

} // namespace sd::returns
