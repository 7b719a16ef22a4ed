#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QMutex>
#include <QStringList>
#include <QThread>
#include <QUrl>

// A tiny loopback double of the few Allegro endpoints the unit-level tests need (the real double is the training
// server): single-use refresh tokens, the order event journal, checkout forms, and injected 429/503 answers.
// It runs in its own thread, so the blocking client in the test thread talks to it as to a real server.
class FakeAllegro : public QThread
{
public:
    FakeAllegro();
    ~FakeAllegro() override;

    QUrl url() const { return m_url; }

    // State, guarded by mutex.
    QMutex mutex;
    QByteArray accessToken = "access-1";
    QByteArray refreshToken = "refresh-1";
    int tokenSerial = 1;
    int refreshes = 0;
    int refusedRefreshes = 0;
    QJsonArray events;                // the journal, ascending ids
    QHash<QString, QByteArray> forms; // checkout form id -> body (may be malformed)
    int fail429 = 0;                  // answer the next N API calls with 429
    int fail503 = 0;                  // then the next N with 503
    QStringList requests;             // "METHOD path?query" of every call

protected:
    void run() override;

private:
    QUrl m_url;
};
