-- The analysis of a case: a finding per critical point citing evidence items by key, the conclusion and
-- its justification, and the improvement actions followed to closure. A draft until the case is resolved;
-- then the evidence it cites is frozen with it (evidence_snapshot) and it is never changed again.
create table analyses (
    case_id           uuid primary key references cases (case_id),
    conclusion        text check (conclusion in ('FUNDADO', 'INFUNDADO')),
    justification     text not null default '',
    updated_at        timestamptz not null default now(),
    updated_by        text not null,
    resolved_at       timestamptz,
    resolved_by       text,
    evidence_as_of    date,
    evidence_snapshot jsonb,
    check ((resolved_at is null) = (resolved_by is null)),
    check (resolved_at is null or (conclusion is not null and evidence_snapshot is not null))
);

create table findings (
    case_id  uuid not null references analyses (case_id),
    point    integer not null,
    text     text not null,
    evidence text[] not null default '{}',
    primary key (case_id, point),
    foreign key (case_id, point) references critical_points (case_id, position)
);

create table improvement_actions (
    case_id     uuid not null references analyses (case_id),
    position    integer not null,
    description text not null,
    owner       text not null,
    due_on      date not null,
    status      text not null default 'PENDIENTE' check (status in ('PENDIENTE', 'EN_CURSO', 'CUMPLIDA')),
    status_note text,
    status_at   timestamptz,
    status_by   text,
    primary key (case_id, position)
);
