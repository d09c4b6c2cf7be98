//! `awmc serve` end to end: a real server process on loopback, driven by the official
//! Python MCP SDK (as AWM's agent is) and by the control API, including bad input and
//! many concurrent clients.

mod bad_input;
mod control;
mod harness;
mod load;
mod python;
