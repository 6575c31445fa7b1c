-- An update whose run target was orphaned (its controller died while the command was on the node) has an unknown
-- outcome: the engine does not run it again but reads the node with health checks until this time, then decides.
alter table rollout_node add column verify_until timestamptz;
