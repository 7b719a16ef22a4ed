#pragma once

#include <QString>

namespace sd::access {

// Password hashes for the users table: PBKDF2-HMAC-SHA256 (OpenSSL) with a random salt, written as
// "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64), so the cost can grow without breaking stored hashes.
// Never the password itself.
QString hashPassword(const QString &password, int iterations = 310000);
bool verifyPassword(const QString &password, const QString &stored);

} // namespace sd::access
