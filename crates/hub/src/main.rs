//! `gongkai-hub`: publishes signed bundles, serves them to the kiosks, receives what visitors
//! submit from their phones, and serves the staff console. Its crate never depends on Bevy.

use std::{
    io::BufRead,
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
};

use clap::{Parser, Subcommand};
use gongkai_hub::{self as hub, Hub, HubConfig, Limits, fleet, letters::templates::Templates, organs::{self, Organs}, roles::{Role, Roles}, submissions::{calendar::WorkCalendar, store::{SqliteStore, Store}}};

#[derive(Parser)]
#[command(name = "gongkai-hub", version, about = "政务公开 hub: content for the kiosks, forms for the visitors, a console for the office")]
struct Cli {
    /// The hub's data folder: the static layout it serves, and by default its database.
    #[arg(long, global = true, value_name = "DIR", default_value = "hub-data")]
    data: PathBuf,
    /// The submissions database (SQLite); default `DATA/submissions.db`.
    #[arg(long, global = true, value_name = "FILE")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the published bundle, the mobile forms and the staff console over HTTP.
    Serve {
        /// Address to listen on; port 0 picks a free one (printed on start).
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: SocketAddr,
        /// The kiosks, their keys and groups (`[[kiosk]]` with `id`, `key` — the kiosk's
        /// handoff.secret — and optionally `hall` and `tags`). Heartbeats and QR links from others are
        /// not trusted.
        #[arg(long, value_name = "FILE")]
        kiosks: Option<PathBuf>,
        /// Where to send fleet alerts (a webhook, e-mail): see `hub-config/alerts.toml`.
        #[arg(long, value_name = "FILE")]
        alerts: Option<PathBuf>,
        /// The working calendar (holidays and 调休 working days); default: the built-in one,
        /// the same as `hub-config/work-calendar.toml`.
        #[arg(long, value_name = "FILE")]
        calendar: Option<PathBuf>,
        /// The wording of the 文书 (登记回执, 告知书, 答复书) and the organ that signs them;
        /// default: the built-in one, the same as `hub-config/letters.toml`.
        #[arg(long, value_name = "FILE")]
        letters: Option<PathBuf>,
        /// The organs the hub serves (`hub-config/organs.toml`): each case's 承办机关, which
        /// signs its 文书, and the organ each account belongs to. Default: one organ, the
        /// `[issuer]` of the letters, with the id `main`.
        #[arg(long, value_name = "FILE")]
        organs: Option<PathBuf>,
        /// A kiosk is listed as offline after this many seconds without a heartbeat.
        #[arg(long, default_value_t = 180)]
        offline_after_s: i64,
        /// A kiosk is listed as 画面冻结 when its heartbeats show no new frame drawn for this
        /// many seconds (at least 15: an unchanging kiosk screen still draws every 5 s, and
        /// the count it reports is refreshed every 5 s).
        #[arg(long, default_value_t = 180, value_parser = clap::value_parser!(i64).range(15..))]
        frozen_after_s: i64,
        /// Proof of play (播放记录) older than this many days is removed, once a day.
        #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(i64).range(1..=36_500))]
        keep_plays_days: i64,
        /// The address visitors and staff reach the hub at, e.g. `https://gk.example.gov.cn`;
        /// with https the cookies are marked Secure.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// A reverse proxy in front of the hub (repeatable): requests from it are counted by
        /// the last address it adds to X-Forwarded-For.
        #[arg(long, value_name = "IP")]
        trusted_proxy: Vec<IpAddr>,
        /// Forms one address (an IPv6 /64) may submit in 10 minutes. A hall's visitors share
        /// one address; raise this for a very busy hall behind one NAT.
        #[arg(long, default_value_t = Limits::default().submits_per_address, value_parser = clap::value_parser!(u32).range(1..))]
        max_submits_per_address: u32,
        /// Forms from one address in 10 minutes after which a form sent without the phone's
        /// cookie is shown again, to be sent once more (a browser passes, a script that drops
        /// cookies does not).
        #[arg(long, default_value_t = Limits::default().challenge_after)]
        challenge_cookieless_after: u32,
        /// Forms the whole hub takes per second; more wait up to 5 s.
        #[arg(long, default_value_t = Limits::default().submits_per_second, value_parser = clap::value_parser!(u32).range(1..))]
        max_submits_per_second: u32,
        /// The publisher's secret key (`gongkai content keygen`), mode 0600: content that a
        /// reviewer approves in the console is signed with it and published. Without it the
        /// console cannot publish.
        #[arg(long, value_name = "FILE")]
        publisher_key: Option<PathBuf>,
        /// Open connections at most; more are closed at once.
        #[arg(long, default_value_t = Limits::default().max_connections, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        max_connections: usize,
    },
    /// Publish a checked, signed bundle (newer than the published one).
    Publish { bundle: PathBuf },
    /// Staff accounts of the console. The password is read from standard input.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// The content workspace staff see in the console under 内容.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Load a bundle that passes the checker (e.g. the one published now) into the workspace.
    ImportBundle {
        dir: PathBuf,
        /// Replace what the workspace holds (changes made in it since are lost).
        #[arg(long)]
        replace: bool,
    },
    /// Load the bundle published in --data into the workspace.
    ImportPublished {
        /// Replace what the workspace holds (changes made in it since are lost).
        #[arg(long)]
        replace: bool,
    },
    /// Write the workspace as a content folder for `gongkai content build`.
    Export { dir: PathBuf },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add an account: `echo 'PASSWORD' | gongkai-hub staff add USER --name 姓名 --role 起草`.
    Add {
        username: String,
        #[arg(long)]
        name: String,
        /// 起草 (edit, import, submit for review), 审核 (review, approve, publish) or 管理员
        /// (accounts and roles); repeat for several. Default: 起草.
        #[arg(long = "role", value_name = "ROLE", value_parser = Role::parse)]
        roles: Vec<Role>,
        /// The id of the organ it belongs to, as in the organs file; default: the first organ
        /// listed, which receives applications.
        #[arg(long, value_parser = organ_id)]
        organ: Option<String>,
    },
    /// Set an account's roles (all of them: those not named are taken away).
    Roles {
        username: String,
        #[arg(value_name = "ROLE", value_parser = Role::parse)]
        roles: Vec<Role>,
    },
    /// Set a new password (and end the account's sessions).
    Password { username: String },
    /// Disable an account: it cannot sign in, and its sessions end at once.
    Disable { username: String },
    /// Enable a disabled account again.
    Enable { username: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let database = cli.db.clone().unwrap_or_else(|| cli.data.join("submissions.db"));
    let result = match cli.command {
        Command::Publish { bundle } => hub::publish(&bundle, &cli.data).map(|manifest| {
            println!("published bundle version {} ({} files)", manifest.bundle_version, manifest.files.len());
        }),
        Command::Staff { command } => staff(&cli.data, &database, command),
        Command::Content { command } => content(&cli.data, &database, command),
        Command::Serve {
            listen,
            kiosks,
            alerts,
            calendar,
            letters,
            organs,
            offline_after_s,
            frozen_after_s,
            keep_plays_days,
            public_url,
            trusted_proxy,
            max_submits_per_address,
            challenge_cookieless_after,
            max_submits_per_second,
            publisher_key,
            max_connections,
        } => {
            let limits = Limits {
                submits_per_address: max_submits_per_address,
                challenge_after: challenge_cookieless_after,
                submits_per_second: max_submits_per_second,
                trusted_proxies: trusted_proxy,
                secure_cookies: public_url.is_some_and(|url| url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://"))),
                max_connections,
            };
            let alerts = match alerts.as_deref().map(fleet::alerts::read_alerts).transpose() {
                Ok(alerts) => alerts,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            for missing in letters.as_deref().map(Templates::missing).unwrap_or_default() {
                let path = letters.as_deref().unwrap_or(Path::new("")).display();
                eprintln!("warning: {path} has no [{missing}]: that letter uses the shipped wording (see hub-config/letters.toml)");
            }
            let letters = match letters.as_deref().map(Templates::load).transpose() {
                Ok(letters) => letters.unwrap_or_else(Templates::builtin),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let organs = match organs.as_deref().map(Organs::load).transpose() {
                Ok(organs) => organs,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let config = HubConfig {
                letters,
                organs,
                offline_after_s,
                frozen_after_s,
                keep_plays_days,
                database: Some(database),
                limits,
                alerts,
                publisher_key,
                ..HubConfig::default()
            };
            match open_hub(&cli.data, config, kiosks.as_deref(), calendar.as_deref()) {
                Ok(hub) => serve(listen, hub),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn open_hub(data: &Path, mut config: HubConfig, kiosks: Option<&Path>, calendar: Option<&Path>) -> Result<Arc<Hub>, String> {
    config.kiosks = kiosks.map(fleet::read_kiosks).transpose()?.unwrap_or_default();
    config.calendar = match calendar {
        Some(path) => WorkCalendar::load(path).map_err(|e| e.to_string())?,
        None => WorkCalendar::builtin(),
    };
    for year in config.calendar.provisional_years() {
        eprintln!("note: the working calendar for {year} is provisional (statutory holidays only, no 调休 yet); update it when the State Council publishes the year's schedule");
    }
    let hub = Hub::open(data, config)?;
    // Cases of an organ taken off the list are seen by 管理员 only, who can hand them on.
    for (organ, cases) in hub.store.cases_by_organ().map_err(|e| e.to_string())? {
        if hub.organs.get(&organ).is_none() {
            eprintln!("warning: {cases} cases belong to the organ {organ:?}, which is not in the organs list; a 管理员 can hand them on (转办) in the console");
        }
    }
    for account in hub.store.staff_accounts().map_err(|e| e.to_string())? {
        if hub.organs.get(&account.organ).is_none() {
            eprintln!("warning: the account {} belongs to the organ {:?}, which is not in the organs list; a 管理员 can move it in 账号管理", account.username, account.organ);
        }
    }
    if !hub.letters.names_competent() {
        eprintln!("warning: reply.outcomes.not_this_organ of the letters has no {{负责公开的机关}}: the organ an answer names is not printed in its 答复书 (see hub-config/letters.toml)");
    }
    // Said at start, not at the first 文书 a member of staff asks for.
    if let Err(reason) = hub.letter_fonts() {
        eprintln!("warning: the 文书 cannot be made until the hub is restarted with its font in place: {reason}");
    }
    Ok(hub)
}

fn serve(listen: SocketAddr, hub: Arc<Hub>) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start: {e}"))?;
    runtime
        .block_on(async {
            let listener = tokio::net::TcpListener::bind(listen).await?;
            // The line scripts and tests wait for; with port 0 it names the port chosen.
            println!("listening on http://{}", listener.local_addr()?);
            hub::serve(listener, hub).await
        })
        .map_err(|e| format!("{listen}: {e}"))
}

/// An organ id as typed on the command line.
fn organ_id(text: &str) -> Result<String, String> {
    organs::check_id(text).map(|()| text.to_string())
}

/// The hub's database, opened for a command.
fn open_store(data: &Path, database: &Path) -> Result<SqliteStore, String> {
    std::fs::create_dir_all(data).map_err(|e| format!("{}: {e}", data.display()))?;
    SqliteStore::open(database).map_err(|e| e.to_string())
}

fn content(data: &Path, database: &Path, command: ContentCommand) -> Result<(), String> {
    let store = open_store(data, database)?;
    match command {
        ContentCommand::ImportBundle { dir, replace } => {
            let imported = hub::content::import_bundle(&store, &dir, replace)?;
            println!("imported {} items and {} files from {}", imported.items, imported.files, dir.display());
        }
        ContentCommand::ImportPublished { replace } => {
            let imported = hub::content::import_published(&store, data, replace)?;
            println!("imported {} items and {} files from the published bundle", imported.items, imported.files);
        }
        ContentCommand::Export { dir } => {
            let items = hub::content::export_source(&store, &dir)?;
            println!("wrote {items} items to {}; build it with `gongkai content build`", dir.display());
        }
    }
    Ok(())
}

fn staff(data: &Path, database: &Path, command: StaffCommand) -> Result<(), String> {
    let store = open_store(data, database)?;
    let password = || -> Result<String, String> {
        let mut password = String::new();
        std::io::stdin().lock().read_line(&mut password).map_err(|e| format!("standard input: {e}"))?;
        hub::hash_password(password.trim_end_matches(['\n', '\r']))
    };
    match command {
        StaffCommand::Add { username, name, roles, organ } => {
            let roles = if roles.is_empty() { Roles::of(&[Role::Drafter]) } else { Roles::of(&roles) };
            let organ = organ.unwrap_or_default();
            store.add_staff(&username, &name, &password()?, roles, &organ, hub::content::OPERATOR).map_err(|e| e.to_string())?;
            println!("added staff account {username} ({roles})");
        }
        StaffCommand::Roles { username, roles } => {
            let roles = Roles::of(&roles);
            store.set_roles(&username, roles, hub::content::OPERATOR).map_err(|e| format!("{username}: {e}"))?;
            println!("{username} now has the roles: {roles}");
        }
        StaffCommand::Password { username } => {
            store.set_password(&username, &password()?, hub::content::OPERATOR).map_err(|e| format!("{username}: {e}"))?;
            println!("password set for {username}");
        }
        StaffCommand::Disable { username } => {
            store.set_disabled(&username, true, hub::content::OPERATOR).map_err(|e| format!("{username}: {e}"))?;
            println!("disabled {username}; its sessions have ended");
        }
        StaffCommand::Enable { username } => {
            store.set_disabled(&username, false, hub::content::OPERATOR).map_err(|e| format!("{username}: {e}"))?;
            println!("enabled {username}");
        }
    }
    Ok(())
}
