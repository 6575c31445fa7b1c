-- Rolling updates. A release is a node binary the controller holds (the file under <data-dir>/releases/<sha256>)
-- and ships to nodes itself; its sha256 is computed here on upload and pinned, since Pipe publishes none.
create sequence rollout_release_seq start with 1 increment by 1;

create table rollout_release (
    id           bigint       primary key,
    version      text         not null unique,
    sha256       text         not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes   bigint       not null check (size_bytes > 0),
    uploaded_by  text         not null,
    created_at   timestamptz  not null default now()
);

-- One rollout: a release over a selection, with its strategy; moved only by the engine's tick (once per cluster)
-- and by an operator's control, each a transition checked against RolloutState's table.
create sequence rollout_seq start with 1 increment by 1;

create table rollout (
    id                bigint       primary key,
    release_id        bigint       not null references rollout_release (id),
    target_version    text         not null,
    selection         text         not null,
    strategy          jsonb        not null,
    state             text         not null check (state in
                          ('running', 'paused', 'awaiting_promotion', 'finished', 'failed', 'aborted')),
    reason            text,
    current_batch     integer      not null default 0,
    batches           integer      not null,
    eligible          integer      not null,
    allowed_failures  integer      not null,
    next_batch_at     timestamptz,
    created_by        text         not null,
    created_at        timestamptz  not null default now(),
    updated_at        timestamptz  not null default now(),
    finished_at       timestamptz
);
create index rollout_created_idx on rollout (created_at desc, id desc);
create index rollout_open_idx on rollout (state) where state in ('running', 'paused', 'awaiting_promotion');

-- One row per selected node: its batch and where its update stands. "holds" is true while the rollout may still
-- touch the node; the unique index makes "one rollout at a time per node" a database fact.
create table rollout_node (
    rollout_id        bigint       not null references rollout (id) on delete cascade,
    node_id           bigint       not null references node (id) on delete cascade,
    node_name         text         not null,
    region            text         not null,
    batch             integer,
    position          integer      not null,
    counts_healthy    boolean      not null,
    state             text         not null check (state in ('skipped', 'pending', 'shipping', 'shipped',
                          'updating', 'gating', 'checking', 'reverting', 'healthy', 'failed', 'reverted',
                          'cancelled')),
    skip_reason       text,
    previous_version  text,
    run_id            bigint,
    gate_until        timestamptz,
    failure           text,
    holds             boolean      not null,
    updated_at        timestamptz  not null default now(),
    primary key (rollout_id, node_id)
);
create unique index rollout_node_holds_idx on rollout_node (node_id) where holds;
create index rollout_node_batch_idx on rollout_node (rollout_id, batch, state);
