-- Every mutating action: who, when, what, on which target, how it ended. Never updated, never deleted by the app.
create sequence audit_event_seq start with 1 increment by 50;

create table audit_event (
    id        bigint       primary key,
    at        timestamptz  not null default now(),
    actor     text         not null,
    action    text         not null,
    target    text,
    outcome   text         not null,
    details   jsonb        not null default '{}'::jsonb
);
create index audit_event_at_idx on audit_event (at desc, id desc);
create index audit_event_action_idx on audit_event (action, at desc);
