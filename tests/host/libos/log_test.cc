// Logging: the line format, level filtering and the C functions over the global logger.

#include <gtest/gtest.h>
#include <tessera/log.h>
#include <tessera/logger.h>

#include <string>

namespace {

void append(void* context, char c)
{
    static_cast<std::string*>(context)->push_back(c);
}

int write(tessera::log::Logger& logger, tessera::log::Level level, const char* format, ...)
    __attribute__((format(printf, 3, 4)));
int write(tessera::log::Logger& logger, tessera::log::Level level, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int count = logger.write(level, format, args);
    va_end(args);
    return count;
}

using tessera::log::Level;

TEST(Logger, WritesNameLevelAndFormattedMessageAsOneLine)
{
    std::string out;
    tessera::log::Logger logger("blk", append, &out);
    const int count = write(logger, Level::Warn, "queue %s at %u%%", "full", 100u);
    EXPECT_EQ(out, "[blk] warn: queue full at 100%\n");
    EXPECT_EQ(count, static_cast<int>(out.size()));
}

TEST(Logger, DoesNotDoubleATrailingNewline)
{
    std::string out;
    tessera::log::Logger logger("fs", append, &out);
    write(logger, Level::Error, "bad block %d\n", 7);
    write(logger, Level::Info, "%s", "");
    EXPECT_EQ(out, "[fs] error: bad block 7\n[fs] info: \n");
}

TEST(Logger, DropsMessagesBelowTheThreshold)
{
    std::string out;
    tessera::log::Logger logger("net", append, &out);
    EXPECT_EQ(write(logger, Level::Debug, "hidden"), 0); // default threshold is info
    EXPECT_EQ(out, "");
    logger.set_threshold(Level::Debug);
    write(logger, Level::Debug, "shown");
    logger.set_threshold(Level::Error);
    EXPECT_EQ(write(logger, Level::Warn, "hidden"), 0);
    write(logger, Level::Error, "shown");
    EXPECT_EQ(out, "[net] debug: shown\n[net] error: shown\n");
}

TEST(Logger, UnnamedLoggerWithoutOutputIsHarmless)
{
    tessera::log::Logger logger;
    EXPECT_EQ(write(logger, Level::Error, "x"), 13); // "[?] error: x\n", discarded
}

TEST(LogCApi, LevelFunctionsUseTheGlobalLogger)
{
    std::string out;
    tessera_log_init("timer", append, &out);
    tessera_log_set_level(TESSERA_LOG_DEBUG);
    tessera_log_error("e%d", 1);
    tessera_log_warn("w");
    tessera_log_info("i");
    tessera_log_debug("d");
    tessera_log(TESSERA_LOG_INFO, "n=%x", 255u);
    tessera_log_set_level(TESSERA_LOG_WARN);
    EXPECT_EQ(tessera_log_info("dropped"), 0);
    EXPECT_EQ(out, "[timer] error: e1\n[timer] warn: w\n[timer] info: i\n[timer] debug: d\n"
                   "[timer] info: n=ff\n");
    tessera_log_init(nullptr, nullptr, nullptr);
    tessera_log_set_level(TESSERA_LOG_INFO);
}

} // namespace
