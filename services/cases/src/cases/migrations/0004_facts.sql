-- What other services announced, kept as evidence for CTVC cases: each row names the event it came from.

-- Access requests as access announced them (the office and position of whoever would hold the account).
create table access_requests (
    request_id  uuid primary key,
    code        text not null,
    ally_type   text not null,
    ubigeo      text,
    entity_name text,
    office      text not null,
    position    text not null
);
create index access_requests_ubigeo on access_requests (ubigeo);

-- Every step of a request, in the order it happened: sent (again), approved, observed, rejected.
create table access_request_history (
    event_id    uuid primary key,
    request_id  uuid not null,
    step        text not null check (step in ('ENVIADA', 'APROBADA', 'OBSERVADA', 'RECHAZADA')),
    attempt     integer,
    occurred_at timestamptz not null,
    reason      text
);
create index access_request_history_request on access_request_history (request_id, occurred_at);

-- Padrón versions as published, with the counts per district and category they carried.
create table padron_publications (
    padron_id         uuid primary key,
    event_id          uuid not null unique,
    period            text not null,
    resolution_number text not null,
    resolution_date   date not null,
    published_at      timestamptz not null
);
create index padron_publications_at on padron_publications (published_at);

create table padron_counts (
    padron_id uuid not null references padron_publications (padron_id),
    ubigeo    text not null,
    category  text not null,
    count     integer not null check (count >= 0),
    primary key (padron_id, ubigeo, category)
);

alter table ally_accounts add column issued_event uuid, add column revoked_event uuid;
