-- CTVC oficios and the cases they list. Names of the people interviewed are kept here (personal data:
-- every read is in access_log) and never leave the service in an event.
create table oficios (
    oficio_id    uuid primary key,
    number       text not null unique,
    region       text not null check (region ~ '^[0-9]{2}$'),
    sent_on      date not null,
    received_on  date not null check (received_on >= sent_on),
    sender       text not null,
    channel      text not null check (channel in ('PLATAFORMA', 'PAPEL')),
    filed_by     text not null,
    due_on       date not null,
    unit         text,
    routed_on    date,
    routed_by    text,
    created_at   timestamptz not null default now()
);
create index oficios_region on oficios (region, received_on desc);
create index oficios_open_due on oficios (due_on);

create table cases (
    case_id    uuid primary key,
    oficio_id  uuid not null references oficios (oficio_id),
    position   integer not null,
    number     text not null unique,
    ubigeo     text not null check (ubigeo ~ '^[0-9]{6}$'),
    state      text not null default 'ABIERTO' check (state in ('ABIERTO', 'RESUELTO', 'RESPONDIDO')),
    opened_at  timestamptz not null default now(),
    unique (oficio_id, position)
);
create index cases_ubigeo on cases (ubigeo);

create table critical_points (
    case_id     uuid not null references cases (case_id),
    position    integer not null,
    category    text not null,
    description text not null,
    primary key (case_id, position)
);

create table interviewees (
    case_id  uuid not null references cases (case_id),
    position integer not null,
    role     text not null,
    office   text not null,
    names    text,
    primary key (case_id, position)
);

-- Each step of a case, in order: filed, routed, evidence gathered, resolved, answered.
create table case_timeline (
    entry_id  bigint generated always as identity primary key,
    case_id   uuid not null references cases (case_id),
    at        timestamptz not null default now(),
    step      text not null,
    detail    text not null,
    by_user   text not null
);
create index case_timeline_case on case_timeline (case_id, entry_id);

-- Ley 29733: who read the personal data of a case (or was refused), when, under which scope.
create table access_log (
    entry_id  bigint generated always as identity primary key,
    at        timestamptz not null default now(),
    username  text not null,
    role      text not null,
    scope     text not null,
    action    text not null,
    resource  text not null,
    allowed   boolean not null,
    case_ids  uuid[] not null default '{}'
);
create index access_log_user on access_log (username, entry_id);
