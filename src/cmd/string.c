/* cmd/string.c - placeholder command table. */
#include "../server.h"

command cmd_string_table[] = {
    {.name = NULL},
};
