-- A node's own choice of node tool (its inventory entry or its groups' vars): 'shipped' (the bundle, uploaded by
-- hash) or 'installed' (a pop the operator deployed, never uploaded), and where the installed one is. Null: the
-- controller's popfleet.node-tool.* settings.
alter table node add column node_tool text check (node_tool in ('shipped', 'installed'));
alter table node add column node_tool_path text;
