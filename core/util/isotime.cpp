#include "util/isotime.h"

namespace sd::util {

namespace {

constexpr qint64 kMsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * unsigned(m + (m > 2 ? -3 : 9)) + 2) / 5 + unsigned(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

struct Civil
{
    int year;
    int month;
    int day;
};

constexpr Civil civilFromDays(qint64 z)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {int(qint64(yoe) + era * 400 + (m <= 2)), int(m), int(d)};
}

static_assert(daysFromCivil(1970, 1, 1) == 0);
static_assert(daysFromCivil(2000, 3, 1) == 11017);
static_assert(civilFromDays(11017).year == 2000 && civilFromDays(11017).month == 3);

constexpr int daysInMonth(int year, int month)
{
    constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// The fixed UTC forms only; false sends the text to Qt.
template<typename Char>
bool parseFast(const Char *s, qsizetype size, qint64 *msecs)
{
    if (size != 20 && size != 24 && size != 25 && size != 29)
        return false;
    auto digits = [s](qsizetype at, int count, int *value) {
        int v = 0;
        for (int i = 0; i < count; ++i) {
            const auto c = s[at + i];
            if (c < '0' || c > '9')
                return false;
            v = v * 10 + int(c - '0');
        }
        *value = v;
        return true;
    };
    int year, month, day, hour, minute, second, ms = 0;
    if (!digits(0, 4, &year) || s[4] != '-' || !digits(5, 2, &month) || s[7] != '-' || !digits(8, 2, &day) ||
        s[10] != 'T' || !digits(11, 2, &hour) || s[13] != ':' || !digits(14, 2, &minute) || s[16] != ':' ||
        !digits(17, 2, &second))
        return false;
    qsizetype at = 19;
    if (s[at] == '.') {
        if (size != 24 && size != 29)
            return false;
        if (!digits(at + 1, 3, &ms))
            return false;
        at += 4;
    }
    const qsizetype rest = size - at;
    if (rest == 1) {
        if (s[at] != 'Z')
            return false;
    } else if (rest == 6) {
        if (s[at] != '+' || s[at + 1] != '0' || s[at + 2] != '0' || s[at + 3] != ':' || s[at + 4] != '0' ||
            s[at + 5] != '0')
            return false;
    } else {
        return false;
    }
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 ||
        second > 59)
        return false;
    *msecs = daysFromCivil(year, month, day) * kMsPerDay + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
    return true;
}

QDateTime fromQt(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : time;
}

} // namespace

QDateTime parseIsoTime(QStringView text)
{
    qint64 msecs = 0;
    if (parseFast(text.utf16(), text.size(), &msecs))
        return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    return fromQt(text.toString());
}

QDateTime parseIsoTime(QUtf8StringView text)
{
    qint64 msecs = 0;
    if (parseFast(text.data(), text.size(), &msecs))
        return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    return fromQt(text.toString());
}

void appendIsoTime(QByteArray &out, qint64 msecsSinceEpoch)
{
    qint64 days = msecsSinceEpoch / kMsPerDay;
    qint64 rest = msecsSinceEpoch % kMsPerDay;
    if (rest < 0) {
        rest += kMsPerDay;
        --days;
    }
    const Civil date = civilFromDays(days);
    if (date.year < 1 || date.year > 9999) {
        // Qt's own spelling of years outside four digits.
        out += QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
        return;
    }
    const int ms = int(rest % 1000);
    const int secondOfDay = int(rest / 1000);
    char text[24];
    auto put = [&text](int at, int value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            text[at + i] = char('0' + value % 10);
            value /= 10;
        }
    };
    put(0, date.year, 4);
    text[4] = '-';
    put(5, date.month, 2);
    text[7] = '-';
    put(8, date.day, 2);
    text[10] = 'T';
    put(11, secondOfDay / 3600, 2);
    text[13] = ':';
    put(14, secondOfDay / 60 % 60, 2);
    text[16] = ':';
    put(17, secondOfDay % 60, 2);
    text[19] = '.';
    put(20, ms, 3);
    text[23] = 'Z';
    out.append(text, sizeof text);
}

QString isoTimeText(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    QByteArray utf8;
    appendIsoTime(utf8, time.toMSecsSinceEpoch());
    return QString::fromLatin1(utf8);
}

} // namespace sd::util
