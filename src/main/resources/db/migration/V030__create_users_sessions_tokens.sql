-- Local users, their browser sessions and their API tokens. Secrets are never stored: passwords as bcrypt hashes,
-- session ids and tokens as SHA-256 of 256 random bits (a fast hash is right for values nobody can guess).
create sequence app_user_seq start with 1 increment by 50;

create table app_user (
    id             bigint       primary key,
    username       text         not null,
    password_hash  text         not null,
    role           text         not null check (role in ('viewer', 'operator', 'admin')),
    disabled       boolean      not null default false,
    created_at     timestamptz  not null default now(),
    created_by     text         not null,
    constraint app_user_username_unique unique (username)
);

create table user_session (
    id_hash       text         primary key,
    user_id       bigint       not null references app_user (id) on delete cascade,
    created_at    timestamptz  not null,
    last_seen_at  timestamptz  not null,
    expires_at    timestamptz  not null,
    address       text
);
create index user_session_user_idx on user_session (user_id);

create sequence api_token_seq start with 1 increment by 50;

create table api_token (
    id           bigint       primary key,
    user_id      bigint       not null references app_user (id) on delete cascade,
    name         text         not null,
    token_hash   text         not null,
    role         text         not null check (role in ('viewer', 'operator', 'admin')),
    created_at   timestamptz  not null,
    expires_at   timestamptz  not null,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    constraint api_token_hash_unique unique (token_hash)
);
create index api_token_user_idx on api_token (user_id);
