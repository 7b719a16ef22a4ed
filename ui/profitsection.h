#pragma once

#include "domain/order.h"
#include "storage/database.h"

#include <QCoreApplication>
#include <QUrl>

#include <memory>

class QWidget;

namespace sd::ui {

// The order view's "Profit" section (F1) and the loss guard's state (E4): HTML for the details browser, and the
// action behind its "release" link.
class ProfitSection
{
    Q_DECLARE_TR_FUNCTIONS(ProfitSection)

public:
    static QString html(const std::shared_ptr<storage::Database> &db, const domain::Order &order);
    // The link the section uses to release a hold; handle() acts on it (asks for the reason) and says whether it did.
    static QUrl releaseLink(qint64 orderId);
    static bool handle(const std::shared_ptr<storage::Database> &db, const QUrl &url, QWidget *parent);
};

} // namespace sd::ui
