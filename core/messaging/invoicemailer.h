#pragma once

#include "storage/orderstore.h"

#include <QDateTime>
#include <QString>

#include <memory>

namespace sd::marketplace::allegro {
struct ClientOptions;
}

namespace sd::security {
class SecretStore;
}

namespace sd::messaging {

// D2: every invoice issued (automatically by a rule or by hand: both record `document.issued`) is e-mailed to the
// buyer with its PDF attached ("invoice.mail" = 1) and attached to its Allegro order ("invoice.upload" = 1:
// POST /order/checkout-forms/{id}/invoices, then PUT the file). It follows the order events after its own cursor
// (`invoice.cursor`), so it needs no hook in the issuing path and sees documents issued by any process; each e-mail
// and upload is keyed by the document (`d2/document:ID/...`), so nothing is sent twice. Pro-formas are not
// invoices and are left alone. The PDF is written to `pdfDir` (the outbox reads attachments when it sends).
class InvoiceMailer
{
public:
    InvoiceMailer(storage::OrderStore &store, QString pdfDir);

    // The marketplace side (null secrets: no upload, the e-mail still goes).
    void setMarketplace(std::shared_ptr<security::SecretStore> secrets,
                        const marketplace::allegro::ClientOptions &options);
    // Handles the issued documents recorded since the last call. Returns how many documents were handled; the
    // cursor stops before a document whose upload failed for a reason worth a retry.
    Result<int> run();
    // Whether run() has something to do: D2 is on and a document was issued after the cursor (a few small queries;
    // the background services look every two seconds, so an invoice goes out right after it is issued).
    Result<bool> pending();

    static QString defaultPdfDir();

private:
    Result<bool> handle(qint64 orderId, qint64 documentId);

    storage::OrderStore &m_store;
    QString m_pdfDir;
    std::shared_ptr<security::SecretStore> m_secrets;
    std::shared_ptr<marketplace::allegro::ClientOptions> m_options;
};

// E3 on a schedule: reads `deadline.paymentDays` / `deadline.dispatchDays` (0: off) and raises the alerts due by
// `now` (alertPassedDeadlines). Returns how many alerts were raised.
Result<int> checkDeadlines(storage::OrderStore &store, const QDateTime &now);

} // namespace sd::messaging
