-- SSH private keys, sealed with the master key (AES-256-GCM, see io.popfleet.security.SecretBox). The public half
-- is kept in clear so operators can copy it to authorized_keys; the private half never leaves the controller.
create sequence ssh_credential_seq start with 1 increment by 50;

create table ssh_credential (
    id                 bigint       primary key,
    name               text         not null,
    key_type           text         not null,
    public_key         text         not null,
    fingerprint        text         not null,
    private_key_sealed bytea        not null,
    created_at         timestamptz  not null default now(),
    created_by         text         not null,
    constraint ssh_credential_name_unique unique (name)
);
