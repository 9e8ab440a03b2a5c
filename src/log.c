/* log.c - see log.h.  Opens the log file for every line (like Redis) so a
 * rotated file is picked up without a signal. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int min_level = LOG_NOTICE;
static char logfile[1024];
static char role = 'M';

void log_set_level(int level)
{
    min_level = level;
}

void log_set_file(const char *path)
{
    snprintf(logfile, sizeof(logfile), "%s", path ? path : "");
}

void log_set_role(char r)
{
    role = r;
}

void log_raw(int level, const char *msg)
{
    static const char marks[] = ".-*#";
    char ts[64];
    struct timeval tv;
    struct tm tm;
    if (level < min_level)
        return;
    FILE *fp = logfile[0] ? fopen(logfile, "a") : stdout;
    if (!fp)
        return;
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(ts, sizeof(ts), "%d %b %Y %H:%M:%S.", &tm);
    snprintf(ts + n, sizeof(ts) - n, "%03d", (int)(tv.tv_usec / 1000));
    fprintf(fp, "%d:%c %s %c %s\n", (int)getpid(), role, ts, marks[level & 3], msg);
    fflush(fp);
    if (logfile[0])
        fclose(fp);
}

void log_msg(int level, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    if (level < min_level)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_raw(level, buf);
}
