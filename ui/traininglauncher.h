#pragma once

#include "marketplace/accountstore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QProcess;

namespace sd::ui {

class ConnectorController;

// A training profile works with the training marketplace and the fiscal printer simulator on this computer. When
// the window opens one (or the first-run guide has just made one) and nothing answers at the training account's
// address or the fiscal printer's, this starts them as child processes of sellerdesk-cli (`training serve`,
// `fiscal simulate`; their state and journal in the profile), connects the training account when it is not yet
// connected (the training marketplace approves by itself) and downloads. What it started stops with it.
// scripts/run starts its own servers first; then this finds them answering and starts nothing.
class TrainingLauncher : public QObject
{
    Q_OBJECT

public:
    explicit TrainingLauncher(QString profileDir, QObject *parent = nullptr);
    ~TrainingLauncher() override;

    // sellerdesk-cli beside the running program unless told otherwise (tests).
    void setCliPath(const QString &path) { m_cli = path; }
    // Looks at the profile's training accounts and fiscal printer now (nothing to do outside training mode).
    void ensure(ConnectorController *connector);
    // The servers this launcher started and that run (port -> process).
    int running() const;
    static bool answers(const QUrl &url);

Q_SIGNALS:
    void marketplaceStarted(const QUrl &url);
    void accountConnected(const QString &name);
    // Something could not be started or connected: a translated reason for the status bar.
    void problem(const QString &message);

private:
    void startMarketplace(const QUrl &url);
    void startFiscalSimulator(const QUrl &url);
    void connectAccounts();
    QProcess *startChild(const QStringList &arguments, const QString &logName);

    QString m_profileDir;
    QString m_cli;
    QPointer<ConnectorController> m_connector;
    QHash<int, QProcess *> m_children; // by port
    QHash<qint64, bool> m_connecting;  // account id -> a connect job runs
};

} // namespace sd::ui
