#include "returns/customerreturns.h"

#include "marketplace/accountstore.h"

#include <QJsonArray>

namespace sd::returns {

CustomerReturns::CustomerReturns(ReturnService &service)
    : m_service(service)
{}

Result<CustomerReturnReport>
CustomerReturns::downloadAccount(qint64 accountId, std::shared_ptr<const automation::MarketplaceAccess> access)
{
    if (!access || !access->secrets)
        return makeError(Error::Code::Invalid,
                         tr("The secret store with the marketplace tokens is not open; no return was downloaded."));
    auto account = marketplace::AccountStore(m_service.orders().sharedDatabase()).get(accountId);
    if (!account)
        return account.error();
    marketplace::allegro::AllegroClient client(*account, m_service.orders().sharedDatabase(), access->secrets,
                                               access->options);
    return download(client);
}

Result<CustomerReturnReport> CustomerReturns::download(marketplace::allegro::AllegroClient &client)
{
    using Media = marketplace::allegro::AllegroClient::Media;
    CustomerReturnReport report;
    const QString account = QString::number(client.account().id);
    for (int offset = 0;; offset += kPageSize) {
        QUrlQuery query;
        query.addQueryItem(u"limit"_qs, QString::number(kPageSize));
        query.addQueryItem(u"offset"_qs, QString::number(offset));
        auto page = client.getJson(u"/order/customer-returns"_qs, query, Media::Beta);
        if (!page)
            return page.error();
        const QJsonArray list = page->value(u"customerReturns").toArray();
        for (const QJsonValue &value : list) {
            ++report.read;
            QString skipped;
            auto created = importOne(value.toObject(), account, &skipped);
            if (!created)
                return created.error();
            if (!skipped.isEmpty())
                report.skipped.append(skipped);
            else if (*created)
                ++report.created;
            else
                ++report.known;
        }
        if (list.size() < kPageSize)
            break;
    }
    return report;
}

Result<bool> CustomerReturns::importOne(const QJsonObject &customerReturn, const QString &account, QString *skipped)
{
    const QString id = customerReturn.value(u"id").toString();
    if (id.isEmpty()) {
        *skipped = tr("A customer return without an id was left out.");
        return false;
    }
    auto known = m_service.store().findExternal(u"allegro"_qs, account, id);
    if (!known)
        return known.error();
    if (*known)
        return false;
    const QString checkoutFormId = customerReturn.value(u"orderId").toString();
    auto orderId = m_service.orders().resolve(checkoutFormId);
    if (!orderId) {
        *skipped = tr("The customer return %1 is for order %2, which has not been downloaded yet.")
                       .arg(customerReturn.value(u"referenceNumber").toString(id), checkoutFormId);
        return false;
    }
    auto order = m_service.orders().load(*orderId);
    if (!order)
        return order.error();
    ReturnRequest request;
    request.orderId = *orderId;
    request.source = u"allegro"_qs;
    request.account = account;
    request.externalId = id;
    QStringList reasons;
    for (const QJsonValue &value : customerReturn.value(u"items").toArray()) {
        const QJsonObject item = value.toObject();
        const QString offerId = item.value(u"offerId").toString();
        int line = -1;
        for (int i = 0; i < order->items.size() && line < 0; ++i)
            if (order->items.at(i).offerId == offerId)
                line = i;
        if (line < 0) {
            *skipped = tr("The customer return %1 names offer %2, which order %3 does not have.")
                           .arg(id, offerId)
                           .arg(*orderId);
            return false;
        }
        request.items.append({u"#%1"_qs.arg(line + 1), int(item.value(u"quantity").toInteger())});
        const QJsonObject reason = item.value(u"reason").toObject();
        QString text = reason.value(u"type").toString();
        if (!reason.value(u"userComment").toString().isEmpty())
            text += u": "_qs + reason.value(u"userComment").toString();
        if (!text.isEmpty() && !reasons.contains(text))
            reasons.append(text);
    }
    request.reason = reasons.isEmpty()
                         ? tr("Allegro customer return %1").arg(customerReturn.value(u"referenceNumber").toString(id))
                         : reasons.join(u"; "_qs);
    const storage::ChangeContext ctx{
        u"marketplace:allegro"_qs,
        tr("Allegro customer return %1").arg(customerReturn.value(u"referenceNumber").toString(id)), 0};
    auto created = m_service.registerReturn(request, ctx);
    if (!created) {
        // Items that do not fit the order (more than were bought): reported, the others still imported.
        if (created.error().code == Error::Code::Invalid || created.error().code == Error::Code::NotFound) {
            *skipped = tr("The customer return %1 was left out: %2").arg(id, created.error().userMessage);
            return false;
        }
        return created.error();
    }
    return true;
}

} // namespace sd::returns
