-- The padrón service: beneficiaries, padrón versions, collection authorizations,
-- affiliation requests, alerts, FAD, the access log, and the counters behind summaries.

create table beneficiaries (
    beneficiary_id        uuid primary key,
    dni                   text not null unique check (dni ~ '^[0-9]{8}$'),
    names                 text not null,              -- 'APELLIDO APELLIDO, NOMBRES'
    birth_date            date not null,
    sex                   text not null check (sex in ('F', 'M')),
    ubigeo                text not null check (ubigeo ~ '^[0-9]{6}$'),
    address               text not null,
    phone                 text,
    contact_name          text,
    contact_phone         text,
    certificate_number    text not null,
    certificate_severity  text not null check (certificate_severity in ('LEVE', 'MODERADA', 'SEVERA')),
    certificate_issuer    text not null,
    certificate_date      date not null,
    sisfoh_classification text not null check (sisfoh_classification in ('POBRE_EXTREMO', 'POBRE', 'NO_POBRE')),
    sisfoh_expires_on     date not null,
    other_pension         boolean not null default false,
    bank_name             text,
    bank_account          text,
    status                text not null check (status in ('VIGENTE', 'SUSPENDIDO', 'DESAFILIADO')),
    status_reason         text,
    status_changed_at     timestamptz not null default now(),
    affiliated_on         date not null,
    requirements          jsonb not null default '{}',  -- the pension requirements as checked on affiliation
    updated_at            timestamptz not null default now(),
    check (status = 'VIGENTE' or status_reason is not null)
);
-- The district list pages by (names, id) within a district (keyset pagination).
create index beneficiaries_district_page on beneficiaries (ubigeo, names, beneficiary_id);

create table status_history (
    beneficiary_id uuid not null references beneficiaries,
    status         text not null,
    reason         text,
    changed_at     timestamptz not null default now(),
    changed_by     text not null
);
create index status_history_beneficiary on status_history (beneficiary_id, changed_at);

-- A padrón: the approved list of one bimonthly period ('V-2022'), frozen when published.
create table padrones (
    padron_id         uuid primary key,
    period            text not null unique check (period ~ '^(I|II|III|IV|V|VI)-[0-9]{4}$'),
    period_order      int not null unique,   -- year * 10 + bimester, to find the previous version
    resolution_number text not null,
    resolution_date   date not null,
    published_at      timestamptz not null default now(),
    published_by      text not null
);

create table padron_entries (
    padron_id      uuid not null references padrones,
    beneficiary_id uuid not null references beneficiaries,
    ubigeo         text not null,
    status         text not null,
    category       text not null check (category in ('CONTINUADOR', 'NUEVO', 'REINCORPORADO', 'SUSPENDIDO', 'DESAFILIADO')),
    amount         numeric(8, 2) not null,
    primary key (padron_id, beneficiary_id)
);
create index padron_entries_category on padron_entries (padron_id, category, beneficiary_id);
create index padron_entries_district on padron_entries (padron_id, ubigeo, category);

create table padron_counts (
    padron_id uuid not null references padrones,
    ubigeo    text not null,
    category  text not null,
    count     int not null,
    primary key (padron_id, ubigeo, category)
);

-- Autorizaciones de cobro: a person a beneficiary authorizes to collect the pension.
create table collection_authorizations (
    authorization_id uuid primary key,
    beneficiary_id   uuid not null references beneficiaries,
    ubigeo           text not null,
    collector_dni    text not null check (collector_dni ~ '^[0-9]{8}$'),
    collector_names  text not null,
    relationship     text not null,
    state            text not null check (state in ('VIGENTE', 'VENCIDA', 'REVOCADA')),
    valid_from       date not null,
    valid_until      date not null,
    updated_at       timestamptz not null default now()
);
create index collection_authorizations_beneficiary on collection_authorizations (beneficiary_id);
create index collection_authorizations_expiry on collection_authorizations (valid_until) where state = 'VIGENTE';

create table authorization_history (
    authorization_id uuid not null references collection_authorizations,
    action           text not null check (action in ('AUTORIZADA', 'RENOVADA', 'REVOCADA', 'VENCIDA')),
    valid_until      date,
    reason           text,
    at               timestamptz not null default now(),
    by_user          text not null
);
create index authorization_history_authorization on authorization_history (authorization_id, at);

-- Affiliation requests sent by local governments, answered CONFORME / NO_CONFORME.
create table affiliation_requests (
    affiliation_id  uuid primary key,
    ubigeo          text not null,
    applicant_dni   text not null check (applicant_dni ~ '^[0-9]{8}$'),
    applicant_names text not null,
    detail          text,
    state           text not null check (state in ('PENDIENTE', 'CONFORME', 'NO_CONFORME')),
    observations    text,
    submitted_by    text not null,
    submitted_at    timestamptz not null default now(),
    decided_by      text,
    decided_at      timestamptz
);
create index affiliation_requests_district on affiliation_requests (ubigeo, submitted_at);

create table alerts (
    alert_id       uuid primary key,
    beneficiary_id uuid not null references beneficiaries,
    ubigeo         text not null,
    alert_type     text not null check (alert_type in ('FALLECIMIENTO', 'CAMBIO_DE_DOMICILIO', 'NO_COBRA', 'EN_RIESGO', 'OTRO')),
    detail         text not null,
    state          text not null default 'ABIERTA' check (state in ('ABIERTA', 'ATENDIDA')),
    raised_by      text not null,
    raised_at      timestamptz not null default now()
);
create index alerts_district on alerts (ubigeo, raised_at);

-- FAD: a proposed change of a beneficiary's data; staff approve (apply) or reject it.
create table fads (
    fad_id         uuid primary key,
    beneficiary_id uuid not null references beneficiaries,
    ubigeo         text not null,
    changes        jsonb not null,   -- field -> proposed value
    state          text not null default 'PENDIENTE' check (state in ('PENDIENTE', 'APROBADA', 'RECHAZADA')),
    submitted_by   text not null,
    submitted_at   timestamptz not null default now(),
    decided_by     text,
    decided_at     timestamptz,
    decision_note  text
);
create index fads_district on fads (ubigeo, submitted_at);
create index fads_pending on fads (submitted_at) where state = 'PENDIENTE';

create table fad_history (
    fad_id         uuid not null references fads,
    beneficiary_id uuid not null references beneficiaries,
    field          text not null,
    before_value   text,
    after_value    text,
    applied_at     timestamptz not null default now(),
    applied_by     text not null
);
create index fad_history_beneficiary on fad_history (beneficiary_id, applied_at);

-- Ley 29733: every read of personal data, and every refused attempt, is written here. Append-only.
create table access_log (
    entry_id      bigserial primary key,
    at            timestamptz not null default now(),
    username      text not null,
    role          text not null,
    ally_type     text,
    scope         text not null,        -- the caller's jurisdiction: ubigeo, RUC or 'NACIONAL'
    action        text not null,        -- e.g. 'LIST_BENEFICIARIES', 'EXPORT_CSV', 'DENIED'
    resource      text not null,        -- what was asked for
    allowed       boolean not null,
    records       int not null default 0,
    beneficiary_ids uuid[] not null default '{}'
);
create index access_log_at on access_log (at);
create index access_log_user on access_log (username, at);

create function refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger access_log_append_only before update or delete on access_log
    for each row execute function refuse_change();
create trigger access_log_no_truncate before truncate on access_log
    for each statement execute function refuse_change();

-- Counters behind the summaries: per district, per metric ('status:VIGENTE', ...). Kept exact
-- in the same transaction by statement-level triggers over transition tables, so a bulk import
-- of millions of rows costs one aggregate, and a summary reads at most a few thousand rows.
create table district_counts (
    ubigeo text not null,
    metric text not null,
    value  bigint not null,
    primary key (ubigeo, metric)
);

create function count_rows() returns trigger language plpgsql as $$
declare
    prefix text := tg_argv[0];
    col    text := tg_argv[1];
begin
    if tg_op = 'INSERT' then
        execute format(
            'insert into district_counts (ubigeo, metric, value)
             select ubigeo, %L || %I, count(*) from new_rows group by 1, 2
             on conflict (ubigeo, metric) do update set value = district_counts.value + excluded.value',
            prefix, col);
    elsif tg_op = 'DELETE' then
        execute format(
            'insert into district_counts (ubigeo, metric, value)
             select ubigeo, %L || %I, -count(*) from old_rows group by 1, 2
             on conflict (ubigeo, metric) do update set value = district_counts.value + excluded.value',
            prefix, col);
    else
        execute format(
            'insert into district_counts (ubigeo, metric, value)
             select ubigeo, metric, sum(delta) from (
                 select ubigeo, %L || %I as metric, 1 as delta from new_rows
                 union all
                 select ubigeo, %L || %I, -1 from old_rows
             ) d group by 1, 2 having sum(delta) <> 0
             on conflict (ubigeo, metric) do update set value = district_counts.value + excluded.value',
            prefix, col, prefix, col);
    end if;
    return null;
end $$;

create trigger beneficiaries_count_insert after insert on beneficiaries
    referencing new table as new_rows for each statement execute function count_rows('status:', 'status');
create trigger beneficiaries_count_update after update on beneficiaries
    referencing old table as old_rows new table as new_rows
    for each statement execute function count_rows('status:', 'status');
create trigger beneficiaries_count_delete after delete on beneficiaries
    referencing old table as old_rows for each statement execute function count_rows('status:', 'status');

create trigger authorizations_count_insert after insert on collection_authorizations
    referencing new table as new_rows for each statement execute function count_rows('authorization:', 'state');
create trigger authorizations_count_update after update on collection_authorizations
    referencing old table as old_rows new table as new_rows
    for each statement execute function count_rows('authorization:', 'state');

create trigger affiliations_count_insert after insert on affiliation_requests
    referencing new table as new_rows for each statement execute function count_rows('affiliation:', 'state');
create trigger affiliations_count_update after update on affiliation_requests
    referencing old table as old_rows new table as new_rows
    for each statement execute function count_rows('affiliation:', 'state');

create trigger alerts_count_insert after insert on alerts
    referencing new table as new_rows for each statement execute function count_rows('alert:', 'state');
create trigger alerts_count_update after update on alerts
    referencing old table as old_rows new table as new_rows
    for each statement execute function count_rows('alert:', 'state');

create trigger fads_count_insert after insert on fads
    referencing new table as new_rows for each statement execute function count_rows('fad:', 'state');
create trigger fads_count_update after update on fads
    referencing old table as old_rows new table as new_rows
    for each statement execute function count_rows('fad:', 'state');
