/* exit_trap.h - see exit_trap.c.  Usage:
 *
 *     jmp_buf jb;
 *     if (setjmp(jb) == 0) {
 *         fuzz_exit_jmp = &jb;
 *         config_load(NULL, text);       // may call exit()
 *     }
 *     fuzz_exit_jmp = NULL;
 */
#ifndef FUZZ_EXIT_TRAP_H
#define FUZZ_EXIT_TRAP_H
#include <setjmp.h>

extern jmp_buf *fuzz_exit_jmp;
extern int fuzz_exit_code;
int fuzz_real_chdir(const char *path);
/* Send stderr to /dev/null between begin and end (the server's start-up
 * errors would flood the output); FUZZ_VERBOSE=1 keeps it. */
void fuzz_quiet_begin(void);
void fuzz_quiet_end(void);

#endif
