"""How many dead letters wait for a person: counted on Kafka against what ``replay-dlq`` has replayed."""

from __future__ import annotations

from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition


async def waiting_on_kafka(bootstrap: str, group: str, dlqs: Sequence[str]) -> dict[str, int]:
    """Dead letters not yet replayed, per dead-letter topic of ``group``.

    A letter waits from the moment it is written until ``replay_dead_letters``
    commits past it in the group ``<group>.replay``: the topic's end offsets minus
    that group's committed offsets (or minus the first offset still kept, when
    nothing was replayed yet). A topic that does not exist holds none. The
    consumer only reads offsets: it joins no group and commits nothing.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=f"{group}.replay",
        enable_auto_commit=False,
        request_timeout_ms=5000,
    )
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()  # a dead-letter topic may be newer than this client
        waiting: dict[str, int] = {}
        for dlq in dlqs:
            tps = [TopicPartition(dlq, p) for p in sorted(consumer.partitions_for_topic(dlq) or ())]
            if not tps:
                waiting[dlq] = 0
                continue
            ends = await consumer.end_offsets(tps)
            starts = await consumer.beginning_offsets(tps)
            total = 0
            for tp in tps:
                committed = await consumer.committed(tp)
                total += max(0, ends[tp] - max(committed or 0, starts[tp]))
            waiting[dlq] = total
        return waiting
    finally:
        await consumer.stop()
