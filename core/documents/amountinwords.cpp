#include "documents/amountinwords.h"

#include <QStringList>

#include <array>

using namespace Qt::StringLiterals;

namespace sd::documents {

namespace {

// Polish has three noun forms after a number: 1 (singular), 2-4 except 12-14 (paucal), the rest (genitive plural).
QString form(qint64 n, const QString &one, const QString &few, const QString &many)
{
    if (n == 1)
        return one;
    const qint64 tens = n % 100;
    const qint64 units = n % 10;
    if (units >= 2 && units <= 4 && !(tens >= 12 && tens <= 14))
        return few;
    return many;
}

QString hundredsInWords(int n)
{
    static const std::array<const char16_t *, 20> ones = {
        u"",           u"jeden",      u"dwa",          u"trzy",        u"cztery",
        u"pięć",       u"sześć",      u"siedem",       u"osiem",       u"dziewięć",
        u"dziesięć",   u"jedenaście", u"dwanaście",    u"trzynaście",  u"czternaście",
        u"piętnaście", u"szesnaście", u"siedemnaście", u"osiemnaście", u"dziewiętnaście"};
    static const std::array<const char16_t *, 10> tens = {u"",
                                                          u"",
                                                          u"dwadzieścia",
                                                          u"trzydzieści",
                                                          u"czterdzieści",
                                                          u"pięćdziesiąt",
                                                          u"sześćdziesiąt",
                                                          u"siedemdziesiąt",
                                                          u"osiemdziesiąt",
                                                          u"dziewięćdziesiąt"};
    static const std::array<const char16_t *, 10> hundreds = {u"",          u"sto",        u"dwieście", u"trzysta",
                                                              u"czterysta", u"pięćset",    u"sześćset", u"siedemset",
                                                              u"osiemset",  u"dziewięćset"};
    QStringList words;
    if (n / 100)
        words.append(QString::fromUtf16(hundreds[n / 100]));
    const int rest = n % 100;
    if (rest >= 20) {
        words.append(QString::fromUtf16(tens[rest / 10]));
        if (rest % 10)
            words.append(QString::fromUtf16(ones[rest % 10]));
    } else if (rest) {
        words.append(QString::fromUtf16(ones[rest]));
    }
    return words.join(u' ');
}

} // namespace

QString polishNumberInWords(qint64 value)
{
    if (value == 0)
        return u"zero"_s;
    if (value < 0)
        return u"minus "_s + polishNumberInWords(-value);
    struct Scale
    {
        qint64 size;
        const char16_t *one, *few, *many;
    };
    static const std::array<Scale, 3> scales = {{{1000000000, u"miliard", u"miliardy", u"miliardów"},
                                                 {1000000, u"milion", u"miliony", u"milionów"},
                                                 {1000, u"tysiąc", u"tysiące", u"tysięcy"}}};
    QStringList words;
    qint64 rest = value;
    for (const Scale &scale : scales) {
        const qint64 count = rest / scale.size;
        rest %= scale.size;
        if (!count)
            continue;
        // "tysiąc", not "jeden tysiąc"; above that the count itself (which may be in thousands) in words.
        if (count != 1)
            words.append(polishNumberInWords(count));
        words.append(
            form(count, QString::fromUtf16(scale.one), QString::fromUtf16(scale.few), QString::fromUtf16(scale.many)));
    }
    if (rest)
        words.append(hundredsInWords(int(rest)));
    return words.join(u' ');
}

QString amountInWordsPl(const domain::Money &amount)
{
    const qint64 minor = amount.minor();
    const bool negative = minor < 0;
    const qint64 abs = negative ? -minor : minor;
    const int digits = domain::Money::minorDigits(amount.currency());
    qint64 scale = 1;
    for (int i = 0; i < digits; ++i)
        scale *= 10;
    const qint64 whole = abs / scale;
    const qint64 fraction = abs % scale;
    QString text = negative ? u"minus "_s : QString();
    text += polishNumberInWords(whole) + u' ';
    if (amount.currency() == u"PLN") {
        text += form(whole, u"złoty"_s, u"złote"_s, u"złotych"_s);
        text += u' ' + polishNumberInWords(fraction) + u' ' + form(fraction, u"grosz"_s, u"grosze"_s, u"groszy"_s);
        return text;
    }
    text += amount.currency();
    if (digits > 0)
        text += u' ' + QString::number(fraction).rightJustified(digits, u'0') + u'/' + QString::number(scale);
    return text;
}

} // namespace sd::documents
