#include "profitsection.h"

#include "access/session.h"
#include "money/lossguard.h"
#include "money/profitservice.h"

#include <QCoreApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>

namespace sd::ui {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

QString ProfitSection::html(const std::shared_ptr<storage::Database> &db, const domain::Order &order)
{
    // A role without "see profit" gets no section at all (the core would refuse the figures anyway).
    if (!access::Session::current().can(access::Permission::SeeProfit))
        return {};
    QString html = u"<h3>" + esc(tr("Profit")) + u"</h3>";
    auto p = money::ProfitService(db).profit(order.id);
    if (!p)
        return html + u"<p>" + esc(p.error().userMessage) + u"</p>";
    html += u"<table cellspacing='0' cellpadding='2'>";
    auto row = [&](const QString &label, qint64 amount, bool strong = false) {
        const QString value = p->display(amount);
        const QString color = amount < 0 && strong ? u"color:#c0392b;"_qs : QString();
        html += u"<tr><td style='color:#666;padding-right:16px'>" + esc(label) + u"</td><td align='right' style='" +
                color + (strong ? u"font-weight:bold"_qs : QString()) + u"'>" + esc(value) + u"</td></tr>";
    };
    row(tr("Revenue (gross)"), p->revenueGross);
    row(tr("VAT"), -p->vat());
    row(tr("Revenue (net)"), p->revenueNet);
    row(tr("Purchase cost"), -p->purchaseCost);
    row(p->feesFromBilling ? tr("Marketplace fees (billing)") : tr("Marketplace fees (commission table)"),
        -p->marketplaceFees);
    row(tr("Courier"), -p->shippingCost);
    row(tr("Payment fees"), -p->paymentFees);
    row(tr("Packaging"), -p->packaging);
    row(tr("Profit"), p->profit, true);
    html += u"</table>";
    for (const QString &problem : std::as_const(p->problems))
        html += u"<p style='color:#c0392b'>⚠ " + esc(problem) + u"</p>";
    for (const QString &warning : std::as_const(p->warnings))
        html += u"<p style='color:#8a6d3b'>" + esc(warning) + u"</p>";
    auto holds = money::LossGuard(db).holds(order.id);
    if (holds && !holds->isEmpty()) {
        const money::LossHold &h = holds->constFirst();
        if (h.isOpen())
            html += u"<p style='background:#fdecea;color:#8a1f11;padding:4px'>" +
                    esc(tr("Held by the loss guard: it may not move to \"%1\" until an administrator releases it. %2")
                            .arg(h.targetStatus, h.reasons.join(u' '))) +
                    u" <a href='" + releaseLink(order.id).toString() + u"'>" + esc(tr("Release…")) + u"</a></p>";
        else
            html += u"<p style='color:#666'>" +
                    esc(tr("Loss guard released by %1: %2").arg(h.releasedBy, h.releaseReason)) + u"</p>";
    }
    return html;
}

QUrl ProfitSection::releaseLink(qint64 orderId)
{
    return QUrl(u"sellerdesk:release-loss-hold?order="_qs + QString::number(orderId));
}

bool ProfitSection::handle(const std::shared_ptr<storage::Database> &db, const QUrl &url, QWidget *parent)
{
    if (url.scheme() != u"sellerdesk" || url.path() != u"release-loss-hold")
        return false;
    const qint64 orderId = url.query().section(u'=', 1).toLongLong();
    bool ok = false;
    const QString reason = QInputDialog::getText(
        parent, tr("Release order %1").arg(orderId),
        tr("Why may this order be completed anyway? (recorded in its history)"), QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return true;
    const QString user = qEnvironmentVariable("USER");
    auto released = money::LossGuard(db).release(orderId, user.isEmpty() ? u"user"_qs : u"user:"_qs + user, reason);
    if (!released)
        QMessageBox::warning(parent, tr("Release order %1").arg(orderId), released.error().userMessage);
    return true;
}

} // namespace sd::ui
