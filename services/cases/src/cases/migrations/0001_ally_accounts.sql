-- Which allies hold an account: evidence when answering CTVC cases.
create table ally_accounts (
    account_id  uuid primary key,
    username    text not null,
    ally_type   text not null,
    ubigeo      text,
    entity_name text,
    request_id  uuid not null,
    issued_at   timestamptz not null,
    revoked_at  timestamptz,
    revoke_reason text
);
create index ally_accounts_ubigeo on ally_accounts (ubigeo) where revoked_at is null;

-- Append-only timeline of account events, one row per event handled.
create table account_history (
    event_id    uuid primary key,
    account_id  uuid not null,
    kind        text not null check (kind in ('ISSUED', 'REVOKED')),
    occurred_at timestamptz not null
);
create index account_history_account on account_history (account_id, occurred_at);
