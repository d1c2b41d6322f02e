/* What the producer and the consumer agree on (systems/producer_consumer.system): their channel
 * ids and the items, a sequence neither can guess wrong by accident. */
#ifndef PRODUCER_CONSUMER_PROTOCOL_H
#define PRODUCER_CONSUMER_PROTOCOL_H

#include <stdint.h>

#define CONSUMER_CHANNEL 0 /* the producer's id for its channel to the consumer */
#define PRODUCER_CHANNEL 1 /* the consumer's id for the same channel */

#define ITEM_COUNT 100u /* more than the ring holds, so the producer must wait for space */

static inline uint64_t item_value(uint64_t index)
{
    return index * index * 3 + 11;
}

static inline uint64_t items_sum(uint64_t count)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < count; ++i)
        sum += item_value(i);
    return sum;
}

#endif
