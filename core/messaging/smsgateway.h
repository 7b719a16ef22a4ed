#pragma once

#include "messaging/messagingaccounts.h"

namespace sd::messaging {

// How long an SMS is: GSM-7 (160 characters in one part, 153 per part when split; ^{}\[~]|€ count twice) unless
// a character outside the GSM alphabet forces UCS-2 (70, then 67 per part). Every Polish diacritic (ąćęłńóśźż)
// is outside it.
struct SmsLength
{
    bool unicode = false;
    int characters = 0; // in the encoding's units (GSM-7 septets or UTF-16 code units)
    int parts = 0;
    int perPart = 160;
    int remaining = 0; // left in the last part

    static SmsLength of(const QString &text);
};

// The SMSAPI.pl request and reply (sms.do, Bearer token, form fields, JSON answer with an "error" key even under
// HTTP 200). Other gateways would implement the same call.
class SmsGateway
{
public:
    struct Sent
    {
        QString id; // the gateway's message id
        int parts = 0;
        QString status; // QUEUE, ...
    };

    // `to` is normalised to an MSISDN (48500600700); a Polish 9-digit number gets 48 in front.
    static Result<Sent> send(const SmsAccount &account, const QByteArray &token, const QString &to, const QString &text,
                             const QString &idempotencyKey, bool test = false, int timeoutMs = 30000);
    static Result<QString> msisdn(const QString &phone);
};

} // namespace sd::messaging
