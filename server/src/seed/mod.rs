//! Data that is not a customer's: the demo portfolio (`tollgate demo seed`, `make demo`) and a
//! generated portfolio of any size for the benchmarks (`tollgate demo generate`). Here, in the
//! server, so that none of it is compiled into the browser's bundle or the application library.

pub mod demo;
pub mod generate;
