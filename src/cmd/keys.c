/* cmd/keys.c - placeholder command table. */
#include "../server.h"

command cmd_keys_table[] = {
    {.name = NULL},
};
