-- A node's page lists the runs that reached it, and the drift page the fixes that ran on its nodes: both read
-- run_target by node, newest run first.
create index run_target_node_idx on run_target (node_id, run_id desc);
