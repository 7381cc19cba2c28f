"""Replay dead letters: move a consumer group's dead-lettered messages back to their topic."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from contracts.topics import dead_letter_topic


async def replay_dead_letters(bootstrap: str, topic: str, group: str, *, timeout_s: float = 30.0) -> int:
    """Republish every dead letter of ``group`` for ``topic`` that was not replayed yet.

    Reads ``<topic>.dlq.<group>`` up to its end as of now, with its own consumer
    group ``<group>.replay`` so a second run does not replay the same letters again,
    and commits each offset only after the broker confirmed the republished copy.
    Returns how many messages went back.
    """
    dlq = dead_letter_topic(topic, group)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=f"{group}.replay",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    replayed = 0
    try:
        await consumer.start()
        await producer.start()
        partitions = consumer.partitions_for_topic(dlq) or set()
        if not partitions:
            await consumer._client.force_metadata_update()  # the topic may be new to this client
            partitions = consumer.partitions_for_topic(dlq) or set()
        tps = [TopicPartition(dlq, p) for p in sorted(partitions)]
        if not tps:
            return 0
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        for tp in tps:
            committed = await consumer.committed(tp)
            if committed is None:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed)
        pending = {tp for tp in tps if await consumer.position(tp) < ends[tp]}
        while pending:
            batch = await consumer.getmany(*pending, timeout_ms=int(timeout_s * 1000))
            if not batch:
                raise TimeoutError(f"no dead letters read from {dlq} within {timeout_s}s")
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        continue
                    headers = [(k, v) for k, v in (record.headers or ()) if not k.startswith("x-error")]
                    headers.append(("x-replayed-from", f"{dlq}/{tp.partition}/{record.offset}".encode()))
                    await producer.send_and_wait(topic, record.value, key=record.key, headers=headers)
                    await consumer.commit({tp: record.offset + 1})
                    replayed += 1
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
    finally:
        await producer.stop()
        await consumer.stop()
    return replayed
