-- Each check of a request's authority against the register (JNE), one per attempt.
create table authority_checks (
    request_id  uuid not null,
    attempt     integer not null check (attempt >= 1),
    result      text not null check (result in ('MATCH', 'MISMATCH', 'NOT_FOUND')),
    reason      text not null,
    checked_at  timestamptz not null default now(),
    primary key (request_id, attempt)
);

-- Ally accounts: one per approved request. Never modified: an account is only revoked, and a
-- new request issues a new one.
create table credentials (
    account_id    uuid primary key,
    username      text not null unique,
    password_hash text not null,
    role          text not null default 'ALLY' check (role = 'ALLY'),
    ally_type     text not null check (ally_type in ('GOBIERNO_REGIONAL', 'GOBIERNO_LOCAL', 'OTRO_ALIADO')),
    ubigeo        text,
    entity_ruc    text,
    entity_name   text,
    request_id    uuid not null unique,
    issued_at     timestamptz not null default now(),
    check (case ally_type
        when 'GOBIERNO_REGIONAL' then ubigeo ~ '^\d{2}$'
        when 'GOBIERNO_LOCAL' then ubigeo ~ '^\d{6}$'
        else entity_ruc ~ '^\d{11}$' end)
);
create index credentials_by_place on credentials (ally_type, ubigeo) where ubigeo is not null;
create index credentials_by_entity on credentials (entity_ruc) where entity_ruc is not null;

create table credential_revocations (
    account_id       uuid primary key references credentials (account_id),
    reason           text not null,
    revoked_at       timestamptz not null default now(),
    cause_request_id uuid
);

create function refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% are immutable: % refused', tg_argv[0], tg_op
        using hint = 'Revoke the account and issue a new one through a new request.';
end;
$$;

create trigger credentials_immutable before update or delete on credentials
    for each row execute function refuse_change('credentials');
create trigger credentials_not_truncated before truncate on credentials
    for each statement execute function refuse_change('credentials');
create trigger credential_revocations_immutable before update or delete on credential_revocations
    for each row execute function refuse_change('credential revocations');
create trigger credential_revocations_not_truncated before truncate on credential_revocations
    for each statement execute function refuse_change('credential revocations');

-- Programme staff: evaluators and administrators.
create table staff_accounts (
    staff_id      uuid primary key,
    username      text not null unique,
    role          text not null check (role in ('EVALUATOR', 'ADMIN')),
    password_hash text not null,
    created_at    timestamptz not null default now()
);
