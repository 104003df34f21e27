//! The decision checker's engine.
//!
//! Pure: no file or network IO, no clock, no Markdown, no DOM. Callers pass in the text of
//! rule files (and say what they are called, for messages), the text of the cited paragraphs,
//! and "now". It builds for `wasm32-unknown-unknown` and for the host alike.

pub mod bundle;
pub mod case;
pub mod condition;
pub mod deadline;
pub mod diagnostic;
pub mod eval;
pub mod load;
pub mod model;
pub mod numbers;
pub mod order;
pub mod questions;
pub mod share;
pub mod text;
pub mod vocabulary;

pub use case::{Case, CaseError, PoliceRisk};
pub use deadline::BankHolidays;
pub use diagnostic::Diagnostic;
pub use eval::{Evaluation, Item, evaluate};
pub use model::{Kind, Phase, Protocol, Rule, Strength, Timescale, Unit};
pub use vocabulary::Vocabulary;
