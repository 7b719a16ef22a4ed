#include "util/offscreen.h"

#include <QByteArray>
#include <QDir>
#include <QtGlobal>

#include <sys/stat.h>
#include <unistd.h>

namespace sd::util {

void prepareOffscreenDrawing(bool evenWithDisplay)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && (evenWithDisplay || qEnvironmentVariableIsEmpty("DISPLAY")))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        // The directory Qt would fall back to, made as it wants it.
        const QByteArray runtime = QDir::tempPath().toLocal8Bit() + "/runtime-" + QByteArray::number(getuid());
        ::mkdir(runtime.constData(), 0700);
        qputenv("XDG_RUNTIME_DIR", runtime);
    }
}

} // namespace sd::util
