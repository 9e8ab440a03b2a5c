/* exit_trap.c - lets a fuzz target survive the server's start-up exit()s.
 *
 * Every fuzz binary (and replay binary) is linked with -Wl,--wrap=exit and
 * -Wl,--wrap=chdir.  While fuzz_exit_jmp is set, exit() from server code
 * (config_load's fatal(), a failed AOF load) jumps back to the target
 * instead of ending the process; otherwise it exits for real.  chdir() from
 * server code (the `dir` directive) is a no-op, so the fuzzer stays in its
 * directory; targets that need to move call fuzz_real_chdir().
 *
 * It also defines what main.c (not linked into fuzz targets) defines for
 * the other server objects. */
#include "exit_trap.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* main.c's: aof_init() stores the AOF loader here. */
void (*aof_load_hook)(void);

jmp_buf *fuzz_exit_jmp;
int fuzz_exit_code;

void __real_exit(int code) __attribute__((noreturn));
void __wrap_exit(int code) __attribute__((noreturn));
int __real_chdir(const char *path);
int __wrap_chdir(const char *path);

void __wrap_exit(int code)
{
    jmp_buf *j = fuzz_exit_jmp;
    if (j) {
        fuzz_exit_jmp = NULL;
        fuzz_exit_code = code;
        longjmp(*j, 1);
    }
    __real_exit(code);
}

int __wrap_chdir(const char *path)
{
    (void)path;
    return 0;
}

int fuzz_real_chdir(const char *path)
{
    return __real_chdir(path);
}

static int saved_stderr = -1;

void fuzz_quiet_begin(void)
{
    if (saved_stderr >= 0 || getenv("FUZZ_VERBOSE"))
        return;
    int null = open("/dev/null", O_WRONLY);
    if (null < 0)
        return;
    saved_stderr = dup(2);
    dup2(null, 2);
    close(null);
}

void fuzz_quiet_end(void)
{
    if (saved_stderr < 0)
        return;
    dup2(saved_stderr, 2);
    close(saved_stderr);
    saved_stderr = -1;
}
