-- Monitoring. node_metric keeps one row per node per poll (history, charts, leaderboard movement);
-- node_status keeps only the newest observation per node, so fleet pages at 10,000 nodes read 10,000 rows, not
-- months of history.

create table node_metric (
    node_id           bigint            not null references node (id) on delete cascade,
    at                timestamptz       not null,
    state             text              not null check (state in ('up', 'degraded', 'down', 'unreachable')),
    service_state     text,
    reputation        double precision,
    uptime_score      double precision,
    historical_score  double precision,
    egress_score      double precision,
    egress_bytes_7d   bigint,
    points            bigint,
    binary_version    text,
    primary key (node_id, at)
);
-- Retention deletes by time across all nodes.
create index node_metric_at_idx on node_metric (at);

create table node_status (
    node_id              bigint            primary key references node (id) on delete cascade,
    at                   timestamptz       not null,
    state                text              not null check (state in ('up', 'degraded', 'down', 'unreachable')),
    service_state        text,
    reputation           double precision,
    uptime_score         double precision,
    historical_score     double precision,
    egress_score         double precision,
    egress_bytes_7d      bigint,
    points               bigint,
    binary_version       text,
    wallet               text,
    problem              text,
    last_seen_at         timestamptz,
    consecutive_failures integer           not null default 0
);
create index node_status_state_idx on node_status (state);
create index node_status_reputation_idx on node_status (reputation desc nulls last);
