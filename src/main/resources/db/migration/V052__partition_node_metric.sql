-- node_metric partitioned by month (UTC), so history past its retention is dropped a month at a time instead of
-- deleted row by row (io.popfleet.metrics.MetricPartitions). Existing rows move into the new table; this takes as
-- long as copying them (docs/operations.md). Months before the oldest kept one and rows far in the past land in
-- the default partition, which is also the safety net while a month has no partition yet: the maintenance job
-- moves such rows out when it creates the month's partition.

alter table node_metric rename to node_metric_unpartitioned;
alter index node_metric_pkey rename to node_metric_unpartitioned_pkey;
alter index node_metric_at_idx rename to node_metric_unpartitioned_at_idx;

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
) partition by range (at);
-- Retention and compaction select by time across all nodes.
create index node_metric_at_idx on node_metric (at);

create table node_metric_default partition of node_metric default;

do $$
declare
    month_start timestamp;
    last_month  timestamp := date_trunc('month', now() at time zone 'UTC') + interval '3 months';
    oldest      timestamp;
begin
    select date_trunc('month', min(at) at time zone 'UTC') into oldest from node_metric_unpartitioned;
    -- At most 13 months back: older rows (a clock once set wrong) wait in the default partition for retention.
    month_start := greatest(coalesce(oldest, last_month),
                            date_trunc('month', now() at time zone 'UTC') - interval '13 months');
    month_start := least(month_start, date_trunc('month', now() at time zone 'UTC'));
    while month_start <= last_month loop
        execute format('create table %I partition of node_metric for values from (%L) to (%L)',
                       'node_metric_' || to_char(month_start, 'YYYY_MM'),
                       (month_start at time zone 'UTC'), ((month_start + interval '1 month') at time zone 'UTC'));
        month_start := month_start + interval '1 month';
    end loop;
end
$$;

insert into node_metric (node_id, at, state, service_state, reputation, uptime_score, historical_score, egress_score,
    egress_bytes_7d, points, binary_version)
select node_id, at, state, service_state, reputation, uptime_score, historical_score, egress_score,
    egress_bytes_7d, points, binary_version from node_metric_unpartitioned;
drop table node_metric_unpartitioned;
