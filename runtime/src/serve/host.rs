//! A host: the environments one server offers and every session open on them. Sessions
//! are found by id; an environment's default session (what a plain `/mcp` URL reaches,
//! as an AWM server's single database) is created on first use and never expires; the
//! sessions trainers create expire after an idle timeout, and their number is capped.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use super::catalog;
use super::error::{ErrorCode, ServeError};
use super::session::HostedSession;
use crate::environment::Environment;
use crate::limits::Limits;
use crate::session::Session;

/// How a host treats sessions.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// The most sessions trainers may have open at once (default sessions not counted).
    pub max_sessions: usize,
    /// A created session unused this long is deleted.
    pub idle_timeout: Duration,
    /// The limits every call runs under.
    pub limits: Limits,
    /// Where `POST /sessions/{id}/export` may write run folders; `None` disables it
    /// (downloads of the files still work).
    pub export_root: Option<std::path::PathBuf>,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            max_sessions: 4096,
            idle_timeout: Duration::from_secs(30 * 60),
            limits: Limits::default(),
            export_root: None,
        }
    }
}

/// One environment as a host serves it.
pub struct Served {
    pub env: Arc<dyn Environment>,
    /// `tools/list` entries, built once.
    pub mcp_tools: Vec<rmcp::model::Tool>,
}

/// How many ids of deleted or expired sessions a host remembers, to say so precisely.
const REMEMBERED_GONE: usize = 4096;

/// The environments and sessions of one server.
pub struct Host {
    envs: BTreeMap<String, Arc<Served>>,
    sessions: RwLock<HashMap<String, Arc<HostedSession>>>,
    gone: Mutex<VecDeque<(String, ErrorCode)>>,
    pub config: HostConfig,
    clock: Instant,
}

impl Host {
    /// A host for these environments; fails when two share a name.
    pub fn new(envs: Vec<Arc<dyn Environment>>, config: HostConfig) -> Result<Host, String> {
        let mut served = BTreeMap::new();
        for env in envs {
            let name = env.name().to_string();
            let mcp_tools = env
                .tools()
                .into_iter()
                .map(|tool| {
                    serde_json::from_value(catalog::mcp_tool(tool))
                        .map_err(|e| format!("tool `{}` of `{name}`: {e}", tool.name))
                })
                .collect::<Result<_, _>>()?;
            if served
                .insert(name.clone(), Arc::new(Served { env, mcp_tools }))
                .is_some()
            {
                return Err(format!("two environments are named `{name}`"));
            }
        }
        Ok(Host {
            envs: served,
            sessions: RwLock::new(HashMap::new()),
            gone: Mutex::new(VecDeque::new()),
            config,
            clock: Instant::now(),
        })
    }

    /// Milliseconds since the host started: the clock of idle expiry.
    pub fn now(&self) -> u64 {
        self.clock.elapsed().as_millis() as u64
    }

    pub fn envs(&self) -> impl Iterator<Item = &Arc<Served>> {
        self.envs.values()
    }

    pub fn env(&self, name: &str) -> Result<&Arc<Served>, ServeError> {
        self.envs.get(name).ok_or_else(|| {
            let hint = crate::suggest::did_you_mean(name, self.envs.keys().map(String::as_str))
                .map_or_else(String::new, |best| format!("; did you mean `{best}`?"));
            ServeError::new(
                ErrorCode::UnknownEnv,
                format!("this server has no environment `{name}`{hint}"),
            )
        })
    }

    /// The only environment, for a plain `/mcp` URL.
    pub fn single_env(&self) -> Result<&Arc<Served>, ServeError> {
        let mut envs = self.envs.values();
        match (envs.next(), envs.next()) {
            (Some(only), None) => Ok(only),
            _ => Err(ServeError::new(
                ErrorCode::NotFound,
                format!(
                    "this server hosts {} environments; use /envs/<env>/mcp with one of {}",
                    self.envs.len(),
                    self.envs.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }

    /// The id of an environment's default session.
    pub fn default_id(env: &str) -> String {
        format!("{env}.default")
    }

    /// An environment's default session, created on first use.
    pub fn default_session(&self, served: &Arc<Served>) -> Result<Arc<HostedSession>, ServeError> {
        let id = Host::default_id(served.env.name());
        if let Some(found) = self.read().get(&id) {
            found.touch(self.now());
            return Ok(Arc::clone(found));
        }
        let mut sessions = self.write();
        if let Some(found) = sessions.get(&id) {
            return Ok(Arc::clone(found));
        }
        let session = self.open(served, id.clone(), None, false)?;
        sessions.insert(id, Arc::clone(&session));
        Ok(session)
    }

    /// Creates a session, optionally for a task.
    pub fn create(
        &self,
        env: &str,
        task: Option<String>,
    ) -> Result<Arc<HostedSession>, ServeError> {
        let served = self.env(env)?;
        if let Some(task) = &task {
            let tasks = served.env.tasks();
            if !tasks.iter().any(|t| &t.name == task) {
                return Err(unknown_task(
                    task,
                    env,
                    tasks.iter().map(|t| t.name.as_str()),
                ));
            }
        }
        if self.created_count() >= self.config.max_sessions {
            self.sweep();
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        let session = self.open(served, id.clone(), task, true)?;
        let mut sessions = self.write();
        let open = sessions.values().filter(|s| s.expires).count();
        if open >= self.config.max_sessions {
            return Err(ServeError::new(
                ErrorCode::SessionLimit,
                format!(
                    "{open} sessions are open, the most this server allows (--max-sessions); \
                     delete sessions you are done with, or wait for idle ones to expire after {} s",
                    self.config.idle_timeout.as_secs()
                ),
            ));
        }
        sessions.insert(id, Arc::clone(&session));
        Ok(session)
    }

    fn open(
        &self,
        served: &Arc<Served>,
        id: String,
        task: Option<String>,
        expires: bool,
    ) -> Result<Arc<HostedSession>, ServeError> {
        let session = Session::open(served.env.image(), self.config.limits)?;
        Ok(Arc::new(HostedSession::new(
            id,
            Arc::clone(served),
            task,
            expires,
            session,
            self.now(),
        )))
    }

    /// A session by id, marked as used. `<env>.default` is an environment's default
    /// session, created on first use.
    pub fn session(&self, id: &str) -> Result<Arc<HostedSession>, ServeError> {
        if let Some(served) = id
            .strip_suffix(".default")
            .and_then(|env| self.envs.get(env))
        {
            return self.default_session(served);
        }
        let now = self.now();
        let found = self.read().get(id).cloned();
        match found {
            Some(session) if self.is_expired(&session, now) => {
                self.remove(id, ErrorCode::SessionExpired);
                Err(self.gone_error(id, ErrorCode::SessionExpired))
            }
            Some(session) => {
                session.touch(now);
                Ok(session)
            }
            None => {
                let gone = self
                    .lock_gone()
                    .iter()
                    .find(|(g, _)| g == id)
                    .map(|(_, c)| *c);
                Err(match gone {
                    Some(code) => self.gone_error(id, code),
                    None => ServeError::new(
                        ErrorCode::UnknownSession,
                        format!("there is no session `{id}`; create one with POST /sessions"),
                    ),
                })
            }
        }
    }

    /// Deletes a session; default sessions cannot be deleted (reset them instead).
    pub fn delete(&self, id: &str) -> Result<(), ServeError> {
        let session = self.session(id)?;
        if !session.expires {
            return Err(ServeError::bad_request(format!(
                "`{id}` is an environment's default session; it can be reset but not deleted"
            )));
        }
        self.remove(id, ErrorCode::SessionDeleted);
        Ok(())
    }

    /// Every open session, in id order.
    pub fn sessions(&self) -> Vec<Arc<HostedSession>> {
        let mut all: Vec<_> = self.read().values().cloned().collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all
    }

    /// Deletes the sessions idle for longer than the timeout; how many.
    pub fn sweep(&self) -> usize {
        let now = self.now();
        let expired: Vec<String> = self
            .read()
            .values()
            .filter(|s| self.is_expired(s, now))
            .map(|s| s.id.clone())
            .collect();
        for id in &expired {
            self.remove(id, ErrorCode::SessionExpired);
        }
        expired.len()
    }

    fn is_expired(&self, session: &HostedSession, now: u64) -> bool {
        session.expires && session.idle_for(now) > self.config.idle_timeout.as_millis() as u64
    }

    fn created_count(&self) -> usize {
        self.read().values().filter(|s| s.expires).count()
    }

    fn remove(&self, id: &str, why: ErrorCode) {
        if self.write().remove(id).is_some() {
            let mut gone = self.lock_gone();
            if gone.len() >= REMEMBERED_GONE {
                gone.pop_front();
            }
            gone.push_back((id.to_string(), why));
        }
    }

    fn gone_error(&self, id: &str, code: ErrorCode) -> ServeError {
        let what = if code == ErrorCode::SessionExpired {
            format!(
                "session `{id}` expired after {} s without use",
                self.config.idle_timeout.as_secs()
            )
        } else {
            format!("session `{id}` was deleted")
        };
        ServeError::new(
            code,
            format!("{what}; create a new one with POST /sessions"),
        )
    }

    // A poisoned lock only means a panic elsewhere while it was held; the map itself is
    // always consistent (single inserts and removes), so keep serving.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<HostedSession>>> {
        self.sessions.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<HostedSession>>> {
        self.sessions.write().unwrap_or_else(|p| p.into_inner())
    }

    fn lock_gone(&self) -> std::sync::MutexGuard<'_, VecDeque<(String, ErrorCode)>> {
        self.gone.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// No such task, with the closest name.
pub fn unknown_task<'a>(task: &str, env: &str, names: impl Iterator<Item = &'a str>) -> ServeError {
    let names: Vec<&str> = names.collect();
    let hint = crate::suggest::did_you_mean(task, names.iter().copied())
        .map_or_else(String::new, |best| format!("; did you mean `{best}`?"));
    ServeError::new(
        ErrorCode::UnknownTask,
        format!("environment `{env}` has no task `{task}`{hint}"),
    )
}
