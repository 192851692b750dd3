pub mod place;
pub mod validate;
pub mod whatif;
