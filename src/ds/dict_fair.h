/* dict_fair.h - a uniformly distributed random entry of a dict.
 *
 * dict_random() picks a random non-empty bucket and then an entry of its
 * chain, which favours entries in short chains.  SRANDMEMBER, HRANDFIELD
 * and ZRANDMEMBER must pass a chi-square test over their results, so they
 * use this instead: pick a slot uniformly among all buckets, then a chain
 * position uniformly in [0, max(DICT_FAIR_CHAIN, chain length)), and retry
 * when that position is past the end of the chain (rejection sampling:
 * exact while chains are no longer than DICT_FAIR_CHAIN, which at load
 * factor <= 1 is nearly always). */
#ifndef DS_DICT_FAIR_H
#define DS_DICT_FAIR_H
#include "dict.h"

#define DICT_FAIR_CHAIN 4

/* NULL only when d is empty.  Uses random(). */
dict_entry *dict_fair_random(dict *d);

#endif
