#include "marketplace/training/faultplan.h"
#include "marketplace/training/trainingserver.h"
#include "testsupport.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;
using namespace sd::marketplace::training;

namespace {

constexpr auto kMedia = "application/vnd.allegro.public.v1+json";

struct Answer
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QHash<QByteArray, QByteArray> headers;
    bool parsed = false;
};

class Client
{
public:
    explicit Client(QUrl base)
        : m_base(std::move(base))
    {}

    QString token;
    QByteArray language;

    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                QByteArray contentType = kMedia, bool api = true)
    {
        QNetworkRequest request(m_base.resolved(QUrl(path)));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        if (api)
            request.setRawHeader("Accept", kMedia);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        if (!language.isEmpty())
            request.setRawHeader("Accept-Language", language);
        if (!body.isNull() || method == "PUT" || method == "POST" || method == "PATCH")
            request.setRawHeader("Content-Type", contentType);
        return send(request, method, body);
    }
    Answer json(const QByteArray &method, const QString &path, const QJsonObject &body)
    {
        return call(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    Answer get(const QString &path) { return call("GET", path); }
    Answer oauth(const QString &path, const QByteArray &form)
    {
        QNetworkRequest request(m_base.resolved(QUrl(path)));
        request.setRawHeader("Authorization", "Basic " + QByteArray("client:secret").toBase64());
        request.setRawHeader("Content-Type", "application/x-www-form-urlencoded");
        return send(request, "POST", form);
    }
    Answer control(const QString &path)
    {
        QNetworkRequest request(m_base.resolved(QUrl(path)));
        return send(request, "POST", QByteArray(""));
    }
    Answer send(QNetworkRequest request, const QByteArray &method, const QByteArray &body)
    {
        QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        Answer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            answer.headers.insert(name.toLower(), value);
        QJsonParseError error;
        answer.json = QJsonDocument::fromJson(answer.body, &error).object();
        answer.parsed = error.error == QJsonParseError::NoError;
        reply->deleteLater();
        return answer;
    }

private:
    QUrl m_base;
    QNetworkAccessManager m_manager;
};

QString firstErrorCode(const Answer &a)
{
    return a.json.value(u"errors"_s).toArray().first().toObject().value(u"code"_s).toString();
}

std::unique_ptr<TrainingServer> startServer(TrainingOptions options = {})
{
    auto server = std::make_unique<TrainingServer>(options);
    const auto url = server->start();
    if (!url)
        qFatal("training server did not start: %s", qPrintable(url.error().text()));
    return server;
}

} // namespace

class TestTrainingServer : public QObject
{
    Q_OBJECT

private slots:
    void faultGrammar();
    void notAcceptableWithoutMediaType();
    void deviceFlowNeedsApproval();
    void deviceFlowAutoApprove();
    void accessTokenExpires();
    void refreshIsSingleUseWithGrace();
    void journalSemantics();
    void stateModelEvents();
    void fulfillmentRules();
    void shipmentsAndInvoices();
    void refundsAndClaims();
    void offerCommands();
    void offerEditsAreAsynchronous();
    void faultsAreInjected();
    void stateSurvivesRestart();
    void ordersArriveAtTheChosenRate();
    void cliServePrintsUrl();
};

void TestTrainingServer::faultGrammar()
{
    auto plan = FaultPlan::parse(u"500=0.1,429=0.05,slow=0.1:1500,malformed=0.02,truncated=0.02,"
                                 u"duplicate-events=0.1,reorder-events=0.05"_s);
    SD_VERIFY_OK(plan);
    QCOMPARE(plan->serverError, 0.1);
    QCOMPARE(plan->slowMs, 1500);
    QCOMPARE(plan->reorderEvents, 0.05);
    QCOMPARE(FaultPlan::parse(plan->toString())->toString(), plan->toString());
    QVERIFY(!FaultPlan::parse(u"none"_s)->any());
    QVERIFY(!FaultPlan::parse(u"500=2"_s).ok());
    QVERIFY(!FaultPlan::parse(u"teapot=0.1"_s).ok());
    QVERIFY(!FaultPlan::parse(u"500"_s).ok());
    QVERIFY(FaultPlan::parse(u"bogus=0.1"_s).error().userMessage.contains(u"bogus"));
    // A storm: every fault at once, the rate split over the five request faults; stalls as long as asked.
    auto storm = FaultPlan::parse(u"storm=0.5:35000"_s);
    SD_VERIFY_OK(storm);
    QCOMPARE(storm->serverErrorStatus, 503);
    QCOMPARE(storm->serverError, 0.1);
    QCOMPARE(storm->tooManyRequests, 0.1);
    QCOMPARE(storm->malformed, 0.1);
    QCOMPARE(storm->truncated, 0.1);
    QCOMPARE(storm->slow, 0.1);
    QCOMPARE(storm->slowMs, 35000);
    QCOMPARE(storm->duplicateEvents, 0.1);
    QCOMPARE(FaultPlan::parse(storm->toString())->toString(), storm->toString());
    QVERIFY(!FaultPlan::parse(u"storm=1.5"_s).ok());
    QVERIFY(!FaultPlan::parse(u"429=0.1:100"_s).ok());
}

void TestTrainingServer::notAcceptableWithoutMediaType()
{
    auto server = startServer();
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    const Answer wrong = client.call("GET", u"/order/events"_s, {}, kMedia, false);
    QCOMPARE(wrong.status, 406);
    QCOMPARE(firstErrorCode(wrong), u"NotAcceptableException"_s);
    QVERIFY(wrong.headers.contains("trace-id"));
    client.language = "pl-PL";
    const Answer polish = client.call("GET", u"/order/events"_s, {}, kMedia, false);
    QCOMPARE(polish.json.value(u"errors"_s).toArray().first().toObject().value(u"userMessage"_s).toString(),
             u"Zapytanie zawiera niepoprawne dane. Skontaktuj się z autorem aplikacji."_s);
    client.language.clear();
    QCOMPARE(wrong.headers.value("content-type"), QByteArray(kMedia));
    const Answer right = client.get(u"/order/events"_s);
    QCOMPARE(right.status, 200);
    QVERIFY(right.json.contains(u"events"_s));
    // A JSON body with another media type is refused.
    const Answer badType = client.call("POST", u"/payments/refunds"_s, "{}", "application/json");
    QCOMPARE(badType.status, 415);
    // Without a token: the OAuth-style body.
    client.token.clear();
    const Answer anonymous = client.get(u"/me"_s);
    QCOMPARE(anonymous.status, 401);
    QCOMPARE(anonymous.json.value(u"error"_s).toString(), u"unauthorized"_s);
}

void TestTrainingServer::deviceFlowNeedsApproval()
{
    auto server = startServer();
    Client client(server->baseUrl());
    const Answer device = client.oauth(u"/auth/oauth/device"_s, "client_id=client");
    QCOMPARE(device.status, 200);
    QCOMPARE(device.json.value(u"interval"_s).toInt(), 5);
    QCOMPARE(device.json.value(u"expires_in"_s).toInt(), 3600);
    const QString userCode = device.json.value(u"user_code"_s).toString();
    QCOMPARE(device.json.value(u"verification_uri_complete"_s).toString(),
             server->baseUrl().toString() + u"/skojarz-aplikacje?code="_s + userCode);
    const QByteArray poll = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=" +
                            device.json.value(u"device_code"_s).toString().toLatin1();
    const Answer pending = client.oauth(u"/auth/oauth/token"_s, poll);
    QCOMPARE(pending.status, 400);
    QCOMPARE(pending.json.value(u"error"_s).toString(), u"authorization_pending"_s);

    // The verification page shows the code and an Approve button; posting the form approves.
    const Answer page = client.call("GET", u"/skojarz-aplikacje?code="_s + userCode, {}, kMedia, false);
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains(userCode.toLatin1()));
    QVERIFY(page.body.contains("<form method=\"post\""));
    const Answer approved = client.call("POST", u"/skojarz-aplikacje"_s, "code=" + userCode.toLatin1(),
                                        "application/x-www-form-urlencoded", false);
    QCOMPARE(approved.status, 200);

    const Answer token = client.oauth(u"/auth/oauth/token"_s, poll);
    QCOMPARE(token.status, 200);
    QCOMPARE(token.json.value(u"expires_in"_s).toInt(), 43199);
    QVERIFY(!token.json.value(u"refresh_token"_s).toString().isEmpty());
    client.token = token.json.value(u"access_token"_s).toString();
    QCOMPARE(client.get(u"/me"_s).status, 200);

    const Answer used = client.oauth(u"/auth/oauth/token"_s, poll);
    QCOMPARE(used.status, 400);
    QCOMPARE(used.json.value(u"error"_s).toString(), u"invalid_request"_s);
    QCOMPARE(used.json.value(u"error_description"_s).toString(), u"Invalid device code"_s);
}

void TestTrainingServer::deviceFlowAutoApprove()
{
    TrainingOptions options;
    options.autoApprove = true;
    auto server = startServer(options);
    Client client(server->baseUrl());
    const Answer device = client.oauth(u"/auth/oauth/device"_s, "client_id=client");
    const Answer token = client.oauth(u"/auth/oauth/token"_s,
                                      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=" +
                                          device.json.value(u"device_code"_s).toString().toLatin1());
    QCOMPARE(token.status, 200);
    QCOMPARE(token.json.value(u"token_type"_s).toString(), u"bearer"_s);
}

void TestTrainingServer::accessTokenExpires()
{
    auto server = startServer();
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    QCOMPARE(client.get(u"/me"_s).status, 200);
    server->advanceClock(43198);
    QCOMPARE(client.get(u"/me"_s).status, 200);
    QVERIFY(client.control(u"/_training/clock/advance?seconds=2"_s).status == 200);
    const Answer expired = client.get(u"/me"_s);
    QCOMPARE(expired.status, 401);
    QCOMPARE(expired.json.value(u"error"_s).toString(), u"invalid_token"_s);
    QVERIFY(expired.json.value(u"error_description"_s).toString().startsWith(u"Access token expired: "_s));
}

void TestTrainingServer::refreshIsSingleUseWithGrace()
{
    auto server = startServer();
    Client client(server->baseUrl());
    const QJsonObject first = server->issueTokens();
    const QByteArray refresh =
        "grant_type=refresh_token&refresh_token=" + first.value(u"refresh_token"_s).toString().toLatin1();
    const Answer second = client.oauth(u"/auth/oauth/token"_s, refresh);
    QCOMPARE(second.status, 200);
    QVERIFY(second.json.value(u"refresh_token"_s) != first.value(u"refresh_token"_s));
    // The previous access token stops working; the new one works.
    client.token = first.value(u"access_token"_s).toString();
    QCOMPARE(client.get(u"/me"_s).status, 401);
    client.token = second.json.value(u"access_token"_s).toString();
    QCOMPARE(client.get(u"/me"_s).status, 200);
    // Within 60 s the old refresh token still works (two workers racing), after that it is invalid_grant.
    server->advanceClock(30);
    QCOMPARE(client.oauth(u"/auth/oauth/token"_s, refresh).status, 200);
    server->advanceClock(31);
    const Answer stale = client.oauth(u"/auth/oauth/token"_s, refresh);
    QCOMPARE(stale.status, 400);
    QCOMPARE(stale.json.value(u"error"_s).toString(), u"invalid_grant"_s);
    const Answer garbage = client.oauth(u"/auth/oauth/token"_s, "grant_type=refresh_token&refresh_token=nope");
    QCOMPARE(garbage.json.value(u"error"_s).toString(), u"invalid_grant"_s);
}

void TestTrainingServer::journalSemantics()
{
    TrainingOptions options;
    options.orders = 60;
    auto server = startServer(options);
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    const Answer all = client.get(u"/order/events?limit=1000"_s);
    QCOMPARE(all.status, 200);
    const QJsonArray events = all.json.value(u"events"_s).toArray();
    QVERIFY2(events.size() > 100, "60 orders make more than 100 events");
    qint64 previous = 0;
    QString previousTime;
    for (const QJsonValue &event : events) {
        const qint64 id = event.toObject().value(u"id"_s).toString().toLongLong();
        QVERIFY(id > previous);
        QVERIFY(event.toObject().value(u"occurredAt"_s).toString() >= previousTime);
        previous = id;
        previousTime = event.toObject().value(u"occurredAt"_s).toString();
    }
    // Ids look like microsecond timestamps of the event.
    const QJsonObject last = events.last().toObject();
    const qint64 lastMs =
        QDateTime::fromString(last.value(u"occurredAt"_s).toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
    QVERIFY(qAbs(last.value(u"id"_s).toString().toLongLong() / 1000 - lastMs) < 60000);

    QCOMPARE(client.get(u"/order/events"_s).json.value(u"events"_s).toArray().size(), 100);
    const QString third = events.at(2).toObject().value(u"id"_s).toString();
    const QJsonArray after = client.get(u"/order/events?limit=2&from="_s + third).json.value(u"events"_s).toArray();
    QCOMPARE(after.size(), 2);
    QCOMPARE(after.first().toObject().value(u"id"_s), events.at(3).toObject().value(u"id"_s));
    const QString head = last.value(u"id"_s).toString();
    QCOMPARE(client.get(u"/order/events?from="_s + head).json.value(u"events"_s).toArray().size(), 0);
    QCOMPARE(client.get(u"/order/event-stats"_s).json.value(u"latestEvent"_s).toObject().value(u"id"_s).toString(),
             head);
    QCOMPARE(client.get(u"/order/events?limit=0"_s).status, 422);
    QCOMPARE(firstErrorCode(client.get(u"/order/events?limit=1001"_s)), u"VALIDATION_ERROR"_s);
    const QJsonArray bought = client.get(u"/order/events?limit=1000&type=BOUGHT"_s).json.value(u"events"_s).toArray();
    QCOMPARE(bought.size(), 60);
    for (const QJsonValue &event : bought)
        QCOMPARE(event.toObject().value(u"type"_s).toString(), u"BOUGHT"_s);

    // The list: limits and the 10,000 window.
    QCOMPARE(client.get(u"/order/checkout-forms?limit=101"_s).status, 422);
    const Answer window = client.get(u"/order/checkout-forms?limit=100&offset=9950"_s);
    QCOMPARE(window.status, 422);
    QVERIFY(
        window.json.value(u"errors"_s).toArray().first().toObject().value(u"message"_s).toString().contains(u"10000"));
    const Answer list = client.get(u"/order/checkout-forms?limit=10&status=READY_FOR_PROCESSING"_s);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json.value(u"count"_s).toInt(), 10);
    for (const QJsonValue &form : list.json.value(u"checkoutForms"_s).toArray())
        QCOMPARE(form.toObject().value(u"status"_s).toString(), u"READY_FOR_PROCESSING"_s);
}

void TestTrainingServer::stateModelEvents()
{
    auto server = startServer();
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    const Answer made = client.control(u"/_training/orders?count=20"_s);
    QCOMPARE(made.status, 200);
    const QJsonArray ids = made.json.value(u"orders"_s).toArray();
    QCOMPARE(ids.size(), 20);
    const QString id = ids.first().toString();
    const Answer fresh = client.get(u"/order/checkout-forms/"_s + id);
    QCOMPARE(fresh.json.value(u"status"_s).toString(), u"BOUGHT"_s);
    QVERIFY(!fresh.json.value(u"payment"_s).toObject().contains(u"finishedAt"_s));
    QVERIFY(!fresh.json.value(u"delivery"_s).toObject().contains(u"address"_s));

    // An hour later every buyer has filled in; most have paid, some cancelled.
    server->advanceClock(3600);
    QHash<QString, QStringList> typesByOrder;
    for (const QJsonValue &event : client.get(u"/order/events?limit=1000"_s).json.value(u"events"_s).toArray()) {
        const QJsonObject e = event.toObject();
        typesByOrder[e.value(u"order"_s).toObject().value(u"checkoutForm"_s).toObject().value(u"id"_s).toString()]
            << e.value(u"type"_s).toString();
    }
    int ready = 0;
    for (const QJsonValue &value : ids) {
        const QJsonObject form = client.get(u"/order/checkout-forms/"_s + value.toString()).json;
        const QString status = form.value(u"status"_s).toString();
        const QStringList types = typesByOrder.value(value.toString());
        QCOMPARE(types.value(0), u"BOUGHT"_s);
        QCOMPARE(types.value(1), u"FILLED_IN"_s);
        QVERIFY(form.value(u"delivery"_s).toObject().contains(u"address"_s));
        if (status == u"READY_FOR_PROCESSING") {
            ++ready;
            QCOMPARE(types.value(2), u"READY_FOR_PROCESSING"_s);
            const QJsonObject payment = form.value(u"payment"_s).toObject();
            if (payment.value(u"type"_s).toString() == u"ONLINE") {
                QVERIFY(payment.contains(u"finishedAt"_s));
                QCOMPARE(payment.value(u"paidAmount"_s), form.value(u"summary"_s).toObject().value(u"totalToPay"_s));
            }
        } else if (status == u"CANCELLED") {
            QVERIFY(types.value(2).endsWith(u"_CANCELLED"_s));
        } else {
            QCOMPARE(status, u"FILLED_IN"_s); // waits for Allegro to cancel it after two days
            QVERIFY(!form.value(u"payment"_s).toObject().contains(u"finishedAt"_s));
        }
    }
    QVERIFY(ready >= 15);

    // The buyer changes the address: BUYER_MODIFIED, new revision and updatedAt, modifiedAt on the address.
    QString target;
    for (const QJsonValue &value : ids) {
        if (server->checkoutForm(value.toString()).value(u"status"_s).toString() == u"READY_FOR_PROCESSING")
            target = value.toString();
    }
    const QJsonObject before = server->checkoutForm(target);
    server->advanceClock(60);
    QCOMPARE(client.control(u"/_training/orders/"_s + target + u"/address"_s).status, 200);
    const QJsonObject after = client.get(u"/order/checkout-forms/"_s + target).json;
    QVERIFY(after.value(u"revision"_s) != before.value(u"revision"_s));
    QVERIFY(after.value(u"updatedAt"_s).toString() > before.value(u"updatedAt"_s).toString());
    QVERIFY(after.value(u"delivery"_s).toObject().value(u"address"_s).toObject().contains(u"modifiedAt"_s));
    const QJsonArray modified = client.get(u"/order/events?type=BUYER_MODIFIED"_s).json.value(u"events"_s).toArray();
    QCOMPARE(modified.size(), 1);
    QCOMPARE(modified.first()
                 .toObject()
                 .value(u"order"_s)
                 .toObject()
                 .value(u"checkoutForm"_s)
                 .toObject()
                 .value(u"revision"_s),
             after.value(u"revision"_s));

    // Merging: a new form with the same line item ids; the old ones answer 404.
    const QStringList unpaid = [&] {
        QStringList list;
        for (const QJsonValue &value : client.control(u"/_training/orders?count=2"_s).json.value(u"orders"_s).toArray())
            list << value.toString();
        return list;
    }();
    const QString firstItem = server->checkoutForm(unpaid.first())
                                  .value(u"lineItems"_s)
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value(u"id"_s)
                                  .toString();
    const Answer merged = client.control(u"/_training/orders/merge?ids="_s + unpaid.join(u','));
    QCOMPARE(merged.status, 200);
    const QString mergedId = merged.json.value(u"id"_s).toString();
    QCOMPARE(client.get(u"/order/checkout-forms/"_s + unpaid.first()).status, 404);
    QCOMPARE(firstErrorCode(client.get(u"/order/checkout-forms/"_s + unpaid.last())),
             u"CheckoutFormNotFoundException"_s);
    const QJsonObject mergedForm = client.get(u"/order/checkout-forms/"_s + mergedId).json;
    QCOMPARE(mergedForm.value(u"lineItems"_s).toArray().first().toObject().value(u"id"_s).toString(), firstItem);
    QCOMPARE(mergedForm.value(u"status"_s).toString(), u"READY_FOR_PROCESSING"_s);
}

void TestTrainingServer::fulfillmentRules()
{
    TrainingOptions options;
    options.orders = 5;
    auto server = startServer(options);
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    const QString id = server->orderIds().first();
    const QJsonObject before = server->checkoutForm(id);
    const QString revision = before.value(u"revision"_s).toString();
    const QString path = u"/order/checkout-forms/"_s + id + u"/fulfillment?checkoutForm.revision="_s;
    const Answer done = client.json("PUT", path + revision, {{u"status"_s, u"PROCESSING"_s}});
    QCOMPARE(done.status, 204);
    QVERIFY(done.body.isEmpty());
    const QJsonObject after = client.get(u"/order/checkout-forms/"_s + id).json;
    QCOMPARE(after.value(u"fulfillment"_s).toObject().value(u"status"_s).toString(), u"PROCESSING"_s);
    QVERIFY(after.value(u"revision"_s).toString() != revision);
    QCOMPARE(after.value(u"updatedAt"_s), before.value(u"updatedAt"_s));
    const QJsonArray changed =
        client.get(u"/order/events?type=FULFILLMENT_STATUS_CHANGED"_s).json.value(u"events"_s).toArray();
    QCOMPARE(changed.size(), 1);

    QCOMPARE(client.json("PUT", path + revision, {{u"status"_s, u"SENT"_s}}).status, 409);
    QCOMPARE(client.json("PUT", path + after.value(u"revision"_s).toString(), {{u"status"_s, u"RETURNED"_s}}).status,
             422);
    QCOMPARE(client.json("PUT", path + after.value(u"revision"_s).toString(), {{u"status"_s, u"FLYING"_s}}).status,
             422);
    const QString unknown = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QCOMPARE(client.json("PUT", u"/order/checkout-forms/"_s + unknown + u"/fulfillment"_s, {{u"status"_s, u"SENT"_s}})
                 .status,
             404);
    QCOMPARE(client.json("PUT", u"/order/checkout-forms/not-a-uuid/fulfillment"_s, {{u"status"_s, u"SENT"_s}}).status,
             422);
}

void TestTrainingServer::shipmentsAndInvoices()
{
    TrainingOptions options;
    options.orders = 6;
    auto server = startServer(options);
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    const QStringList ids = server->orderIds();
    QVERIFY(client.get(u"/order/carriers"_s).json.value(u"carriers"_s).toArray().size() > 3);

    const QString item =
        server->checkoutForm(ids.at(0)).value(u"lineItems"_s).toArray().first().toObject().value(u"id"_s).toString();
    const Answer created = client.json("POST", u"/order/checkout-forms/"_s + ids.at(0) + u"/shipments"_s,
                                       {{u"carrierId"_s, u"INPOST"_s},
                                        {u"waybill"_s, u"AD-1239134"_s},
                                        {u"lineItems"_s, QJsonArray{QJsonObject{{u"id"_s, item}}}}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json.value(u"waybill"_s).toString(), u"AD-1239134"_s);
    QCOMPARE(client.get(u"/order/checkout-forms/"_s + ids.at(0) + u"/shipments"_s)
                 .json.value(u"shipments"_s)
                 .toArray()
                 .size(),
             1);
    const Answer foreign = client.json("POST", u"/order/checkout-forms/"_s + ids.at(1) + u"/shipments"_s,
                                       {{u"carrierId"_s, u"INPOST"_s},
                                        {u"waybill"_s, u"X-1"_s},
                                        {u"lineItems"_s, QJsonArray{QJsonObject{{u"id"_s, item}}}}});
    QCOMPARE(foreign.status, 422);
    for (int i = 1; i < TrainingShop::kWaybillOrderLimit; ++i)
        QCOMPARE(client
                     .json("POST", u"/order/checkout-forms/"_s + ids.at(i) + u"/shipments"_s,
                           {{u"carrierId"_s, u"INPOST"_s}, {u"waybill"_s, u"AD-1239134"_s}})
                     .status,
                 201);
    QCOMPARE(client
                 .json("POST", u"/order/checkout-forms/"_s + ids.at(TrainingShop::kWaybillOrderLimit) + u"/shipments"_s,
                       {{u"carrierId"_s, u"INPOST"_s}, {u"waybill"_s, u"AD-1239134"_s}})
                 .status,
             409);

    // Tracking moves on with the clock.
    const QString tracking = u"/order/carriers/INPOST/tracking?waybill=AD-1239134"_s;
    const auto statuses = [&] {
        return client.get(tracking)
            .json.value(u"waybills"_s)
            .toArray()
            .first()
            .toObject()
            .value(u"trackingDetails"_s)
            .toObject()
            .value(u"statuses"_s)
            .toArray();
    };
    QCOMPARE(statuses().size(), 1);
    server->advanceClock(30 * 3600);
    client.token = server->issueTokens().value(u"access_token"_s).toString(); // the old one expired meanwhile
    QCOMPARE(statuses().size(), 4);
    const QString reached = statuses().last().toObject().value(u"code"_s).toString();
    QVERIFY2(reached == u"DELIVERED" || reached == u"AVAILABLE_FOR_PICKUP", qPrintable(reached));

    // Invoices: one seller invoice, one PDF file of at most 3 MB.
    const QString invoices = u"/order/checkout-forms/"_s + ids.at(0) + u"/invoices"_s;
    const Answer meta = client.json(
        "POST", invoices, {{u"file"_s, QJsonObject{{u"name"_s, u"FV_1.pdf"_s}}}, {u"invoiceNumber"_s, u"FV 1/2026"_s}});
    QCOMPARE(meta.status, 201);
    const QString invoiceId = meta.json.value(u"id"_s).toString();
    // Metadata again within a second is "too fast" (429 with Retry-After); a second later the order's rule speaks.
    const Answer tooFast = client.json("POST", invoices, {{u"file"_s, QJsonObject{{u"name"_s, u"FV_2.pdf"_s}}}});
    QCOMPARE(tooFast.status, 429);
    QCOMPARE(tooFast.headers.value("retry-after"), QByteArray("1"));
    QCOMPARE(firstErrorCode(tooFast), u"TOO_MANY_REQUESTS"_s);
    server->advanceClock(1);
    QCOMPARE(client.json("POST", invoices, {{u"file"_s, QJsonObject{{u"name"_s, u"FV_2.pdf"_s}}}}).status, 409);
    const QString file = invoices + u'/' + invoiceId + u"/file"_s;
    QCOMPARE(client.call("PUT", file, "%PDF-1.4", "image/png").status, 415);
    QCOMPARE(client.call("PUT", file, QByteArray(3 * 1024 * 1024 + 1, 'x'), "application/pdf").status, 413);
    QCOMPARE(client.call("PUT", file, "%PDF-1.4 training", "application/pdf").status, 200);
    QCOMPARE(client.call("PUT", file, "%PDF-1.4 again", "application/pdf").status, 409);
    const QJsonArray list = client.get(invoices).json.value(u"invoices"_s).toArray();
    QCOMPARE(list.size(), 1);
    QVERIFY(list.first().toObject().value(u"file"_s).toObject().contains(u"uploadedAt"_s));
}

void TestTrainingServer::refundsAndClaims()
{
    TrainingOptions options;
    options.orders = 40;
    auto server = startServer(options);
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    // A recent paid order, so that the commission claim window (45 days from boughtAt) is still open.
    QString paid;
    for (const QString &id : server->generateOrders(10)) {
        server->buyerPays(id);
        if (server->checkoutForm(id).value(u"payment"_s).toObject().contains(u"finishedAt"_s))
            paid = id;
    }
    QVERIFY(!paid.isEmpty());
    const QJsonObject form = server->checkoutForm(paid);
    const QJsonObject item = form.value(u"lineItems"_s).toArray().first().toObject();
    const QJsonObject body{
        {u"payment"_s, QJsonObject{{u"id"_s, form.value(u"payment"_s).toObject().value(u"id"_s)}}},
        {u"order"_s, QJsonObject{{u"id"_s, paid}}},
        {u"commandId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {u"reason"_s, u"REFUND"_s},
        {u"lineItems"_s,
         QJsonArray{QJsonObject{{u"id"_s, item.value(u"id"_s)}, {u"type"_s, u"QUANTITY"_s}, {u"quantity"_s, 1}}}}};
    const Answer first = client.json("POST", u"/payments/refunds"_s, body);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.json.value(u"totalValue"_s), item.value(u"price"_s));
    const Answer again = client.json("POST", u"/payments/refunds"_s, body);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value(u"id"_s), first.json.value(u"id"_s));
    QCOMPARE(client.get(u"/payments/refunds?order.id="_s + paid).json.value(u"refunds"_s).toArray().size(), 1);

    const QString unpaid =
        client.control(u"/_training/orders?count=1"_s).json.value(u"orders"_s).toArray().first().toString();
    const QJsonObject unpaidForm = server->checkoutForm(unpaid);
    QJsonObject unpaidBody = body;
    unpaidBody.insert(u"payment"_s, QJsonObject{{u"id"_s, unpaidForm.value(u"payment"_s).toObject().value(u"id"_s)}});
    unpaidBody.insert(u"order"_s, QJsonObject{{u"id"_s, unpaid}});
    unpaidBody.insert(u"commandId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces));
    QCOMPARE(client.json("POST", u"/payments/refunds"_s, unpaidBody).status, 422);

    const QJsonObject claimBody{{u"lineItem"_s, QJsonObject{{u"id"_s, item.value(u"id"_s)}}}, {u"quantity"_s, 1}};
    const Answer claim = client.json("POST", u"/order/refund-claims"_s, claimBody);
    QCOMPARE(claim.status, 201);
    const Answer twice = client.json("POST", u"/order/refund-claims"_s, claimBody);
    QCOMPARE(twice.status, 422);
    QCOMPARE(firstErrorCode(twice), u"ClaimExistsException"_s);
    const QString claimPath = u"/order/refund-claims/"_s + claim.json.value(u"id"_s).toString();
    QCOMPARE(client.get(claimPath).json.value(u"status"_s).toString(), u"IN_PROGRESS"_s);
    QCOMPARE(client.call("DELETE", claimPath).status, 204);
    QCOMPARE(client.call("DELETE", claimPath).status, 422);
    QCOMPARE(client.get(u"/order/refund-claims"_s).json.value(u"count"_s).toInt(), 1);
    const QJsonArray billing =
        client.get(u"/billing/billing-entries?order.id="_s + paid).json.value(u"billingEntries"_s).toArray();
    QVERIFY(!billing.isEmpty());
    QCOMPARE(billing.first().toObject().value(u"type"_s).toObject().value(u"id"_s).toString(), u"SUC"_s);
}

void TestTrainingServer::offerCommands()
{
    TrainingOptions options;
    options.orders = 20;
    auto server = startServer(options);
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    const Answer offers = client.get(u"/sale/offers?publication.status=ACTIVE&sellingMode.format=BUY_NOW"_s);
    QCOMPARE(offers.status, 200);
    const QJsonArray list = offers.json.value(u"offers"_s).toArray();
    QVERIFY(!list.isEmpty() && list.size() <= 20);
    const QString offerId = list.first().toObject().value(u"id"_s).toString();
    const QString commandId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QJsonObject body{
        {u"modification"_s, QJsonObject{{u"changeType"_s, u"FIXED"_s}, {u"value"_s, 7}}},
        {u"offerCriteria"_s, QJsonArray{QJsonObject{{u"type"_s, u"CONTAINS_OFFERS"_s},
                                                    {u"offers"_s, QJsonArray{QJsonObject{{u"id"_s, offerId}},
                                                                             QJsonObject{{u"id"_s, u"1"_s}}}}}}}};
    const QString path = u"/sale/offer-quantity-change-commands/"_s + commandId;
    const Answer created = client.json("PUT", path, body);
    QCOMPARE(created.status, 201);
    QVERIFY(created.json.value(u"completedAt"_s).isNull());
    QCOMPARE(created.json.value(u"taskCount"_s).toObject().value(u"total"_s).toInt(), 2);
    QCOMPARE(client.json("PUT", path, body).status, 409);
    server->advanceClock(2);
    const Answer report = client.get(path);
    QVERIFY(!report.json.value(u"completedAt"_s).isNull());
    QCOMPARE(report.json.value(u"taskCount"_s).toObject().value(u"success"_s).toInt(), 1);
    QCOMPARE(report.json.value(u"taskCount"_s).toObject().value(u"failed"_s).toInt(), 1);
    const QJsonArray tasks = client.get(path + u"/tasks"_s).json.value(u"tasks"_s).toArray();
    QCOMPARE(tasks.at(0).toObject().value(u"status"_s).toString(), u"SUCCESS"_s);
    QCOMPARE(tasks.at(1).toObject().value(u"status"_s).toString(), u"FAIL"_s);
    QVERIFY(!tasks.at(1).toObject().value(u"errors"_s).toArray().isEmpty());

    // Stock 0 ends an active offer; activating it without stock fails per task.
    const Answer patched =
        client.json("PATCH", u"/sale/product-offers/"_s + offerId, {{u"stock"_s, QJsonObject{{u"available"_s, 0}}}});
    QCOMPARE(patched.status, 202);
    server->advanceClock(2);
    const Answer ended = client.get(u"/sale/product-offers/"_s + offerId);
    QCOMPARE(ended.status, 200);
    QCOMPARE(ended.json.value(u"stock"_s).toObject().value(u"available"_s).toInt(-1), 0);
    QCOMPARE(ended.json.value(u"publication"_s).toObject().value(u"status"_s).toString(), u"ENDED"_s);
    const QString activate =
        u"/sale/offer-publication-commands/"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QCOMPARE(client
                 .json("PUT", activate,
                       {{u"publication"_s, QJsonObject{{u"action"_s, u"ACTIVATE"_s}}},
                        {u"offerCriteria"_s,
                         QJsonArray{QJsonObject{{u"type"_s, u"CONTAINS_OFFERS"_s},
                                                {u"offers"_s, QJsonArray{QJsonObject{{u"id"_s, offerId}}}}}}}})
                 .status,
             201);
    server->advanceClock(2);
    QCOMPARE(client.get(activate + u"/tasks"_s)
                 .json.value(u"tasks"_s)
                 .toArray()
                 .first()
                 .toObject()
                 .value(u"status"_s)
                 .toString(),
             u"FAIL"_s);
}

void TestTrainingServer::offerEditsAreAsynchronous()
{
    TrainingOptions options;
    options.orders = 5;
    auto server = startServer(options);
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    const QJsonArray list = client.get(u"/sale/offers?publication.status=ACTIVE&sellingMode.format=BUY_NOW"_s)
                                .json.value(u"offers"_s)
                                .toArray();
    QVERIFY(list.size() >= 2);
    const QString offerId = list.at(0).toObject().value(u"id"_s).toString();
    const QString otherId = list.at(1).toObject().value(u"id"_s).toString();
    const QString offerPath = u"/sale/product-offers/"_s + offerId;
    const int before = client.get(offerPath).json.value(u"stock"_s).toObject().value(u"available"_s).toInt(-1);
    QVERIFY(before > 0);

    // external.id alone is applied at once: 200 with the whole offer.
    const Answer signature = client.json("PATCH", offerPath, {{u"external"_s, QJsonObject{{u"id"_s, u"SKU-1"_s}}}});
    QCOMPARE(signature.status, 200);
    QCOMPARE(signature.json.value(u"id"_s).toString(), offerId);
    QCOMPARE(signature.json.value(u"external"_s).toObject().value(u"id"_s).toString(), u"SKU-1"_s);

    // Stock is processed asynchronously: 202 with the operation's absolute URL and Retry-After.
    const Answer accepted = client.json("PATCH", offerPath, {{u"stock"_s, QJsonObject{{u"available"_s, 7}}}});
    QCOMPARE(accepted.status, 202);
    QCOMPARE(accepted.headers.value("retry-after"), QByteArray("1"));
    const QString location = QString::fromUtf8(accepted.headers.value("location"));
    const QString prefix = server->baseUrl().toString() + offerPath + u"/operations/"_s;
    QVERIFY2(location.startsWith(prefix), qPrintable(location));
    const QString operationId = location.mid(prefix.size());
    QVERIFY(!operationId.isEmpty());
    QCOMPARE(accepted.json.value(u"stock"_s).toObject().value(u"available"_s).toInt(-1), before); // not yet
    QCOMPARE(client.get(offerPath).json.value(u"stock"_s).toObject().value(u"available"_s).toInt(-1), before);

    // Another edit of the same offer while it is processed: 409; other offers are not blocked.
    const Answer conflict = client.json("PATCH", offerPath, {{u"stock"_s, QJsonObject{{u"available"_s, 8}}}});
    QCOMPARE(conflict.status, 409);
    QCOMPARE(firstErrorCode(conflict), u"OfferEditInProgressException"_s);
    QCOMPARE(
        client.json("PATCH", u"/sale/product-offers/"_s + otherId, {{u"external"_s, QJsonObject{{u"id"_s, u"X"_s}}}})
            .status,
        200);

    // The operation: PENDING, IN_PROGRESS, then 303 to the offer (and 303 from then on).
    const QString operationPath = QUrl(location).path();
    const Answer pending = client.get(operationPath);
    QCOMPARE(pending.status, 202);
    QCOMPARE(pending.json.value(u"offer"_s).toObject().value(u"id"_s).toString(), offerId);
    QCOMPARE(pending.json.value(u"operation"_s).toObject().value(u"id"_s).toString(), operationId);
    QCOMPARE(pending.json.value(u"operation"_s).toObject().value(u"status"_s).toString(), u"PENDING"_s);
    QVERIFY(!pending.json.value(u"operation"_s).toObject().value(u"startedAt"_s).toString().isEmpty());
    QCOMPARE(client.get(operationPath).json.value(u"operation"_s).toObject().value(u"status"_s).toString(),
             u"IN_PROGRESS"_s);
    const Answer done = client.get(operationPath);
    QCOMPARE(done.status, 303);
    QCOMPARE(QString::fromUtf8(done.headers.value("location")), server->baseUrl().toString() + offerPath);
    QCOMPARE(client.get(operationPath).status, 303);
    QCOMPARE(client.get(offerPath).json.value(u"stock"_s).toObject().value(u"available"_s).toInt(-1), 7);
    QCOMPARE(client.get(u"/sale/product-offers/"_s + otherId + u"/operations/"_s + operationId).status, 404);
    QCOMPARE(client.get(offerPath + u"/operations/"_s + QUuid::createUuid().toString(QUuid::WithoutBraces)).status,
             404);

    // A price change completes by itself once the clock has moved a second, polled or not.
    const Answer price =
        client.json("PATCH", offerPath,
                    {{u"sellingMode"_s,
                      QJsonObject{{u"price"_s, QJsonObject{{u"amount"_s, u"49.99"_s}, {u"currency"_s, u"PLN"_s}}}}}});
    QCOMPARE(price.status, 202);
    QCOMPARE(client.json("PATCH", offerPath, {{u"stock"_s, QJsonObject{{u"available"_s, 9}}}}).status, 409);
    server->advanceClock(1);
    const Answer priced = client.get(offerPath);
    QCOMPARE(priced.json.value(u"sellingMode"_s).toObject().value(u"price"_s).toObject().value(u"amount"_s).toString(),
             u"49.99"_s);
    QCOMPARE(client.get(QUrl(QString::fromUtf8(price.headers.value("location"))).path()).status, 303);
    QCOMPARE(client.json("PATCH", offerPath, {{u"stock"_s, QJsonObject{{u"available"_s, -1}}}}).status, 422);
    QCOMPARE(client.json("PATCH", offerPath, {{u"stock"_s, QJsonObject{{u"available"_s, 9}}}}).status, 202);
}

void TestTrainingServer::faultsAreInjected()
{
    TrainingOptions options;
    options.orders = 3;
    auto server = startServer(options);
    Client client(server->baseUrl());
    client.token = server->issueTokens().value(u"access_token"_s).toString();
    QCOMPARE(client.control(u"/_training/faults?spec=bogus=1"_s).status, 400);
    QCOMPARE(client.control(u"/_training/faults?spec=503=1"_s).status, 200);
    QCOMPARE(client.get(u"/me"_s).status, 503);
    QCOMPARE(client.control(u"/_training/faults?spec=429=1"_s).status, 200);
    const Answer limited = client.get(u"/me"_s);
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.headers.value("retry-after"), QByteArray("1"));
    server->setFaults(*FaultPlan::parse(u"truncated=1"_s));
    const Answer cut = client.get(u"/order/checkout-forms/"_s + server->orderIds().first());
    QCOMPARE(cut.status, 200);
    QVERIFY(!cut.parsed);
    server->setFaults(*FaultPlan::parse(u"malformed=1"_s));
    QVERIFY(!client.get(u"/order/checkout-forms/"_s + server->orderIds().first()).parsed);
    server->setFaults(*FaultPlan::parse(u"duplicate-events=1"_s));
    const QString head =
        client.get(u"/order/event-stats"_s).json.value(u"latestEvent"_s).toObject().value(u"id"_s).toString();
    server->generateOrders(2);
    const QJsonArray fresh = client.get(u"/order/events?from="_s + head).json.value(u"events"_s).toArray();
    QCOMPARE(fresh.size(), 4);
    QCOMPARE(fresh.at(0).toObject().value(u"order"_s), fresh.at(1).toObject().value(u"order"_s));
    QVERIFY(fresh.at(0).toObject().value(u"id"_s) != fresh.at(1).toObject().value(u"id"_s));
    server->setFaults(*FaultPlan::parse(u"reorder-events=1"_s));
    const QString head2 =
        client.get(u"/order/event-stats"_s).json.value(u"latestEvent"_s).toObject().value(u"id"_s).toString();
    const QStringList made = server->generateOrders(2);
    const QJsonArray swapped = client.get(u"/order/events?from="_s + head2).json.value(u"events"_s).toArray();
    QCOMPARE(swapped.size(), 2);
    QCOMPARE(swapped.at(0)
                 .toObject()
                 .value(u"order"_s)
                 .toObject()
                 .value(u"checkoutForm"_s)
                 .toObject()
                 .value(u"id"_s)
                 .toString(),
             made.at(1));
    server->setFaults(*FaultPlan::parse(u"slow=1:300"_s));
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(client.get(u"/me"_s).status, 200);
    QVERIFY(timer.elapsed() >= 250);
}

void TestTrainingServer::ordersArriveAtTheChosenRate()
{
    TrainingOptions options;
    options.orders = 2;
    options.ratePerMinute = 120; // two a second; the server adds them once a second
    auto server = startServer(options);
    const qsizetype start = server->orderIds().size();
    QCOMPARE(start, 2);
    QTRY_VERIFY_WITH_TIMEOUT(server->orderIds().size() >= start + 4, 5000);
    QVERIFY(server->orderIds().size() <= start + 8); // a rate, not a flood

    TrainingOptions none;
    none.orders = 2;
    auto quiet = startServer(none);
    QTest::qWait(1200);
    QCOMPARE(quiet->orderIds().size(), 2); // no rate: nothing new by itself
}

void TestTrainingServer::stateSurvivesRestart()
{
    QTemporaryDir dir;
    TrainingOptions options;
    options.orders = 12;
    options.stateFile = dir.filePath(u"shop.json"_s);
    QStringList ids;
    QString token;
    {
        auto server = startServer(options);
        ids = server->orderIds();
        token = server->issueTokens().value(u"access_token"_s).toString();
        server->generateOrders(3);
        ids = server->orderIds();
    }
    QVERIFY(QFile::exists(options.stateFile));
    options.orders = 0;
    auto again = startServer(options);
    QCOMPARE(again->orderIds(), ids);
    Client client(again->baseUrl());
    client.token = token;
    QCOMPARE(client.get(u"/me"_s).status, 200);
    QCOMPARE(client.get(u"/order/checkout-forms/"_s + ids.last()).json.value(u"id"_s).toString(), ids.last());

    QFile broken(dir.filePath(u"broken.json"_s));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{not json");
    broken.close();
    options.stateFile = broken.fileName();
    TrainingServer refused(options);
    QVERIFY(!refused.start().ok());
}

void TestTrainingServer::cliServePrintsUrl()
{
    const QString cli = qEnvironmentVariable("SD_CLI");
    QVERIFY2(!cli.isEmpty(), "SD_CLI is set by sd_add_test");
    QTemporaryDir dir;
    const QString state = dir.filePath(u"cli.json"_s);
    QProcess process;
    process.start(cli, {u"training"_s, u"serve"_s, u"--port"_s, u"0"_s, u"--orders"_s, u"5"_s, u"--state"_s, state,
                        u"--faults"_s, u"none"_s, u"--seed"_s, u"7"_s});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 15000);
    const QString first = QString::fromUtf8(process.readLine()).trimmed();
    QVERIFY2(QRegularExpression(u"^http://127\\.0\\.0\\.1:\\d+$"_s).match(first).hasMatch(), qPrintable(first));
    Client client{QUrl(first)};
    QCOMPARE(client.call("GET", u"/order/events"_s, {}, kMedia, false).status, 406);
    QCOMPARE(client.get(u"/me"_s).status, 401);
    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(QFile::exists(state));

    const auto bad = sd::test::runCli({u"training"_s, u"serve"_s, u"--faults"_s, u"500=7"_s});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains(u"500=7"_s));
}

QTEST_GUILESS_MAIN(TestTrainingServer)
#include "tst_trainingserver.moc"
