#pragma once

#include "domain/order.h"
#include "storage/database.h"

#include <QHash>

#include <memory>

namespace sd::messaging {

// The ready-made messages (from the seller's wishes): each has a subject and text for e-mail and a short SMS text,
// in Polish and English; a profile may override any of them per language (message_templates, schema 16).
namespace TemplateKey {
inline constexpr char kStatusChanged[] = "statusChanged";
inline constexpr char kLabelGenerated[] = "labelGenerated";
inline constexpr char kInvoiceIssued[] = "invoiceIssued";
inline constexpr char kPaymentReminder[] = "paymentReminder";
inline constexpr char kReviewRequest[] = "reviewRequest";
inline constexpr char kConfirmationRequest[] = "confirmationRequest";
inline constexpr char kOrdersDownloaded[] = "ordersDownloaded"; // to the seller (E1)
inline constexpr char kDeadlinePassed[] = "deadlinePassed";     // to the seller (E3)
inline constexpr char kAutoresponder[] = "autoresponder";       // Message Center reply (B6)
// Returns (G1): one message per step of the case (core/returns).
inline constexpr char kReturnRegistered[] = "returnRegistered";
inline constexpr char kReturnReceived[] = "returnReceived";
inline constexpr char kReturnInspected[] = "returnInspected";
inline constexpr char kReturnRefunded[] = "returnRefunded";
inline constexpr char kReturnReplaced[] = "returnReplaced";
inline constexpr char kReturnRepaired[] = "returnRepaired";
inline constexpr char kReturnRejected[] = "returnRejected";
} // namespace TemplateKey

struct MessageTemplate
{
    QString key;
    QString language; // "pl", "en"
    QString subject;
    QString text;
    QString html; // empty: made from the text (escaped values, the items as a table)
    QString sms;
    bool custom = false; // stored in the profile rather than built in
};

struct RenderedMessage
{
    QString subject;
    QString text;
    QString html;
    QString sms;
    QString language;
};

class MessageTemplates
{
public:
    explicit MessageTemplates(std::shared_ptr<storage::Database> db);

    static QStringList keys();
    // The key as stored: also accepts kebab-case ("payment-reminder") and the short names the rule templates use
    // ("invoice", "tracking", "status", "confirmation").
    static QString canonicalKey(const QString &key);
    static QStringList languages();
    static QString displayName(const QString &key);
    // Placeholders a template may use, with their meaning (for the editor's inserter and the reference).
    static QList<QPair<QString, QString>> placeholders();
    // The buyer's language: the delivery country's (PL -> pl), else the buyer's own setting, else English.
    static QString languageFor(const domain::Order &order);

    Result<MessageTemplate> get(const QString &key, const QString &language);
    Result<void> save(const MessageTemplate &tpl);
    Result<void> reset(const QString &key, const QString &language);
    static MessageTemplate builtIn(const QString &key, const QString &language);

    // Fills the placeholders from the order, the shop's settings and `extra` (invoiceNumber, confirmationLink...).
    Result<RenderedMessage> render(const QString &key, const domain::Order &order,
                                   const QHash<QString, QString> &extra = {}, const QString &language = {});
    static RenderedMessage renderWith(const MessageTemplate &tpl, const QHash<QString, QString> &values,
                                      const QString &itemsHtml);
    // The values the placeholders stand for ({orderId} -> "12", ...), and the items as an HTML table.
    Result<QHash<QString, QString>> values(const domain::Order &order, const QString &language,
                                           QString *itemsHtml = nullptr);
    static QString trackingLink(const QString &carrier, const QString &waybill);

private:
    std::shared_ptr<storage::Database> m_db;
};

} // namespace sd::messaging
