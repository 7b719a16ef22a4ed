#pragma once

#include <QString>

namespace sd::devices::fiscal {

// Clear, translated sentences for the Posnet error numbers an operator meets, the mechanism status (sprn pr) and the
// device status (sdev ds). Numbers without a sentence of their own get a general one that names the number.
QString posnetErrorMessage(int code);
QString posnetMechanismMessage(int mechanism);
QString posnetDeviceMessage(int device);

} // namespace sd::devices::fiscal
