#include "windowhost.h"

#include "mainwindow.h"
#include "traininglauncher.h"
#include "util/translations.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QStatusBar>
#include <QTimer>

namespace sd::ui {

WindowHost::WindowHost(std::shared_ptr<storage::Database> db, QString profileDir, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_profileDir(std::move(profileDir))
{}

WindowHost::~WindowHost() = default;

void WindowHost::start(const QString &page)
{
    m_window = std::make_unique<MainWindow>(m_db);
    m_window->setProfileDir(m_profileDir);
    // Queued: the window that asks is still on the stack when it asks.
    connect(
        m_window.get(), &MainWindow::languageChanged, this,
        [this](const QString &language, const QString &openPage) {
            QTimer::singleShot(0, this, [this, language, openPage] { rebuild(language, openPage); });
        },
        Qt::QueuedConnection);
    m_window->show();
    if (m_automation) {
        m_window->startAutomation(m_profileDir);
        startTraining();
        connect(m_window.get(), &MainWindow::trainingShopReady, this, &WindowHost::startTraining);
    }
    if (!page.isEmpty())
        QMetaObject::invokeMethod(m_window.get(), "openPage", Qt::QueuedConnection, Q_ARG(QString, page));
}

void WindowHost::startTraining()
{
    if (!m_launcher) {
        m_launcher = new TrainingLauncher(m_profileDir, this);
        connect(m_launcher, &TrainingLauncher::problem, this, [this](const QString &message) {
            if (m_window)
                m_window->statusBar()->showMessage(message, 20000);
        });
        connect(m_launcher, &TrainingLauncher::accountConnected, this, [this](const QString &name) {
            if (m_window)
                m_window->statusBar()->showMessage(
                    tr("“%1” is connected to the training marketplace on this computer.").arg(name), 15000);
        });
    }
    m_launcher->ensure(m_window ? m_window->connector() : nullptr);
}

void WindowHost::rebuild(const QString &language, const QString &page)
{
    if (language != sd::currentLanguage() || language.isEmpty())
        sd::installTranslations(*QCoreApplication::instance(), language);
    const QRect geometry = m_window ? m_window->geometry() : QRect();
    const bool maximized = m_window && m_window->isMaximized();
    // Closing the only window would end the program: not while it is being replaced.
    const bool quitOnClose = QGuiApplication::quitOnLastWindowClosed();
    QGuiApplication::setQuitOnLastWindowClosed(false);
    if (m_window)
        m_window->close(); // keeps its layout for the new one and stops its automation
    m_window.reset();
    start(page);
    QGuiApplication::setQuitOnLastWindowClosed(quitOnClose);
    if (maximized)
        m_window->showMaximized();
    else if (geometry.isValid())
        m_window->setGeometry(geometry);
    Q_EMIT windowRebuilt();
}

} // namespace sd::ui
