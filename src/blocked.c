/* blocked.c - placeholder until the list work lands: nothing blocks yet. */
#include "blocked.h"

#include "server.h"

int blocked_reprocessing;

void blocked_init(void)
{
}

void blocked_on_keys(client *c, db *d, arg *keys, int nkeys, long long deadline_ms)
{
    (void)c;
    (void)d;
    (void)keys;
    (void)nkeys;
    (void)deadline_ms;
}

void blocked_serve_ready(void)
{
}

void blocked_unblock(client *c, int how)
{
    (void)c;
    (void)how;
}

void blocked_client_gone(client *c)
{
    (void)c;
}

int blocked_is_blocked(const client *c)
{
    return (c->flags & CLIENT_BLOCKED) != 0;
}

void blocked_key_queued(db *d, const char *k, size_t len)
{
    (void)d;
    (void)k;
    (void)len;
}

size_t blocked_count(void)
{
    return srv.blocked_clients;
}

size_t blocked_keys_count(void)
{
    return 0;
}
