#pragma once

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

// A fuzz target's QCoreApplication (translations and Qt's own checks want one), made once.
inline void ensureApplication()
{
    static int argc = 1;
    static char name[] = "fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication *app = new QCoreApplication(argc, argv);
    (void)app;
}

// A property that must hold for every input: a violation is a finding like a crash.
#define FUZZ_ASSERT(condition)                                                                                         \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", #condition, __FILE__, __LINE__);              \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)
