#pragma once

#include "marketplace/allegro/allegroclient.h"
#include "returns/returnservice.h"

#include <QCoreApplication>

namespace sd::returns {

struct CustomerReturnReport
{
    int read = 0;        // customer returns Allegro listed
    int created = 0;     // new cases
    int known = 0;       // already a case (nothing written)
    QStringList skipped; // translated: a return whose order is not downloaded yet, or whose items do not fit
};

// Allegro's customer returns (GET /order/customer-returns, beta) become RMA cases of their orders, once: the case
// keeps the return's id and the unique index (source, account, external_id) refuses a second one. A return whose
// order has not been downloaded yet is skipped and read again on the next run.
class CustomerReturns
{
    Q_DECLARE_TR_FUNCTIONS(CustomerReturns)

public:
    explicit CustomerReturns(ReturnService &service);

    static constexpr int kPageSize = 100;

    Result<CustomerReturnReport> download(marketplace::allegro::AllegroClient &client);
    // The account's client made from the service's marketplace access (secrets and options).
    Result<CustomerReturnReport> downloadAccount(qint64 accountId,
                                                 std::shared_ptr<const automation::MarketplaceAccess> access);

private:
    Result<bool> importOne(const QJsonObject &customerReturn, const QString &account, QString *skipped);

    ReturnService &m_service;
};

} // namespace sd::returns
