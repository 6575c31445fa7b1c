-- Alerts: one row per (node, rule) while it fires; resolved rows stay as history.
create sequence alert_seq start with 1 increment by 50;

create table alert (
    id           bigint       primary key,
    node_id      bigint       not null references node (id) on delete cascade,
    rule         text         not null,
    message      text         not null,
    opened_at    timestamptz  not null default now(),
    resolved_at  timestamptz,
    notified_at  timestamptz,
    notify_error text
);
create unique index alert_open_unique on alert (node_id, rule) where resolved_at is null;
create index alert_opened_idx on alert (opened_at desc);
