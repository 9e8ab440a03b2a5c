/* log.h - Redis-style log lines: "pid:role dd Mon yyyy hh:mm:ss.mmm * msg". */
#ifndef SLUICE_LOG_H
#define SLUICE_LOG_H

enum { LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3 };

void log_set_level(int level);
void log_set_file(const char *path); /* "" = stdout */
void log_set_role(char role);        /* 'M' server, 'C' rewrite child */
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_raw(int level, const char *msg);

#endif
