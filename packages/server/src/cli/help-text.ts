export const mainHelp = `Usage: weft-server [command]

Commands:
  (none), serve   start the ingestion server
  keys            manage write keys, admin tokens and publishable keys (weft-server keys --help)
  users           manage the people who log in to the web UI (weft-server users --help)

Settings come from the environment:
  PORT (8787), WEFT_HOST (0.0.0.0), WEFT_DB (./data/weft.db), WEFT_CACHE_MB (256),
  WEFT_PUBLIC_URL (http://localhost:PORT),
  WEFT_WRITE_KEY, WEFT_WRITE_KEY_KIND (client), WEFT_ADMIN_TOKEN, WEFT_METRICS_TOKEN,
  WEFT_ADMIN_ORIGINS (none), WEFT_RATE_LIMIT (0 = off), WEFT_RATE_LIMIT_WINDOW (60 s),
  WEFT_TIMESTAMP_TOLERANCE (10m), WEFT_SKEW_CORRECTION_WINDOW (30d),
  WEFT_HEADERS_TIMEOUT (10s), WEFT_BODY_TIMEOUT (30s), WEFT_LOG_LEVEL (info), WEFT_CONFIG,
  WEFT_IDENTITY_SECRET, WEFT_PERSONALIZE_MAX_AGE (0), WEFT_PERSONALIZE_STREAMS (2000),
  WEFT_PERSONALIZE_STREAMS_PER_ADDRESS (20)
`;

export const serveHelp = `Usage: weft-server serve

Starts the server with the settings from the environment (see weft-server --help).
SIGTERM or SIGINT stop it gracefully: in-flight requests finish, then the database is closed.
`;

export const keysHelp = `Usage: weft-server keys <create|list|revoke> [options]

Manages the credentials stored in WEFT_DB (./data/weft.db). Only SHA-256 hashes are stored:
a secret is shown once, when it is created.

Commands:
  create    create a write key or an admin token
  list      list credentials (id, kind, source, last characters, created, revoked)
  revoke    revoke a credential by id

Run weft-server keys <command> --help for its options.
`;

export const keysCreateHelp = `Usage: weft-server keys create [--admin] [--kind client|server] [--source NAME] [--db PATH]
       weft-server keys create --publishable --name NAME --origins URL,... [--traits A,B]
                               [--computed A,B] [--audiences aud_1,...] [--db PATH]

Creates a write key (default) or, with --admin, an admin token, and prints its secret once.
With --publishable, a publishable key (pk_…) for GET /v1/personalize: public, for pages, and
allowed to reveal only the traits, computed traits and audiences listed, to the origins listed
(docs/personalization.md).
  --admin         create an admin token instead of a write key
  --kind KIND     client (default: for browsers and apps, where anyone can read the key) or
                  server (kept on a backend); the identity rules' joinOn says which identifier
                  types each kind's events may join contacts on
  --source NAME   the source the write key sends events to (default: "default")
  --publishable   create a publishable key, with:
    --name NAME       what it is for
    --origins LIST    origins its pages are served from (https://shop.example), comma-separated
    --traits LIST     trait names it may reveal
    --computed LIST   computed trait names it may reveal
    --audiences LIST  audience ids (aud_…) whose membership it may reveal
  --db PATH       database file (default: WEFT_DB or ./data/weft.db)
`;

export const keysListHelp = `Usage: weft-server keys list [--json] [--db PATH]

Lists write keys and admin tokens, without their secrets, and publishable keys.
  --json          one JSON object per line
  --db PATH       database file (default: WEFT_DB or ./data/weft.db)
`;

export const keysRevokeHelp = `Usage: weft-server keys revoke <id> [--db PATH]

Revokes a credential; requests using it are refused from then on.
  --db PATH       database file (default: WEFT_DB or ./data/weft.db)
`;

export const usersHelp = `Usage: weft-server users <create|list|set-role|disable|enable> [options]

Manages the people who log in to the web UI (/ui), in WEFT_DB (./data/weft.db). Passwords are
kept as scrypt hashes. Each change is written to the audit log with the actor "cli".

Commands:
  create      create a user (the first admin, say)
  list        list users (email, name, role, created, disabled)
  set-role    change a user's role
  disable     stop a user logging in and end their sessions
  enable      let a disabled user log in again

Roles: admin (everything, users and keys too), member (read and edit contacts), viewer (read only).
Run weft-server users <command> --help for its options.
`;

export const usersCreateHelp = `Usage: weft-server users create --email EMAIL --role admin|member|viewer [--name NAME]
                                [--password-stdin] [--db PATH]

Creates a user. With --password-stdin the password is read from standard input
(printf '%s' "$PASSWORD" | weft-server users create ...); without it a strong random password is
generated and printed once.
  --email EMAIL       the address they log in with
  --role ROLE         admin, member or viewer
  --name NAME         their name, as the UI shows it
  --password-stdin    read the password from standard input (at least 12 characters)
  --db PATH           database file (default: WEFT_DB or ./data/weft.db)
`;

export const usersListHelp = `Usage: weft-server users list [--json] [--db PATH]

Lists users: id, email, role, name, created, disabled.
  --json          one JSON object per line
  --db PATH       database file (default: WEFT_DB or ./data/weft.db)
`;

export const usersSetRoleHelp = `Usage: weft-server users set-role <email> <admin|member|viewer> [--db PATH]

Changes a user's role; their next request has the new role. The last active admin cannot be demoted.
  --db PATH       database file (default: WEFT_DB or ./data/weft.db)
`;

export const usersDisableHelp = `Usage: weft-server users disable <email> [--db PATH]

Stops a user logging in and ends their sessions at once. The last active admin cannot be disabled.
  --db PATH       database file (default: WEFT_DB or ./data/weft.db)
`;

export const usersEnableHelp = `Usage: weft-server users enable <email> [--db PATH]

Lets a disabled user log in again with their password.
  --db PATH       database file (default: WEFT_DB or ./data/weft.db)
`;
