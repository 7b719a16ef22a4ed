#pragma once

#include "marketplace/allegro/accountconnector.h"
#include "marketplace/training/trainingserver.h"

#include <QObject>
#include <QThread>
#include <QUrl>

#include <functional>
#include <memory>
#include <type_traits>

// The training marketplace in this process, on its own thread with its own event loop, so the Allegro client's
// blocking calls in the test thread are answered while they wait. Everything that touches the server runs on its
// thread through run(): the server is not thread-safe, and its timers and sockets belong to that thread.
class TrainingHarness
{
public:
    explicit TrainingHarness(sd::marketplace::training::TrainingOptions options)
    {
        m_context.moveToThread(&m_thread);
        m_thread.start();
        inThread([&] {
            m_server = std::make_unique<sd::marketplace::training::TrainingServer>(options);
            auto url = m_server->start();
            if (url)
                m_url = *url;
            else
                m_error = url.error().text();
        });
    }
    ~TrainingHarness()
    {
        inThread([&] { m_server.reset(); });
        m_thread.quit();
        m_thread.wait();
    }

    QUrl url() const { return m_url; }

    // A training account connected to this server through the real device flow (approved at once when the server
    // runs with autoApprove); its tokens go to `secrets`.
    sd::Result<sd::marketplace::MarketplaceAccount>
    connectAccount(std::shared_ptr<sd::storage::Database> db, std::shared_ptr<sd::security::SecretStore> secrets,
                   const sd::marketplace::allegro::ClientOptions &options)
    {
        sd::marketplace::MarketplaceAccount account;
        account.name = QStringLiteral("training");
        account.environment = sd::marketplace::MarketplaceAccount::Environment::Training;
        account.apiBaseUrl = m_url;
        account.authBaseUrl = m_url;
        account.clientId = QStringLiteral("sellerdesk-test");
        sd::marketplace::allegro::AccountConnector connector(std::move(db), std::move(secrets), options);
        if (auto started = connector.start(account, "client-secret"); !started)
            return started.error();
        return connector.finish();
    }
    QString error() const { return m_error; }

    // Calls f(server) on the server's thread and returns what it returns.
    template<typename F>
    auto run(F f)
    {
        if constexpr (std::is_invocable_v<F, sd::marketplace::training::TrainingServer &>) {
            using R = std::invoke_result_t<F, sd::marketplace::training::TrainingServer &>;
            if constexpr (std::is_void_v<R>) {
                QMetaObject::invokeMethod(
                    &m_context, [&] { f(*m_server); }, Qt::BlockingQueuedConnection);
            } else {
                R result{};
                QMetaObject::invokeMethod(
                    &m_context, [&] { result = f(*m_server); }, Qt::BlockingQueuedConnection);
                return result;
            }
        } else {
            inThread(f);
        }
    }

private:
    void inThread(const std::function<void()> &f)
    {
        QMetaObject::invokeMethod(&m_context, f, Qt::BlockingQueuedConnection);
    }

    QThread m_thread;
    QObject m_context;
    std::unique_ptr<sd::marketplace::training::TrainingServer> m_server;
    QUrl m_url;
    QString m_error;
};
