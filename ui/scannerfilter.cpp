#include "scannerfilter.h"

#include <QApplication>
#include <QWidget>

namespace sd::ui {

namespace {
QPointer<ScannerFilter> s_instance;
}

ScannerFilter *ScannerFilter::install()
{
    if (!s_instance) {
        s_instance = new ScannerFilter(qApp);
        qApp->installEventFilter(s_instance);
    }
    return s_instance;
}

ScannerFilter *ScannerFilter::active()
{
    return s_instance;
}

ScannerFilter::ScannerFilter(QObject *parent)
    : QObject(parent)
    , m_decoder(scanning::ScannerSettings::load())
{
    m_clock.start();
    m_flush.setSingleShot(true);
    connect(&m_flush, &QTimer::timeout, this, [this] {
        release(m_decoder.flush(m_clock.elapsed()).release);
        armFlush();
    });
}

void ScannerFilter::setSettings(const scanning::ScannerSettings &settings)
{
    release(m_decoder.flush(m_clock.elapsed() + 100000).release);
    m_decoder.setSettings(settings);
}

void ScannerFilter::addConsumer(QObject *owner, Consumer consumer)
{
    m_consumers.append({owner, std::move(consumer)});
}

void ScannerFilter::deliver(const QString &code)
{
    Q_EMIT scanned(code);
    for (qsizetype i = m_consumers.size() - 1; i >= 0; --i) {
        const Entry entry = m_consumers.at(i);
        if (!entry.owner) {
            m_consumers.removeAt(i);
            continue;
        }
        auto *widget = qobject_cast<QWidget *>(entry.owner.data());
        if (widget && !widget->isVisible())
            continue;
        entry.consumer(code);
        return;
    }
}

void ScannerFilter::armFlush()
{
    const qint64 due = m_decoder.flushDueMs();
    if (!due) {
        m_flush.stop();
        return;
    }
    m_flush.start(int(qMax<qint64>(1, due - m_clock.elapsed())));
}

void ScannerFilter::release(const QList<scanning::KeyStroke> &keys)
{
    // The released keys are the oldest held ones, in order; the rest (if any) came later and are not in `keys`.
    const qsizetype n = qMin(keys.size(), m_held.size());
    QList<Held> out;
    for (qsizetype i = 0; i < n; ++i)
        out.append(m_held.at(i));
    m_held.erase(m_held.begin(), m_held.begin() + n);
    m_replaying = true;
    for (Held &held : out) {
        if (held.receiver)
            QCoreApplication::sendEvent(held.receiver, held.event.get());
    }
    m_replaying = false;
}

bool ScannerFilter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress || m_replaying || !watched->isWidgetType())
        return QObject::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    if (key->isAutoRepeat() || (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)))
        return QObject::eventFilter(watched, event);
    scanning::KeyStroke stroke;
    stroke.atMs = m_clock.elapsed();
    if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
        stroke.kind = scanning::KeyStroke::Kind::Enter;
    else if (key->key() == Qt::Key_Tab)
        stroke.kind = scanning::KeyStroke::Kind::Tab;
    else if (!key->text().isEmpty() && key->text().at(0).isPrint())
        stroke.text = key->text();
    else
        stroke.kind = scanning::KeyStroke::Kind::Other;

    // Nothing held and a key that cannot start a scan: straight through, no copy.
    if (!m_decoder.holding() && stroke.kind != scanning::KeyStroke::Kind::Text)
        return QObject::eventFilter(watched, event);

    const auto outcome = m_decoder.feed(stroke);
    if (outcome.held || !outcome.scan.isEmpty() || !outcome.release.isEmpty())
        m_held.append({watched, std::make_shared<QKeyEvent>(key->type(), key->key(), key->modifiers(), key->text(),
                                                            key->isAutoRepeat(), key->count())});
    if (!outcome.scan.isEmpty()) {
        m_held.clear();
        m_flush.stop();
        deliver(outcome.scan);
        return true;
    }
    if (!outcome.release.isEmpty()) {
        // Everything up to and including this key is released unless this key is held again (a new burst).
        release(outcome.release);
    }
    armFlush();
    return true;
}

} // namespace sd::ui
