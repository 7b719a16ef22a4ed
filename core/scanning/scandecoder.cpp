#include "scanning/scandecoder.h"

#include <QSettings>

namespace sd::scanning {

ScannerSettings ScannerSettings::load()
{
    QSettings s;
    ScannerSettings out;
    out.maxGapMs = qBound(5, s.value(u"scanner/maxGapMs"_qs, out.maxGapMs).toInt(), 500);
    out.minLength = qBound(1, s.value(u"scanner/minLength"_qs, out.minLength).toInt(), 64);
    out.suffixEnter = s.value(u"scanner/suffixEnter"_qs, out.suffixEnter).toBool();
    out.suffixTab = s.value(u"scanner/suffixTab"_qs, out.suffixTab).toBool();
    out.prefix = s.value(u"scanner/prefix"_qs).toString();
    out.sounds = s.value(u"scanner/sounds"_qs, out.sounds).toBool();
    out.serialPort = s.value(u"scanner/serialPort"_qs).toString();
    out.baudRate = s.value(u"scanner/baudRate"_qs, out.baudRate).toInt();
    return out;
}

void ScannerSettings::save() const
{
    QSettings s;
    s.setValue(u"scanner/maxGapMs"_qs, maxGapMs);
    s.setValue(u"scanner/minLength"_qs, minLength);
    s.setValue(u"scanner/suffixEnter"_qs, suffixEnter);
    s.setValue(u"scanner/suffixTab"_qs, suffixTab);
    s.setValue(u"scanner/prefix"_qs, prefix);
    s.setValue(u"scanner/sounds"_qs, sounds);
    s.setValue(u"scanner/serialPort"_qs, serialPort);
    s.setValue(u"scanner/baudRate"_qs, baudRate);
}

ScanDecoder::ScanDecoder(ScannerSettings settings)
    : m_settings(std::move(settings))
{}

void ScanDecoder::setSettings(const ScannerSettings &settings)
{
    m_settings = settings;
    m_held.clear();
}

QString ScanDecoder::heldText() const
{
    QString text;
    for (const KeyStroke &k : m_held)
        text += k.text;
    return text;
}

bool ScanDecoder::looksLikePaste() const
{
    if (m_held.size() < 2)
        return false;
    for (qsizetype i = 1; i < m_held.size(); ++i) {
        if (m_held.at(i).atMs != m_held.at(i - 1).atMs)
            return false;
    }
    return true;
}

qint64 ScanDecoder::flushDueMs() const
{
    return m_held.isEmpty() ? 0 : m_held.constLast().atMs + m_settings.maxGapMs + 1;
}

ScanDecoder::Outcome ScanDecoder::releaseAll(const KeyStroke *also)
{
    Outcome out;
    out.release = std::move(m_held);
    m_held.clear();
    if (also)
        out.release.append(*also);
    return out;
}

ScanDecoder::Outcome ScanDecoder::feed(const KeyStroke &key)
{
    const bool inTime = m_held.isEmpty() || key.atMs - m_held.constLast().atMs <= m_settings.maxGapMs;
    if (!inTime) {
        // The burst before was typing; this key may start a new scan.
        Outcome out = releaseAll();
        Outcome next = feed(key);
        out.release += next.release;
        out.scan = next.scan;
        out.held = next.held;
        return out;
    }
    const bool suffix = (key.kind == KeyStroke::Kind::Enter && m_settings.suffixEnter) ||
                        (key.kind == KeyStroke::Kind::Tab && m_settings.suffixTab);
    if (suffix) {
        if (m_held.isEmpty())
            return releaseAll(&key);
        QString text = heldText();
        const bool prefixed = m_settings.prefix.isEmpty() || text.startsWith(m_settings.prefix);
        if (prefixed)
            text.remove(0, m_settings.prefix.size());
        if (!prefixed || text.size() < m_settings.minLength || looksLikePaste())
            return releaseAll(&key);
        m_held.clear();
        Outcome out;
        out.scan = text;
        return out;
    }
    // A key that types nothing, or several characters at once (a paste, an input method): never a scanner's.
    if (key.kind != KeyStroke::Kind::Text || key.text.size() != 1)
        return releaseAll(&key);
    // With a prefix configured, a burst that does not start with it is typing from its first key.
    if (!m_settings.prefix.isEmpty()) {
        const QString text = heldText() + key.text;
        const qsizetype n = qMin(text.size(), m_settings.prefix.size());
        if (text.left(n) != m_settings.prefix.left(n))
            return releaseAll(&key);
    }
    m_held.append(key);
    Outcome out;
    out.held = true;
    return out;
}

ScanDecoder::Outcome ScanDecoder::flush(qint64 nowMs)
{
    if (m_held.isEmpty() || nowMs - m_held.constLast().atMs <= m_settings.maxGapMs)
        return {};
    return releaseAll();
}

} // namespace sd::scanning
