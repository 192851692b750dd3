pub mod import;
pub mod export;
pub mod place;
pub mod validate;
pub mod whatif;
