#include "util/jsontext.h"

namespace sd::util {

void appendJsonString(QByteArray &out, QStringView value)
{
    // At most six bytes per UTF-16 unit ("\u001f"; a surrogate pair makes four), plus the quotes.
    const qsizetype start = out.size();
    out.resize(start + value.size() * 6 + 2);
    char *const begin = out.data() + start;
    char *p = begin;
    *p++ = '"';
    const char16_t *s = value.utf16();
    const char16_t *const end = s + value.size();
    while (s < end) {
        const char16_t c = *s++;
        if (c < 0x80) {
            if (c >= 0x20 && c != u'"' && c != u'\\') {
                *p++ = char(c);
                continue;
            }
            *p++ = '\\';
            switch (c) {
            case u'"':
                *p++ = '"';
                break;
            case u'\\':
                *p++ = '\\';
                break;
            case u'\b':
                *p++ = 'b';
                break;
            case u'\f':
                *p++ = 'f';
                break;
            case u'\n':
                *p++ = 'n';
                break;
            case u'\r':
                *p++ = 'r';
                break;
            case u'\t':
                *p++ = 't';
                break;
            default:
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = "0123456789abcdef"[c >> 4];
                *p++ = "0123456789abcdef"[c & 0xf];
            }
        } else if (c < 0x800) {
            *p++ = char(0xc0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3f));
        } else {
            char32_t code = c;
            if (QChar::isSurrogate(c)) {
                if (QChar::isHighSurrogate(c) && s < end && QChar::isLowSurrogate(*s))
                    code = QChar::surrogateToUcs4(c, *s++);
                else
                    code = QChar::ReplacementCharacter;
            }
            if (code < 0x10000) {
                *p++ = char(0xe0 | (code >> 12));
                *p++ = char(0x80 | ((code >> 6) & 0x3f));
                *p++ = char(0x80 | (code & 0x3f));
            } else {
                *p++ = char(0xf0 | (code >> 18));
                *p++ = char(0x80 | ((code >> 12) & 0x3f));
                *p++ = char(0x80 | ((code >> 6) & 0x3f));
                *p++ = char(0x80 | (code & 0x3f));
            }
        }
    }
    *p++ = '"';
    out.resize(start + (p - begin));
}

char *writeUtf8(char *out, QStringView value)
{
    const char16_t *s = value.utf16();
    const char16_t *const end = s + value.size();
    while (s < end) {
        const char16_t c = *s++;
        if (c < 0x80) {
            *out++ = char(c);
        } else if (c < 0x800) {
            *out++ = char(0xc0 | (c >> 6));
            *out++ = char(0x80 | (c & 0x3f));
        } else {
            char32_t code = c;
            if (QChar::isSurrogate(c)) {
                if (QChar::isHighSurrogate(c) && s < end && QChar::isLowSurrogate(*s))
                    code = QChar::surrogateToUcs4(c, *s++);
                else
                    code = QChar::ReplacementCharacter;
            }
            if (code < 0x10000) {
                *out++ = char(0xe0 | (code >> 12));
                *out++ = char(0x80 | ((code >> 6) & 0x3f));
                *out++ = char(0x80 | (code & 0x3f));
            } else {
                *out++ = char(0xf0 | (code >> 18));
                *out++ = char(0x80 | ((code >> 12) & 0x3f));
                *out++ = char(0x80 | ((code >> 6) & 0x3f));
                *out++ = char(0x80 | (code & 0x3f));
            }
        }
    }
    return out;
}

} // namespace sd::util
