-- Assistant: conversations and their messages, prompt templates, usage records and quotas.

create table prompts (
    id          uuid primary key,
    owner_id    varchar(255),                -- null: a shared prompt (admins manage those)
    name        varchar(100) not null,
    description varchar(500) not null default '',
    template    text not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index prompts_owner on prompts (owner_id, name);

create table conversations (
    id              uuid primary key,
    user_id         varchar(255) not null,
    title           varchar(200) not null,
    model           varchar(200) not null,
    prompt_id       uuid,                    -- no foreign key: deleting a prompt keeps the conversations made from it
    system_prompt   text not null,           -- rendered once, when the conversation was started
    summary         text not null default '',
    summary_through bigint not null default 0, -- seq of the last message folded into the summary
    summary_tokens  integer not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index conversations_user_recent on conversations (user_id, updated_at desc, id desc);

create table messages (
    id              uuid primary key,
    seq             bigserial not null unique,
    conversation_id uuid not null references conversations (id) on delete cascade,
    role            varchar(16) not null check (role in ('user', 'assistant')),
    content         text not null,
    status          varchar(16) not null default 'complete' check (status in ('complete', 'cancelled', 'truncated')),
    tokens          integer not null,        -- estimated size, for the context window
    created_at      timestamptz not null default now()
);
create index messages_conversation on messages (conversation_id, seq);

-- One row per model call (replies and summaries, successful or not). No foreign key to
-- conversations: usage outlives a deleted conversation.
create table usage_records (
    id              bigserial primary key,
    user_id         varchar(255) not null,
    conversation_id uuid,
    message_id      uuid,
    model           varchar(200) not null,
    purpose         varchar(16) not null check (purpose in ('reply', 'summary')),
    outcome         varchar(16) not null check (outcome in ('ok', 'cancelled', 'error', 'timeout')),
    input_tokens    integer not null,
    output_tokens   integer not null,
    estimated       boolean not null,
    latency_ms      integer not null,
    first_token_ms  integer,
    created_at      timestamptz not null default now()
);
create index usage_records_user_time on usage_records (user_id, created_at);

-- Per user, UTC day and model: what quotas and GET /ai/usage read (kept with usage_records in one transaction).
create table usage_daily (
    user_id       varchar(255) not null,
    day           date not null,
    model         varchar(200) not null,
    calls         integer not null,
    failed_calls  integer not null,
    input_tokens  bigint not null,
    output_tokens bigint not null,
    estimated_calls integer not null,
    primary key (user_id, day, model)
);

-- Per-user budgets that override assistant.quota.* (null: the configured default; 0: unlimited).
create table quotas (
    user_id        varchar(255) primary key,
    daily_tokens   bigint,
    monthly_tokens bigint,
    updated_at     timestamptz not null default now()
);
