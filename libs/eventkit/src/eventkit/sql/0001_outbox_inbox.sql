-- The messaging kit's tables, created in each service's own schema.
create table outbox (
    event_id     uuid primary key,
    seq          bigserial not null,
    topic        text not null,
    key          text not null,
    type         text not null,
    body         bytea not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
-- Only unpublished rows are scanned by the relay.
create index outbox_unpublished on outbox (seq) where published_at is null;

create table inbox (
    consumer   text not null,
    event_id   uuid not null,
    handled_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
