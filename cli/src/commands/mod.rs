pub mod deploy;
pub mod export;
pub mod import;
pub mod learn;
pub mod place;
pub mod simulate;
pub mod validate;
pub mod whatif;
