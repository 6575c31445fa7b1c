-- The audit trail says from which address an action came and which nodes it concerned, and it cannot be rewritten.
alter table audit_event add column source text;
alter table audit_event add column nodes text[] not null default '{}';

-- Backfill: node and host-key actions have always targeted one node by name.
update audit_event set nodes = array[target] where target is not null and (action like 'node.%' or action like 'hostkey.%');

create index audit_event_actor_idx on audit_event (actor, at desc);
create index audit_event_outcome_idx on audit_event (outcome, at desc);
create index audit_event_nodes_idx on audit_event using gin (nodes);

-- Append-only, enforced here rather than trusted to the application: UPDATE, DELETE and TRUNCATE are refused.
-- The one exception is retention through audit_purge_before(), which marks its own transaction.
create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    if tg_op in ('DELETE', 'TRUNCATE') and current_setting('popfleet.audit_purge', true) = 'on' then
        return old;
    end if;
    raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_event_no_update_or_delete before update or delete on audit_event
    for each row execute function audit_event_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();

-- Retention: removes the rows older than cutoff and returns how many. The flag is local to the transaction.
create function audit_purge_before(cutoff timestamptz) returns bigint language plpgsql as $$
declare
    removed bigint;
begin
    perform set_config('popfleet.audit_purge', 'on', true);
    delete from audit_event where at < cutoff;
    get diagnostics removed = row_count;
    perform set_config('popfleet.audit_purge', 'off', true);
    return removed;
end
$$;
