#pragma once

#include "scanning/scandecoder.h"

#include <QElapsedTimer>
#include <QKeyEvent>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace sd::ui {

// The application-wide keyboard-wedge filter: every key press goes through the ScanDecoder first. Keys that may be
// a scan are held back; when they turn out to be typing they are delivered to the widget they were meant for, in
// order; a scan is swallowed whole (it never lands in a text field) and handed to the innermost open consumer: the
// packing station, the scanner settings' test field, else the main window's scan-anywhere.
class ScannerFilter : public QObject
{
    Q_OBJECT

public:
    using Consumer = std::function<void(const QString &code)>;

    // Installed on qApp once (the application's main does it; tests that want it too); owned by qApp.
    static ScannerFilter *install();
    // The installed filter, or null: windows register their consumers only when there is one.
    static ScannerFilter *active();

    void setSettings(const scanning::ScannerSettings &settings);
    const scanning::ScannerSettings &settings() const { return m_decoder.settings(); }

    // The consumer is active while owner lives (and is visible); the last one added wins.
    void addConsumer(QObject *owner, Consumer consumer);

    // For tests and the serial scanner: a code as if scanned.
    void deliver(const QString &code);

Q_SIGNALS:
    void scanned(const QString &code);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit ScannerFilter(QObject *parent);
    void release(const QList<scanning::KeyStroke> &keys);
    void armFlush();

    struct Held
    {
        QPointer<QObject> receiver;
        std::shared_ptr<QKeyEvent> event;
    };
    struct Entry
    {
        QPointer<QObject> owner;
        Consumer consumer;
    };

    scanning::ScanDecoder m_decoder;
    QElapsedTimer m_clock;
    QTimer m_flush;
    QList<Held> m_held; // parallel to the decoder's held keys
    QList<Entry> m_consumers;
    bool m_replaying = false;
};

} // namespace sd::ui
