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

#endif
