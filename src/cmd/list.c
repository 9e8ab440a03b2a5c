/* cmd/list.c - placeholder command table. */
#include "../server.h"

command cmd_list_table[] = {
    {.name = NULL},
};
