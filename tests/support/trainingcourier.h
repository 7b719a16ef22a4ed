#pragma once

#include "devices/labels/training/shipxtrainingserver.h"
#include "security/filesecretstore.h"

#include <QTemporaryDir>

#include <memory>

namespace sd::test {

// The training InPost ShipX for label rules: the server on loopback, this workstation's courier settings pointing at
// it, and its token in a throwaway encrypted secret store made known to the rule actions (forgotten again on
// destruction).
class TrainingCourier
{
public:
    TrainingCourier();
    ~TrainingCourier();

    Result<void> start();
    devices::labels::ShipXTrainingServer &server() { return m_server; }

private:
    devices::labels::ShipXTrainingServer m_server;
    QTemporaryDir m_dir;
    std::shared_ptr<security::FileSecretStore> m_secrets;
};

} // namespace sd::test
