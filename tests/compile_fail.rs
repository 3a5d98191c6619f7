//! Compile-fail tests of the generated API: a required field cannot be left out, enumerations
//! are typed, setters exist only for optional fields, forward-compatible types cannot be
//! built or matched exhaustively, and an API family's common codes are not variants of each
//! action's error (they are the provider's `<Family>CommonError`, inside `Common`). Bless with `TRYBUILD=overwrite cargo test --test compile_fail`
//! (the `.stderr` files follow this machine's rustc; review the diff by hand).

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
