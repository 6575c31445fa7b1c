-- Jobs that run once per cluster (io.popfleet.database.ClusterJobs): the advisory lock says who runs one now; this
-- row says when it last ran and where, so a second controller whose timer fires later does not repeat it, and an
-- operator can see it (select * from cluster_job).
create table cluster_job (
    name         text         primary key,
    started_at   timestamptz,
    finished_at  timestamptz,
    holder       text
);
