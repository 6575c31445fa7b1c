-- Run retention (io.popfleet.runs.RunRetention). A routine run (the monitor's polls: one target per node every
-- few minutes) keeps its successful targets only for a short while: their answers live on in node_metric and
-- node_status. The run row keeps how many succeeded, its failed targets stay whole until the run itself expires.
alter table run add column routine boolean not null default false;
alter table run add column compacted_ok integer not null default 0;
alter table run add column compacted_at timestamptz;

-- Runs are deleted by age; a re-run of an expired run keeps existing, without its link.
alter table run drop constraint run_retry_of_fkey;
alter table run add constraint run_retry_of_fkey foreign key (retry_of) references run (id) on delete set null;
create index run_retry_of_idx on run (retry_of) where retry_of is not null;

create index run_routine_compact_idx on run (finished_at) where routine and compacted_at is null;
