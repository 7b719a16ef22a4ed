#pragma once

#include <QByteArray>
#include <QLatin1StringView>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace sd::util {

class JsonTree;

// A value in a JsonTree: a cheap handle (the tree and a node index) with the part of the QJsonValue,
// QJsonObject and QJsonArray interfaces the import reads, so code can be written once for both.
// A handle is valid only as long as its tree.
class JsonRef
{
public:
    JsonRef() = default;

    bool isUndefined() const { return !m_tree; }
    bool isNull() const;
    bool isBool() const;
    bool isDouble() const;
    bool isString() const;
    bool isArray() const;
    bool isObject() const;

    bool toBool() const;
    double toDouble() const;
    QString toString() const;
    // This value when it is an object (or an array), else an empty one, as QJsonValue does.
    JsonRef toObject() const { return isObject() ? *this : JsonRef(); }
    JsonRef toArray() const { return isArray() ? *this : JsonRef(); }

    // Members of an object: when a key occurs more than once, the last one counts, as in QJsonObject.
    JsonRef value(QLatin1StringView key) const;
    bool contains(QLatin1StringView key) const { return !value(key).isUndefined(); }

    // Elements of an array (at() walks from the first: meant for the few elements of a form's lists).
    qsizetype size() const;
    JsonRef at(qsizetype index) const;
    JsonRef first() const; // the first element, or undefined
    JsonRef next() const;  // the following sibling within the same array, or undefined

private:
    friend class JsonTree;
    JsonRef(const JsonTree *tree, std::uint32_t index)
        : m_tree(tree)
        , m_index(index)
    {}

    const JsonTree *m_tree = nullptr;
    std::uint32_t m_index = 0;
    std::uint32_t m_parentEnd = 0; // for next(): where the enclosing array's nodes end
};

// A strict JSON reader over UTF-8 bytes: one pass builds a flat list of nodes whose strings point into the
// input, decoded only when read. It accepts only what QJsonDocument accepts (and refuses a few rare things
// it also accepts, such as \u0000 or noncharacters): a caller falls back to QJsonDocument when parse()
// fails, so messages about broken JSON stay QJsonDocument's.
class JsonTree
{
public:
    static constexpr int kMaxDepth = 1024; // QJsonDocument's nesting limit

    // The top level must be an object or an array.
    static std::unique_ptr<JsonTree> parse(const QByteArray &json);

    JsonRef root() const { return JsonRef(this, 0); }

private:
    friend class JsonRef;
    enum class Type : std::uint8_t { Null, False, True, Number, String, Array, Object };

    struct Node
    {
        Type type = Type::Null;
        bool escaped = false;     // a string with backslash escapes
        std::uint32_t end = 0;    // one past the last node of this value's subtree
        std::uint32_t count = 0;  // elements of an array, members of an object
        std::uint32_t offset = 0; // a string's text (between the quotes) in the input
        std::uint32_t length = 0;
        double number = 0;
    };

    class Parser;

    QString text(const Node &node) const;
    bool keyEquals(const Node &node, QLatin1StringView key) const;

    QByteArray m_json;
    std::vector<Node> m_nodes;
};

} // namespace sd::util
