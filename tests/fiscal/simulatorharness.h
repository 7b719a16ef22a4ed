#pragma once

#include "devices/fiscal/simulator/fiscalsimulator.h"

#include <QThread>

#include <functional>
#include <memory>

// The fiscal printer simulator in this process, on its own thread with its own event loop, so the driver's blocking
// calls in the test thread are answered while they wait. The journal and fault setters are thread-safe.
class SimulatorHarness
{
public:
    explicit SimulatorHarness(sd::devices::fiscal::SimulatorOptions options = {})
    {
        m_context.moveToThread(&m_thread);
        m_thread.start();
        inThread([&] {
            m_simulator = std::make_unique<sd::devices::fiscal::FiscalSimulator>(options);
            if (auto port = m_simulator->start(); port)
                m_address = m_simulator->address();
        });
    }
    ~SimulatorHarness()
    {
        inThread([&] { m_simulator.reset(); });
        m_thread.quit();
        m_thread.wait();
    }
    QString address() const { return m_address; }
    sd::devices::fiscal::FiscalSimulator &simulator() { return *m_simulator; }

private:
    void inThread(const std::function<void()> &f)
    {
        QMetaObject::invokeMethod(&m_context, f, Qt::BlockingQueuedConnection);
    }

    QThread m_thread;
    QObject m_context;
    std::unique_ptr<sd::devices::fiscal::FiscalSimulator> m_simulator;
    QString m_address;
};
