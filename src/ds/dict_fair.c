/* dict_fair.c - see dict_fair.h.  Reads the dict's tables directly (their
 * layout is public in dict.h) and never changes the dict. */
#include "dict_fair.h"

#include <stdlib.h>

/* Random size_t (random() gives 31 bits). */
static size_t rnd(void)
{
    return ((size_t)random() << 31) ^ (size_t)random();
}

dict_entry *dict_fair_random(dict *d)
{
    if (dict_size(d) == 0)
        return NULL;
    /* Slots that may hold entries: table[0] from rehash_idx on (all of it
     * when not rehashing), then all of table[1]. */
    size_t from = d->rehash_idx >= 0 ? (size_t)d->rehash_idx : 0;
    size_t n0 = d->size[0] - from, n1 = d->table[1] ? d->size[1] : 0;
    for (;;) {
        size_t r = rnd() % (n0 + n1);
        dict_entry *e = r < n0 ? d->table[0][from + r] : d->table[1][r - n0];
        if (!e)
            continue;
        size_t len = 0;
        for (dict_entry *x = e; x; x = x->next)
            len++;
        size_t span = len > DICT_FAIR_CHAIN ? len : DICT_FAIR_CHAIN;
        size_t j = (size_t)random() % span;
        if (j >= len)
            continue;
        while (j--)
            e = e->next;
        return e;
    }
}
