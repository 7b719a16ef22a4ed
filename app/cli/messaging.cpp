#include "messaging.h"

#include "allegro.h"
#include "messaging/messagingaccounts.h"
#include "messaging/orderconfirmation.h"
#include "messaging/outbox.h"
#include "messaging/smsgateway.h"
#include "security/secretstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace sd::cli {

namespace {

using namespace sd::messaging;

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::cli", text);
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int usage(const QString &message)
{
    QTextStream(stderr) << "sellerdesk-cli: " << message << u' ' << tr("(see sellerdesk-cli --help)") << Qt::endl;
    return 2;
}

int fail(const Error &error)
{
    out().flush();
    QTextStream(stderr) << "sellerdesk-cli: " << tr("error:") << u' ' << error.userMessage << Qt::endl;
    return 1;
}

struct Options
{
    QStringList positional;
    QHash<QString, QString> values;
    QSet<QString> flags;
    QString problem;
};

// "--name value" options and "--flag" switches; anything else is positional.
Options parse(const QStringList &words, const QStringList &valueNames, const QStringList &flagNames)
{
    Options o;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString &word = words.at(i);
        if (!word.startsWith(u"--")) {
            o.positional.append(word);
            continue;
        }
        const QString name = word.mid(2);
        if (flagNames.contains(name)) {
            o.flags.insert(name);
        } else if (valueNames.contains(name)) {
            if (i + 1 >= words.size()) {
                o.problem = tr("the option --%1 needs a value").arg(name);
                return o;
            }
            o.values.insert(name, words.at(++i));
        } else {
            o.problem = tr("unknown option %1").arg(word);
            return o;
        }
    }
    return o;
}

QByteArray readSecretFromStdin()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    QByteArray secret = in.readLine();
    while (secret.endsWith('\n') || secret.endsWith('\r'))
        secret.chop(1);
    return secret;
}

int mailAccountAdd(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const Options o = parse(words,
                            {u"host"_qs, u"port"_qs, u"security"_qs, u"user"_qs, u"from"_qs, u"from-name"_qs,
                             u"name"_qs, u"store"_qs, u"ca-file"_qs, u"timeout"_qs},
                            {u"password-stdin"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    for (const char *required : {"host", "port", "security", "from"})
        if (!o.values.contains(QString::fromLatin1(required)))
            return usage(tr("mail account add needs --host, --port, --security and --from"));
    MailAccount a;
    a.name = o.values.value(u"name"_qs);
    a.host = o.values.value(u"host"_qs);
    bool ok = false;
    a.port = o.values.value(u"port"_qs).toInt(&ok);
    if (!ok)
        return usage(tr("--port needs a number"));
    const auto security = MailAccount::securityFromKey(o.values.value(u"security"_qs));
    if (!security)
        return usage(tr("--security must be none, ssl or starttls"));
    a.security = *security;
    a.user = o.values.value(u"user"_qs);
    a.from = {o.values.value(u"from"_qs), o.values.value(u"from-name"_qs)};
    a.marketplaceAccount = o.values.value(u"store"_qs);
    a.caFile = o.values.value(u"ca-file"_qs);
    if (o.values.contains(u"timeout"_qs)) {
        a.timeoutSeconds = o.values.value(u"timeout"_qs).toInt(&ok);
        if (!ok)
            return usage(tr("--timeout needs a number of seconds"));
    }
    if (!a.user.isEmpty() && !o.flags.contains(u"password-stdin"_qs))
        return usage(tr("with --user, give the password on standard input with --password-stdin"));
    std::optional<QByteArray> password;
    std::shared_ptr<security::SecretStore> secrets;
    if (o.flags.contains(u"password-stdin"_qs)) {
        password = readSecretFromStdin();
        auto opened = openSecrets(profileDir);
        if (!opened)
            return fail(opened.error());
        secrets = *opened;
    }
    auto id = MessagingAccounts(db).saveMail(a, password, secrets.get());
    if (!id)
        return fail(id.error());
    out() << tr("Mail account %1 saved.").arg(*id) << Qt::endl;
    return 0;
}

int mailAccountList(const std::shared_ptr<storage::Database> &db)
{
    auto list = MessagingAccounts(db).mailAccounts();
    if (!list)
        return fail(list.error());
    for (const MailAccount &a : std::as_const(*list))
        out() << u"%1\t%2\t%3:%4 %5\t%6\t%7"_qs.arg(a.id)
                     .arg(a.name, a.host)
                     .arg(a.port)
                     .arg(MailAccount::securityKey(a.security), a.from.address,
                          a.marketplaceAccount.isEmpty() ? tr("(default)") : a.marketplaceAccount)
              << Qt::endl;
    return 0;
}

std::shared_ptr<security::SecretStore> secretsIfAny(const QString &profileDir)
{
    auto opened = openSecrets(profileDir);
    return opened ? *opened : nullptr;
}

// The shop's data used by the templates' {shopName}, {shopEmail}, {shopPhone} and {shopUrl}.
int mailShop(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    const Options o =
        parse(words, {u"name"_qs, u"email"_qs, u"phone"_qs, u"url"_qs}, {u"sms-on-status"_qs, u"no-sms-on-status"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    MessagingAccounts settings(db);
    for (auto it = o.values.cbegin(); it != o.values.cend(); ++it)
        if (auto r = settings.setSetting(u"shop."_qs + it.key(), it.value()); !r)
            return fail(r.error());
    if (o.flags.contains(u"sms-on-status"_qs) || o.flags.contains(u"no-sms-on-status"_qs))
        if (auto r = settings.setSetting(u"notify.sms"_qs, o.flags.contains(u"sms-on-status"_qs) ? u"1"_qs : u"0"_qs);
            !r)
            return fail(r.error());
    for (const char *key : {"name", "email", "phone", "url"})
        out() << QString::fromLatin1(key) << u'\t'
              << settings.setting(u"shop."_qs + QString::fromLatin1(key)).value_or(QString()) << Qt::endl;
    out() << u"sms-on-status\t"_qs << settings.setting(u"notify.sms"_qs, u"1"_qs).value_or(QString()) << Qt::endl;
    return 0;
}

int mailTest(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const Options o = parse(words, {u"to"_qs, u"account"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (!o.values.contains(u"to"_qs))
        return usage(tr("mail test needs --to ADDRESS"));
    qint64 accountId = o.values.value(u"account"_qs).toLongLong();
    if (!accountId) {
        auto account = MessagingAccounts(db).mailAccountFor({});
        if (!account)
            return fail(account.error());
        accountId = account->id;
    }
    storage::OrderStore store(db);
    if (auto r = Outbox(store, secretsIfAny(profileDir)).sendTestMail(accountId, o.values.value(u"to"_qs)); !r)
        return fail(r.error());
    out() << tr("Test message sent to %1.").arg(o.values.value(u"to"_qs)) << Qt::endl;
    return 0;
}

// `mail send` / `sms send`: recorded and sent now; a failure worth retrying stays queued for the scheduler.
int sendNow(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words,
            const char *channel)
{
    const Options o = parse(words, {u"template"_qs, u"to"_qs, u"language"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1 || !o.values.contains(u"template"_qs))
        return usage(tr("send needs an order ID and --template NAME (see templates list)"));
    storage::OrderStore store(db);
    auto id = store.resolve(o.positional.constFirst());
    if (!id)
        return fail(id.error());
    // Without an account nothing is recorded: the person fixes the setup and asks again.
    MessagingAccounts accounts(db);
    if (qstrcmp(channel, Channel::kSms) == 0) {
        auto sms = accounts.smsAccount();
        if (!sms)
            return fail(sms.error());
        if (!sms->has_value())
            return fail(makeError(Error::Code::NotFound, tr("No SMS gateway is configured: use sms account add.")));
    } else if (auto order = store.load(*id); !order) {
        return fail(order.error());
    } else if (auto mail = accounts.mailAccountFor(order->account); !mail) {
        return fail(mail.error());
    }
    Outbox outbox(store, secretsIfAny(profileDir));
    MessageRequest request;
    request.orderId = *id;
    request.channel = QString::fromLatin1(channel);
    request.templateKey = o.values.value(u"template"_qs);
    request.recipient = o.values.value(u"to"_qs);
    request.language = o.values.value(u"language"_qs);
    // Each command is a new request by a person: its own key.
    request.key = u"cli/%1/order:%2/%3/at:%4"_qs.arg(QString::fromLatin1(channel))
                      .arg(*id)
                      .arg(request.templateKey)
                      .arg(QDateTime::currentMSecsSinceEpoch());
    auto queued = outbox.queue(request);
    if (!queued)
        return fail(queued.error());
    auto delivery = outbox.deliver(queued->id);
    if (!delivery)
        return fail(delivery.error());
    if (delivery->kind == Delivery::Kind::Failed) {
        if (delivery->retry) {
            out() << tr("Message %1 not sent yet: %2 It stays queued and is tried again later.")
                         .arg(queued->id)
                         .arg(delivery->message)
                  << Qt::endl;
            return 1;
        }
        return fail(makeError(Error::Code::Invalid, delivery->message));
    }
    out() << tr("Message %1: %2").arg(queued->id).arg(delivery->message) << Qt::endl;
    return 0;
}

int smsAccountAdd(const std::shared_ptr<storage::Database> &db, const QString &profileDir, const QStringList &words)
{
    const Options o = parse(words, {u"url"_qs, u"sender"_qs, u"name"_qs}, {u"token-stdin"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (!o.values.contains(u"url"_qs) || !o.flags.contains(u"token-stdin"_qs))
        return usage(tr("sms account add needs --url URL and the token on standard input with --token-stdin"));
    SmsAccount a;
    a.baseUrl = QUrl(o.values.value(u"url"_qs));
    a.sender = o.values.value(u"sender"_qs);
    a.name = o.values.value(u"name"_qs);
    const QByteArray token = readSecretFromStdin();
    auto secrets = openSecrets(profileDir);
    if (!secrets)
        return fail(secrets.error());
    auto id = MessagingAccounts(db).saveSms(a, token, secrets->get());
    if (!id)
        return fail(id.error());
    out() << tr("SMS gateway %1 saved.").arg(*id) << Qt::endl;
    return 0;
}

int messagesList(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    const Options o = parse(words, {u"order"_qs, u"limit"_qs}, {u"json"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    storage::OrderStore store(db);
    qint64 orderId = 0;
    if (o.values.contains(u"order"_qs)) {
        auto id = store.resolve(o.values.value(u"order"_qs));
        if (!id)
            return fail(id.error());
        orderId = *id;
    }
    auto list = Outbox(store, nullptr).list(orderId, o.values.value(u"limit"_qs, u"200"_qs).toInt());
    if (!list)
        return fail(list.error());
    if (o.flags.contains(u"json"_qs)) {
        QJsonArray array;
        for (const OutgoingMessage &m : std::as_const(*list))
            array.append(
                QJsonObject{{u"id"_qs, m.id},
                            {u"order"_qs, m.orderId},
                            {u"channel"_qs, m.channel},
                            {u"template"_qs, m.templateKey},
                            {u"language"_qs, m.language},
                            {u"recipient"_qs, m.recipient},
                            {u"subject"_qs, m.subject},
                            {u"text"_qs, m.text},
                            {u"state"_qs, m.state},
                            {u"attempts"_qs, m.attempts},
                            {u"error"_qs, m.lastError},
                            {u"createdAt"_qs, m.createdAt.toUTC().toString(Qt::ISODateWithMs)},
                            {u"sentAt"_qs, m.sentAt.isValid() ? QJsonValue(m.sentAt.toUTC().toString(Qt::ISODateWithMs))
                                                              : QJsonValue()}});
        out() << QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented));
        return 0;
    }
    for (const OutgoingMessage &m : std::as_const(*list))
        out() << u"%1\t%2\t%3\t%4\t%5\t%6\t%7"_qs.arg(m.id).arg(m.orderId).arg(
                     m.channel, m.state, m.recipient, m.channel == u"sms" ? m.text.left(40) : m.subject, m.lastError)
              << Qt::endl;
    return 0;
}

// A7: `confirm ORDER --request` (first or again), `--by-hand`, `--by-reply`; `confirm --token T` (the link).
int confirmCommand(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    const Options o = parse(words, {u"token"_qs}, {u"request"_qs, u"by-hand"_qs, u"by-reply"_qs});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    storage::OrderStore store(db);
    OrderConfirmations confirmations(store);
    if (o.values.contains(u"token"_qs)) {
        auto id = confirmations.confirmByToken(o.values.value(u"token"_qs));
        if (!id)
            return fail(id.error());
        out() << tr("Order %1 confirmed by the buyer's link.").arg(*id) << Qt::endl;
        return 0;
    }
    if (o.positional.size() != 1)
        return usage(tr("confirm needs an order ID (or --token T)"));
    auto id = store.resolve(o.positional.constFirst());
    if (!id)
        return fail(id.error());
    const QString user = qEnvironmentVariable("USER");
    const QString actor = user.isEmpty() ? u"cli"_qs : u"cli:"_qs + user;
    if (o.flags.contains(u"request"_qs)) {
        auto message = confirmations.request(*id, actor);
        if (!message)
            return fail(message.error());
        out() << tr("Confirmation request queued as message %1.").arg(message->id) << Qt::endl;
        return 0;
    }
    if (o.flags.contains(u"by-hand"_qs) || o.flags.contains(u"by-reply"_qs)) {
        if (auto r = confirmations.confirm(*id,
                                           o.flags.contains(u"by-reply"_qs) ? OrderConfirmations::By::Reply
                                                                            : OrderConfirmations::By::Operator,
                                           actor);
            !r)
            return fail(r.error());
    }
    auto status = confirmations.status(*id);
    if (!status)
        return fail(status.error());
    out() << OrderConfirmations::stateKey(status->state) << u'\t' << status->requests << u'\t' << status->confirmedBy
          << Qt::endl;
    return 0;
}

int templatesCommand(const std::shared_ptr<storage::Database> &db, const QStringList &words)
{
    MessageTemplates templates(db);
    if (words.value(0) == u"list") {
        for (const QString &key : MessageTemplates::keys())
            out() << key << u'\t' << MessageTemplates::displayName(key) << Qt::endl;
        return 0;
    }
    if (words.value(0) != u"show")
        return usage(tr("templates needs list or show"));
    const Options o = parse(words.mid(1), {u"language"_qs, u"order"_qs}, {});
    if (!o.problem.isEmpty())
        return usage(o.problem);
    if (o.positional.size() != 1)
        return usage(tr("templates show needs a template name"));
    const QString key = o.positional.constFirst();
    if (o.values.contains(u"order"_qs)) { // the preview on a real order
        storage::OrderStore store(db);
        auto id = store.resolve(o.values.value(u"order"_qs));
        if (!id)
            return fail(id.error());
        auto order = store.load(*id);
        if (!order)
            return fail(order.error());
        auto rendered = templates.render(key, *order, {}, o.values.value(u"language"_qs));
        if (!rendered)
            return fail(rendered.error());
        const SmsLength length = SmsLength::of(rendered->sms);
        out() << tr("Language: %1").arg(rendered->language) << Qt::endl
              << tr("Subject: %1").arg(rendered->subject) << Qt::endl
              << Qt::endl
              << rendered->text << Qt::endl
              << Qt::endl
              << QCoreApplication::translate("sd::cli", "SMS (%1 characters, %2, %n part(s)): ", nullptr, length.parts)
                     .arg(length.characters)
                     .arg(length.unicode ? u"UCS-2"_qs : u"GSM-7"_qs)
              << rendered->sms << Qt::endl;
        return 0;
    }
    auto tpl = templates.get(key, o.values.value(u"language"_qs, u"pl"_qs));
    if (!tpl)
        return fail(tpl.error());
    out() << tr("Subject: %1").arg(tpl->subject) << Qt::endl
          << Qt::endl
          << tpl->text << Qt::endl
          << Qt::endl
          << tr("SMS: %1").arg(tpl->sms) << Qt::endl;
    return 0;
}

} // namespace

QString messagingHelp()
{
    return tr("  mail account add --host H --port P --security none|ssl|starttls --from ADDR [--from-name NAME]\n"
              "       [--user U --password-stdin] [--store ACCOUNT] [--ca-file PEM] [--timeout S]\n"
              "                                           add a sender account (password to the secret store)\n"
              "  mail account list                        list mail accounts\n"
              "  mail test --to ADDR [--account ID]       send a test e-mail\n"
              "  mail shop [--name N] [--email E] [--phone P] [--url U] [--sms-on-status|--no-sms-on-status]\n"
              "                                           the shop's data in messages; SMS on status changes\n"
              "  mail send ORDER --template T [--to ADDR] [--language pl|en]   e-mail the buyer now\n"
              "  sms account add --url URL [--sender NAME] --token-stdin   set the SMS gateway (SMSAPI)\n"
              "  sms send ORDER --template T [--to PHONE]  text the buyer now\n"
              "  messages list [--order ORDER] [--limit N] [--json]   messages sent and queued\n"
              "  confirm ORDER [--request | --by-hand | --by-reply]   order confirmation: ask (again), confirm, "
              "or show\n"
              "  confirm --token T                        confirm the order whose link carries token T\n"
              "  templates list                           message templates\n"
              "  templates show T [--language pl|en] [--order ORDER]   a template, or its preview on an order\n");
}

int messagingCommand(const QString &command, const QStringList &words, const OpenDatabase &open,
                     const QString &profileDir)
{
    auto db = open();
    if (!db)
        return fail(db.error());
    const QString sub = words.value(0);
    if (command == u"mail") {
        if (sub == u"account" && words.value(1) == u"add")
            return mailAccountAdd(*db, profileDir, words.mid(2));
        if (sub == u"account" && words.value(1) == u"list")
            return mailAccountList(*db);
        if (sub == u"test")
            return mailTest(*db, profileDir, words.mid(1));
        if (sub == u"shop")
            return mailShop(*db, words.mid(1));
        if (sub == u"send")
            return sendNow(*db, profileDir, words.mid(1), Channel::kEmail);
        return usage(tr("mail needs account add, account list, shop, test or send"));
    }
    if (command == u"sms") {
        if (sub == u"account" && words.value(1) == u"add")
            return smsAccountAdd(*db, profileDir, words.mid(2));
        if (sub == u"send")
            return sendNow(*db, profileDir, words.mid(1), Channel::kSms);
        return usage(tr("sms needs account add or send"));
    }
    if (command == u"messages") {
        if (sub == u"list")
            return messagesList(*db, words.mid(1));
        return usage(tr("messages needs list"));
    }
    if (command == u"confirm")
        return confirmCommand(*db, words);
    return templatesCommand(*db, words);
}

} // namespace sd::cli
