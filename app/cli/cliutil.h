#pragma once

#include "cli.h"
#include "console.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QStringList>
#include <QTextStream>

// Small helpers the command files share: output, failures, option parsing.
namespace sd::cli {

// out(), err() and usage() are console.h's (one stream each for the whole program).
inline int fail(const QString &message)
{
    out().flush();
    err() << "sellerdesk-cli: " << QCoreApplication::translate("sd::cli", "error:") << u' ' << message << Qt::endl;
    return kFailure;
}

inline void printJson(const QJsonDocument &doc)
{
    out() << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    out().flush();
}

inline QString actor()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? u"cli"_qs : u"cli:" + user;
}

inline QString localTime(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_qs) : QString();
}

// "--name value" options and flags; everything else is positional.
struct Options
{
    QStringList positional;
    QHash<QString, QString> values;
    QHash<QString, QStringList> repeated; // every value of an option given more than once (values: the last)
    QSet<QString> flags;
    QString problem;

    Options(const QStringList &words, const QStringList &valueNames, const QStringList &flagNames)
    {
        for (qsizetype i = 0; i < words.size(); ++i) {
            const QString &w = words.at(i);
            if (!w.startsWith(u"--")) {
                positional.append(w);
            } else if (valueNames.contains(w.mid(2))) {
                if (i + 1 >= words.size()) {
                    problem = QCoreApplication::translate("sd::cli", "the option %1 needs a value").arg(w);
                    return;
                }
                values.insert(w.mid(2), words.at(++i));
                repeated[w.mid(2)].append(words.at(i));
            } else if (flagNames.contains(w.mid(2))) {
                flags.insert(w.mid(2));
            } else {
                problem = QCoreApplication::translate("sd::cli", "unknown option %1").arg(w);
                return;
            }
        }
    }
};

} // namespace sd::cli
