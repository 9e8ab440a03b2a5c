/* fuzz_config.c - libFuzzer target for the configuration file parser
 * (config_load in src/config.c: line splitting, quoting, every parameter's
 * value parser).
 *
 * The input is the text of a config file.  Each run starts from the
 * defaults; a bad directive makes config_load() print Redis's FATAL CONFIG
 * FILE ERROR and exit(1), which exit_trap turns into a return.  `dir` does
 * not move the process (chdir is a no-op here).  The server itself is not
 * initialised: as at start-up, nothing is applied to the network. */
#include "config.h"
#include "exit_trap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *volatile text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    config_set_defaults();
    jmp_buf jb;
    fuzz_quiet_begin();
    if (setjmp(jb) == 0) {
        fuzz_exit_jmp = &jb;
        config_load(NULL, text);
    }
    fuzz_exit_jmp = NULL;
    fuzz_quiet_end();
    free(text);
    return 0;
}
