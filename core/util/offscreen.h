#pragma once

namespace sd::util {

// Before a QGuiApplication is made for drawing only (PDF invoices, labels, test pages) in a process with no window:
// the offscreen platform, so no display is needed, and a private runtime directory when none is set (Qt would warn
// about the fallback among the command's output). `evenWithDisplay`: a server (`sellerdesk --headless`) takes the
// offscreen platform even where DISPLAY is set, so it never depends on an X session; the command line keeps the
// display it was given. An explicit QT_QPA_PLATFORM always wins.
void prepareOffscreenDrawing(bool evenWithDisplay);

} // namespace sd::util
