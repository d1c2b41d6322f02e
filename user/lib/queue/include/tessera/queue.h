// Single-producer single-consumer descriptor queues in shared memory: include this one header.
// Typical consumer loop (the producer's is symmetric with push/prepare_to_sleep):
//   for (;;) { while (consumer.pop(d) == QueueStatus::Ok) handle(d);
//              consumer.publish(signal_producer);
//              if (consumer.prepare_to_sleep()) wait_for_notification(); }
#pragma once

#include <tessera/queue/consumer.h>
#include <tessera/queue/layout.h>
#include <tessera/queue/producer.h>
