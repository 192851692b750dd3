pub mod deploy;
pub mod export;
pub mod import;
pub mod import_cluster;
pub mod place;
pub mod simulate;
pub mod validate;
pub mod whatif;
