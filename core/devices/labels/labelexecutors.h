#pragma once

#include "automation/executors.h"

namespace sd::devices::labels {

// Rule actions (keys in automation/catalog.cpp):
//   generateLabel   the courier's label through LabelService, under the rule's key + "/label"
//   printLabel      the order's newest label to this workstation's label printer, through the print queue (a label
//                   printed before is not printed again by a rule: the duplicate guard answers with its job)
//   shipWithLabel   D5 in one action: the label, then the tracking number on the Allegro order and its fulfillment
//                   status SENT (each its own ledger entry, so a retry resumes where it stopped)
class GenerateLabelExecutor : public automation::ActionExecutor
{
public:
    explicit GenerateLabelExecutor(bool markShipped = false)
        : m_markShipped(markShipped)
    {}
    bool internal() const override { return false; }
    automation::ActionOutcome run(const automation::ActionRun &run, automation::ExecutorEnv &env) override;

private:
    bool m_markShipped;
};

class PrintLabelExecutor : public automation::ActionExecutor
{
public:
    bool internal() const override { return false; }
    automation::ActionOutcome run(const automation::ActionRun &run, automation::ExecutorEnv &env) override;
};

// "Print the invoice": the order's newest issued invoice (or other sales document) as a PDF on this workstation's
// document printer, through the print queue (its duplicate guard: printing it again needs an explicit reprint).
// Drawing the PDF needs the window's process; a headless node says so and leaves it.
class PrintDocumentExecutor : public automation::ActionExecutor
{
public:
    bool internal() const override { return false; }
    automation::ActionOutcome run(const automation::ActionRun &run, automation::ExecutorEnv &env) override;
};

} // namespace sd::devices::labels
