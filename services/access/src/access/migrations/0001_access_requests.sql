-- Access requests of the USUARIO ALIADO application and their life cycle.
create sequence access_request_numbers;

create table access_requests (
    request_id            uuid primary key,
    code                  text not null unique,
    ally_type             text not null,
    state                 text not null,
    form                  jsonb not null,
    authority_dni         text not null,
    attempt               int not null default 0,
    authority_result      text,
    authority_reason      text,
    ddc_ready             boolean not null default false,
    ddc_verification_code text,
    documents             jsonb not null default '{}',
    observations          jsonb not null default '[]',
    rejection_reason      text,
    submitted_at          timestamptz,
    due_date              date,
    evaluator_id          text,
    account_username      text,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);
create index access_requests_queue on access_requests (due_date) where state = 'PENDING_EVALUATION';

-- Every decision, automatic or by an evaluator, kept as history.
create table decisions (
    decision_id  uuid primary key,
    request_id   uuid not null references access_requests,
    attempt      int not null,
    decision     text not null,
    evaluator_id text not null,
    detail       jsonb not null,
    decided_at   timestamptz not null default now()
);
create index decisions_request on decisions (request_id, decided_at);

-- A solved captcha opens one send only.
create table used_captchas (
    signature text primary key,
    used_at   timestamptz not null default now()
);
