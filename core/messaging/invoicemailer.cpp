#include "messaging/invoicemailer.h"

#include "automation/sqlrun.h"
#include "documents/documentpdf.h"
#include "documents/documentstore.h"
#include "marketplace/accountstore.h"
#include "marketplace/allegro/allegroclient.h"
#include "marketplace/allegro/allegrorecords.h"
#include "marketplace/allegro/selleractions.h"
#include "messaging/messagetemplates.h"
#include "messaging/messagingaccounts.h"
#include "messaging/orderconfirmation.h"
#include "messaging/outbox.h"
#include "storage/actionledger.h"
#include "util/logging.h"

#include <QDir>
#include <QGuiApplication>
#include <QSaveFile>
#include <QStandardPaths>

namespace sd::messaging {

namespace {

const QString kCursor = u"invoice.cursor"_qs;

} // namespace

InvoiceMailer::InvoiceMailer(storage::OrderStore &store, QString pdfDir)
    : m_store(store)
    , m_pdfDir(std::move(pdfDir))
{}

void InvoiceMailer::setMarketplace(std::shared_ptr<security::SecretStore> secrets,
                                   const marketplace::allegro::ClientOptions &options)
{
    m_secrets = std::move(secrets);
    m_options = std::make_shared<marketplace::allegro::ClientOptions>(options);
}

QString InvoiceMailer::defaultPdfDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/invoices"_qs;
}

Result<int> InvoiceMailer::run()
{
    MessagingAccounts settings(m_store.sharedDatabase());
    auto cursor = settings.setting(kCursor);
    if (!cursor)
        return cursor.error();
    qint64 after = cursor->toLongLong();
    if (cursor->isEmpty()) {
        // The first run starts now: invoices issued before D2 existed are not mailed all at once.
        auto latest =
            automation::runSql(m_store.database(), u"SELECT COALESCE(MAX(id), 0) FROM events"_qs, "latest event");
        if (!latest)
            return latest.error();
        const qint64 last = latest->next() ? latest->value(0).toLongLong() : 0;
        if (auto r = settings.setSetting(kCursor, QString::number(last)); !r)
            return r.error();
        return 0;
    }
    const bool mail = settings.setting(u"invoice.mail"_qs, u"0"_qs).value_or(QString()) == u"1";
    const bool upload = settings.setting(u"invoice.upload"_qs, u"0"_qs).value_or(QString()) == u"1";
    // The PDF needs fonts (a QGuiApplication: the window, `sellerdesk --headless` on the offscreen platform); a
    // process that cannot draw leaves the documents to one that can.
    if ((mail || upload) && !qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return 0;
    int handled = 0;
    for (;;) {
        auto events = m_store.eventsAfter(after, 500);
        if (!events)
            return events.error();
        if (events->isEmpty())
            break;
        for (const storage::EventRecord &event : std::as_const(*events)) {
            if (event.type == QLatin1StringView(documents::DocumentEvent::kIssued) && (mail || upload)) {
                auto done = handle(event.orderId, event.payload.value(u"documentId").toInteger());
                if (!done)
                    return done.error();
                if (!*done)
                    return handled; // worth a retry: the cursor stays before it
                ++handled;
            }
            after = event.id;
            if (auto r = settings.setSetting(kCursor, QString::number(after)); !r)
                return r.error();
        }
    }
    return handled;
}

Result<bool> InvoiceMailer::pending()
{
    MessagingAccounts settings(m_store.sharedDatabase());
    auto mail = settings.setting(u"invoice.mail"_qs, u"0"_qs);
    if (!mail)
        return mail.error();
    auto upload = settings.setting(u"invoice.upload"_qs, u"0"_qs);
    if (!upload)
        return upload.error();
    if (*mail != u"1" && *upload != u"1")
        return false;
    auto cursor = settings.setting(kCursor);
    if (!cursor)
        return cursor.error();
    if (cursor->isEmpty())
        return true; // the first run sets the cursor
    auto issued = automation::runSql(m_store.database(), u"SELECT 1 FROM events WHERE id > ? AND type = ? LIMIT 1"_qs,
                                     "issued documents",
                                     {cursor->toLongLong(), QString::fromLatin1(documents::DocumentEvent::kIssued)});
    if (!issued)
        return issued.error();
    return issued->next();
}

Result<bool> InvoiceMailer::handle(qint64 orderId, qint64 documentId)
{
    documents::DocumentStore documents(m_store);
    auto doc = documents.load(documentId);
    if (!doc)
        return doc.error();
    if (doc->type == documents::DocumentType::Proforma || !orderId)
        return true;
    auto order = m_store.load(orderId);
    if (!order)
        return order.error();
    QByteArray xml;
    if (auto stored = documents.xml(doc->id))
        xml = *stored;
    auto pdf = documents::renderPdf(*doc, {xml});
    if (!pdf)
        return pdf.error();
    const QString fileName = QString(doc->number).replace(u'/', u'_') + u".pdf"_qs;
    MessagingAccounts settings(m_store.sharedDatabase());
    const QString base = u"d2/document:%1"_qs.arg(doc->id);

    if (settings.setting(u"invoice.mail"_qs, u"0"_qs).value_or(QString()) == u"1" && !order->buyer.email.isEmpty()) {
        if (!QDir().mkpath(m_pdfDir))
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::messaging", "The folder %1 cannot be created.").arg(m_pdfDir));
        const QString path = QDir(m_pdfDir).filePath(u"%1-%2"_qs.arg(doc->id).arg(fileName));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(*pdf) != pdf->size() || !file.commit())
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::messaging", "%1 cannot be written: %2").arg(path, file.errorString()));
        MessageRequest request;
        request.orderId = orderId;
        request.templateKey = QString::fromLatin1(TemplateKey::kInvoiceIssued);
        request.key = base + u"/email"_qs;
        request.extra.insert(u"invoiceNumber"_qs, doc->number);
        request.attachments.append({path, fileName, u"application/pdf"_qs});
        if (auto queued = Outbox(m_store).queue(request); !queued)
            return queued.error();
    }

    bool numeric = false;
    const qint64 accountId = order->account.toLongLong(&numeric);
    const bool upload = settings.setting(u"invoice.upload"_qs, u"0"_qs).value_or(QString()) == u"1" &&
                        order->marketplace.startsWith(u"allegro") && !order->externalId.isEmpty() && numeric;
    // Without the secret store (not handed over yet) the upload waits: the cursor stays before this document, and
    // the e-mail queued above is the same message next time (its key).
    if (upload && (!m_secrets || !m_options))
        return false;
    if (upload) {
        auto account = marketplace::AccountStore(m_store.sharedDatabase()).get(accountId);
        if (account && account->connected) {
            marketplace::allegro::AllegroClient client(*account, m_store.sharedDatabase(), m_secrets, *m_options);
            storage::ActionLedger ledger(m_store.sharedDatabase());
            marketplace::allegro::AllegroRecords records(m_store.sharedDatabase());
            marketplace::allegro::SellerActions actions(client, m_store, ledger, records, u"invoices"_qs);
            auto uploaded = actions.uploadInvoice(base + u"/allegro"_qs, orderId, doc->number, fileName, *pdf);
            if (!uploaded) {
                qCWarning(lcAllegro).noquote() << "invoice" << doc->number << "to Allegro:" << uploaded.error().text();
                // Allegro or the network may come back; a refusal of the data will not.
                if (uploaded.error().code == Error::Code::Io)
                    return false;
            }
        }
    }
    return true;
}

Result<int> checkDeadlines(storage::OrderStore &store, const QDateTime &now)
{
    MessagingAccounts settings(store.sharedDatabase());
    auto payment = settings.setting(u"deadline.paymentDays"_qs, u"0"_qs);
    if (!payment)
        return payment.error();
    auto dispatch = settings.setting(u"deadline.dispatchDays"_qs, u"0"_qs);
    if (!dispatch)
        return dispatch.error();
    if (payment->toInt() <= 0 && dispatch->toInt() <= 0)
        return 0;
    return alertPassedDeadlines(store, now, payment->toInt(), dispatch->toInt());
}

} // namespace sd::messaging
