/* cmd/pubsub.c - placeholder command table. */
#include "../server.h"

command cmd_pubsub_table[] = {
    {.name = NULL},
};
