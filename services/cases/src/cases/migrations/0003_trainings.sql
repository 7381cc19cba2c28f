-- The programme's trainings registry: sessions, the districts invited, attendance by office and role
-- (never a name or a DNI). Every row's id is its trace: evidence cites it.
create table training_sessions (
    session_id  uuid primary key,
    held_on     date not null,
    topic       text not null check (length(topic) between 3 and 200),
    modality    text not null check (modality in ('PRESENCIAL', 'VIRTUAL')),
    organiser   text not null,
    created_by  text not null,
    created_at  timestamptz not null default now()
);
create index training_sessions_held on training_sessions (held_on);

create table training_invitations (
    invitation_id uuid primary key,
    session_id    uuid not null references training_sessions (session_id),
    ubigeo        text not null check (ubigeo ~ '^[0-9]{6}$'),
    office        text,
    unique (session_id, ubigeo)
);
create index training_invitations_ubigeo on training_invitations (ubigeo);

create table training_attendance (
    attendance_id uuid primary key,
    session_id    uuid not null references training_sessions (session_id),
    ubigeo        text not null check (ubigeo ~ '^[0-9]{6}$'),
    office        text not null,
    position      text not null,
    attendees     integer not null default 1 check (attendees between 1 and 500),
    recorded_by   text not null,
    recorded_at   timestamptz not null default now()
);
create index training_attendance_ubigeo on training_attendance (ubigeo, session_id);
