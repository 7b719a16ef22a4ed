#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QString>

namespace sd::marketplace::allegro {

// An error answer from Allegro, from either of its two body shapes: resource errors
// {"errors":[{code,message,userMessage,path,...}]} and OAuth errors {"error","error_description"}.
struct ApiError
{
    int status = 0;      // HTTP status; 0 when no answer came
    QString code;        // "VALIDATION_ERROR", "invalid_token", "ClaimExistsException", ...
    QString message;     // for developers (English); never shown to the user as is
    QString userMessage; // Allegro's translated message, when it sent one
    QString path;

    // Reads the body; an unreadable or empty body still gives the status.
    static ApiError parse(int status, const QByteArray &body);
    // The sd::Error for it: code from the status (404 NotFound, 409 Conflict, 400/422 Invalid, else Io), a
    // translated user message (Allegro's own userMessage when present), and status/code/message as the detail.
    Error toError(const QString &what) const;
};

} // namespace sd::marketplace::allegro
