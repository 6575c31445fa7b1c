-- Runs: one operation over a set of nodes, one run_target row per node. Executors claim targets with
-- FOR UPDATE SKIP LOCKED, so several controllers on one database share the work without doing any twice.

create sequence run_seq start with 1 increment by 50;

create table run (
    id              bigint       primary key,
    operation       text         not null,
    arguments       jsonb        not null default '[]'::jsonb,
    mutating        boolean      not null,
    selection       text         not null,
    started_by      text         not null,
    retry_of        bigint       references run (id),
    state           text         not null check (state in ('running', 'finished', 'cancelled')),
    total           integer      not null,
    created_at      timestamptz  not null default now(),
    finished_at     timestamptz,
    version         bigint       not null default 0
);
create index run_created_idx on run (created_at desc, id desc);
create index run_unfinished_idx on run (state) where state = 'running';

-- Targets are only ever inserted in bulk by INSERT ... SELECT, one nextval per row.
create sequence run_target_seq start with 1 increment by 1;

create table run_target (
    id              bigint       primary key,
    run_id          bigint       not null references run (id) on delete cascade,
    node_id         bigint       references node (id) on delete set null,
    node_name       text         not null,
    state           text         not null check (state in
                        ('queued', 'claimed', 'running', 'ok', 'failed', 'cancelled', 'orphaned')),
    executor        text,
    attempts        integer      not null default 0,
    claimed_at      timestamptz,
    heartbeat_at    timestamptz,
    started_at      timestamptz,
    finished_at     timestamptz,
    updated_at      timestamptz  not null default now(),
    exit_code       integer,
    failure_kind    text,
    failure_message text,
    retryable       boolean,
    stdout          text,
    stderr          text,
    data            jsonb,
    duration_ms     bigint,
    version         bigint       not null default 0
);
create index run_target_run_idx on run_target (run_id, id);
create index run_target_changes_idx on run_target (run_id, updated_at);
create index run_target_queued_idx on run_target (run_id, id) where state = 'queued';
create index run_target_in_flight_idx on run_target (heartbeat_at) where state in ('claimed', 'running');
