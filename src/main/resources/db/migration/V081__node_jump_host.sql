-- A node reached through a jump host (bastion): the name of the inventory entry that is the bastion. A name, not a
-- foreign key, so an inventory file can say it before both rows exist; the inventory refuses a name that is not
-- there, and refuses to remove a bastion that nodes still go through.
alter table node add column jump text;
create index node_jump on node (lower(jump)) where jump is not null;
