#include "trainingcourier.h"

#include "devices/labels/couriersetup.h"

#include <QSettings>

namespace sd::test {

TrainingCourier::TrainingCourier()
    : m_server({})
{}

TrainingCourier::~TrainingCourier()
{
    devices::labels::setRuleSecrets({});
}

Result<void> TrainingCourier::start()
{
    auto url = m_server.start();
    if (!url)
        return url.error();
    QSettings settings;
    settings.setValue(u"couriers/inpost/url"_qs, url->toString());
    settings.setValue(u"couriers/inpost/organization"_qs, u"1001"_qs);
    m_secrets = std::make_shared<security::FileSecretStore>(m_dir.filePath(u"secrets.enc"_qs), "training", 1000);
    if (auto r = m_secrets->unlock(); !r)
        return r;
    if (auto r = m_secrets->write(QString::fromLatin1(devices::labels::kShipXTokenKey), "training-shipx-token"); !r)
        return r;
    devices::labels::setRuleSecrets(m_secrets);
    return {};
}

} // namespace sd::test
