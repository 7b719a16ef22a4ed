#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <QStringList>

namespace sd::cli {

// The words of one subcommand: positional words, "--name value" (or "--name=value") options and "--flag"s.
// problem is set (translated) when the words do not fit.
struct Args
{
    QStringList positional;
    QHash<QString, QString> values;
    QSet<QString> flags;
    QString problem;

    static Args parse(const QStringList &words, const QStringList &valueOptions, const QStringList &flagOptions)
    {
        Args args;
        for (qsizetype i = 0; i < words.size(); ++i) {
            const QString &word = words.at(i);
            if (word.startsWith(u"--") && word.size() > 2) {
                QString name = word.mid(2);
                QString value;
                bool inlineValue = false;
                if (const qsizetype eq = name.indexOf(u'='); eq > 0) {
                    value = name.mid(eq + 1);
                    name = name.left(eq);
                    inlineValue = true;
                }
                if (valueOptions.contains(name)) {
                    if (!inlineValue) {
                        if (i + 1 >= words.size()) {
                            args.problem =
                                QCoreApplication::translate("sd::cli", "the option --%1 needs a value").arg(name);
                            return args;
                        }
                        value = words.at(++i);
                    }
                    args.values.insert(name, value);
                } else if (flagOptions.contains(name) && !inlineValue) {
                    args.flags.insert(name);
                } else {
                    args.problem = QCoreApplication::translate("sd::cli", "unknown option %1").arg(word);
                    return args;
                }
            } else {
                args.positional.append(word);
            }
        }
        return args;
    }

    bool intValue(const QString &name, int fallback, int min, int max, int *value, QString *problem) const
    {
        if (!values.contains(name)) {
            *value = fallback;
            return true;
        }
        bool ok = false;
        const int parsed = values.value(name).toInt(&ok);
        if (!ok || parsed < min || parsed > max) {
            *problem = QCoreApplication::translate("sd::cli", "--%1 must be a whole number from %2 to %3")
                           .arg(name)
                           .arg(min)
                           .arg(max);
            return false;
        }
        *value = parsed;
        return true;
    }
};

} // namespace sd::cli
