-- Why a rollout stopped on its own (the alert "rollout_stopped" reads it), and, for a rollout that puts the nodes
-- of an earlier one back on their previous version, which one it undoes.
alter table rollout add column stopped_by text check (stopped_by in ('canary', 'budget', 'deadline'));
alter table rollout add column rolls_back bigint references rollout (id) on delete set null;
