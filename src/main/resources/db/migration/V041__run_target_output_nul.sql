-- PostgreSQL stores no U+0000 in text or jsonb: a NUL in what a node printed is stored as U+2400 (SYMBOL FOR NULL),
-- and this keeps the fact that the node's stdout, stderr or JSON held one.
alter table run_target add column output_nul boolean not null default false;
