#pragma once

#include <QList>
#include <QString>

namespace sd::scanning {

// How a keyboard-wedge scanner types: fast, evenly, and ending with a suffix key.
struct ScannerSettings
{
    int maxGapMs = 35;       // the longest pause between two keys of one scan
    int minLength = 4;       // shorter bursts are typing (a fast "ok" + Enter is not a scan)
    bool suffixEnter = true; // the scan ends with Enter (Return or the keypad's Enter)
    bool suffixTab = true;   // or with Tab
    QString prefix;          // characters the scanner sends first (configured on the scanner); empty: none
    bool sounds = true;      // the packing station beeps on a refused scan
    QString serialPort;      // a serial / USB-CDC scanner ("ttyACM0"); empty: none
    int baudRate = 9600;

    // QSettings "scanner/..." of this workstation (the scanner is a device of the desk, not of the profile).
    static ScannerSettings load();
    void save() const;
};

// One key as the decoder sees it: the text it types (empty for Enter, Tab and keys that type nothing) and when it
// came, in milliseconds of a monotonic clock.
struct KeyStroke
{
    enum class Kind { Text, Enter, Tab, Other };
    Kind kind = Kind::Text;
    QString text;
    qint64 atMs = 0;
};

// Tells a scanner's keystrokes from a person's. Keys are held back while they could be the start of a scan: a scan
// is at least minLength characters (after the prefix) each within maxGapMs of the one before, ended by a suffix key
// within maxGapMs. Anything else is given back, in order, to go where it was typed:
//   - a person, however fast, leaves gaps longer than the threshold somewhere (60-150 ms between keys);
//   - a paste (several characters in one key event, or keys with no time between them, as a paste tool types)
//     is typing: a scanner's keys come over USB at least a millisecond apart;
//   - a burst with no suffix is given back when the threshold has passed (flush()).
// Pure: no clock, no Qt events; the application-wide filter in ui/ and the tests feed it.
class ScanDecoder
{
public:
    struct Outcome
    {
        QList<KeyStroke> release; // keys that were typing: deliver them as they were
        QString scan;             // a recognised scan's code (without prefix and suffix); empty: none
        bool held = false;        // the key just fed is held back (may be part of a scan)
    };

    explicit ScanDecoder(ScannerSettings settings = {});

    void setSettings(const ScannerSettings &settings);
    const ScannerSettings &settings() const { return m_settings; }

    Outcome feed(const KeyStroke &key);
    // Called when no key came for a while (nowMs): a burst older than the threshold is typing after all.
    Outcome flush(qint64 nowMs);
    bool holding() const { return !m_held.isEmpty(); }
    // When flush() should be called next (the last held key + the threshold); 0 when nothing is held.
    qint64 flushDueMs() const;

private:
    Outcome releaseAll(const KeyStroke *also = nullptr);
    QString heldText() const;
    bool looksLikePaste() const;

    ScannerSettings m_settings;
    QList<KeyStroke> m_held;
};

} // namespace sd::scanning
