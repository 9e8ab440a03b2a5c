/* config.h - the table of configuration parameters: defaults, the config
 * file and --flags at start-up, CONFIG GET/SET/REWRITE/RESETSTAT at run
 * time.  Every parameter has one entry; the file, the command line and
 * CONFIG SET all go through the same parse function. */
#ifndef SLUICE_CONFIG_H
#define SLUICE_CONFIG_H
#include <stddef.h>

void config_set_defaults(void);
/* Load a file (may be NULL) then the extra "name value" lines, which are
 * appended to the file's text after a "\n" as Redis does (so they are
 * numbered after it); exits with line and reason on a bad directive. */
void config_load(const char *path, const char *extra);
/* 0 ok; -1 with *err set ("argument must be ..."), or -2 unknown name. */
int config_set(const char *name, const char *value, const char **err);
int config_rewrite(const char **err);
long long config_parse_memory(const char *s, int *ok);

#endif
