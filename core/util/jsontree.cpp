#include "util/jsontree.h"

#include <charconv>
#include <cstring>
#include <limits>

namespace sd::util {

namespace {

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Four hex digits at p (which has at least four bytes), or -1.
int hex4(const char *p)
{
    int value = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hexDigit(p[i]);
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace

class JsonTree::Parser
{
public:
    Parser(const QByteArray &json, std::vector<Node> &nodes)
        : m_begin(json.constData())
        , m_p(json.constData())
        , m_end(json.constData() + json.size())
        , m_nodes(nodes)
    {}

    bool parseDocument()
    {
        skipSpace();
        if (m_p == m_end || (*m_p != '{' && *m_p != '['))
            return false;
        if (!parseValue(0))
            return false;
        skipSpace();
        return m_p == m_end;
    }

private:
    void skipSpace()
    {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    std::uint32_t add(Type type)
    {
        m_nodes.push_back(Node{type});
        return std::uint32_t(m_nodes.size() - 1);
    }

    void close(std::uint32_t index, std::uint32_t count = 0)
    {
        m_nodes[index].end = std::uint32_t(m_nodes.size());
        m_nodes[index].count = count;
    }

    bool literal(const char *word, Type type)
    {
        const size_t length = std::strlen(word);
        if (size_t(m_end - m_p) < length || std::memcmp(m_p, word, length) != 0)
            return false;
        m_p += length;
        close(add(type));
        return true;
    }

    bool parseValue(int depth)
    {
        skipSpace();
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '{':
            return parseObject(depth + 1);
        case '[':
            return parseArray(depth + 1);
        case '"':
            return parseString();
        case 't':
            return literal("true", Type::True);
        case 'f':
            return literal("false", Type::False);
        case 'n':
            return literal("null", Type::Null);
        default:
            return parseNumber();
        }
    }

    bool parseObject(int depth)
    {
        if (depth > kMaxDepth)
            return false;
        const std::uint32_t index = add(Type::Object);
        ++m_p;
        skipSpace();
        std::uint32_t count = 0;
        if (m_p != m_end && *m_p == '}') {
            ++m_p;
            close(index);
            return true;
        }
        for (;;) {
            skipSpace();
            if (m_p == m_end || *m_p != '"' || !parseString())
                return false;
            skipSpace();
            if (m_p == m_end || *m_p != ':')
                return false;
            ++m_p;
            if (!parseValue(depth))
                return false;
            ++count;
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p != '}')
                return false;
            ++m_p;
            close(index, count);
            return true;
        }
    }

    bool parseArray(int depth)
    {
        if (depth > kMaxDepth)
            return false;
        const std::uint32_t index = add(Type::Array);
        ++m_p;
        skipSpace();
        std::uint32_t count = 0;
        if (m_p != m_end && *m_p == ']') {
            ++m_p;
            close(index);
            return true;
        }
        for (;;) {
            if (!parseValue(depth))
                return false;
            ++count;
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p != ']')
                return false;
            ++m_p;
            close(index, count);
            return true;
        }
    }

    // Checks the string (UTF-8, escapes, no control characters) and records where its text is.
    bool parseString()
    {
        ++m_p; // the opening quote
        const char *start = m_p;
        bool escaped = false;
        for (;;) {
            while (m_p != m_end && static_cast<unsigned char>(*m_p) >= 0x20 && *m_p != '"' && *m_p != '\\' &&
                   static_cast<unsigned char>(*m_p) < 0x80)
                ++m_p;
            if (m_p == m_end)
                return false;
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"')
                break;
            if (c < 0x20)
                return false;
            if (c == '\\') {
                escaped = true;
                if (!escape())
                    return false;
                continue;
            }
            if (!utf8())
                return false;
        }
        const std::uint32_t index = add(Type::String);
        Node &node = m_nodes[index];
        node.escaped = escaped;
        node.offset = std::uint32_t(start - m_begin);
        node.length = std::uint32_t(m_p - start);
        node.end = index + 1;
        ++m_p; // the closing quote
        return true;
    }

    bool escape()
    {
        ++m_p; // the backslash
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            ++m_p;
            return true;
        case 'u':
            break;
        default:
            return false;
        }
        ++m_p;
        if (m_end - m_p < 4)
            return false;
        const int unit = hex4(m_p);
        m_p += 4;
        // Left to QJsonDocument: U+0000 and lone surrogates.
        if (unit <= 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
            return false;
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u')
                return false;
            const int low = hex4(m_p + 2);
            if (low < 0xDC00 || low > 0xDFFF)
                return false;
            m_p += 6;
        }
        return true;
    }

    // One multi-byte UTF-8 sequence, strictly: no overlong forms, no surrogates, nothing above U+10FFFF, and
    // (left to QJsonDocument) no noncharacters.
    bool utf8()
    {
        const auto *p = reinterpret_cast<const unsigned char *>(m_p);
        const auto *end = reinterpret_cast<const unsigned char *>(m_end);
        const unsigned char lead = p[0];
        int extra = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
            cp = lead & 0x1F;
            min = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            cp = lead & 0x0F;
            min = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            cp = lead & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
            return false;
        m_p += extra + 1;
        return true;
    }

    bool parseNumber()
    {
        const char *start = m_p;
        if (m_p != m_end && *m_p == '-')
            ++m_p;
        if (m_p == m_end || !isDigit(*m_p))
            return false;
        if (*m_p == '0') {
            ++m_p;
        } else {
            while (m_p != m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p != m_end && *m_p == '.') {
            ++m_p;
            if (m_p == m_end || !isDigit(*m_p))
                return false;
            while (m_p != m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p != m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p != m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p == m_end || !isDigit(*m_p))
                return false;
            while (m_p != m_end && isDigit(*m_p))
                ++m_p;
        }
        double value = 0;
        const auto [last, error] = std::from_chars(start, m_p, value);
        if (error != std::errc() || last != m_p)
            return false; // out of range: left to QJsonDocument
        const std::uint32_t index = add(Type::Number);
        m_nodes[index].number = value;
        m_nodes[index].end = index + 1;
        return true;
    }

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    std::vector<Node> &m_nodes;
};

std::unique_ptr<JsonTree> JsonTree::parse(const QByteArray &json)
{
    if (json.size() >= qsizetype(std::numeric_limits<std::uint32_t>::max()))
        return nullptr;
    auto tree = std::unique_ptr<JsonTree>(new JsonTree);
    tree->m_json = json;
    tree->m_nodes.reserve(size_t(json.size() / 16) + 4);
    Parser parser(tree->m_json, tree->m_nodes);
    if (!parser.parseDocument())
        return nullptr;
    return tree;
}

QString JsonTree::text(const Node &node) const
{
    const char *p = m_json.constData() + node.offset;
    const char *end = p + node.length;
    if (!node.escaped)
        return QString::fromUtf8(p, node.length);
    // The escapes were checked while parsing.
    QString out;
    out.reserve(node.length);
    while (p != end) {
        const char *run = p;
        while (p != end && *p != '\\')
            ++p;
        if (p != run)
            out += QString::fromUtf8(run, p - run);
        if (p == end)
            break;
        ++p;
        switch (*p++) {
        case 'b':
            out += u'\b';
            break;
        case 'f':
            out += u'\f';
            break;
        case 'n':
            out += u'\n';
            break;
        case 'r':
            out += u'\r';
            break;
        case 't':
            out += u'\t';
            break;
        case 'u':
            out += QChar(char16_t(hex4(p)));
            p += 4;
            break;
        default: // '"', '\\', '/'
            out += QLatin1Char(p[-1]);
            break;
        }
    }
    return out;
}

bool JsonTree::keyEquals(const Node &node, QLatin1StringView key) const
{
    if (node.escaped)
        return text(node) == key;
    return node.length == std::uint32_t(key.size()) &&
           std::memcmp(m_json.constData() + node.offset, key.data(), node.length) == 0;
}

bool JsonRef::isNull() const
{
    return m_tree && m_tree->m_nodes[m_index].type == JsonTree::Type::Null;
}

bool JsonRef::isBool() const
{
    return m_tree && (m_tree->m_nodes[m_index].type == JsonTree::Type::True ||
                      m_tree->m_nodes[m_index].type == JsonTree::Type::False);
}

bool JsonRef::isDouble() const
{
    return m_tree && m_tree->m_nodes[m_index].type == JsonTree::Type::Number;
}

bool JsonRef::isString() const
{
    return m_tree && m_tree->m_nodes[m_index].type == JsonTree::Type::String;
}

bool JsonRef::isArray() const
{
    return m_tree && m_tree->m_nodes[m_index].type == JsonTree::Type::Array;
}

bool JsonRef::isObject() const
{
    return m_tree && m_tree->m_nodes[m_index].type == JsonTree::Type::Object;
}

bool JsonRef::toBool() const
{
    return m_tree && m_tree->m_nodes[m_index].type == JsonTree::Type::True;
}

double JsonRef::toDouble() const
{
    return isDouble() ? m_tree->m_nodes[m_index].number : 0.0;
}

QString JsonRef::toString() const
{
    return isString() ? m_tree->text(m_tree->m_nodes[m_index]) : QString();
}

JsonRef JsonRef::value(QLatin1StringView key) const
{
    if (!isObject())
        return {};
    const auto &nodes = m_tree->m_nodes;
    const std::uint32_t end = nodes[m_index].end;
    JsonRef found;
    for (std::uint32_t i = m_index + 1; i < end;) {
        const std::uint32_t valueIndex = i + 1;
        if (m_tree->keyEquals(nodes[i], key))
            found = JsonRef(m_tree, valueIndex);
        i = nodes[valueIndex].end;
    }
    return found;
}

qsizetype JsonRef::size() const
{
    return isArray() || isObject() ? qsizetype(m_tree->m_nodes[m_index].count) : 0;
}

JsonRef JsonRef::first() const
{
    if (!isArray() || m_tree->m_nodes[m_index].count == 0)
        return {};
    JsonRef element(m_tree, m_index + 1);
    element.m_parentEnd = m_tree->m_nodes[m_index].end;
    return element;
}

JsonRef JsonRef::next() const
{
    if (!m_tree || m_parentEnd == 0)
        return {};
    const std::uint32_t index = m_tree->m_nodes[m_index].end;
    if (index >= m_parentEnd)
        return {};
    JsonRef element(m_tree, index);
    element.m_parentEnd = m_parentEnd;
    return element;
}

JsonRef JsonRef::at(qsizetype index) const
{
    if (index < 0 || index >= size() || !isArray())
        return {};
    JsonRef element = first();
    for (qsizetype i = 0; i < index; ++i)
        element = element.next();
    return element;
}

} // namespace sd::util
