/* cmd/stream.c - placeholder command table. */
#include "../server.h"

command cmd_stream_table[] = {
    {.name = NULL},
};
