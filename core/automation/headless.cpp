#include "automation/headless.h"

#include "automation/backgroundservices.h"
#include "automation/catalog.h"
#include "automation/scheduler.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QSocketNotifier>

#include <atomic>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace sd::automation {

namespace {

int s_signalPipe[2] = {-1, -1};
std::atomic<BackgroundServices *> s_services = nullptr;

void onSignal(int)
{
    // Stops the job loop between two jobs even while it keeps the event loop busy; the pipe wakes the event loop.
    if (BackgroundServices *services = s_services.load())
        services->requestStop();
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(s_signalPipe[0], &byte, 1);
}

} // namespace

HeadlessRunner::HeadlessRunner(std::shared_ptr<storage::Database> db, HeadlessOptions options, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_options(std::move(options))
{}

HeadlessRunner::~HeadlessRunner()
{
    s_services = nullptr;
    m_services.reset();
    util::removeFileLog();
}

int HeadlessRunner::exec()
{
    const QString logFile = !m_options.logFile.isEmpty()
                                ? m_options.logFile
                                : QDir(m_options.profileDir).filePath(u"logs/sellerdesk-headless.log"_qs);
    if (!util::installFileLog(logFile))
        qCWarning(lcAutomation) << "cannot write the log file" << logFile;

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalPipe) != 0) {
        qCCritical(lcAutomation) << "cannot install signal handlers";
        return 1;
    }
    m_signals = new QSocketNotifier(s_signalPipe[1], QSocketNotifier::Read, this);
    connect(m_signals, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        [[maybe_unused]] const auto read = ::read(s_signalPipe[1], &byte, 1);
        qCInfo(lcAutomation) << "stop requested by a signal";
        stop();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    m_services = std::make_unique<BackgroundServices>(
        m_db, BackgroundOptions{m_options.profileDir, u"headless"_qs, /*download=*/true, /*openSecrets=*/true});
    connect(m_services.get(), &BackgroundServices::jobFinished, this,
            [](qint64 id, const QString &outcome) { qCInfo(lcAutomation).noquote() << "job" << id << outcome; });
    connect(m_services.get(), &BackgroundServices::stopped, this, [] { QCoreApplication::exit(0); });
    if (auto r = m_services->start(); !r) {
        qCCritical(lcAutomation).noquote() << r.error().text();
        return 1;
    }
    s_services = m_services.get();
    qCInfo(lcAutomation).noquote() << "headless scheduler started as" << m_services->owner();
    const int code = QCoreApplication::exec();
    qCInfo(lcAutomation) << "headless scheduler stopped";
    return code;
}

void HeadlessRunner::stop()
{
    if (m_services)
        m_services->shutdown();
    else
        QCoreApplication::exit(0);
}

} // namespace sd::automation
