#pragma once

#include "devices/labels/labelservice.h"
#include "devices/printing/printqueue.h"

namespace sd::devices::printing {

// The print jobs every front end (CLI, rule actions, window) asks for, built one way so that the duplicate guard
// sees the same document key whoever prints.

// An order's courier label ("label:shipment:ROW").
PrintQueue::Request labelPrintRequest(const labels::StoredLabel &label, const QString &printer, const QString &actor);

// A sales document's PDF ("document:ID"): the rule action and any other front end print it under one key, so the
// duplicate guard keeps it to one print unless it is reprinted by hand.
PrintQueue::Request documentPrintRequest(qint64 documentId, qint64 orderId, const QString &number, QByteArray pdf,
                                         const QString &printer, const QString &actor);

// A test page for a printer: ZPL for a raw TCP port, else a PDF (A4 for the document printer, the label size for a
// label printer). Every test page is a job of its own.
Result<PrintQueue::Request> testPageRequest(const QString &printer, bool documentPrinter, const QString &actor);

} // namespace sd::devices::printing
