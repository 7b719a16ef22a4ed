#pragma once

#include "storage/database.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace sd::ui {

class MainWindow;
class TrainingLauncher;

// Keeps the program's main window: makes it, shows it, starts its automation and, when another language is chosen
// (Settings > Language, the first-run guide), builds it again in that language at once: the old window closes
// first (its automation stops, so the new one can take the profile's queue), then the new one opens where it
// was asked to.
class WindowHost : public QObject
{
    Q_OBJECT

public:
    WindowHost(std::shared_ptr<storage::Database> db, QString profileDir, QObject *parent = nullptr);
    ~WindowHost() override;

    // Shows the window and starts its automation; `page` opens at once (as --open PAGE).
    void start(const QString &page = {});
    MainWindow *window() const { return m_window.get(); }
    // For tests: whether start() also starts the automation and a training profile's servers (on by default).
    void setAutomation(bool on) { m_automation = on; }
    TrainingLauncher *trainingLauncher() const { return m_launcher; }

Q_SIGNALS:
    // A new window is up (after a language switch).
    void windowRebuilt();

private:
    void startTraining();
    void rebuild(const QString &language, const QString &page);

    std::shared_ptr<storage::Database> m_db;
    QString m_profileDir;
    std::unique_ptr<MainWindow> m_window;
    bool m_automation = true;
    TrainingLauncher *m_launcher = nullptr; // outlives a rebuilt window: the servers keep running
};

} // namespace sd::ui
